/**
 * A message attachment (`Attachment#push_event_data`). Which optional fields are present depends on
 * `file_type`: files and media carry `data_url`, `thumb_url`, `file_size`, `width`, `height`; audio adds
 * `transcribed_text`; locations carry coordinates; fallbacks and contacts carry `fallback_title`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { AttachmentFileType } from "./Enums.js"
import { AccountId, MessageId } from "./Identifiers.js"
import { named, type Encoded } from "./internal/dialect.js"
import { optionalKey } from "./internal/fields.js"
import { JsonObject } from "./Json.js"

/**
 * @since 0.1.0
 * @category models
 */
export const Attachment = named("Attachment", Schema.Struct({
  id: Schema.Int,
  message_id: MessageId,
  file_type: AttachmentFileType,
  account_id: AccountId,
  extension: optionalKey(Schema.NullOr(Schema.String)),
  data_url: optionalKey(Schema.NullOr(Schema.String)),
  thumb_url: optionalKey(Schema.NullOr(Schema.String)),
  file_size: optionalKey(Schema.NullOr(Schema.Int)),
  width: optionalKey(Schema.NullOr(Schema.Int)),
  height: optionalKey(Schema.NullOr(Schema.Int)),
  transcribed_text: optionalKey(Schema.NullOr(Schema.String)),
  coordinates_lat: optionalKey(Schema.NullOr(Schema.Number)),
  coordinates_long: optionalKey(Schema.NullOr(Schema.Number)),
  fallback_title: optionalKey(Schema.NullOr(Schema.String)),
  meta: optionalKey(JsonObject)
}))
/**
 * @since 0.1.0
 * @category models
 */
export interface Attachment extends Schema.Schema.Type<typeof Attachment> {}
/**
 * @since 0.1.0
 * @category models
 */
export interface AttachmentEncoded extends Encoded<typeof Attachment> {}

/**
 * The `attachments` array of a message: the server serialises an attachment without a `file_type` as `null`.
 *
 * @since 0.1.0
 * @category models
 */
export const Attachments = named("Attachments", Schema.Array(Schema.NullOr(Attachment)))
