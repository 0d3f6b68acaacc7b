/**
 * The Client API's metrics, through Effect's `Metric` (export them with any Effect metrics exporter, e.g.
 * `@effect/opentelemetry`): the requests a process spends, and the 429s it earns.
 *
 * @since 0.2.0
 */
import * as Metric from "effect/Metric"

/**
 * Requests sent (every attempt, retries included), tagged with `operation` (e.g. `conversations.list`).
 *
 * @since 0.2.0
 * @category metrics
 */
export const requests = Metric.counter("bevatel_http_requests_total", {
  description: "Client API requests sent, retries included, by operation",
  incremental: true
})

/**
 * Answers `429 Too Many Requests`, tagged with `operation`: with a `RequestBudget` at or below the server's limit,
 * this stays at zero.
 *
 * @since 0.2.0
 * @category metrics
 */
export const rateLimited = Metric.counter("bevatel_http_rate_limited_total", {
  description: "Client API answers 429 (rate limited), by operation",
  incremental: true
})
