/**
 * The request bodies and query parameters of every Client API endpoint.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { TypingStatus } from "./Enums.js"
import { EchoId, IdentifierHash, MessageId } from "./Identifiers.js"
import { intBetween, named, numberFromString, oneOf, stringAtLeast, stringAtMost } from "./internal/dialect.js"
import { optionalKey } from "./internal/fields.js"
import { JsonObject } from "./Json.js"

/**
 * `POST /contacts`. With a `source_id` that already exists in the inbox, the server returns that session
 * unchanged. `identifier` + `identifier_hash` are required when the inbox enforces identity validation.
 *
 * @since 0.1.0
 * @category requests
 */
export const CreateContactRequest = named("CreateContactRequest", Schema.Struct({
  source_id: optionalKey(stringAtLeast(1)),
  identifier: optionalKey(Schema.String),
  identifier_hash: optionalKey(IdentifierHash),
  email: optionalKey(Schema.String),
  name: optionalKey(Schema.String),
  phone_number: optionalKey(Schema.String),
  avatar_url: optionalKey(Schema.String),
  custom_attributes: optionalKey(JsonObject)
}))
/**
 * @since 0.1.0
 * @category requests
 */
export interface CreateContactRequest extends Schema.Schema.Type<typeof CreateContactRequest> {}

/**
 * Query of `GET /contacts/{source_id}`: a valid pair marks the session identity-verified.
 *
 * @since 0.1.0
 * @category requests
 */
export const GetContactParams = named("GetContactParams", Schema.Struct({
  identifier: optionalKey(Schema.String),
  identifier_hash: optionalKey(IdentifierHash)
}))
/**
 * @since 0.1.0
 * @category requests
 */
export interface GetContactParams extends Schema.Schema.Type<typeof GetContactParams> {}

/**
 * `PATCH /contacts/{source_id}`. Blank values are ignored by the server, `custom_attributes` are deep-merged,
 * and `identifier` is only used to check `identifier_hash` (it cannot be changed).
 *
 * @since 0.1.0
 * @category requests
 */
export const UpdateContactRequest = named("UpdateContactRequest", Schema.Struct({
  identifier: optionalKey(Schema.String),
  identifier_hash: optionalKey(IdentifierHash),
  name: optionalKey(Schema.String),
  email: optionalKey(Schema.String),
  phone_number: optionalKey(Schema.String),
  avatar_url: optionalKey(Schema.String),
  custom_attributes: optionalKey(JsonObject)
}))
/**
 * @since 0.1.0
 * @category requests
 */
export interface UpdateContactRequest extends Schema.Schema.Type<typeof UpdateContactRequest> {}

/**
 * `POST /conversations`: only `custom_attributes` is read.
 *
 * @since 0.1.0
 * @category requests
 */
export const CreateConversationRequest = named("CreateConversationRequest", Schema.Struct({
  custom_attributes: optionalKey(JsonObject)
}))
/**
 * @since 0.1.0
 * @category requests
 */
export interface CreateConversationRequest extends Schema.Schema.Type<typeof CreateConversationRequest> {}

/**
 * Query of `GET /messages`: `before` pages back to the 20 messages older than that id.
 *
 * @since 0.1.0
 * @category requests
 */
export const ListMessagesParams = named("ListMessagesParams", Schema.Struct({
  before: optionalKey(numberFromString(MessageId))
}))
/**
 * @since 0.1.0
 * @category requests
 */
export interface ListMessagesParams extends Schema.Schema.Type<typeof ListMessagesParams> {}

/**
 * `POST /messages` as JSON. `echo_id` is not stored: the server echoes it on the cable `message.created` frame of
 * this message, which lets a client match its own message. Attachments are sent as multipart form data instead.
 *
 * @since 0.1.0
 * @category requests
 */
export const CreateMessageRequest = named("CreateMessageRequest", Schema.Struct({
  content: optionalKey(stringAtMost(150_000)),
  echo_id: optionalKey(EchoId)
}))
/**
 * @since 0.1.0
 * @category requests
 */
export interface CreateMessageRequest extends Schema.Schema.Type<typeof CreateMessageRequest> {}

/**
 * One answered field of a form or `input_select` message.
 *
 * @since 0.1.0
 * @category requests
 */
export const SubmittedValue = named("SubmittedValue", Schema.Struct({
  name: optionalKey(Schema.String),
  title: optionalKey(Schema.String),
  value: optionalKey(Schema.String)
}))
/**
 * @since 0.1.0
 * @category requests
 */
export interface SubmittedValue extends Schema.Schema.Type<typeof SubmittedValue> {}

/**
 * A CSAT survey answer.
 *
 * @since 0.1.0
 * @category requests
 */
export const CsatSurveyResponse = named("CsatSurveyResponse", Schema.Struct({
  csat_survey_response: Schema.Struct({
    rating: intBetween(1, 5),
    feedback_message: optionalKey(Schema.String)
  })
}))
/**
 * @since 0.1.0
 * @category requests
 */
export interface CsatSurveyResponse extends Schema.Schema.Type<typeof CsatSurveyResponse> {}

/**
 * `PATCH /messages/{id}`: answers an interactive message (array of fields) or a CSAT survey.
 *
 * @since 0.1.0
 * @category requests
 */
export const UpdateMessageRequest = named("UpdateMessageRequest", Schema.Struct({
  submitted_values: oneOf(Schema.Array(SubmittedValue), CsatSurveyResponse)
}))
/**
 * @since 0.1.0
 * @category requests
 */
export interface UpdateMessageRequest extends Schema.Schema.Type<typeof UpdateMessageRequest> {}

/**
 * `POST /toggle_typing`.
 *
 * @since 0.1.0
 * @category requests
 */
export const ToggleTypingRequest = named("ToggleTypingRequest", Schema.Struct({
  typing_status: TypingStatus
}))
/**
 * @since 0.1.0
 * @category requests
 */
export interface ToggleTypingRequest extends Schema.Schema.Type<typeof ToggleTypingRequest> {}

/**
 * `PATCH /public/api/v1/csat_survey/{conversation uuid}`: the customer's rating (1–5) and optional feedback for
 * the conversation's CSAT survey message.
 *
 * @since 0.2.0
 * @category requests
 */
export const UpdateCsatSurveyRequest = named("UpdateCsatSurveyRequest", Schema.Struct({
  message: Schema.Struct({ submitted_values: CsatSurveyResponse })
}))
/**
 * @since 0.2.0
 * @category requests
 */
export interface UpdateCsatSurveyRequest extends Schema.Schema.Type<typeof UpdateCsatSurveyRequest> {}
