import { Cable, CableMetrics, ConnectionFailure, type ConnectionState } from "@bevatel/cable"
import { Faults, LocalServer } from "@bevatel/local-server"
import { NodeSocket } from "@effect/platform-node"
import { assert, describe, layer } from "@effect/vitest"
import type { CableEvent } from "@bevatel/schema"
import { Chunk, Effect, Exit, Fiber, Layer, Logger, Metric, Queue, Schedule, Stream, Supervisor } from "effect"
import { awaitState, collect, isMessage, newCustomer, next, wsConstructor } from "./support.js"

const serverLayer = LocalServer.layer({ pingInterval: "200 millis" })

/** A cable tuned to the fast local server: stale after 2 × 200 ms of silence. */
const cableFor = (options: Partial<Cable.Options> = {}) =>
  Effect.flatMap(LocalServer.LocalServer, (server) =>
    Cable.make({ url: server.url, pingInterval: "200 millis", confirmTimeout: "2 seconds", ...options }))

const testLayer = Layer.mergeAll(serverLayer, NodeSocket.layerWebSocketConstructor)

/**
 * Subscribes, applies a fault once connected, and checks the cable reconnects and then delivers a reply sent
 * after it; answers the `Reconnecting` state the fault caused.
 */
const survives = (fault: (faults: Faults.Service) => Effect.Effect<unknown>, reply: string) =>
  Effect.gen(function*() {
    const { conversation, server, token } = yield* newCustomer
    const cable = yield* cableFor()
    const states = yield* collect(cable.state)
    const { queue } = yield* collect(cable.events(token))
    yield* awaitState(cable, "Connected")
    yield* fault(yield* Faults.Faults)
    const reconnecting = yield* next(states.queue, (s) => s._tag === "Reconnecting")
    yield* next(states.queue, (s) => s._tag === "Connected")
    yield* server.agent.reply(conversation.id, reply)
    yield* next(queue, isMessage(reply))
    return reconnecting as Extract<ConnectionState.ConnectionState, { _tag: "Reconnecting" }>
  })

/** Waits until the server has seen every cable socket close. */
const awaitNoConnections = Effect.flatMap(LocalServer.LocalServer, (server) =>
  server.cableConnections.pipe(Effect.repeat({ until: (n) => n === 0, schedule: Schedule.spaced("20 millis") })))

