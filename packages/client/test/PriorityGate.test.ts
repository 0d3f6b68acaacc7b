import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber } from "effect"
import { PriorityGate } from "../src/internal/priorityGate.js"

describe("PriorityGate (catch-up order)", () => {
  it.effect("runs at most `concurrency` at once, the highest priority first, ties in arrival order", () =>
    Effect.gen(function*() {
      const gate = new PriorityGate(1)
      const order: Array<string> = []
      const hold = yield* Deferred.make<void>()
      // The first takes the only slot; the others queue while it holds it.
      const first = yield* Effect.fork(gate.run(0, Effect.zipRight(Deferred.await(hold), Effect.sync(() => order.push("first")))))
      yield* Effect.yieldNow()
      const queued = yield* Effect.forEach(
        [["old", 10], ["recent", 30], ["older", 5], ["recent too", 30]] as const,
        ([name, priority]) => Effect.fork(gate.run(priority, Effect.sync(() => order.push(name)))),
        { discard: false }
      )
      yield* Effect.yieldNow()
      assert.strictEqual(gate.queued, 4)
      yield* Deferred.succeed(hold, undefined)
      yield* Fiber.join(first)
      yield* Fiber.joinAll(queued)
      assert.deepStrictEqual(order, ["first", "recent", "recent too", "old", "older"])
    }))

  it.effect("a waiter interrupted before its turn leaves the queue and the slot passes on", () =>
    Effect.gen(function*() {
      const gate = new PriorityGate(1)
      const hold = yield* Deferred.make<void>()
      const first = yield* Effect.fork(gate.run(0, Deferred.await(hold)))
      yield* Effect.yieldNow()
      const leaving = yield* Effect.fork(gate.run(50, Effect.void))
      const staying = yield* Effect.fork(gate.run(1, Effect.succeed("ran")))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(leaving)
      assert.strictEqual(gate.queued, 1)
      yield* Deferred.succeed(hold, undefined)
      yield* Fiber.join(first)
      assert.strictEqual(yield* Fiber.join(staying), "ran")
      assert.strictEqual(gate.queued, 0)
    }))
})
