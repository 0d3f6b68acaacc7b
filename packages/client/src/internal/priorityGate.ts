import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"

interface Waiter {
  readonly priority: number
  readonly turn: Deferred.Deferred<void>
}

/**
 * At most `concurrency` effects at a time; waiting ones start highest priority first (ties in arrival order).
 * No fiber of its own: a waiter is a `Deferred` in a sorted array.
 */
export class PriorityGate {
  private readonly waiting: Array<Waiter> = []
  private running = 0

  constructor(private readonly concurrency: number) {}

  /** How many effects wait for their turn. */
  get queued(): number {
    return this.waiting.length
  }

  private pump() {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      this.running += 1
      Deferred.unsafeDone(this.waiting.shift()!.turn, Effect.void)
    }
  }

  private enqueue(waiter: Waiter) {
    // Binary search for the first waiter of lower priority: equal priorities keep their arrival order.
    let low = 0
    let high = this.waiting.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (this.waiting[middle]!.priority >= waiter.priority) low = middle + 1
      else high = middle
    }
    this.waiting.splice(low, 0, waiter)
    this.pump()
  }

  /** Runs `effect` when its turn comes; interrupted while waiting, it leaves the queue. */
  run<A, E, R>(priority: number, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    return Effect.uninterruptibleMask((restore) =>
      Effect.gen(this, function*() {
        const waiter: Waiter = { priority, turn: Deferred.unsafeMake(yield* Effect.fiberId) }
        this.enqueue(waiter)
        yield* restore(Deferred.await(waiter.turn)).pipe(
          Effect.onInterrupt(() =>
            Effect.sync(() => {
              const index = this.waiting.indexOf(waiter)
              if (index >= 0) this.waiting.splice(index, 1)
              else {
                // The turn was given just as the waiter left: pass it on.
                this.running -= 1
                this.pump()
              }
            })
          )
        )
        return yield* restore(effect).pipe(
          Effect.ensuring(Effect.sync(() => {
            this.running -= 1
            this.pump()
          }))
        )
      })
    )
  }
}
