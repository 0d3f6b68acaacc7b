/**
 * When and how the Client API retries, by default and by your choice.
 *
 * A request is retried only when a retry cannot duplicate its effect: idempotent requests (reads, updates of
 * absolute state, resolve, typing, last seen, and contact creation — which always carries a `source_id`) on
 * transport errors, timeouts, 429 and 502/503/504; other requests (new conversations, new messages) only when
 * the server cannot have processed them: connection refused before sending, 429 (rate limiting answers before
 * the application runs) and 503. A 429 without `Retry-After` — the real server's throttle — waits for the minute
 * to turn before its retry.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import type * as ClientApiError from "./ClientApiError.js"

/**
 * Whether repeating a request can change the outcome.
 *
 * @since 0.1.0
 * @category models
 */
export type Idempotency = "idempotent" | "unsafe"

/**
 * Whether an error may be retried for a request of this idempotency.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isRetryable = (error: ClientApiError.ClientApiError, idempotency: Idempotency): boolean => {
  const idempotent = idempotency === "idempotent"
  switch (error._tag) {
    case "RateLimited":
      return true
    case "ServerError":
      return idempotent ? error.status === 502 || error.status === 503 || error.status === 504 : error.status === 503
    case "TransportError":
      return idempotent || !error.sent
    case "RequestTimeout":
      return idempotent
    default:
      return false
  }
}

/**
 * The default backoff: jittered exponential from 200 ms, each delay capped at 5 s, at most 4 retries.
 *
 * @since 0.1.0
 * @category schedules
 */
export const defaultSchedule: Schedule.Schedule<unknown, unknown> = Schedule.exponential("200 millis", 2).pipe(
  Schedule.jittered,
  Schedule.union(Schedule.spaced("5 seconds")),
  Schedule.intersect(Schedule.recurs(4))
)

/**
 * The longest `Retry-After` honoured by waiting; a longer one ends the retries and surfaces the error (with its
 * `retryAfter`) to the caller.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxRetryAfter: Duration.Duration = Duration.seconds(30)

/**
 * How long a 429 without `Retry-After` waits: until the server's fixed minute turns (Rack::Attack counts requests
 * per `floor(now / 60 s)`), plus up to `spread` at random so that many waiting requests do not return at once.
 *
 * @since 0.2.0
 * @category schedules
 */
export const untilMinuteTurns = (now: number, spread: Duration.DurationInput = Duration.seconds(5)): Effect.Effect<Duration.Duration> =>
  Effect.map(
    Random.nextIntBetween(0, Math.max(1, Duration.toMillis(spread))),
    (jitter) => Duration.millis(60_000 - (now % 60_000) + jitter)
  )

/**
 * Applies a backoff schedule to Client API errors: a `Retry-After` longer than the scheduled delay replaces it,
 * and one longer than `maxRetryAfter` stops retrying. A 429 without `Retry-After` (what the real server's throttle
 * answers) waits until the minute turns: see {@link untilMinuteTurns}.
 *
 * @since 0.1.0
 * @category schedules
 */
export const honouringRetryAfter = (
  schedule: Schedule.Schedule<unknown, unknown>,
  maxRetryAfter: Duration.DurationInput = defaultMaxRetryAfter
): Schedule.Schedule<unknown, ClientApiError.ClientApiError> =>
  Schedule.intersect(schedule, Schedule.identity<ClientApiError.ClientApiError>()).pipe(
    Schedule.whileInput((error: ClientApiError.ClientApiError) => {
      const retryAfter = retryAfterOf(error)
      return retryAfter === undefined || Duration.lessThanOrEqualTo(retryAfter, maxRetryAfter)
    }),
    Schedule.modifyDelayEffect(([, error], delay) => {
      const retryAfter = retryAfterOf(error)
      if (retryAfter !== undefined) return Effect.succeed(Duration.greaterThan(retryAfter, delay) ? retryAfter : delay)
      if (error._tag !== "RateLimited") return Effect.succeed(delay)
      return Effect.map(
        Effect.flatMap(Clock.currentTimeMillis, (now) => untilMinuteTurns(now)),
        (wait) => Duration.max(wait, delay)
      )
    })
  )

const retryAfterOf = (error: ClientApiError.ClientApiError): Duration.Duration | undefined =>
  error._tag === "RateLimited" || error._tag === "ServerError" ? error.retryAfter : undefined
