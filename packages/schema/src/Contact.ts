/**
 * The contact (customer) as the Client API returns it.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { ContactType } from "./Enums.js"
import { AccountId, ContactId, InboxId, PubsubToken, SourceId } from "./Identifiers.js"
import { optionalKey } from "./internal/fields.js"
import { JsonObject } from "./Json.js"
import { IsoTimestamp } from "./Timestamp.js"

/**
 * The customer's session in an inbox, as answered by contact create and show: the `source_id` that addresses it
 * and the `pubsub_token` that subscribes to its events.
 *
 * @since 0.1.0
 * @category models
 */
export const ContactSession = Schema.Struct({
  source_id: SourceId,
  pubsub_token: PubsubToken,
  id: ContactId,
  name: Schema.String,
  email: Schema.NullOr(Schema.String),
  phone_number: Schema.NullOr(Schema.String)
}).annotations({ identifier: "ContactSession" })
/**
 * @since 0.1.0
 * @category models
 */
export interface ContactSession extends Schema.Schema.Type<typeof ContactSession> {}
/**
 * @since 0.1.0
 * @category models
 */
export interface ContactSessionEncoded extends Schema.Schema.Encoded<typeof ContactSession> {}

/**
 * The raw contact record, as answered by contact update and embedded in REST conversations. It has no
 * `source_id` or `pubsub_token`; its `id` may differ from the session's after the server merged two contacts.
 * Columns added by newer servers are optional.
 *
 * @since 0.1.0
 * @category models
 */
export const ContactRecord = Schema.Struct({
  id: ContactId,
  name: Schema.String,
  email: Schema.NullOr(Schema.String),
  phone_number: Schema.NullOr(Schema.String),
  account_id: AccountId,
  created_at: IsoTimestamp,
  updated_at: IsoTimestamp,
  additional_attributes: JsonObject,
  identifier: Schema.NullOr(Schema.String),
  custom_attributes: JsonObject,
  last_activity_at: Schema.NullOr(IsoTimestamp),
  contact_type: optionalKey(ContactType),
  middle_name: optionalKey(Schema.String),
  last_name: optionalKey(Schema.String),
  location: optionalKey(Schema.String),
  country_code: optionalKey(Schema.String),
  blocked: optionalKey(Schema.Boolean),
  company_id: optionalKey(Schema.NullOr(Schema.Int))
}).annotations({ identifier: "ContactRecord" })
/**
 * @since 0.1.0
 * @category models
 */
export interface ContactRecord extends Schema.Schema.Type<typeof ContactRecord> {}
/**
 * @since 0.1.0
 * @category models
 */
export interface ContactRecordEncoded extends Schema.Schema.Encoded<typeof ContactRecord> {}

/**
 * The `ContactInbox` row embedded in cable conversation payloads. It carries the `pubsub_token`: never log it.
 *
 * @since 0.1.0
 * @category models
 */
export const ContactInbox = Schema.Struct({
  id: Schema.Int,
  contact_id: ContactId,
  inbox_id: InboxId,
  source_id: SourceId,
  created_at: IsoTimestamp,
  updated_at: IsoTimestamp,
  hmac_verified: Schema.Boolean,
  pubsub_token: PubsubToken
}).annotations({ identifier: "ContactInbox" })
/**
 * @since 0.1.0
 * @category models
 */
export interface ContactInbox extends Schema.Schema.Type<typeof ContactInbox> {}
