import { LocalServer } from "@bevatel/local-server"
import { assert, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { join } from "node:path"
import { type App, dropSocketsEvery, newStateDir, nextLine, runApp } from "./app.js"

const serverLayer = LocalServer.layer({
  pingInterval: "500 millis",
  autoReply: { delay: "10 millis", typingFor: "10 millis", reply: (content) => `auto: ${content}` }
})

const envOf = (server: LocalServer.Service, signed = false): Record<string, string> => ({
  BEVATEL_URL: server.url,
  BEVATEL_INBOX_IDENTIFIER: server.inboxes[0]!.identifier,
  ...(signed ? { BEVATEL_HMAC_TOKEN: Redacted.value(server.inboxes[0]!.hmacToken) } : {})
})

interface BridgeLine {
  readonly customer: string
  readonly conversation_id: number
  readonly event: string
  readonly data: any
}
const bridgeLines = (app: App): Array<BridgeLine> =>
  app.output().split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as BridgeLine)
const messagesOf = (app: App) => bridgeLines(app).filter((line) => line.event === "message.created")

/** The customers the bridge remembers in a state directory: their credentials, to look for in its output. */
const rememberedIn = (stateDir: string): Array<{ source_id: string; pubsub_token: string; identifier: string }> => {
  const file = readdirSync(stateDir).find((name) => name.includes("bridge"))!
  return JSON.parse(readFileSync(join(stateDir, file), "utf8"))
}

