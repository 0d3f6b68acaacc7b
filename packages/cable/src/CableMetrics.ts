/**
 * The cable's metrics, through Effect's `Metric` (export them with any Effect metrics exporter).
 *
 * @since 0.1.0
 */
import * as Metric from "effect/Metric"

/**
 * Connection attempts after the first.
 *
 * @since 0.1.0
 * @category metrics
 */
export const reconnects = Metric.counter("bevatel_cable_reconnects_total", {
  description: "Cable reconnection attempts",
  incremental: true
})

/**
 * Events delivered, tagged with `event` (the event name).
 *
 * @since 0.1.0
 * @category metrics
 */
export const events = Metric.counter("bevatel_cable_events_total", {
  description: "Cable events received, by event name",
  incremental: true
})

/**
 * Events of a known name whose data did not decode, tagged with `event`. They are still delivered, as
 * `CableEvent.Undecodable`; a rising count means the server changed a field the SDK relies on.
 *
 * @since 0.2.0
 * @category metrics
 */
export const undecodableEvents = Metric.counter("bevatel_cable_undecodable_events_total", {
  description: "Cable events of a known name whose data did not decode, by event name",
  incremental: true
})

/**
 * Frames that were not JSON, not an ActionCable frame, or a broadcast without an `{event, data}` message.
 *
 * @since 0.1.0
 * @category metrics
 */
export const malformedFrames = Metric.counter("bevatel_cable_malformed_frames_total", {
  description: "Cable frames that could not be decoded",
  incremental: true
})

/**
 * Connections considered stale (no frame for longer than the threshold) and replaced.
 *
 * @since 0.1.0
 * @category metrics
 */
export const staleConnections = Metric.counter("bevatel_cable_stale_connections_total", {
  description: "Cable connections replaced because they went silent",
  incremental: true
})
