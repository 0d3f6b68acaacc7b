/**
 * The contact (customer) as the Client API returns it.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { ContactType } from "./Enums.js"
import { AccountId, ContactId, InboxId, PubsubToken, SourceId } from "./Identifiers.js"
import { named, type Encoded } from "./internal/dialect.js"
import { lenientKey } from "./internal/fields.js"
import { JsonObject } from "./Json.js"
import { IsoTimestamp } from "./Timestamp.js"

/**
 * The customer's session in an inbox, as answered by contact create and show: the `source_id` that addresses it
 * and the `pubsub_token` that subscribes to its events.
 *
 * @since 0.1.0
 * @category models
 */
export const ContactSession = named("ContactSession", Schema.Struct({
  source_id: SourceId,
  pubsub_token: PubsubToken,
  id: ContactId,
  name: Schema.String,
  email: Schema.NullOr(Schema.String),
  phone_number: Schema.NullOr(Schema.String)
}))
/**
 * @since 0.1.0
 * @category models
 */
export interface ContactSession extends Schema.Schema.Type<typeof ContactSession> {}
/**
 * @since 0.1.0
 * @category models
 */
export interface ContactSessionEncoded extends Encoded<typeof ContactSession> {}

/**
 * The raw contact record, as answered by contact update and embedded in REST conversations. It has no
 * `source_id` or `pubsub_token`; its `id` may differ from the session's after the server merged two contacts.
 * A raw model: only `id` is required; a missing or retyped column decodes as absent.
 *
 * @since 0.1.0
 * @category models
 */
export const ContactRecord = named("ContactRecord", Schema.Struct({
  id: ContactId,
  name: lenientKey(Schema.String),
  email: lenientKey(Schema.NullOr(Schema.String)),
  phone_number: lenientKey(Schema.NullOr(Schema.String)),
  account_id: lenientKey(AccountId),
  created_at: lenientKey(IsoTimestamp),
  updated_at: lenientKey(IsoTimestamp),
  additional_attributes: lenientKey(JsonObject),
  identifier: lenientKey(Schema.NullOr(Schema.String)),
  custom_attributes: lenientKey(JsonObject),
  last_activity_at: lenientKey(Schema.NullOr(IsoTimestamp)),
  contact_type: lenientKey(ContactType),
  middle_name: lenientKey(Schema.String),
  last_name: lenientKey(Schema.String),
  location: lenientKey(Schema.String),
  country_code: lenientKey(Schema.String),
  blocked: lenientKey(Schema.Boolean),
  company_id: lenientKey(Schema.NullOr(Schema.Int))
}))
/**
 * @since 0.1.0
 * @category models
 */
export interface ContactRecord extends Schema.Schema.Type<typeof ContactRecord> {}
/**
 * @since 0.1.0
 * @category models
 */
export interface ContactRecordEncoded extends Encoded<typeof ContactRecord> {}

/**
 * The `ContactInbox` row embedded in cable conversation payloads. It carries the `pubsub_token`: never log it.
 * A raw model: only `id` is required; a missing or retyped column decodes as absent.
 *
 * @since 0.1.0
 * @category models
 */
export const ContactInbox = named("ContactInbox", Schema.Struct({
  id: Schema.Int,
  contact_id: lenientKey(ContactId),
  inbox_id: lenientKey(InboxId),
  source_id: lenientKey(SourceId),
  created_at: lenientKey(IsoTimestamp),
  updated_at: lenientKey(IsoTimestamp),
  hmac_verified: lenientKey(Schema.Boolean),
  pubsub_token: lenientKey(PubsubToken)
}))
/**
 * @since 0.1.0
 * @category models
 */
export interface ContactInbox extends Schema.Schema.Type<typeof ContactInbox> {}
