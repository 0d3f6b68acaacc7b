import { Vocabulary } from "@bevatel/wire"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaParser from "effect/SchemaParser"
import * as SchemaTransformation from "effect/SchemaTransformation"
import * as DecodeIssues from "../DecodeIssues.js"
import { JsonValue } from "../Json.js"

// How `CableEvent` is built on Effect 4: each member is a struct whose `_tag` is added when decoding (and dropped
// when encoding), in a union that picks a member by its `event` (see `cableEventOf`).

/** The member of the event `name`: `{ event, data }` on the wire, with `_tag` added when decoded. */
export const eventMember = <const Tag extends string, const Name extends string, Data extends Schema.Top>(
  tag: Tag,
  name: Name,
  data: Data
) => Schema.Struct({ _tag: Schema.tagDefaultOmit(tag), event: Schema.Literal(name), data }).annotate({ identifier: tag })

/** The member of every event name that is not a known one, with its raw data. */
export const unknownEventMember = () =>
  Schema.Struct({
    _tag: Schema.tagDefaultOmit("Unknown"),
    event: Schema.String.check(Schema.makeFilter((name: string) => !Vocabulary.tagOfEvent.has(name))),
    data: JsonValue
  }).annotate({ identifier: "Unknown" })

/**
 * The event union: `members` (the known events, then `Unknown`), and `undecodable` for a known event whose data does
 * not decode; `Event` and `Wire` name its two sides (the union of the members' types, and of their encoded forms).
 * A wire event decodes through its member once (the union picks it by its literal `event`), getting its tag on the
 * way; a known event that its member refuses falls through to the last member, which keeps it whole as
 * `undecodable`, with what did not fit (found again by decoding it through the members: only failures pay for it).
 * Encoding an `undecodable` gives back the raw event.
 */
export const cableEventOf = <Event, Wire>(
  members: ReadonlyArray<Schema.Codec<any, any>>,
  undecodable: Schema.Codec<{ readonly _tag: "Undecodable"; readonly event: string; readonly data: unknown; readonly error: string }, any>
): Schema.Codec<Event, Wire> => {
  const decodeMembers = SchemaParser.decodeUnknownResult(Schema.Union(members))
  // Reached only when no member took the event: a known name with data its member refused (`Unknown` takes the rest).
  const keptWhole = Schema.Struct({ event: Schema.String, data: Schema.Unknown }).pipe(
    Schema.decodeTo(
      Schema.toType(undecodable),
      SchemaTransformation.transform({
        decode: ({ data, event }) => {
          const answer = decodeMembers({ event, data })
          const error = Result.isFailure(answer) ? DecodeIssues.describe(answer.failure) : "does not match its event"
          return { _tag: "Undecodable" as const, event, data, error }
        },
        encode: ({ data, event }) => ({ event, data })
      })
    )
  )
  return Schema.Union([...members, keptWhole]).annotate({ identifier: "CableEvent" }) as unknown as Schema.Codec<Event, Wire>
}
