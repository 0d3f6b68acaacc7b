/**
 * The reconnect backoff.
 *
 * @since 0.1.0
 */
import * as Schedule from "effect/Schedule"

/**
 * The default: jittered exponential from 100 ms (×2, ±20 %), each delay capped at 10 s, forever. The cable
 * restarts it from the beginning once a connection has been confirmed and stayed up for `stableAfter`.
 *
 * @since 0.1.0
 * @category schedules
 */
export const defaultSchedule: Schedule.Schedule<unknown, unknown> = Schedule.exponential("100 millis", 2).pipe(
  Schedule.jittered,
  Schedule.union(Schedule.spaced("10 seconds"))
)
