import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Either, Exit, Fiber, Ref, Supervisor, TestClock, TestServices } from "effect"
import * as Deadlines from "../src/internal/deadlines.js"

const timedOut = "timed out" as const

describe("the requests' deadlines (one watcher for every request)", () => {
  it.effect("fails a request with its timeout error once its deadline passes, and interrupts it", () =>
    Effect.gen(function*() {
      const within = Deadlines.make(Duration.seconds(1)).within(() => timedOut)
      const interrupted = yield* Ref.make(false)
      const slow = yield* Effect.fork(Effect.either(within(Effect.never.pipe(Effect.onInterrupt(() => Ref.set(interrupted, true))))))
      yield* TestClock.adjust("500 millis")
      // Started later, so its deadline is later: it must outlive the first one's.
      const later = yield* Effect.fork(Effect.either(within(Effect.as(Effect.sleep("800 millis"), "answered"))))
      yield* TestClock.adjust("500 millis")
      assert.deepStrictEqual(yield* Fiber.join(slow), Either.left(timedOut))
      assert.isTrue(yield* Ref.get(interrupted))
      assert.isNull(yield* Fiber.poll(later).pipe(Effect.map((exit) => exit._tag === "Some" ? "done" : null)))
      yield* TestClock.adjust("300 millis")
      assert.deepStrictEqual(yield* Fiber.join(later), Either.right("answered"))
    }))

  it.effect("times out exactly the requests slower than the timeout, however they start and interleave", () =>
    Effect.gen(function*() {
      const within = Deadlines.make(Duration.seconds(1)).within(() => timedOut)
      // A fixed spread of latencies on both sides of the timeout (none equal to it), started at staggered times.
      const latencies = Array.from({ length: 60 }, (_, i) => ((i * 337) % 2_000) + (((i * 337) % 2_000) === 999 ? 2 : 1))
      const fibers: Array<Fiber.RuntimeFiber<Either.Either<number, typeof timedOut>>> = []
      for (const [i, latency] of latencies.entries()) {
        fibers.push(yield* Effect.fork(Effect.either(within(Effect.as(Effect.sleep(Duration.millis(latency)), latency)))))
        yield* TestClock.adjust(Duration.millis((i % 4) * 7))
      }
      yield* TestClock.adjust("3 seconds")
      const results = yield* Fiber.joinAll(fibers)
      assert.deepStrictEqual(
        results,
        latencies.map((latency) => latency < 1_000 ? Either.right(latency) : Either.left(timedOut))
      )
    }))

  it.effect("leaves an answer in time, a failure and an interruption as they are", () =>
    Effect.gen(function*() {
      const within = Deadlines.make(Duration.seconds(1)).within(() => timedOut)
      assert.strictEqual(yield* within(Effect.succeed(42)), 42)
      assert.deepStrictEqual(yield* Effect.either(within(Effect.fail("refused" as const))), Either.left("refused"))
      const exit = yield* Effect.exit(within(Effect.interrupt))
      assert.isTrue(Exit.isInterrupted(exit))
    }))

  it.effect("interrupts the request when its caller is interrupted", () =>
    Effect.gen(function*() {
      const within = Deadlines.make(Duration.seconds(1)).within(() => timedOut)
      const started = yield* Effect.makeLatch()
      const interrupted = yield* Effect.makeLatch()
      const caller = yield* Effect.fork(within(started.open.pipe(Effect.zipRight(Effect.never), Effect.onInterrupt(() => interrupted.open))))
      yield* started.await
      yield* Fiber.interrupt(caller)
      yield* interrupted.await
      assert.isTrue(Exit.isInterrupted(yield* Fiber.await(caller)))
    }))

  it.effect("stops its watcher when the last request settles: no fiber or timer outlives the requests", () =>
    Effect.gen(function*() {
      const within = Deadlines.make(Duration.hours(1)).within(() => timedOut)
      const supervisor = yield* Supervisor.track
      // Seen from inside a request: its own fiber and the watcher's, at least.
      const seen = yield* Ref.make<ReadonlyArray<Fiber.RuntimeFiber<unknown, unknown>>>([])
      const inFlight = within(Effect.flatMap(supervisor.value, (fibers) => Ref.set(seen, fibers)))
      const requests = Effect.all([
        within(Effect.yieldNow()),
        Effect.forEach([1, 2, 3], (n) => within(Effect.as(Effect.yieldNow(), n)), { concurrency: "unbounded" }),
        Effect.all([within(Effect.yieldNow()), inFlight], { concurrency: "unbounded" })
      ])
      yield* Effect.supervised(requests, supervisor)
      const fibers = yield* Ref.get(seen)
      assert.isAtLeast(fibers.length, 2, "the supervisor saw no watcher: the test observes nothing")
      // An hour's timer left behind would hold every one of them: the live clock ends the wait long before.
      const ended = yield* TestServices.provideLive(
        Effect.timeout(Fiber.awaitAll(fibers), "20 seconds").pipe(Effect.as(true), Effect.orElseSucceed(() => false))
      )
      assert.isTrue(ended, "a fiber outlived the requests")
    }))
})
