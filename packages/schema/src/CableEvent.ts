/**
 * The events a customer receives on its `RoomChannel` subscription, as a tagged union.
 *
 * On the wire an event is the `message` of a broadcast frame: `{"event": "<name>", "data": {...}}`. Decoding adds
 * a `_tag` and keeps `event`; encoding removes `_tag` again. Event names this SDK does not know decode to
 * {@link Unknown}, so a newer server never breaks a stream.
 *
 * @since 0.1.0
 */
import type * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { ConversationPayload, TypingConversation } from "./Conversation.js"
import * as DecodeIssues from "./DecodeIssues.js"
import { compiledDeclarations, rejected } from "./internal/fastPaths.js"
import { AvailabilityStatus } from "./Enums.js"
import { AccountId } from "./Identifiers.js"
import { lenientKey } from "./internal/fields.js"
import { JsonValue } from "./Json.js"
import { MessagePayload } from "./Message.js"
import { Sender } from "./Sender.js"

/**
 * Who is typing, in which conversation. `is_private` is true when an agent types a private note: a customer UI
 * should not show that. The nested `conversation` has no `account_id` (the server adds it to this outer object
 * only); only its `id` is required. `user` is lenient: a sender that does not fit decodes as absent.
 *
 * @since 0.1.0
 * @category payloads
 */
export const TypingPayload = Schema.Struct({
  conversation: TypingConversation,
  user: lenientKey(Sender),
  is_private: lenientKey(Schema.Boolean),
  account_id: lenientKey(AccountId)
}).annotations({ identifier: "TypingPayload" })
/**
 * @since 0.1.0
 * @category payloads
 */
export interface TypingPayload extends Schema.Schema.Type<typeof TypingPayload> {}

/**
 * Agents' availability by user id.
 *
 * @since 0.1.0
 * @category payloads
 */
export const PresencePayload = Schema.Struct({
  account_id: lenientKey(AccountId),
  users: Schema.Record({ key: Schema.String, value: AvailabilityStatus })
}).annotations({ identifier: "PresencePayload" })
/**
 * @since 0.1.0
 * @category payloads
 */
export interface PresencePayload extends Schema.Schema.Type<typeof PresencePayload> {}

const wireMembers: Array<Schema.Schema<{ readonly event: string; readonly data: unknown }, any>> = []

const event = <const Tag extends string, const Name extends string, Data extends Schema.Schema.AnyNoContext>(
  tag: Tag,
  name: Name,
  data: Data
) => {
  const wire = Schema.Struct({ event: Schema.Literal(name), data })
  wireMembers.push(wire as never)
  return wire.pipe(Schema.attachPropertySignature("_tag", tag), Schema.annotations({ identifier: tag }))
}

/**
 * A message was created in one of the customer's conversations: an agent's or bot's reply, or the customer's own
 * message (with `echo_id` when it was sent with one).
 *
 * @since 0.1.0
 * @category events
 */
export const MessageCreated = event("MessageCreated", "message.created", MessagePayload)
/**
 * @since 0.1.0
 * @category events
 */
export type MessageCreated = typeof MessageCreated.Type

/**
 * A message changed (content, status, submitted values …); `data.previous_changes` lists what changed.
 *
 * @since 0.1.0
 * @category events
 */
export const MessageUpdated = event("MessageUpdated", "message.updated", MessagePayload)
/**
 * @since 0.1.0
 * @category events
 */
export type MessageUpdated = typeof MessageUpdated.Type

/**
 * A conversation was created.
 *
 * @since 0.1.0
 * @category events
 */
export const ConversationCreated = event("ConversationCreated", "conversation.created", ConversationPayload)
/**
 * @since 0.1.0
 * @category events
 */
export type ConversationCreated = typeof ConversationCreated.Type

/**
 * A conversation changed (assignee, team, status, attributes …); carries its current state.
 *
 * @since 0.1.0
 * @category events
 */
export const ConversationUpdated = event("ConversationUpdated", "conversation.updated", ConversationPayload)
/**
 * @since 0.1.0
 * @category events
 */
