/**
 * The CSAT survey of a conversation, as `GET`/`PATCH /public/api/v1/csat_survey/{conversation uuid}` answer it.
 *
 * When a conversation of an inbox with CSAT enabled is resolved, the server posts a template message with
 * `content_type: "input_csat"`; the customer answers it through this route (or by updating that message).
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import { MessageId } from "./Identifiers.js"
import { named, oneOrFirst } from "./internal/dialect.js"
import { lenientKey } from "./internal/fields.js"
import { JsonObject } from "./Json.js"
import { IsoTimestamp } from "./Timestamp.js"

/**
 * The survey message and the customer's answer, if any. `csat_survey_response` is the server's raw
 * `CsatSurveyResponse` record (`rating`, `feedback_message`, …) or `null` before an answer; `conversation_id` is
 * the conversation's database id, not its display id. Only `id` (the survey message's id) is required.
 *
 * @since 0.2.0
 * @category models
 */
export const CsatSurvey = named("CsatSurvey", Schema.Struct({
  id: MessageId,
  csat_survey_response: lenientKey(Schema.NullOr(JsonObject)),
  inbox_avatar_url: lenientKey(Schema.NullOr(Schema.String)),
  conversation_id: lenientKey(Schema.Int),
  created_at: lenientKey(IsoTimestamp)
}))
/**
 * @since 0.2.0
 * @category models
 */
export interface CsatSurvey extends Schema.Schema.Type<typeof CsatSurvey> {}

/**
 * What `GET /csat_survey/{uuid}` answers: one survey, or — on some server versions — an array of the
 * conversation's surveys. Decodes to the survey (the first one), or `undefined` for an empty array.
 *
 * @since 0.2.0
 * @category models
 */
export const CsatSurveyAnswer = named("CsatSurveyAnswer", oneOrFirst(CsatSurvey))