/** An OTLP/HTTP collector on loopback that keeps every body it receives, by path. */
const otlpCollector = Effect.acquireRelease(
  Effect.async<{ readonly server: Server; readonly url: string; readonly bodies: (path: string) => string }>((resume) => {
    const received: Array<{ path: string; body: string }> = []
    const server = createServer((request, response) => {
      let body = ""
      request.on("data", (chunk: Buffer) => (body += chunk))
      request.on("end", () => {
        received.push({ path: request.url ?? "", body })
        response.writeHead(200, { "content-type": "application/json" }).end("{}")
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port
      resume(Effect.succeed({
        server,
        url: `http://127.0.0.1:${port}`,
        bodies: (path) => received.filter((r) => r.path === path).map((r) => r.body).join("\n")
      }))
    })
  }),
  ({ server }) => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
)

layer(serverLayer, { excludeTestServices: true })("bevatel-chat bridge: many customers on one socket", (it) => {
  it.scoped("each line sent once as its customer's message, every reply once, lines tagged and redacted, exit 0", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      yield* dropSocketsEvery(5)
      const stateDir = newStateDir()
      const app = yield* runApp(["bridge", "--linger", "1000"], envOf(server, true), stateDir)
      const customers = Array.from({ length: 8 }, (_, i) => `customer-${i}`)
      for (const round of [1, 2]) {
        for (const customer of customers) yield* app.write(JSON.stringify({ customer, content: `${customer} says ${round}` }))
      }
      yield* app.endInput
      assert.strictEqual(yield* app.exit, 0, app.errors())
      const messages = messagesOf(app)
      for (const customer of customers) {
        for (const round of [1, 2]) {
          const sent = messages.filter((m) => m.data.content === `${customer} says ${round}`)
          const replies = messages.filter((m) => m.data.content === `auto: ${customer} says ${round}`)
          assert.strictEqual(sent.length, 1, `${customer} round ${round} sent`)
          assert.strictEqual(replies.length, 1, `${customer} round ${round} answered`)
          assert.strictEqual(sent[0]!.customer, customer)
          assert.strictEqual(replies[0]!.customer, customer)
          assert.strictEqual(replies[0]!.conversation_id, sent[0]!.conversation_id)
        }
      }
      // Credentials never reach stdout; they are kept 0600 in a 0700 state directory.
      const remembered = rememberedIn(stateDir)
      assert.strictEqual(remembered.length, customers.length)
      for (const customer of remembered) {
        assert.notInclude(app.output(), customer.pubsub_token)
        assert.notInclude(app.output(), customer.source_id)
      }
      assert.include(app.output(), `"pubsub_token":"<redacted>"`)
      assert.strictEqual(statSync(stateDir).mode & 0o777, 0o700)
      for (const file of readdirSync(stateDir)) assert.strictEqual(statSync(join(stateDir, file)).mode & 0o777, 0o600, file)
    }), { timeout: 120_000 })

  it.scoped("restarted on the same state directory: every customer resumes, replies sent meanwhile once, none again", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const stateDir = newStateDir()
      // Lingering, the first run also writes (and checkpoints) the bot's answers.
      const first = yield* runApp(["bridge", "--linger", "1000"], envOf(server), stateDir)
      for (const customer of ["ada", "grace", "linus"]) {
        yield* first.write(JSON.stringify({ customer, content: `hello from ${customer}` }))
      }
      yield* first.endInput
      assert.strictEqual(yield* first.exit, 0, first.errors())
      const conversations = new Map(messagesOf(first).map((m) => [m.customer, m.conversation_id]))
      assert.strictEqual(conversations.size, 3)
      // While no bridge runs, the agent answers each customer.
      for (const [customer, conversationId] of conversations) yield* server.agent.reply(conversationId, `while away, ${customer}`)

      const second = yield* runApp(["bridge", "--linger", "500"], envOf(server), stateDir)
      yield* nextLine(second, (line) => line.includes("while away, linus"))
      yield* second.endInput
      assert.strictEqual(yield* second.exit, 0, second.errors())
      const again = messagesOf(second)
      for (const [customer, conversationId] of conversations) {
        // Exactly what the first run had not written (the bot's reply may have come after it left), in order.
        const writtenBefore = new Set(messagesOf(first).map((m) => m.data.id))
        const expected = (yield* server.agent.messages(conversationId)).filter((m) => !writtenBefore.has(m.id)).map((m) => m.content)
        assert.include(expected, `while away, ${customer}`)
        assert.deepStrictEqual(
          again.filter((m) => m.customer === customer).map((m) => m.data.content),
          expected,
          `${customer}: only what came after the last line written`
        )
      }
    }), { timeout: 120_000 })

  it.scoped("exports spans, metrics and logs over OTLP when configured, and no credential in any of them", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const collector = yield* otlpCollector
      const stateDir = newStateDir()
      const app = yield* runApp(["bridge", "--linger", "500"], {
        ...envOf(server, true),
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_EXPORT_INTERVAL: "200 millis"
      }, stateDir)
      for (const customer of ["otel-a", "otel-b", "otel-c"]) yield* app.write(JSON.stringify({ customer, content: `traced ${customer}` }))
      yield* app.endInput
      assert.strictEqual(yield* app.exit, 0, app.errors())
      const traces = collector.bodies("/v1/traces")
      const metrics = collector.bodies("/v1/metrics")
      assert.include(traces, "Customers.catchUp")
      assert.include(traces, "ClientApi.messages.create")
      assert.include(traces, "/contacts/:source_id/conversations")
      assert.include(metrics, "bevatel_customers_events_total")
      assert.include(metrics, "bevatel_customers_delivery_lag_seconds")
      assert.include(metrics, "bevatel_cable_events_total")
      assert.include(metrics, "bevatel_http_requests_total")
      assert.include(metrics, "bevatel_checkpoint_commits_total")
      const exported = traces + metrics + collector.bodies("/v1/logs")
      for (const customer of rememberedIn(stateDir)) {
        assert.notInclude(exported, customer.pubsub_token)
        assert.notInclude(exported, customer.source_id)
      }
      assert.notInclude(exported, Redacted.value(server.inboxes[0]!.hmacToken))
      assert.notInclude(exported, server.inboxes[0]!.identifier)
    }), { timeout: 60_000 })

  it.scoped("a line that is not a bridge line is reported with its number; the others are sent; exit 1", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const app = yield* runApp(["bridge"], envOf(server))
      yield* app.write(JSON.stringify({ customer: "kim", content: "first" }))
      yield* app.write("not json at all")
      yield* app.write(JSON.stringify({ customer: "", content: "nobody" }))
      yield* app.write(JSON.stringify({ customer: "kim", content: "second" }))
      yield* app.endInput
      assert.strictEqual(yield* app.exit, 1)
      assert.deepStrictEqual(
        messagesOf(app).filter((m) => m.data.message_type === 0).map((m) => m.data.content),
        ["first", "second"]
      )
      assert.include(app.errors(), "line 2 skipped")
      assert.include(app.errors(), "line 3 skipped")
      assert.include(app.errors(), "customer must be your non-empty id")
      assert.include(app.errors(), "2 stdin line(s) were rejected (2, 3)")
      for (const line of app.output().split("\n").filter((l) => l !== "")) assert.doesNotThrow(() => JSON.parse(line))
    }), { timeout: 60_000 })
})
