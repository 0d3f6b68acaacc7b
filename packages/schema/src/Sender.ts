/**
 * Who sent a message or is typing: the push data of a contact, an agent, a bot or an AI assistant.
 *
 * Senders are presentation objects: only `type` and `id` are required; any other field that is missing or has
 * an unexpected type decodes as absent, so a changed column never fails the message or event that carries it.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { AvailabilityStatus } from "./Enums.js"
import { ContactId } from "./Identifiers.js"
import { lenientKey } from "./internal/fields.js"
import { JsonObject } from "./Json.js"
import { IsoTimestamp } from "./Timestamp.js"

/**
 * A contact (the customer).
 *
 * @since 0.1.0
 * @category models
 */
export const ContactSender = Schema.Struct({
  type: Schema.Literal("contact"),
  id: ContactId,
  name: lenientKey(Schema.String),
  email: lenientKey(Schema.NullOr(Schema.String)),
  phone_number: lenientKey(Schema.NullOr(Schema.String)),
  identifier: lenientKey(Schema.NullOr(Schema.String)),
  thumbnail: lenientKey(Schema.String),
  blocked: lenientKey(Schema.Boolean),
  additional_attributes: lenientKey(JsonObject),
  custom_attributes: lenientKey(JsonObject)
}).annotations({ identifier: "ContactSender" })
/**
 * @since 0.1.0
 * @category models
 */
export interface ContactSender extends Schema.Schema.Type<typeof ContactSender> {}

/**
 * A human agent (`User`). `availability_status` is `null` outside an account context.
 *
 * @since 0.1.0
 * @category models
 */
export const AgentSender = Schema.Struct({
  type: Schema.Literal("user"),
  id: Schema.Int,
  name: lenientKey(Schema.String),
  available_name: lenientKey(Schema.String),
  avatar_url: lenientKey(Schema.String),
  thumbnail: lenientKey(Schema.String),
  availability_status: lenientKey(Schema.NullOr(AvailabilityStatus))
}).annotations({ identifier: "AgentSender" })
/**
 * @since 0.1.0
 * @category models
 */
export interface AgentSender extends Schema.Schema.Type<typeof AgentSender> {}

/**
 * An agent bot.
 *
 * @since 0.1.0
 * @category models
 */
export const AgentBotSender = Schema.Struct({
  type: Schema.Literal("agent_bot"),
  id: Schema.Int,
  name: lenientKey(Schema.String),
  avatar_url: lenientKey(Schema.NullOr(Schema.String))
}).annotations({ identifier: "AgentBotSender" })
/**
 * @since 0.1.0
 * @category models
 */
export interface AgentBotSender extends Schema.Schema.Type<typeof AgentBotSender> {}

/**
 * An AI assistant (Captain, enterprise servers).
 *
 * @since 0.1.0
 * @category models
 */
export const CaptainAssistantSender = Schema.Struct({
  type: Schema.Literal("captain_assistant"),
  id: Schema.Int,
  name: lenientKey(Schema.String),
  avatar_url: lenientKey(Schema.NullOr(Schema.String)),
  description: lenientKey(Schema.NullOr(Schema.String)),
  created_at: lenientKey(IsoTimestamp)
}).annotations({ identifier: "CaptainAssistantSender" })
/**
 * @since 0.1.0
 * @category models
 */
export interface CaptainAssistantSender extends Schema.Schema.Type<typeof CaptainAssistantSender> {}

const knownSenderTypes: ReadonlyArray<string> = ["contact", "user", "agent_bot", "captain_assistant"]

/**
 * A sender of a kind this SDK does not know yet, kept whole.
 *
 * @since 0.1.0
 * @category models
 */
export const UnknownSender = Schema.Struct(
  { type: Schema.String.pipe(Schema.filter((type) => !knownSenderTypes.includes(type))) },
  JsonObject
).annotations({ identifier: "UnknownSender" })
/**
 * @since 0.1.0
 * @category models
 */
export interface UnknownSender extends Schema.Schema.Type<typeof UnknownSender> {}

/**
 * Any sender, discriminated by `type`.
 *
 * @since 0.1.0
 * @category models
 */
export const Sender = Schema.Union(ContactSender, AgentSender, AgentBotSender, CaptainAssistantSender, UnknownSender)
  .annotations({ identifier: "Sender" })
/**
 * @since 0.1.0
 * @category models
 */
export type Sender = typeof Sender.Type

/**
 * A team (`meta.team` of conversation payloads).
 *
 * @since 0.1.0
 * @category models
 */
export const Team = Schema.Struct({ id: Schema.Int, name: Schema.String }).annotations({ identifier: "Team" })
/**
 * @since 0.1.0
 * @category models
 */
export interface Team extends Schema.Schema.Type<typeof Team> {}