layer(testLayer, { excludeTestServices: true })("Cable against the local server", (it) => {
  describe("events", () => {
    it.scoped("streams the customer's decoded events: its own message with echo id, then an agent's reply", () =>
      Effect.gen(function*() {
        const { conversation, say, server, token } = yield* newCustomer
        const cable = yield* cableFor()
        const { queue } = yield* collect(cable.events(token))
        yield* awaitState(cable, "Connected")
        const sent = yield* say("hello cable")
        const echo = yield* next(queue, isMessage("hello cable"))
        assert.isTrue(echo._tag === "MessageCreated" && echo.data.echo_id === sent.echoId)
        yield* server.agent.reply(conversation.id, "hello customer")
        const reply = yield* next(queue, isMessage("hello customer"))
        assert.isTrue(reply._tag === "MessageCreated" && reply.data.message_type === "outgoing")
      }))

    it.scoped("marks each confirmation in the subscription stream, resumed after a reconnect", () =>
      Effect.gen(function*() {
        const { token } = yield* newCustomer
        const faults = yield* Faults.Faults
        const cable = yield* cableFor()
        const { queue } = yield* collect(cable.subscribe(token))
        const first = yield* next(queue, (m) => m._tag === "Confirmed")
        yield* faults.dropSockets
        const second = yield* next(queue, (m) => m._tag === "Confirmed")
        assert.deepStrictEqual([first, second].map((m) => m._tag === "Confirmed" && m.resumed), [false, true])
      }))

    it.scoped("with keepWire, keeps each event as it came beside the decoded one: every field, those dropped included", () =>
      Effect.gen(function*() {
        const { token } = yield* newCustomer
        const faults = yield* Faults.Faults
        const [kept, dropped] = [yield* cableFor({ keepWire: true }), yield* cableFor()]
        const { queue } = yield* collect(kept.subscribe(token))
        const without = yield* collect(dropped.subscribe(token))
        yield* next(queue, (m) => m._tag === "Confirmed")
        yield* next(without.queue, (m) => m._tag === "Confirmed")
        const identifier = JSON.stringify({ channel: "RoomChannel", pubsub_token: token })
        const sent = { event: "conversation.typing_on", data: { conversation: { id: 3 }, is_private: false, later: { v: 2 } } }
        yield* faults.sendRaw(JSON.stringify({ identifier, message: sent }))
        const message = yield* next(queue, (m) => m._tag === "Event" && m.event._tag === "TypingOn")
        assert.isTrue(message._tag === "Event" && message.event._tag === "TypingOn" && !("later" in message.event.data))
        assert.deepStrictEqual(message._tag === "Event" ? message.wire : undefined, sent)
        // By default the parsed frame is let go once decoded.
        const plain = yield* next(without.queue, (m) => m._tag === "Event" && m.event._tag === "TypingOn")
        assert.isTrue(plain._tag === "Event" && plain.wire === undefined && plain.event._tag === "TypingOn")
      }))

    it.scoped("shares one socket between consumers, and closes it when the last one stops", () =>
      Effect.gen(function*() {
        const a = yield* newCustomer
        const b = yield* newCustomer
        const server = yield* LocalServer.LocalServer
        const cable = yield* cableFor()
        const first = yield* collect(cable.events(a.token))
        const second = yield* collect(cable.events(a.token))
        const third = yield* collect(cable.events(b.token))
        yield* awaitState(cable, "Connected")
        assert.strictEqual(yield* server.cableConnections, 1)
        yield* a.say("to both")
        yield* next(first.queue, isMessage("to both"))
        yield* next(second.queue, isMessage("to both"))
        yield* Fiber.interrupt(first.fiber)
        yield* Fiber.interrupt(second.fiber)
        yield* b.say("still here")
        yield* next(third.queue, isMessage("still here"))
        yield* Fiber.interrupt(third.fiber)
        assert.strictEqual((yield* cable.currentState)._tag, "Idle")
        yield* awaitNoConnections
      }))

    it.scoped("keeps going past malformed frames, frames of no known shape and events it does not know", () =>
      Effect.gen(function*() {
        const { say, token } = yield* newCustomer
        const faults = yield* Faults.Faults
        const cable = yield* cableFor()
        const { queue } = yield* collect(cable.events(token))
        yield* awaitState(cable, "Connected")
        const malformedBefore = (yield* Metric.value(CableMetrics.malformedFrames)).count
        const identifier = JSON.stringify({ channel: "RoomChannel", pubsub_token: token })
        yield* faults.sendRaw("{\"type\":\"ping\",")
        yield* faults.sendRaw("{\"type\":\"telemetry\"}")
        yield* faults.sendRaw(JSON.stringify({ identifier, message: { event: "message.created", data: { id: "bad" } } }))
        yield* faults.sendRaw(JSON.stringify({ identifier, message: { event: "copilot.thinking", data: { step: 1 } } }))
        yield* say("after the noise")
        const unknown = yield* next(queue, (e) => e._tag === "Unknown")
        assert.deepStrictEqual(unknown, { _tag: "Unknown", event: "copilot.thinking", data: { step: 1 } } as never)
        yield* next(queue, isMessage("after the noise"))
        const malformedAfter = (yield* Metric.value(CableMetrics.malformedFrames)).count
        assert.strictEqual(malformedAfter - malformedBefore, 2)
      }))

    it.scoped("delivers known events whose data does not decode as Undecodable, counts them, and warns once a name", () => {
      const warnings: Array<string> = []
      const logger = Logger.make(({ logLevel, message }) => {
        if (logLevel._tag === "Warning") warnings.push(String(message))
      })
      return Effect.gen(function*() {
        const { token } = yield* newCustomer
        const faults = yield* Faults.Faults
        const cable = yield* cableFor()
        const { queue } = yield* collect(cable.events(token))
        yield* awaitState(cable, "Connected")
        const counter = Metric.tagged(CableMetrics.undecodableEvents, "event", "message.created")
        const before = (yield* Metric.value(counter)).count
        const identifier = JSON.stringify({ channel: "RoomChannel", pubsub_token: token })
        const data = { id: 1, content: "secret words", message_type: 1 }
        for (let i = 0; i < 3; i++) yield* faults.sendRaw(JSON.stringify({ identifier, message: { event: "message.created", data } }))
        for (let i = 0; i < 3; i++) {
          const event = yield* next(queue, (e) => e._tag === "Undecodable")
          assert.isTrue(event._tag === "Undecodable" && event.event === "message.created")
          assert.deepStrictEqual((event as CableEvent.Undecodable).data, data)
          assert.include((event as CableEvent.Undecodable).error, "conversation_id")
        }
        assert.strictEqual((yield* Metric.value(counter)).count - before, 3)
        const reported = warnings.filter((w) => w.includes("message.created"))
        assert.strictEqual(reported.length, 1, warnings.join("\n"))
        assert.include(reported[0], "data.conversation_id")
        assert.notInclude(reported[0], "secret words")
      }).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
    })
  })

  describe("why it cannot connect", () => {
    it.scoped("a refused upgrade (a proxy that drops WebSockets): URL and HTTP status in the state, one warning, then live", () => {
      const logs: Array<string> = []
      const logger = Logger.make(({ logLevel, message }) => {
        logs.push(`${logLevel.label} ${String(message)}`)
      })
      return Effect.gen(function*() {
        const { conversation, server, token } = yield* newCustomer
        const faults = yield* Faults.Faults
        yield* faults.refuseUpgrades(404)
        const cable = yield* cableFor({ reconnectSchedule: Schedule.spaced("100 millis") })
        const states = yield* collect(cable.state)
        const { queue } = yield* collect(cable.events(token))
        for (let i = 0; i < 3; i++) yield* next(states.queue, (s) => s._tag === "Reconnecting")
        const state = yield* next(states.queue, (s) => s._tag === "Reconnecting")
        assert.isTrue(state._tag === "Reconnecting" && state.failure._tag === "UpgradeRefused")
        const failure = (state as Extract<ConnectionState.ConnectionState, { _tag: "Reconnecting" }>).failure
        assert.deepStrictEqual(failure, ConnectionFailure.ConnectionFailure.UpgradeRefused({ url: `${server.cableUrl}`, status: 404 }))
        assert.include((state as { reason: string }).reason, "not forwarding WebSocket upgrades")
        yield* faults.refuseUpgrades(false)
        yield* awaitState(cable, "Connected")
        yield* server.agent.reply(conversation.id, "through at last")
        yield* next(queue, isMessage("through at last"))
        const warnings = logs.filter((line) => line.startsWith("WARN") && line.includes("HTTP 404"))
        assert.strictEqual(warnings.length, 1, logs.join("\n"))
        assert.notInclude(warnings[0], token)
        assert.isTrue(logs.some((line) => line.startsWith("INFO") && line.includes("live again")), logs.join("\n"))
      }).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        Effect.provide(wsConstructor),
        Effect.ensuring(Effect.flatMap(Faults.Faults, (faults) => faults.reset))
      )
    })

    it.scoped("a closed port: Unreachable with the error code and the URL", () =>
      Effect.gen(function*() {
        const cable = yield* Cable.make({ url: "http://127.0.0.1:9", reconnectSchedule: Schedule.spaced("1 second") })
        const states = yield* collect(cable.state)
        yield* collect(cable.events("a-token-that-goes-nowhere"))
        const state = yield* next(states.queue, (s) => s._tag === "Reconnecting")
        assert.deepStrictEqual(
          state._tag === "Reconnecting" && { tag: state.failure._tag, url: (state.failure as { url?: string }).url },
          { tag: "Unreachable", url: "ws://127.0.0.1:9/cable" }
        )
        assert.include((state as { reason: string }).reason, "ECONNREFUSED")
      }).pipe(Effect.provide(wsConstructor)))

    it("reads each platform's socket errors as typed failures, the ones that give no detail included", () => {
      const url = "ws://chat.example.com/cable"
      const read = (message: string, code?: string) =>
        ConnectionFailure.fromSocketError(url, { reason: "Open", cause: { message, ...(code ? { error: { code } } : {}) } })
      assert.deepStrictEqual(read("Unexpected server response: 404"), ConnectionFailure.ConnectionFailure.UpgradeRefused({ url, status: 404 }))
      assert.strictEqual(read("connect ECONNREFUSED 10.0.0.1:443", "ECONNREFUSED")._tag, "Unreachable")
      assert.strictEqual(read("getaddrinfo ENOTFOUND chat.example.com")._tag, "Unreachable")
      assert.strictEqual(read("write EPROTO 80CC:error:0A00010B:SSL routines:wrong version number")._tag, "TlsFailed")
      // Node 22+'s built-in WebSocket, and browsers: nothing but the URL to go on.
      const silent = read("Received network error or non-101 status code.")
      assert.strictEqual(silent._tag, "SocketError")
      assert.include(ConnectionFailure.describe(silent), url)
      assert.deepStrictEqual(
        ConnectionFailure.fromSocketError(url, { reason: "Close", code: 1006 }),
        ConnectionFailure.ConnectionFailure.Closed({ code: 1006 })
      )
    })
  })

  describe("reconnection", () => {
    it.scoped("reconnects from the close event after dropped sockets and resubscribes; nothing later is lost", () =>
      Effect.gen(function*() {
        const reconnecting = yield* survives((faults) => faults.dropSockets, "after the drop")
        // Node's `ws` reports the dropped TCP connection as close code 1006, the global WebSocket as an error.
        assert.isTrue(
          (reconnecting.failure._tag === "Closed" && reconnecting.failure.code === 1006) || reconnecting.failure._tag === "SocketError",
          reconnecting.reason
        )
      }))

    it.scoped("survives a server restart", () =>
      Effect.asVoid(survives((faults) => faults.restart({ downFor: "300 millis" }), "after the restart")))

    it.scoped("detects a half-open connection by its silence and replaces it", () =>
      Effect.gen(function*() {
        const staleBefore = (yield* Metric.value(CableMetrics.staleConnections)).count
        const reconnecting = yield* survives((faults) => faults.halfOpen, "after the silence")
        assert.isTrue(reconnecting.reason.startsWith("stale"))
        assert.strictEqual((yield* Metric.value(CableMetrics.staleConnections)).count - staleBefore, 1)
      }))

    it.scoped("reconnects when the server sends disconnect with reconnect: true", () =>
      Effect.gen(function*() {
        const reconnecting = yield* survives(
          (faults) => faults.disconnect({ reason: "server_restart", reconnect: true }),
          "welcome back"
        )
        assert.include(reconnecting.reason, "server_restart")
      }))
  })

  describe("fatal errors", () => {
    it.scoped("fails with ServerDisconnected when the server does not want the client back", () =>
      Effect.gen(function*() {
        const { token } = yield* newCustomer
        const faults = yield* Faults.Faults
        const cable = yield* cableFor()
        const fiber = yield* Effect.fork(Stream.runDrain(cable.events(token)))
        yield* awaitState(cable, "Connected")
        yield* faults.disconnect({ reason: "unauthorized", reconnect: false })
        const exit = yield* Fiber.await(fiber)
        assert.isTrue(Exit.isFailure(exit))
        const error = yield* Effect.flip(fiber)
        assert.isTrue(error._tag === "ServerDisconnected" && error.reason === "unauthorized")
        assert.strictEqual((yield* cable.currentState)._tag, "Closed")
      }))

    it.scoped("fails with SubscriptionTimeout for a token the server never confirms, after fresh sockets", () =>
      Effect.gen(function*() {
        const cable = yield* cableFor({ confirmTimeout: "300 millis", confirmAttempts: 2 })
        const states = yield* collect(cable.state)
        const error = yield* Effect.flip(Stream.runDrain(cable.events("not-a-real-token-123456")))
        assert.isTrue(error._tag === "SubscriptionTimeout" && error.attempts === 2)
        assert.include(error.message, "token looks invalid")
        const seen = Chunk.toReadonlyArray(yield* Queue.takeAll(states.queue)).map((s) => s._tag)
        assert.include(seen, "Reconnecting")
      }))

    it.scoped("fails with InvalidToken for an empty token, without connecting", () =>
      Effect.gen(function*() {
        const cable = yield* cableFor()
        const error = yield* Effect.flip(Stream.runDrain(cable.events("")))
        assert.strictEqual(error._tag, "InvalidToken")
        assert.strictEqual((yield* cable.currentState)._tag, "Idle")
      }))
  })

  describe("lifecycle", () => {
    it.scoped("sends update_presence on its interval while subscribed", () =>
      Effect.gen(function*() {
        const { token } = yield* newCustomer
        const cable = yield* cableFor({ presenceInterval: "150 millis" })
        const { queue } = yield* collect(cable.events(token))
        // One presence.update answers the subscribe; more can only come from our update_presence.
        for (let i = 0; i < 3; i++) yield* next(queue, (e) => e._tag === "PresenceUpdate")
      }))

    it.scoped("performs a channel action once subscribed", () =>
      Effect.gen(function*() {
        const { token } = yield* newCustomer
        const cable = yield* cableFor({ presenceInterval: false })
        const { queue } = yield* collect(cable.events(token))
        yield* next(queue, (e) => e._tag === "PresenceUpdate")
        yield* cable.perform(token, "update_presence")
        yield* next(queue, (e) => e._tag === "PresenceUpdate")
        const missing = yield* Effect.flip(cable.perform("someone-else-entirely", "update_presence"))
        assert.strictEqual(missing._tag, "NotSubscribed")
      }))

    it.effect("closes the socket and stops every fiber when the consumer is interrupted", () =>
      Effect.gen(function*() {
        const { token } = yield* newCustomer
        const server = yield* LocalServer.LocalServer
        const supervisor = yield* Supervisor.track
        yield* Effect.scoped(
          Effect.gen(function*() {
            const cable = yield* cableFor()
            const fiber = yield* Effect.fork(Stream.runDrain(cable.events(token)))
            yield* awaitState(cable, "Connected")
            assert.strictEqual(yield* server.cableConnections, 1)
            yield* Fiber.interrupt(fiber)
            assert.strictEqual((yield* cable.currentState)._tag, "Idle")
          })
        ).pipe(Effect.supervised(supervisor))
        yield* awaitNoConnections
        const alive = yield* supervisor.value
        assert.deepStrictEqual(alive.map((fiber) => fiber.id()), [])
      }))
  })
})
