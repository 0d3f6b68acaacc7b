import { Vocabulary } from "@bevatel/wire"
import type * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as DecodeIssues from "../DecodeIssues.js"
import { JsonValue } from "../Json.js"
import { compiledDeclarations, rejected } from "./fastPaths.js"

// How `CableEvent` is built on Effect 3: the members are the wire structs with their tag attached, and the union
// decodes through the wire structs once (see `cableEventOf`).

/** The wire structs of the members, in the order they were made: the union `cableEventOf` decodes through. */
const wireMembers: Array<Schema.Schema<{ readonly event: string; readonly data: unknown }, any>> = []

/** The member of the event `name`: `{ event, data }` on the wire, with `_tag` added when decoded. */
export const eventMember = <const Tag extends string, const Name extends string, Data extends Schema.Schema.AnyNoContext>(
  tag: Tag,
  name: Name,
  data: Data
) => {
  const wire = Schema.Struct({ event: Schema.Literal(name), data })
  wireMembers.push(wire as never)
  return wire.pipe(Schema.attachPropertySignature("_tag", tag), Schema.annotations({ identifier: tag }))
}

/** The member of every event name that is not a known one, with its raw data. */
export const unknownEventMember = () => {
  const wire = Schema.Struct({
    event: Schema.String.pipe(Schema.filter((name) => !Vocabulary.tagOfEvent.has(name))),
    data: JsonValue
  })
  wireMembers.push(wire)
  return wire.pipe(Schema.attachPropertySignature("_tag", "Unknown"), Schema.annotations({ identifier: "Unknown" }))
}

/**
 * The event union: `members` (the known events, then `Unknown`), and `undecodable` for a known event whose data does
 * not decode; `Event` and `Wire` name its two sides (the union of the members' types, and of their encoded forms). The wire union, without tags, decodes each event once and adds the tag, where a union of tagged
 * members would validate every decoded payload a second time (about twice the cost per event).
 */
export const cableEventOf = <Event, Wire>(
  members: ReadonlyArray<Schema.Schema.AnyNoContext>,
  undecodable: Schema.Schema.AnyNoContext
): Schema.Schema<Event, Wire> => {
  const WireCodec = Schema.Union(...wireMembers)
  const decodeWire = ParseResult.decodeUnknownEither(WireCodec)
  const encodeWire = ParseResult.encodeUnknown(WireCodec)
  const kept = (input: unknown, issue: ParseResult.ParseIssue) =>
    Vocabulary.isKnownEvent(input)
      ? { _tag: "Undecodable", event: input.event, data: input.data, error: DecodeIssues.describe(issue) }
      : undefined
  const all = [...members, undecodable]
  const schema: Schema.Schema<Event, Wire> = Schema.declare(all, {
    decode: (...parameters) => {
      // Already tagged (a constructor or `validate` checking a decoded event): check it member by member.
      const decodeTagged = ParseResult.decodeUnknown(Schema.Union(...parameters))
      return (input, options) => {
        if (typeof input === "object" && input !== null && "_tag" in input) return decodeTagged(input, options) as never
        const wire = decodeWire(input, options)
        if (Either.isRight(wire)) return Either.right(Vocabulary.tagged(wire.right)) as never
        const undecodableEvent = kept(input, wire.left)
        return (undecodableEvent === undefined ? wire : Either.right(undecodableEvent)) as never
      }
    },
    encode: () => (input, options, ast) => {
      // Not an event at all (null, a number …): a failure, as any schema answers it, not a thrown TypeError.
      if (typeof input !== "object" || input === null) return ParseResult.fail(new ParseResult.Type(ast, input))
      const { _tag, ...wire } = input as { readonly _tag: string; readonly event: string; readonly data: unknown }
      return _tag === "Undecodable"
        ? ParseResult.succeed({ event: wire.event, data: wire.data } as never)
        : encodeWire(wire, options)
    }
  }, {
    identifier: "CableEvent",
    arbitrary: (...parameters) => (fc) =>
      fc.oneof(
        // Undecodable is left out: what fails to decode is found by decoding, not generated.
        ...parameters.slice(0, members.length).map((arbitrary) => (arbitrary as Arbitrary.LazyArbitrary<unknown>)(fc))
      )
  }) as never

  // Compiled (`Decoder.compile`): the wire union's compiled decoder, then the tag. An already tagged event, or data
  // that does not decode, is answered by the parser above.
  compiledDeclarations.set(schema.ast, {
    decode: (compile) => {
      const decodeWireCompiled = compile(WireCodec.ast)
      return (input) => {
        if (typeof input === "object" && input !== null && "_tag" in input) return rejected
        const wire = decodeWireCompiled(input)
        return wire === rejected ? rejected : Vocabulary.tagged(wire as { readonly event: string; readonly data: unknown })
      }
    },
    // The declaration's `encode`, with the wire union compiled.
    encode: (compile) => {
      const encodeWireCompiled = compile(WireCodec.ast)
      return (input) => {
        if (typeof input !== "object" || input === null) return rejected
        const { _tag, ...wire } = input as { readonly _tag: string; readonly event: string; readonly data: unknown }
        return _tag === "Undecodable" ? { event: wire.event, data: wire.data } : encodeWireCompiled(wire)
      }
    }
  })
  return schema
}