export type ConversationUpdated = typeof ConversationUpdated.Type

/**
 * A conversation's status changed; carries its current state (intermediate states may be skipped).
 *
 * @since 0.1.0
 * @category events
 */
export const ConversationStatusChanged = event(
  "ConversationStatusChanged",
  "conversation.status_changed",
  ConversationPayload
)
/**
 * @since 0.1.0
 * @category events
 */
export type ConversationStatusChanged = typeof ConversationStatusChanged.Type

/**
 * Someone other than the customer started typing.
 *
 * @since 0.1.0
 * @category events
 */
export const TypingOn = event("TypingOn", "conversation.typing_on", TypingPayload)
/**
 * @since 0.1.0
 * @category events
 */
export type TypingOn = typeof TypingOn.Type

/**
 * Someone other than the customer stopped typing.
 *
 * @since 0.1.0
 * @category events
 */
export const TypingOff = event("TypingOff", "conversation.typing_off", TypingPayload)
/**
 * @since 0.1.0
 * @category events
 */
export type TypingOff = typeof TypingOff.Type

/**
 * Agents' availability, sent on subscribe and whenever a subscriber of the same token updates its presence.
 *
 * @since 0.1.0
 * @category events
 */
export const PresenceUpdate = event("PresenceUpdate", "presence.update", PresencePayload)
/**
 * @since 0.1.0
 * @category events
 */
export type PresenceUpdate = typeof PresenceUpdate.Type

/**
 * An event as the server sent it: the broadcast's parsed `message`, with every field, those this SDK does not know
 * included. What a pipeline forwards where it passes events on untouched.
 *
 * @since 0.2.0
 * @category events
 */
export const WireEvent = Schema.Struct({ event: Schema.String, data: JsonValue }).annotations({ identifier: "WireEvent" })
/**
 * @since 0.2.0
 * @category events
 */
export interface WireEvent extends Schema.Schema.Type<typeof WireEvent> {}

/**
 * The names of the events this SDK decodes into typed members.
 *
 * @since 0.1.0
 * @category constants
 */
export const knownEventNames: ReadonlyArray<string> = [
  "message.created",
  "message.updated",
  "conversation.created",
  "conversation.updated",
  "conversation.status_changed",
  "conversation.typing_on",
  "conversation.typing_off",
  "presence.update"
]

const UnknownWire = Schema.Struct({
  event: Schema.String.pipe(Schema.filter((name) => !knownEventNames.includes(name))),
  data: JsonValue
})
wireMembers.push(UnknownWire)

/**
 * An event whose name this SDK does not know, with its raw name and data.
 *
 * @since 0.1.0
 * @category events
 */
export const Unknown = UnknownWire.pipe(
  Schema.attachPropertySignature("_tag", "Unknown"),
  Schema.annotations({ identifier: "Unknown" })
)
/**
 * @since 0.1.0
 * @category events
 */
export type Unknown = typeof Unknown.Type

/**
 * An event of a name this SDK knows whose data did not decode — a server that changed a required field. It keeps
 * the raw name and data and says what did not fit (`error`: the paths and what was expected), so nothing is
 * dropped: `@bevatel/cable` counts and logs it, and `@bevatel/client` recovers a message it stands for over HTTP.
 * Encoding gives back the raw event.
 *
 * @since 0.2.0
 * @category events
 */
export const Undecodable = Schema.TaggedStruct("Undecodable", {
  event: Schema.String,
  data: JsonValue,
  error: Schema.String
}).annotations({ identifier: "Undecodable" })
/**
 * @since 0.2.0
 * @category events
 */
export type Undecodable = typeof Undecodable.Type

const members = [
  MessageCreated,
  MessageUpdated,
  ConversationCreated,
  ConversationUpdated,
  ConversationStatusChanged,
  TypingOn,
  TypingOff,
  PresenceUpdate,
  Unknown,
  Undecodable
] as const

