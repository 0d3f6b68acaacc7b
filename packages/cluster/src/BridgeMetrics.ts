/**
 * The metrics of a clustered bridge's runners (with `@bevatel/client`'s `CustomersMetrics` and `@bevatel/http`'s
 * `ClientApiMetrics` for what happens below them).
 *
 * @since 0.1.0
 */
import * as Metric from "effect/Metric"

/**
 * Deliveries handed to the sink by this runner, by event name.
 *
 * @since 0.1.0
 * @category metrics
 */
export const delivered = Metric.counter("bevatel_cluster_delivered_total", {
  description: "Events the sink took from this runner",
  incremental: true
})

/**
 * Attempts the sink refused (each is retried).
 *
 * @since 0.1.0
 * @category metrics
 */
export const sinkFailures = Metric.counter("bevatel_cluster_sink_failures_total", {
  description: "Deliveries the sink refused or did not answer; each is retried",
  incremental: true
})
