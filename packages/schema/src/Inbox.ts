/**
 * The public description of an API-channel inbox (`GET /public/api/v1/inboxes/{inbox_identifier}`).
 *
 * @since 0.1.0
 */
import { intBetween, named, type Encoded } from "./internal/dialect.js"
import * as Schema from "effect/Schema"
import { InboxIdentifier } from "./Identifiers.js"

/**
 * One day of an inbox's weekly schedule (`day_of_week` 0 = Sunday).
 *
 * @since 0.1.0
 * @category models
 */
export const WorkingHours = named("WorkingHours", Schema.Struct({
  day_of_week: intBetween(0, 6),
  closed_all_day: Schema.Boolean,
  open_hour: Schema.NullOr(Schema.Int),
  open_minutes: Schema.NullOr(Schema.Int),
  close_hour: Schema.NullOr(Schema.Int),
  close_minutes: Schema.NullOr(Schema.Int),
  open_all_day: Schema.Boolean
}))
/**
 * @since 0.1.0
 * @category models
 */
export interface WorkingHours extends Schema.Schema.Type<typeof WorkingHours> {}

/**
 * An inbox: its name, time zone, schedule, and whether identity validation (HMAC) is enforced.
 *
 * @since 0.1.0
 * @category models
 */
export const Inbox = named("Inbox", Schema.Struct({
  identifier: InboxIdentifier,
  identity_validation_enabled: Schema.Boolean,
  name: Schema.String,
  timezone: Schema.String,
  working_hours: Schema.Array(WorkingHours),
  working_hours_enabled: Schema.Boolean,
  csat_survey_enabled: Schema.Boolean,
  greeting_enabled: Schema.Boolean
}))
/**
 * @since 0.1.0
 * @category models
 */
export interface Inbox extends Schema.Schema.Type<typeof Inbox> {}
/**
 * @since 0.1.0
 * @category models
 */
export interface InboxEncoded extends Encoded<typeof Inbox> {}
