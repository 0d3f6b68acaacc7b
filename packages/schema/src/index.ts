/**
 * @since 0.1.0
 */
export * as Attachment from "./Attachment.js"
/**
 * @since 0.1.0
 */
export * as CableEvent from "./CableEvent.js"
/**
 * @since 0.1.0
 */
export * as CableFrame from "./CableFrame.js"
/**
 * @since 0.1.0
 */
export * as Contact from "./Contact.js"
/**
 * @since 0.1.0
 */
export * as Conversation from "./Conversation.js"
/**
 * @since 0.2.0
 */
export * as Credentials from "./Credentials.js"
/**
 * @since 0.2.0
 */
export * as CsatSurvey from "./CsatSurvey.js"
/**
 * @since 0.2.0
 */
export * as DecodeIssues from "./DecodeIssues.js"
/**
 * @since 0.2.0
 */
export * as Decoder from "./Decoder.js"
/**
 * @since 0.2.0
 */
export * as Encoder from "./Encoder.js"
/**
 * @since 0.1.0
 */
export * as Enums from "./Enums.js"
/**
 * @since 0.1.0
 */
export * as ErrorBody from "./ErrorBody.js"
/**
 * @since 0.1.0
 */
export * as Identifiers from "./Identifiers.js"
/**
 * @since 0.1.0
 */
export * as Inbox from "./Inbox.js"
/**
 * @since 0.1.0
 */
export * as Json from "./Json.js"
/**
 * @since 0.1.0
 */
export * as Message from "./Message.js"
/**
 * @since 0.1.0
 */
export * as Requests from "./Requests.js"
/**
 * @since 0.1.0
 */
export * as Sender from "./Sender.js"
/**
 * @since 0.1.0
 */
export * as Timestamp from "./Timestamp.js"
