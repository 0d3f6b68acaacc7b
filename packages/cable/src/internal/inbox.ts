import * as Effect from "effect/Effect"

/**
 * A connection's inbox: items offered synchronously from the socket's callback, taken all at once by one fiber.
 *
 * An array handed over whole, not an Effect `Queue`: a queue's linked list keeps each taken node pointing at the next,
 * so once one node reaches the old generation every later item stays reachable until a full collection — under a
 * burst of events that promoted every decoded event, and garbage collection took most of the CPU.
 *
 * @internal
 */
export interface Inbox<A> {
  /** Adds an item; wakes the taker if it waits. Synchronous, for the socket's callback. */
  readonly offer: (item: A) => void
  /** Everything offered since the last take, in order; waits while there is nothing. */
  readonly takeAll: Effect.Effect<Array<A>>
}

/** @internal */
export const make = <A>(): Inbox<A> => {
  let items: Array<A> = []
  let wake: ((taken: Effect.Effect<Array<A>>) => void) | undefined
  const take = Effect.sync(() => {
    const taken = items
    items = []
    return taken
  })
  return {
    offer: (item) => {
      items.push(item)
      if (wake !== undefined) {
        const resume = wake
        wake = undefined
        resume(take)
      }
    },
    takeAll: Effect.suspend(() =>
      items.length > 0 ? take : Effect.async<Array<A>>((resume) => {
        wake = resume
        return Effect.sync(() => {
          wake = undefined
        })
      })
    )
  }
}
