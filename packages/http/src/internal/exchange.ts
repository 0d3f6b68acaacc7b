import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Duration from "effect/Duration"
import * as Metric from "effect/Metric"
import type * as Tracer from "effect/Tracer"
import * as ClientApiError from "../ClientApiError.js"
import * as ClientApiMetrics from "../ClientApiMetrics.js"
import type * as RetryPolicy from "../RetryPolicy.js"

/** What one call is, for its errors, spans, logs and metrics; built once per operation. @internal */
export interface Call {
  readonly operation: string
  /** e.g. `GET /public/api/v1/inboxes/:inbox_identifier/contacts/:source_id` */
  readonly route: string
  readonly resource: "inbox" | "contact" | "conversation" | "message" | "csat_survey"
  readonly idempotency: RetryPolicy.Idempotency
  /** Contacts endpoints answer a failed identity check with a bare 500. */
  readonly checksIdentity: boolean
  readonly spanName: string
  readonly spanOptions: Tracer.SpanOptions
  /** {@link ClientApiMetrics.requests} and {@link ClientApiMetrics.rateLimited}, tagged with the operation. */
  readonly requests: Metric.Metric.Counter<number>
  readonly rateLimited: Metric.Metric.Counter<number>
}

/** A call, with what every request of it shares. @internal */
export const makeCall = (options: {
  readonly operation: string
  readonly method: "GET" | "POST" | "PATCH"
  readonly path: string
  readonly resource: Call["resource"]
  readonly idempotency: RetryPolicy.Idempotency
  readonly checksIdentity: boolean
}): Call => ({
  operation: options.operation,
  route: `${options.method} ${options.path}`,
  resource: options.resource,
  idempotency: options.idempotency,
  checksIdentity: options.checksIdentity,
  spanName: `ClientApi.${options.operation}`,
  // The span's place is this module, the same for every call: no stack is captured for it.
  spanOptions: {
    kind: "client",
    captureStackTrace: false,
    attributes: { "http.request.method": options.method, "http.route": options.path }
  },
  requests: Metric.tagged(ClientApiMetrics.requests, "operation", options.operation),
  rateLimited: Metric.tagged(ClientApiMetrics.rateLimited, "operation", options.operation)
})

const secretKeys = /"(pubsub_token|hmac_token|identifier_hash)"\s*:\s*"[^"]*"/g

/** A short excerpt of a body with access tokens removed. @internal */
export const excerpt = (body: string): string => {
  const redacted = body.replace(secretKeys, "\"$1\":\"<redacted>\"")
  return redacted.length > 200 ? `${redacted.slice(0, 200)}…` : redacted
}

/** `Retry-After` as seconds or an HTTP date. @internal */
export const parseRetryAfter = (header: string | undefined, now: number): Duration.Duration | undefined => {
  if (header === undefined || header.trim() === "") return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Duration.seconds(Math.max(0, seconds))
  const date = Date.parse(header)
  return Number.isFinite(date) ? Duration.millis(Math.max(0, date - now)) : undefined
}

const notSentCodes = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "EADDRNOTAVAIL"]

/** Whether a transport failure happened before the request could reach the server (connection refused, DNS). */
const neverSent = (cause: unknown, depth = 0): boolean => {
  if (depth > 5 || typeof cause !== "object" || cause === null) return false
  const error = cause as { code?: unknown; cause?: unknown; errors?: ReadonlyArray<unknown> }
  if (typeof error.code === "string" && notSentCodes.includes(error.code)) return true
  if (Array.isArray(error.errors) && error.errors.length > 0 && error.errors.every((e) => neverSent(e, depth + 1))) {
    return true
  }
  return neverSent(error.cause, depth + 1)
}

const describeCause = (cause: unknown): string => {
  const codes: Array<string> = []
  let current: unknown = cause
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const error = current as { code?: unknown; message?: unknown; cause?: unknown }
    if (typeof error.code === "string") codes.push(error.code)
    else if (typeof error.message === "string" && error.message !== "") codes.push(error.message)
    current = error.cause
  }
  return codes.length > 0 ? codes.join(": ") : "transport failure"
}

/** Maps a platform request error once, for every call. @internal */
export const fromRequestError = (call: Call, error: HttpClientError.RequestError): ClientApiError.ClientApiError =>
  error.reason === "Transport"
    ? new ClientApiError.TransportError({
      operation: call.operation,
      route: call.route,
      sent: !neverSent(error.cause),
      description: `request failed: ${describeCause(error.cause)}`,
      cause: error.cause
    })
    : new ClientApiError.InvalidArgument({
      operation: call.operation,
      argument: error.reason === "InvalidUrl" ? "base URL" : "request body",
      description: error.description ?? error.reason
    })

/** Maps a non-2xx answer once, for every call. @internal */
export const fromStatus = (
  call: Call,
  response: HttpClientResponse.HttpClientResponse,
  body: string,
  now: number
): ClientApiError.ClientApiError => {
  const context = { operation: call.operation, route: call.route }
  const status = response.status
  const retryAfter = parseRetryAfter(response.headers["retry-after"], now)
  if (status === 404) return new ClientApiError.NotFound({ ...context, resource: call.resource })
  if (status === 429) return new ClientApiError.RateLimited({ ...context, ...(retryAfter ? { retryAfter } : {}) })
  if (status === 422) {
    const parsed = parseJson(body)
    if (typeof parsed?.message === "string") {
      return new ClientApiError.ValidationFailed({
        ...context,
        description: parsed.message,
        attributes: Array.isArray(parsed.attributes) ? parsed.attributes.map(String) : []
      })
    }
    if (typeof parsed?.error === "string") {
      return new ClientApiError.ValidationFailed({ ...context, description: parsed.error, attributes: [] })
    }
  }
  if (status === 500 && call.checksIdentity) return new ClientApiError.IdentityRejected(context)
  if (status >= 500) return new ClientApiError.ServerError({ ...context, status, ...(retryAfter ? { retryAfter } : {}) })
  return new ClientApiError.UnexpectedResponse({
    ...context,
    status,
    body: excerpt(body),
    description: `status ${status}`
  })
}

const parseJson = (body: string): Record<string, unknown> | undefined => {
  try {
    const value = JSON.parse(body) as unknown
    return typeof value === "object" && value !== null ? value as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}
