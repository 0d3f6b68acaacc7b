import { Faults, LocalServer } from "@bevatel/local-server"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Fiber, Queue, Schedule } from "effect"
import { connect, type Socket } from "node:net"
import { nextFrame, openCable, request, subscribe } from "./support.js"

const serverLayer = LocalServer.layer({ pingInterval: "200 millis" })

/** A WebSocket handshake written by hand, malformed where a test wants it. */
interface Handshake {
  readonly method: string
  readonly key: string
  readonly version: string
  readonly protocol: string
}

/** Opens a TCP connection to the server of `url` and writes the upgrade request of `handshake`; `then` when sent. */
const sendUpgrade = (url: string, handshake: Handshake, then: (socket: Socket) => void): Socket => {
  const { hostname, port } = new URL(url)
  const socket: Socket = connect(Number(port), hostname, () =>
    socket.write(
      `${handshake.method} /cable HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${handshake.key}\r\nSec-WebSocket-Version: ${handshake.version}\r\n` +
        `Sec-WebSocket-Protocol: ${handshake.protocol}\r\nContent-Length: 0\r\n\r\n`,
      () => then(socket)
    ))
  return socket
}

/** Sends a WebSocket upgrade by hand and answers the HTTP status of the reply. */
const rawUpgrade = (url: string, handshake: Handshake) =>
  Effect.async<number>((resume) => {
    const socket = sendUpgrade(url, handshake, () => undefined)
    let answer = ""
    socket.on("data", (chunk) => {
      answer += chunk
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)
      if (status) {
        socket.destroy()
        resume(Effect.succeed(Number(status[1])))
      }
    })
    socket.on("error", () => resume(Effect.succeed(0)))
    return Effect.sync(() => socket.destroy())
  })

/** Sends a WebSocket upgrade by hand and resets the connection at once, before the server answers. */
const resetUpgrade = (url: string, handshake: Handshake) =>
  Effect.async<void>((resume) => {
    const socket = sendUpgrade(url, handshake, (sent) => sent.resetAndDestroy())
    socket.on("close", () => resume(Effect.void))
    socket.on("error", () => undefined)
    return Effect.sync(() => socket.destroy())
  })

const newCustomer = Effect.gen(function*() {
  const server = yield* LocalServer.LocalServer
  const base = `${server.url}/public/api/v1/inboxes/${server.inboxes[0]!.identifier}`
  const contact = (yield* request(`${base}/contacts`, { method: "POST", body: {} })).json
  return { server, base, contact, url: `${base}/contacts/${contact.source_id}` }
})

