/**
 * Who sent a message or is typing: the push data of a contact, an agent, a bot or an AI assistant.
 *
 * Senders are presentation objects: only `type` and `id` are required; any other field that is missing or has
 * an unexpected type decodes as absent, so a changed column never fails the message or event that carries it.
 *
 * @since 0.1.0
 */
import { Vocabulary } from "@bevatel/wire"
import * as Schema from "effect/Schema"
import { AvailabilityStatus } from "./Enums.js"
import { ContactId } from "./Identifiers.js"
import { named, oneOf, stringOtherThan, withRest } from "./internal/dialect.js"
import { lenientKey } from "./internal/fields.js"
import { JsonObject } from "./Json.js"
import { IsoTimestamp } from "./Timestamp.js"

/**
 * A contact (the customer).
 *
 * @since 0.1.0
 * @category models
 */
export const ContactSender = named("ContactSender", Schema.Struct({
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
}))
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
export const AgentSender = named("AgentSender", Schema.Struct({
  type: Schema.Literal("user"),
  id: Schema.Int,
  name: lenientKey(Schema.String),
  available_name: lenientKey(Schema.String),
  avatar_url: lenientKey(Schema.String),
  thumbnail: lenientKey(Schema.String),
  availability_status: lenientKey(Schema.NullOr(AvailabilityStatus))
}))
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
export const AgentBotSender = named("AgentBotSender", Schema.Struct({
  type: Schema.Literal("agent_bot"),
  id: Schema.Int,
  name: lenientKey(Schema.String),
  avatar_url: lenientKey(Schema.NullOr(Schema.String))
}))
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
export const CaptainAssistantSender = named("CaptainAssistantSender", Schema.Struct({
  type: Schema.Literal("captain_assistant"),
  id: Schema.Int,
  name: lenientKey(Schema.String),
  avatar_url: lenientKey(Schema.NullOr(Schema.String)),
  description: lenientKey(Schema.NullOr(Schema.String)),
  created_at: lenientKey(IsoTimestamp)
}))
/**
 * @since 0.1.0
 * @category models
 */
export interface CaptainAssistantSender extends Schema.Schema.Type<typeof CaptainAssistantSender> {}

/**
 * A sender of a kind this SDK does not know yet, kept whole.
 *
 * @since 0.1.0
 * @category models
 */
export const UnknownSender = named("UnknownSender", withRest({ type: stringOtherThan(Vocabulary.senderKinds) }, JsonObject))
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
export const Sender = named("Sender", oneOf(ContactSender, AgentSender, AgentBotSender, CaptainAssistantSender, UnknownSender))
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
export const Team = named("Team", Schema.Struct({ id: Schema.Int, name: Schema.String }))
/**
 * @since 0.1.0
 * @category models
 */
export interface Team extends Schema.Schema.Type<typeof Team> {}
