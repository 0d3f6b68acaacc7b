import { ClientApi, ClientApiMetrics } from "@bevatel/http"
import { Faults, LocalServer } from "@bevatel/local-server"
import { FetchHttpClient } from "@effect/platform"
import { assert, layer } from "@effect/vitest"
import { Chunk, Clock, Effect, Fiber, Layer, Metric, Schedule, TestClock } from "effect"

// The server runs on the live clock; the client under test runs on the TestClock, so every delay it takes is
// observed exactly and no test waits for real backoff.
const testLayer = Layer.mergeAll(LocalServer.layer(), FetchHttpClient.layer)

/**
 * Waits (for real I/O to finish) until the client schedules a sleep, not among `earlier`, ending in the given
 * window. Take `earlier` before the step that schedules it: the TestClock keeps sleeps left by earlier tests.
 */
const awaitNewSleep = (earlier: Chunk.Chunk<number>, from: number, to: number) =>
  TestClock.sleeps().pipe(
    Effect.map(Chunk.findFirst((wake) => wake >= from && wake <= to && !Chunk.contains(earlier, wake))),
    Effect.tap((found) => found._tag === "None" ? Effect.promise(() => new Promise((r) => setTimeout(r, 5))) : Effect.void),
    Effect.repeat({ until: (found) => found._tag === "Some" }),
    Effect.map((found) => found._tag === "Some" ? found.value : -1)
  )

const api = Effect.gen(function*() {
  const server = yield* LocalServer.LocalServer
  return yield* ClientApi.make({ baseUrl: server.url, inboxIdentifier: server.inboxes[0]!.identifier })
})

layer(testLayer)("retry timing (TestClock)", (it) => {
  it.effect("waits the server's Retry-After before retrying a rate-limited request", () =>
    Effect.gen(function*() {
      const client = yield* api
      const faults = yield* Faults.Faults
      yield* faults.failRequests({ count: 1, status: 429, retryAfter: "7 seconds" })
      const start = yield* Clock.currentTimeMillis
      const earlier = yield* TestClock.sleeps()
      const fiber = yield* Effect.fork(client.inbox.get)
      const wake = yield* awaitNewSleep(earlier, start + 1, start + 9_999)
      assert.strictEqual(wake - start, 7_000)
      yield* TestClock.adjust("7 seconds")
      const inbox = yield* Fiber.join(fiber)
      assert.isString(inbox.name)
    }))

  it.effect("waits for the throttle's minute to turn after a 429 without Retry-After", () =>
    Effect.gen(function*() {
      const client = yield* api
      const faults = yield* Faults.Faults
      yield* faults.failRequests({ count: 1, status: 429 })
      // 20 s into a minute: the retry waits the 40 s left, plus at most 5 s of spread.
      yield* TestClock.setTime(Math.ceil(((yield* Clock.currentTimeMillis) + 1) / 60_000) * 60_000 + 20_000)
      const start = yield* Clock.currentTimeMillis
      const earlier = yield* TestClock.sleeps()
      const fiber = yield* Effect.fork(client.inbox.get)
      // The retry's sleep, not the request's own 10-second deadline: 40 s left in the minute, at most 5 s of spread.
      const wake = yield* awaitNewSleep(earlier, start + 40_000, start + 45_000)
      assert.isTrue(wake - start >= 40_000 && wake - start <= 45_000, `waited ${wake - start} ms`)
      yield* TestClock.adjust(Math.ceil(wake - start))
      const inbox = yield* Fiber.join(fiber)
      assert.isString(inbox.name)
    }).pipe(Effect.ensuring(Effect.flatMap(Faults.Faults, (faults) => faults.reset))))

  it.effect("a RateLimited error without Retry-After names the throttle and the fix", () =>
    Effect.gen(function*() {
      const client = yield* ClientApi.make({
        baseUrl: (yield* LocalServer.LocalServer).url,
        inboxIdentifier: (yield* LocalServer.LocalServer).inboxes[0]!.identifier,
        retrySchedule: Schedule.stop
      })
      const faults = yield* Faults.Faults
      yield* faults.failRequests({ count: 1, status: 429 })
      const rateLimited = Metric.tagged(ClientApiMetrics.rateLimited, "operation", "inbox.get")
      const requests = Metric.tagged(ClientApiMetrics.requests, "operation", "inbox.get")
      const [limitedBefore, requestsBefore] = [(yield* Metric.value(rateLimited)).count, (yield* Metric.value(requests)).count]
      const error = yield* Effect.flip(client.inbox.get)
      assert.strictEqual(error._tag, "RateLimited")
      // Counted: one request spent, one 429 earned.
      assert.strictEqual((yield* Metric.value(rateLimited)).count - limitedBefore, 1)
      assert.strictEqual((yield* Metric.value(requests)).count - requestsBefore, 1)
      assert.include(error.message, "RACK_ATTACK_LIMIT")
      assert.include(error.message, "RequestBudget")
    }))

  it.effect("backs off exponentially with jitter from 200 ms by default", () =>
    Effect.gen(function*() {
      const client = yield* api
      const faults = yield* Faults.Faults
      yield* faults.failRequests({ count: 2, status: 503 })
      const start = yield* Clock.currentTimeMillis
      const beforeFirst = yield* TestClock.sleeps()
      const fiber = yield* Effect.fork(client.inbox.get)
      const firstWake = yield* awaitNewSleep(beforeFirst, start + 1, start + 9_999)
      const first = firstWake - start
      const beforeSecond = yield* TestClock.sleeps()
      // Jittered delays are fractional: move the clock to a whole millisecond at or past each wake-up. The retry may
      // fail again while the clock still reads the fractional wake-up or once it reads the whole millisecond, so the
      // second delay is measured from the wake-up and may include that last fraction of a millisecond.
      yield* TestClock.adjust(Math.ceil(first))
      const second = (yield* awaitNewSleep(beforeSecond, firstWake + 1, firstWake + 9_999)) - firstWake
      yield* TestClock.adjust(Math.ceil(second))
      yield* Fiber.join(fiber)
      assert.isTrue(first >= 160 && first <= 240, `first delay ${first}`)
      assert.isTrue(second >= 320 && second < 481, `second delay ${second}`)
    }))

  it.effect("surfaces a Retry-After longer than it is willing to wait instead of waiting", () =>
    Effect.gen(function*() {
      const client = yield* api
      const faults = yield* Faults.Faults
      yield* faults.failRequests({ count: 1, status: 429, retryAfter: "1 hour" })
      const error = yield* Effect.flip(client.inbox.get)
      assert.isTrue(error._tag === "RateLimited" && error.retryAfter !== undefined)
      assert.include(error.message, "retry after 3600 s")
    }))
})