layer(serverLayer, { excludeTestServices: true })("fault injection", (it) => {
  describe("cable", () => {
    it.scoped("drops sockets without a close frame: the client sees 1006", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const faults = yield* Faults.Faults
        const cable = yield* openCable(server.cableUrl)
        yield* nextFrame(cable, (f) => f.type === "welcome")
        assert.isAtLeast(yield* faults.dropSockets, 1)
        assert.strictEqual((yield* cable.closed).code, 1006)
      }))

    it.scoped("goes half-open: the socket stays up but nothing arrives, while new sockets are healthy", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const faults = yield* Faults.Faults
        const stale = yield* openCable(server.cableUrl)
        yield* nextFrame(stale, (f) => f.type === "ping")
        yield* faults.halfOpen
        // A new socket is healthy. Once its first ping came, whatever the half-open one had in flight has landed;
        // three more pings are three ping intervals in which it got nothing.
        const fresh = yield* openCable(server.cableUrl)
        yield* nextFrame(fresh, (f) => f.type === "ping")
        yield* Queue.takeAll(stale.frames)
        for (let i = 0; i < 3; i++) yield* nextFrame(fresh, (f) => f.type === "ping")
        assert.strictEqual(yield* Queue.size(stale.frames), 0)
        assert.strictEqual(stale.socket.readyState, stale.socket.OPEN)
      }))

    it.scoped("sends a disconnect frame with its reconnect flag, then closes", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const faults = yield* Faults.Faults
        const cable = yield* openCable(server.cableUrl)
        yield* nextFrame(cable, (f) => f.type === "welcome")
        yield* faults.disconnect({ reason: "unauthorized", reconnect: false })
        const frame = yield* nextFrame(cable, (f) => f.type === "disconnect")
        assert.deepStrictEqual(frame, { type: "disconnect", reason: "unauthorized", reconnect: false })
        assert.strictEqual((yield* cable.closed).code, 1000)
      }))

    it.scoped("sends raw frames, malformed ones included", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const faults = yield* Faults.Faults
        const cable = yield* openCable(server.cableUrl)
        yield* nextFrame(cable, (f) => f.type === "welcome")
        yield* faults.sendRaw("{\"type\":\"ping\",\"mess")
        assert.deepStrictEqual(yield* nextFrame(cable, (f) => f.raw !== undefined), { raw: "{\"type\":\"ping\",\"mess" })
      }))
  })

  describe("lost answers", () => {
    it.effect("carries out a request and cuts the connection before the answer", () =>
      Effect.gen(function*() {
        const { server, url } = yield* newCustomer
        const faults = yield* Faults.Faults
        const conversation = (yield* request(`${url}/conversations`, { method: "POST", body: {} })).json
        yield* faults.loseAnswers({ count: 1 })
        const lost = yield* Effect.either(request(`${url}/conversations/${conversation.id}/messages`, {
          method: "POST",
          body: { content: "did it arrive?" }
        }).pipe(Effect.sandbox))
        assert.isTrue(lost._tag === "Left", "the answer was not lost")
        const messages = yield* server.agent.messages(conversation.id)
        assert.deepStrictEqual(messages.map((m) => m.content), ["did it arrive?"])
        const next = yield* request(`${url}/conversations/${conversation.id}/messages`, { method: "POST", body: { content: "and this one" } })
        assert.strictEqual(next.status, 200)
      }))
  })

  describe("http", () => {
    it.effect("answers the next requests with 429 text/plain and Retry-After, then recovers", () =>
      Effect.gen(function*() {
        const { url } = yield* newCustomer
        const faults = yield* Faults.Faults
        yield* faults.failRequests({ count: 2, status: 429, retryAfter: "2 seconds" })
        const first = yield* request(url)
        const second = yield* request(url)
        const third = yield* request(url)
        assert.deepStrictEqual([first.status, first.text, first.headers.get("retry-after")], [429, "Retry later\n", "2"])
        assert.deepStrictEqual([second.status, third.status], [429, 200])
      }))

    it.effect("answers 503 when told to", () =>
      Effect.gen(function*() {
        const { url } = yield* newCustomer
        const faults = yield* Faults.Faults
        yield* faults.failRequests({ count: 1, status: 503 })
        assert.deepStrictEqual([(yield* request(url)).status, (yield* request(url)).status], [503, 200])
      }))

    it.effect("adds latency to Client API answers", () =>
      Effect.gen(function*() {
        const { url } = yield* newCustomer
        const faults = yield* Faults.Faults
        yield* faults.setLatency("300 millis")
        const started = Date.now()
        yield* request(url)
        const elapsed = Date.now() - started
        yield* faults.reset
        assert.isAtLeast(elapsed, 290)
      }))
  })

  describe("restart", () => {
    it.scoped("disconnects with server_restart, refuses connections while down, and comes back with its data", () =>
      Effect.gen(function*() {
        const { server, token, url } = yield* Effect.map(newCustomer, (c) => ({ ...c, token: c.contact.pubsub_token }))
        const faults = yield* Faults.Faults
        const cable = yield* openCable(server.cableUrl)
        yield* subscribe(cable, token)
        const restart = yield* Effect.fork(faults.restart({ downFor: "2 seconds" }))
        const frame = yield* nextFrame(cable, (f) => f.type === "disconnect")
        assert.deepStrictEqual(frame, { type: "disconnect", reason: "server_restart", reconnect: true })
        const refused = yield* Effect.tryPromise(() => fetch(url)).pipe(
          Effect.flip,
          Effect.retry(Schedule.spaced("20 millis").pipe(Schedule.upTo("1500 millis"))),
          Effect.option
        )
        assert.strictEqual(refused._tag, "Some")
        yield* Fiber.join(restart)
        assert.strictEqual((yield* request(url)).status, 200)
        const again = yield* openCable(server.cableUrl)
        yield* subscribe(again, token)
      }))

    it.scoped("answers malformed WebSocket handshakes with HTTP errors, and still restarts", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const faults = yield* Faults.Faults
        const valid = { key: "dGhlIHNhbXBsZSBub25jZQ==", version: "13", protocol: "actioncable-v1-json" }
        const handshakes = [
          { method: "GET", ...valid, key: "not a key" },
          { method: "GET", ...valid, version: "12" },
          { method: "GET", ...valid, protocol: "actioncable-v1-json," },
          { method: "GET", ...valid, protocol: "actioncable-v1-json, actioncable-v1-json" },
          { method: "POST", ...valid }
        ]
        const statuses = yield* Effect.forEach(handshakes, (handshake) => rawUpgrade(server.url, handshake))
        // The route takes GET only: ActionCable too answers anything else "Page not found".
        assert.deepStrictEqual(statuses, [400, 400, 400, 400, 404])
        // Each refused upgrade used to leave a request waiting forever for its socket, and the server could not stop.
        yield* faults.restart().pipe(
          Effect.timeoutFail({ duration: "30 seconds", onTimeout: () => new Error("the restart never finished") })
        )
        const cable = yield* openCable(server.cableUrl)
        yield* nextFrame(cable, (f) => f.type === "welcome")
      }))

    it.scoped("survives clients that reset their refused upgrades (no uncaught ECONNRESET in the server's process)", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const faults = yield* Faults.Faults
        const valid = { method: "GET", key: "dGhlIHNhbXBsZSBub25jZQ==", version: "13", protocol: "actioncable-v1-json" }
        // Errors on the server's sockets that nothing handles reach the process; vitest would report them, and here
        // they are counted too.
        const uncaught: Array<unknown> = []
        const onUncaught = (error: unknown) => uncaught.push(error)
        yield* Effect.acquireRelease(
          Effect.sync(() => process.on("uncaughtException", onUncaught)),
          () => Effect.sync(() => process.off("uncaughtException", onUncaught))
        )
        for (const refusal of [() => faults.refuseUpgrades(404), () => faults.reset]) {
          yield* refusal()
          const handshakes = [valid, { ...valid, key: "not a key" }]
          yield* Effect.forEach(Array.from({ length: 20 }, (_, i) => handshakes[i % 2]!), (handshake) =>
            resetUpgrade(server.url, handshake), { concurrency: 4 })
        }
        yield* faults.reset
        // The resets are over when a new socket still opens; a straggling error surfaces before the server's next
        // ping timer, which runs after the I/O of the resets.
        const cable = yield* openCable(server.cableUrl)
        yield* nextFrame(cable, (f) => f.type === "welcome")
        yield* nextFrame(cable, (f) => f.type === "ping")
        assert.deepStrictEqual(uncaught.map(String), [])
      }))
  })
})
