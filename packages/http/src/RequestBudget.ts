/**
 * A process-wide budget of Client API requests, so that many conversations recovering at once stay inside the
 * server's rate limit instead of earning a storm of 429s.
 *
 * The real server throttles per client address in fixed minutes (Rack::Attack `req/ip`, `RACK_ATTACK_LIMIT`,
 * default 3,000; the counter resets when the minute turns, and a throttled request waits for the next minute). A
 * token bucket of N can spend 2N inside one such minute; windows of `w` seconds holding `N·w/(60+w)` permits never
 * exceed N in any 60-second span, whatever the alignment — that is what this budget hands out (1-second windows:
 * about 0.98 N a minute). Sends (new messages and conversations) go before reads.
 *
 * @since 0.2.0
 */
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/**
 * `send`: a request that creates something the customer is waiting for (a message, a conversation); served first.
 * `read`: everything else (history, backfills, status).
 *
 * @since 0.2.0
 * @category models
 */
export type Priority = "send" | "read"

/**
 * @since 0.2.0
 * @category models
 */
export interface Service {
  /** The requests a minute the budget never exceeds in any 60-second span. */
  readonly requestsPerMinute: number
  /** Waits for a permit for one request (an attempt: retries take permits too). */
  readonly take: (priority: Priority) => Effect.Effect<void>
}

/**
 * @since 0.2.0
 * @category tags
 */
export class RequestBudget extends Context.Tag("@bevatel/http/RequestBudget")<RequestBudget, Service>() {}

/**
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /** Default 3,000: the real server's `RACK_ATTACK_LIMIT` default. */
  readonly requestsPerMinute?: number | undefined
  /** The width of a window. Default 1 second. */
  readonly window?: Duration.DurationInput | undefined
}

/**
 * A budget of its own; share one service between every `ClientApi` of the process (they share the address).
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (options: Options = {}): Service => {
  const requestsPerMinute = options.requestsPerMinute ?? 3_000
  const windowMillis = Duration.toMillis(options.window ?? Duration.seconds(1))
  const permits = Math.max(1, Math.floor((requestsPerMinute * windowMillis) / (60_000 + windowMillis)))
  let window = -1
  let used = 0
  let sendsWaiting = 0
  const take = (priority: Priority): Effect.Effect<void> =>
    Effect.gen(function*() {
      while (true) {
        const now = yield* Clock.currentTimeMillis
        const current = Math.floor(now / windowMillis)
        if (current !== window) {
          window = current
          used = 0
        }
        // Reads leave the window's permits to sends that wait.
        if (used < permits && (priority === "send" || sendsWaiting === 0)) {
          used += 1
          return
        }
        yield* Effect.sleep(Duration.millis((current + 1) * windowMillis - now))
      }
    })
  return {
    requestsPerMinute,
    take: (priority) =>
      priority === "read" ? take("read") : Effect.acquireUseRelease(
        Effect.sync(() => (sendsWaiting += 1)),
        () => take("send"),
        () => Effect.sync(() => (sendsWaiting -= 1))
      )
  }
}

/**
 * @since 0.2.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<RequestBudget> => Layer.sync(RequestBudget, () => make(options))

/**
 * The budget from `BEVATEL_REQUESTS_PER_MINUTE` (default 3,000).
 *
 * @since 0.2.0
 * @category layers
 */
export const layerConfig: Layer.Layer<RequestBudget, ConfigError.ConfigError> = Layer.unwrapEffect(
  Effect.map(
    Config.withDefault(Config.integer("BEVATEL_REQUESTS_PER_MINUTE"), 3_000),
    (requestsPerMinute) => layer({ requestsPerMinute })
  )
)
