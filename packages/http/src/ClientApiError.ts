/**
 * The errors of the Client API, one class per thing a caller can act on.
 *
 * Every error names the `operation` (e.g. `"messages.create"`) and the `route` template it called (e.g.
 * `POST /public/api/v1/inboxes/:inbox_identifier/contacts/:source_id/conversations`). Routes are templates on
 * purpose: the inbox identifier and the source id grant access and never appear in an error, a span or a log.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Schema from "effect/Schema"

const context = {
  /** The operation, e.g. `"messages.create"`. */
  operation: Schema.String,
  /** The HTTP method and route template, never the concrete path. */
  route: Schema.String
}

/**
 * A resource the request addressed does not exist (404). The server's 404 body does not say which, so
 * `resource` is the most specific one addressed; any of its parents may be the missing one.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>("@bevatel/http/ClientApiError/NotFound")("NotFound", {
  ...context,
  resource: Schema.Literal("inbox", "contact", "conversation", "message", "csat_survey")
}) {
  /**
   * @since 0.1.0
   */
  override get message() {
    if (this.resource === "csat_survey") {
      return `${this.operation}: no CSAT survey for that conversation (404 from ${this.route}). The server posts one ` +
        `only when a conversation of an inbox with CSAT enabled is resolved; check the conversation's uuid.`
    }
    const parents = { inbox: "", contact: "inbox or ", conversation: "inbox, contact or ", message: "inbox, contact, conversation or " }
    return `${this.operation}: the ${parents[this.resource]}${this.resource} does not exist (404 from ${this.route}). ` +
      `Check the inbox identifier, or create the contact again if the server forgot it.`
  }
}

/**
 * The server refused the customer's identity: the `identifier_hash` does not match the identifier, or the inbox
 * enforces identity validation and none was sent. The real server answers this with a bare 500.
 *
 * @since 0.1.0
 * @category errors
 */
export class IdentityRejected extends Schema.TaggedError<IdentityRejected>("@bevatel/http/ClientApiError/IdentityRejected")(
  "IdentityRejected",
  context
) {
  /**
   * @since 0.1.0
   */
  override get message() {
    return `${this.operation}: the server rejected the customer's identity (500 from ${this.route}). ` +
      `Sign the identifier with the inbox's HMAC token on your server and send it as identifier_hash.`
  }
}

/**
 * The server refused the request's content (422): `description` is the server's message, `attributes` the fields.
 *
 * @since 0.1.0
 * @category errors
 */
export class ValidationFailed extends Schema.TaggedError<ValidationFailed>("@bevatel/http/ClientApiError/ValidationFailed")(
  "ValidationFailed",
  {
    ...context,
    description: Schema.String,
    attributes: Schema.Array(Schema.String)
  }
) {
  /**
   * @since 0.1.0
   */
  override get message() {
    const fields = this.attributes.length > 0 ? ` [${this.attributes.join(", ")}]` : ""
    return `${this.operation}: the server refused the request: ${this.description}${fields}`
  }
}

/**
 * Too many requests (429); `retryAfter` is the server's `Retry-After` when it sent one.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimited extends Schema.TaggedError<RateLimited>("@bevatel/http/ClientApiError/RateLimited")("RateLimited", {
  ...context,
  retryAfter: Schema.optional(Schema.DurationFromMillis)
}) {
  /**
   * @since 0.1.0
   */
  override get message() {
    return `${this.operation}: rate limited by the server (429 from ${this.route})` +
      (this.retryAfter
        ? `; retry after ${Math.ceil(Duration.toSeconds(this.retryAfter))} s`
        : `: the server allows a number of requests a minute per client address (Rack::Attack, RACK_ATTACK_LIMIT, ` +
          `3,000 by default); give every ClientApi of the process one RequestBudget (RequestBudget.layer) at or ` +
          `below that limit`)
  }
}

/**
 * The server failed (5xx other than an identity rejection); `retryAfter` when a 503 carried `Retry-After`.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerError extends Schema.TaggedError<ServerError>("@bevatel/http/ClientApiError/ServerError")("ServerError", {
  ...context,
  status: Schema.Int,
  retryAfter: Schema.optional(Schema.DurationFromMillis)
}) {
  /**
   * @since 0.1.0
   */
  override get message() {
    return `${this.operation}: the server failed with ${this.status} (${this.route})`
  }
}

/**
 * The request did not complete at the transport level (connection refused or reset, DNS, TLS …).
 * `sent` says whether the request may have reached the server.
 *
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>("@bevatel/http/ClientApiError/TransportError")(
  "TransportError",
  {
    ...context,
    sent: Schema.Boolean,
    description: Schema.String,
    cause: Schema.optional(Schema.Defect)
  }
) {
  /**
   * @since 0.1.0
   */
  override get message() {
    return `${this.operation}: ${this.description} (${this.route})` +
      (this.sent ? "" : "; the request never reached the server")
  }
}

/**
 * No answer within the request timeout.
 *
 * @since 0.1.0
 * @category errors
 */
export class RequestTimeout extends Schema.TaggedError<RequestTimeout>("@bevatel/http/ClientApiError/RequestTimeout")(
  "RequestTimeout",
  { ...context, timeout: Schema.DurationFromMillis }
) {
  /**
   * @since 0.1.0
   */
  override get message() {
    return `${this.operation}: no answer within ${Math.round(Duration.toMillis(this.timeout))} ms (${this.route})`
  }
}

/**
 * An answer this SDK did not expect: another status, or a body that does not decode. `body` is a short excerpt.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnexpectedResponse extends Schema.TaggedError<UnexpectedResponse>(
  "@bevatel/http/ClientApiError/UnexpectedResponse"
)("UnexpectedResponse", {
  ...context,
  status: Schema.Int,
  body: Schema.String,
  description: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message() {
    return `${this.operation}: unexpected ${this.status} answer from ${this.route}: ${this.description}` +
      (this.body ? ` — body: ${this.body}` : "")
  }
}

/**
 * An argument was invalid (an empty identifier, say); no request was sent.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidArgument extends Schema.TaggedError<InvalidArgument>("@bevatel/http/ClientApiError/InvalidArgument")(
  "InvalidArgument",
  { operation: Schema.String, argument: Schema.String, description: Schema.String }
) {
  /**
   * @since 0.1.0
   */
  override get message() {
    return `${this.operation}: invalid ${this.argument}: ${this.description}; no request was sent`
  }
}

/**
 * Any Client API error.
 *
 * @since 0.1.0
 * @category errors
 */
export const ClientApiError = Schema.Union(
  NotFound,
  IdentityRejected,
  ValidationFailed,
  RateLimited,
  ServerError,
  TransportError,
  RequestTimeout,
  UnexpectedResponse,
  InvalidArgument
)

/**
 * @since 0.1.0
 * @category errors
 */
export type ClientApiError = typeof ClientApiError.Type

/**
 * @since 0.1.0
 * @category guards
 */
export const isClientApiError: (u: unknown) => u is ClientApiError = Schema.is(ClientApiError)
