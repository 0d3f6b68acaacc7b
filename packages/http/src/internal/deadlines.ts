import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"

/**
 * The per-request timeout of one `ClientApi`: every request runs in a child fiber, and one watcher fiber, on the
 * caller's `Clock`, interrupts those whose deadline passed.
 *
 * `Effect.timeoutFail` races a sleeping fiber against each request and interrupts the loser: 0.6 M of the 6.3 M
 * instructions a `messages.list` cost on loopback (callgrind). Here a request costs a child fiber and a `Set` entry;
 * the watcher wakes about once per timeout while requests keep coming, and is stopped when the last one settles, so
 * that no timer outlives the requests (a program ends when its work does).
 *
 * @internal
 */
export interface Deadlines {
  /** Runs `effect` with the deadline; when it passes first, the effect is interrupted and fails with `onTimeout()`. */
  readonly within: <E2>(onTimeout: () => E2) => <A, E>(effect: Effect.Effect<A, E>) => Effect.Effect<A, E | E2>
}

interface Pending {
  readonly deadline: number
  readonly fiber: Fiber.RuntimeFiber<unknown, unknown>
  timedOut: boolean
}

/** @internal */
export const make = (timeout: Duration.Duration): Deadlines => {
  const millis = Duration.toMillis(timeout)
  // In start order, which is deadline order: every request has the same timeout.
  const pending = new Set<Pending>()
  let watcher: Fiber.RuntimeFiber<void> | undefined
  let watching = false
  // Tells a watcher that was told to stop (or replaced) from the current one.
  let generation = 0

  /** Tells a fiber to stop, without waiting for it. */
  const stop = (fiber: Fiber.RuntimeFiber<unknown, unknown>) => Effect.fiberIdWith((id) => fiber.interruptAsFork(id))

  const watch = (own: number): Effect.Effect<void> =>
    Effect.suspend(() => {
      if (own !== generation) return Effect.void
      const first = pending.values().next()
      if (first.done === true) {
        watching = false
        watcher = undefined
        return Effect.void
      }
      const next = first.value
      return Effect.flatMap(Clock.currentTimeMillis, (now) => {
        if (now < next.deadline) return Effect.zipRight(Clock.sleep(Duration.millis(next.deadline - now)), watch(own))
        pending.delete(next)
        next.timedOut = true
        return Effect.zipRight(stop(next.fiber), watch(own))
      })
    })

  const ensureWatcher = Effect.suspend(() => {
    if (watching) return Effect.void
    watching = true
    const own = ++generation
    // Started from a request's uninterruptible region: the watcher itself must stay interruptible.
    return Effect.flatMap(Effect.forkDaemon(Effect.interruptible(watch(own))), (fiber) => {
      if (own !== generation) return stop(fiber)
      if (watching) watcher = fiber
      return Effect.void
    })
  })

  const settle = (entry: Pending) =>
    Effect.suspend(() => {
      pending.delete(entry)
      if (pending.size > 0 || !watching) return Effect.void
      // The last request settled: no timer may outlive it.
      watching = false
      generation++
      const stopping = watcher
      watcher = undefined
      return stopping === undefined ? Effect.void : stop(stopping)
    })

  return {
    within: <E2>(onTimeout: () => E2) => <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E | E2> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Effect.flatMap(Effect.fork(restore(effect)), (fiber) => {
            const entry: Pending = { deadline: now + millis, fiber, timedOut: false }
            pending.add(entry)
            return ensureWatcher.pipe(
              Effect.zipRight(restore(fiber.await).pipe(Effect.onInterrupt(() => stop(fiber)))),
              Effect.ensuring(settle(entry)),
              Effect.flatMap((exit): Effect.Effect<A, E | E2> =>
                entry.timedOut && Exit.isInterrupted(exit) ? Effect.fail(onTimeout()) : exit
              )
            )
          })
        )
      )
  }
}
