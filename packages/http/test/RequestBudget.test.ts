import { RequestBudget } from "@bevatel/http"
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Fiber, TestClock } from "effect"

describe("RequestBudget", () => {
  it.effect("never exceeds N requests in any 60-second span, whatever the demand", () =>
    Effect.gen(function*() {
      const budget = RequestBudget.make({ requestsPerMinute: 120 })
      const times: Array<number> = []
      // 20 workers of 15 requests each: always more demand than the budget allows.
      const request = Effect.zipRight(budget.take("read"), Effect.flatMap(Clock.currentTimeMillis, (t) => Effect.sync(() => times.push(t))))
      const fiber = yield* Effect.fork(Effect.forEach(
        Array.from({ length: 20 }),
        () => Effect.repeatN(request, 14),
        { concurrency: "unbounded" }
      ))
      for (let step = 0; step < 40; step++) yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      assert.strictEqual(times.length, 300)
      times.sort((a, b) => a - b)
      let busiest = 0
      for (let start = 0; start < times.length; start++) {
        let end = start
        while (end < times.length && times[end]! < times[start]! + 60_000) end++
        busiest = Math.max(busiest, end - start)
      }
      assert.isAtMost(busiest, 120)
      // A quiet minute before: the reads (95% of the budget) go at once.
      assert.strictEqual(times.filter((t) => t === times[0]).length, 114)
    }))

  it.effect("serves waiting sends before waiting reads, and keeps 5% of the permits for sends", () =>
    Effect.gen(function*() {
      const budget = RequestBudget.make({ requestsPerMinute: 20 })
      const order: Array<string> = []
      const take = (priority: RequestBudget.Priority, name: string) =>
        Effect.zipRight(budget.take(priority), Effect.sync(() => order.push(name)))
      for (let i = 0; i < 19; i++) yield* take("read", "first")
      // The 20th permit is a send's: reads wait for the minute to pass.
      const reads = yield* Effect.fork(Effect.forEach(Array.from({ length: 15 }), () => take("read", "read"), { concurrency: "unbounded" }))
      yield* Effect.yieldNow()
      assert.strictEqual(order.length, 19)
      const sends = yield* Effect.fork(Effect.forEach(Array.from({ length: 5 }), () => take("send", "send"), { concurrency: "unbounded" }))
      for (let i = 0; i < 5; i++) yield* Effect.yieldNow()
      assert.deepStrictEqual(order.slice(19), ["send"])
      for (let step = 0; step < 7; step++) yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(sends)
      yield* Fiber.join(reads)
      assert.deepStrictEqual(order.slice(19, 24), ["send", "send", "send", "send", "send"])
      assert.strictEqual(order.filter((name) => name === "read").length, 15)
    }))
})
