/**
 * The metrics of the many-customers service, through Effect's `Metric` (export them with any Effect metrics
 * exporter, e.g. `@effect/opentelemetry`). With the cable's (`CableMetrics`) and the HTTP client's
 * (`ClientApiMetrics`), they tell events per second, delivery lag, reconnects, catch-ups and requests spent.
 *
 * @since 0.2.0
 */
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"

/**
 * Customers followed now.
 *
 * @since 0.2.0
 * @category metrics
 */
export const customers = Metric.gauge("bevatel_customers_followed", {
  description: "Customers followed by the Customers service"
})

/**
 * Conversation events handed to the merged stream.
 *
 * @since 0.2.0
 * @category metrics
 */
export const events = Metric.counter("bevatel_customers_events_total", {
  description: "Conversation events emitted by the Customers service",
  incremental: true
})

/**
 * Catch-ups: one conversations-list request for a customer, at its first load, after a reconnect, or after a gap.
 *
 * @since 0.2.0
 * @category metrics
 */
export const catchUps = Metric.counter("bevatel_customers_catch_ups_total", {
  description: "Customer catch-ups (one request each)",
  incremental: true
})

/**
 * Messages recovered over HTTP that the socket had missed.
 *
 * @since 0.2.0
 * @category metrics
 */
export const backfilledMessages = Metric.counter("bevatel_customers_backfilled_messages_total", {
  description: "Messages recovered over HTTP after a reconnect or a gap",
  incremental: true
})

/**
 * Seconds from a live message's `created_at` on the server to its delivery to the merged stream.
 *
 * @since 0.2.0
 * @category metrics
 */
export const lag = Metric.histogram(
  "bevatel_customers_delivery_lag_seconds",
  MetricBoundaries.exponential({ start: 0.01, factor: 2, count: 14 }),
  "Seconds from a live message's created_at to its delivery"
)
