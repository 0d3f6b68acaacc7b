/**
 * A process-wide budget of Client API requests, so that many conversations recovering at once stay inside the
 * server's rate limit instead of earning a storm of 429s.
 *
 * The real server throttles per client address in fixed minutes (Rack::Attack `req/ip`, `RACK_ATTACK_LIMIT`,
 * default 3,000; the counter resets when the minute turns, and a throttled request waits for the next minute). The
 * budget remembers when each of its last N permits was given and gives another only when fewer than N were given in
 * the last 61 seconds (a second of margin for latency): never more than N in any minute the server counts, whatever
 * the alignment, and a burst of up to N at once when the minute before was quiet — a reconnect of a thousand
 * customers catches up in one go. Sends (new messages and conversations) go before reads, and reads leave the last
 * 5% of the permits to sends, so a customer's message never waits behind a recovery.
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
 * The request budget service, shared by every `ClientApi` of the process.
 *
 * @example
 * ```ts
 * import { RequestBudget } from "@bevatel/http"
 * import { Effect } from "effect"
 *
 * // Every request a ClientApi sends takes a permit like this one.
 * const permit = Effect.flatMap(RequestBudget.RequestBudget, (budget) => budget.take("read"))
 * ```
 *
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
}

/** The span the budget counts permits over: the server's minute and a second of margin for latency. */
const spanMillis = 61_000

/**
 * A budget of its own; share one service between every `ClientApi` of the process (they share the address).
 *
 * @example
 * ```ts
 * import { RequestBudget } from "@bevatel/http"
 *
 * const budget = RequestBudget.make({ requestsPerMinute: 3_000 })
 * console.log(budget.requestsPerMinute) // 3000
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (options: Options = {}): Service => {
  const requestsPerMinute = Math.max(1, Math.floor(options.requestsPerMinute ?? 3_000))
  const reserved = Math.floor(requestsPerMinute / 20)
  // When each of the last `requestsPerMinute` permits was given, oldest first (a ring).
  const given = new Float64Array(requestsPerMinute)
  let oldest = 0
  let count = 0
  let sendsWaiting = 0
  const take = (priority: Priority): Effect.Effect<void> =>
    Effect.gen(function*() {
      while (true) {
        const now = yield* Clock.currentTimeMillis
        while (count > 0 && given[oldest]! <= now - spanMillis) {
          oldest = (oldest + 1) % requestsPerMinute
          count -= 1
        }
        const limit = priority === "send" ? requestsPerMinute : requestsPerMinute - reserved
        if (count < limit && (priority === "send" || sendsWaiting === 0)) {
          given[(oldest + count) % requestsPerMinute] = now
          count += 1
          return
        }
        // The next permit frees when the oldest leaves the span; a read held back by waiting sends looks again soon.
        const wait = count === 0 ? 10 : given[oldest]! + spanMillis - now
        yield* Effect.sleep(Duration.millis(Math.max(1, Math.min(wait, priority === "read" && count < limit ? 10 : wait))))
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
 * The budget as a layer: provide it to every `ClientApi` layer of the process.
 *
 * @example
 * ```ts
 * import { ClientApi, RequestBudget } from "@bevatel/http"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 *
 * // Every request of this ClientApi takes a permit: never more than 3,000 in any minute, sends first.
 * const Api = ClientApi.layer({ baseUrl: "https://chat.example.com", inboxIdentifier: "your-inbox" }).pipe(
 *   Layer.provide(Layer.mergeAll(RequestBudget.layer({ requestsPerMinute: 3_000 }), FetchHttpClient.layer))
 * )
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<RequestBudget> => Layer.sync(RequestBudget, () => make(options))

/**
 * The budget, its options read from your `Config`.
 *
 * @example
 * ```ts
 * import { RequestBudget } from "@bevatel/http"
 * import { Config } from "effect"
 *
 * const Budget = RequestBudget.layerConfig({
 *   requestsPerMinute: Config.withDefault(Config.integer("BEVATEL_REQUESTS_PER_MINUTE"), 3_000)
 * })
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layerConfig = (config: Config.Config.Wrap<Options>): Layer.Layer<RequestBudget, ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(Config.unwrap(config), layer))
