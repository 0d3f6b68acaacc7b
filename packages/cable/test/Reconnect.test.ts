import { Cable, ConnectionState, Reconnect } from "@bevatel/cable"
import { Faults, LocalServer } from "@bevatel/local-server"
import { NodeSocket } from "@effect/platform-node"
import { assert, describe, it, layer } from "@effect/vitest"
import { Chunk, Clock, Duration, Effect, Layer, Schedule, ScheduleDecision, ScheduleIntervals, TestClock } from "effect"
import { collect, newCustomer, next } from "./support.js"

/** The delays a schedule takes for consecutive failures, stepped as the cable steps it, without waiting. */
const delaysOf = (schedule: Schedule.Schedule<unknown, unknown>, count: number) =>
  Effect.gen(function*() {
    const delays: Array<number> = []
    let now = 0
    let state = schedule.initial
    for (let i = 0; i < count; i++) {
      const [next, , decision] = yield* schedule.step(now, undefined, state)
      if (!ScheduleDecision.isContinue(decision)) break
      delays.push(ScheduleIntervals.start(decision.intervals) - now)
      now = ScheduleIntervals.start(decision.intervals)
      state = next
    }
    return delays
  })

describe("Reconnect.defaultSchedule", () => {
  it.effect("starts near 100 ms, doubles with ±20 % jitter, and caps each delay at 10 s", () =>
    Effect.gen(function*() {
      const delays = yield* delaysOf(Reconnect.defaultSchedule, 12)
      const base = [100, 200, 400, 800, 1600, 3200, 6400]
      base.forEach((expected, i) => assert.isTrue(delays[i]! >= expected * 0.8 && delays[i]! <= expected * 1.2, `${i}: ${delays[i]}`))
      assert.isTrue(delays.slice(7).every((d) => Math.abs(d - 10_000) < 1), String(delays.slice(7)))
    }))
})

/** Waits (for real I/O) until the cable schedules its reconnect sleep, ending exactly `delay` from now. */
const awaitReconnectSleep = (delay: Duration.Duration) =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const wake = now + Duration.toMillis(delay)
    yield* TestClock.sleeps().pipe(
      Effect.tap((sleeps) => Chunk.contains(sleeps, wake) ? Effect.void : Effect.promise(() => new Promise((r) => setTimeout(r, 5)))),
      Effect.repeat({ until: (sleeps) => Chunk.contains(sleeps, wake) })
    )
  })

const reconnecting = (state: ConnectionState.ConnectionState) => state._tag === "Reconnecting"
const connected = (state: ConnectionState.ConnectionState) => state._tag === "Connected"

// The cable runs on the TestClock against the live local server: every backoff delay is observed exactly.
layer(Layer.mergeAll(LocalServer.layer(), NodeSocket.layerWebSocketConstructor))("reconnect backoff (TestClock)", (it) => {
  it.scoped("waits the scheduled delay, grows it while connections are short-lived, and resets it after a stable one", () =>
    Effect.gen(function*() {
      const { server, token } = yield* newCustomer
      const faults = yield* Faults.Faults
      const cable = yield* Cable.make({
        url: server.url,
        staleAfter: "1 hour",
        presenceInterval: false,
        stableAfter: "5 seconds",
        reconnectSchedule: Schedule.exponential("1 second")
      })
      const states = yield* collect(cable.state)
      yield* collect(cable.events(token))
      yield* next(states.queue, connected)

      const dropAndReconnect = Effect.gen(function*() {
        yield* faults.dropSockets
        const state = yield* next(states.queue, reconnecting)
        if (state._tag !== "Reconnecting") return assert.fail("expected Reconnecting")
        yield* awaitReconnectSleep(state.delay)
        yield* TestClock.adjust(state.delay)
        yield* next(states.queue, connected)
        return { attempt: state.attempt, delay: Duration.toMillis(state.delay) }
      })

      const first = yield* dropAndReconnect
      const second = yield* dropAndReconnect
      yield* TestClock.adjust("5 seconds")
      const afterStable = yield* dropAndReconnect
      assert.deepStrictEqual([first, second, afterStable], [
        { attempt: 1, delay: 1000 },
        { attempt: 2, delay: 2000 },
        { attempt: 1, delay: 1000 }
      ])
    }))
})