// A Map, not an object: an event named "constructor" or "valueOf" must not find Object.prototype's members.
const tagOfEvent = new Map<string, CableEvent["_tag"]>([
  ["message.created", "MessageCreated"],
  ["message.updated", "MessageUpdated"],
  ["conversation.created", "ConversationCreated"],
  ["conversation.updated", "ConversationUpdated"],
  ["conversation.status_changed", "ConversationStatusChanged"],
  ["conversation.typing_on", "TypingOn"],
  ["conversation.typing_off", "TypingOff"],
  ["presence.update", "PresenceUpdate"]
])

// The wire union, without tags: decoding goes through it once and adds the tag, where a union of tagged members
// would validate every decoded payload a second time (about twice the cost per event).
const WireCodec = Schema.Union(...wireMembers)
const decodeWire = ParseResult.decodeUnknownEither(WireCodec)
const encodeWire = ParseResult.encodeUnknown(WireCodec)

/** A decoded wire event with its tag: the known one for its name, or `Unknown`. */
const tagged = ({ data, event }: { readonly event: string; readonly data: unknown }) => ({
  _tag: tagOfEvent.get(event) ?? "Unknown",
  event,
  data
})

/** A known event name with data that failed: kept whole as {@link Undecodable}. */
const undecodable = (input: unknown, issue: ParseResult.ParseIssue): Undecodable | undefined =>
  Predicate.hasProperty(input, "event") && typeof input.event === "string" && tagOfEvent.has(input.event) &&
    Predicate.hasProperty(input, "data")
    ? { _tag: "Undecodable", event: input.event, data: input.data, error: DecodeIssues.describe(issue) }
    : undefined

/**
 * Any event a customer receives. A known event whose data does not decode becomes {@link Undecodable} (with what
 * did not fit); it never turns into {@link Unknown}. Only input that is not `{event: string, data}` fails.
 *
 * @since 0.1.0
 * @category events
 */
export const CableEvent: Schema.Schema<
  | MessageCreated
  | MessageUpdated
  | ConversationCreated
  | ConversationUpdated
  | ConversationStatusChanged
  | TypingOn
  | TypingOff
  | PresenceUpdate
  | Unknown
  | Undecodable,
  Schema.Schema.Encoded<(typeof members)[number]>
> = Schema.declare(
  [...members],
  {
    decode: (...parameters) => {
      // Already tagged (a constructor or `validate` checking a decoded event): check it member by member.
      const decodeTagged = ParseResult.decodeUnknown(Schema.Union(...parameters))
      return (input, options) => {
        if (typeof input === "object" && input !== null && "_tag" in input) return decodeTagged(input, options) as never
        const wire = decodeWire(input, options)
        if (Either.isRight(wire)) return Either.right(tagged(wire.right)) as never
        const kept = undecodable(input, wire.left)
        return (kept === undefined ? wire : Either.right(kept)) as never
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
  },
  {
    identifier: "CableEvent",
    arbitrary: (...parameters) => (fc) =>
      fc.oneof(
        // Undecodable is left out: what fails to decode is found by decoding, not generated.
        ...parameters.slice(0, members.length - 1).map((arbitrary) => (arbitrary as Arbitrary.LazyArbitrary<CableEvent>)(fc))
      )
  }
)
/**
 * @since 0.1.0
 * @category events
 */
export type CableEvent = typeof CableEvent.Type

// Compiled (`Decoder.compile`): the wire union's compiled decoder, then the tag. An already tagged event, or data that
// does not decode, is answered by the parser above.
compiledDeclarations.set(CableEvent.ast, {
  decode: (compile) => {
    const decodeWireCompiled = compile(WireCodec.ast)
    return (input) => {
      if (typeof input === "object" && input !== null && "_tag" in input) return rejected
      const wire = decodeWireCompiled(input)
      return wire === rejected ? rejected : tagged(wire as { readonly event: string; readonly data: unknown })
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
/**
 * @since 0.1.0
 * @category events
 */
export type CableEventEncoded = typeof CableEvent.Encoded
