import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"

/**
 * Warnings that stay readable under storms: the first warning of a kind is logged, the next ones of that kind are
 * counted, and the count is reported with the first warning of the kind after `interval` has passed — at most one
 * line per kind and interval, however many requests fail.
 *
 * @internal
 */
export const makeAggregatedWarnings = (interval: Duration.DurationInput) => {
  const millis = Duration.toMillis(interval)
  const windows = new Map<string, { start: number; suppressed: number }>()
  return (kind: string, message: string): Effect.Effect<void> =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const window = windows.get(kind)
      if (window !== undefined && now - window.start < millis) {
        window.suppressed += 1
        return Effect.void
      }
      windows.set(kind, { start: now, suppressed: 0 })
      const suppressed = window?.suppressed ?? 0
      return Effect.logWarning(
        suppressed === 0
          ? message
          : `${message} (${suppressed} more like it in the last ${Duration.format(Duration.millis(now - window!.start))})`
      )
    })
}
