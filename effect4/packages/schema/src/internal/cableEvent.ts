import { Vocabulary } from "@bevatel/wire"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import type * as SchemaIssue from "effect/SchemaIssue"
import * as SchemaParser from "effect/SchemaParser"
import * as DecodeIssues from "../DecodeIssues.js"
import { JsonValue } from "../Json.js"

// How `CableEvent` is built on Effect 4: each member is a struct whose `_tag` is added when decoding (and dropped
// when encoding), and the union decodes through them once (see `cableEventOf`).

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
 * not decode; `Event` and `Wire` name its two sides (the union of the members' types, and of their encoded forms). A wire event decodes through the members once, getting its tag on the way; an event already tagged (one
 * built in code, or checked again) is checked member by member.
 */
export const cableEventOf = <Event, Wire>(
  members: ReadonlyArray<Schema.Codec<any, any>>,
  undecodable: Schema.Codec<any, any>
): Schema.Codec<Event, Wire> => {
  const WireCodec = Schema.Union(members)
  const decodeWire = SchemaParser.decodeUnknownResult(WireCodec)
  const encodeWire = SchemaParser.encodeUnknownResult(WireCodec)
  const TaggedMembers = Schema.toType(Schema.Union([...members, undecodable]))
  const decodeTagged = SchemaParser.decodeUnknownResult(TaggedMembers)
  const isTagged = SchemaParser.is(TaggedMembers)

  const decodeEvent = (input: unknown): Effect.Effect<Event, SchemaIssue.Issue> => {
    if (typeof input === "object" && input !== null && "_tag" in input) return Effect.fromResult(decodeTagged(input)) as Effect.Effect<Event, SchemaIssue.Issue>
    const wire = decodeWire(input)
    if (Result.isSuccess(wire)) return Effect.succeed(wire.success as Event)
    return Vocabulary.isKnownEvent(input)
      ? Effect.succeed({ _tag: "Undecodable", event: input.event, data: input.data, error: DecodeIssues.describe(wire.failure) } as Event)
      : Effect.fail(wire.failure)
  }
  const encodeEvent = (event: Event): Effect.Effect<unknown, SchemaIssue.Issue> => {
    const { _tag, ...wire } = event as unknown as { readonly _tag: string; readonly event: string; readonly data: unknown }
    return _tag === "Undecodable" ? Effect.succeed({ event: wire.event, data: wire.data }) : Effect.fromResult(encodeWire(event))
  }

  // The tagged union as a type. The property tests generate its wire members: an Undecodable is found by decoding.
  const TaggedEvent = Schema.declare((input: unknown): input is Event => isTagged(input), {
    identifier: "CableEvent",
    toCodecArbitrary: () =>
      Schema.link<Event>()(Schema.toType(WireCodec), {
        decode: SchemaGetter.passthrough(),
        encode: SchemaGetter.passthroughSupertype()
      })
  })
  return Schema.Unknown.pipe(
    Schema.decodeTo(TaggedEvent, {
      decode: SchemaGetter.transformEffect(decodeEvent),
      encode: SchemaGetter.transformEffect(encodeEvent)
    })
  ).annotate({ identifier: "CableEvent" }) as unknown as Schema.Codec<Event, Wire>
}
