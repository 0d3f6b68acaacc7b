import { RequestBudget } from "@bevatel/http"
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Fiber, TestClock } from "effect"

describe("RequestBudget", () => {
  it.effect("never exceeds N requests in any 60-second span, whatever the demand", () =>
    Effect.gen(function*() {
      // 9 permits per 5-second window.
      const budget = RequestBudget.make({ requestsPerMinute: 120, window: "5 seconds" })
      const times: Array<number> = []
      // 20 workers of 15 requests each: always more demand than the budget allows.
      const request = Effect.zipRight(budget.take("read"), Effect.flatMap(Clock.currentTimeMillis, (t) => Effect.sync(() => times.push(t))))
      const fiber = yield* Effect.fork(Effect.forEach(
        Array.from({ length: 20 }),
        () => Effect.repeatN(request, 14),
        { concurrency: "unbounded" }
      ))
      for (let window = 0; window < 40; window++) yield* TestClock.adjust("5 seconds")
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
      assert.isAtLeast(busiest, 100, "and it uses most of the budget")
    }))

  it.effect("serves waiting sends before waiting reads", () =>
    Effect.gen(function*() {
      // 10 permits a second.
      const budget = RequestBudget.make({ requestsPerMinute: 610 })
      const order: Array<string> = []
      const take = (priority: RequestBudget.Priority, name: string) =>
        Effect.zipRight(budget.take(priority), Effect.sync(() => order.push(name)))
      for (let i = 0; i < 10; i++) yield* take("read", "first")
      const reads = yield* Effect.fork(Effect.forEach(Array.from({ length: 15 }), () => take("read", "read"), { concurrency: "unbounded" }))
      yield* Effect.yieldNow()
      const sends = yield* Effect.fork(Effect.forEach(Array.from({ length: 5 }), () => take("send", "send"), { concurrency: "unbounded" }))
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(sends)
      assert.deepStrictEqual(order.slice(10, 15), ["send", "send", "send", "send", "send"])
      yield* TestClock.adjust("1 second")
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(reads)
      assert.strictEqual(order.filter((name) => name === "read").length, 15)
    }))
})
