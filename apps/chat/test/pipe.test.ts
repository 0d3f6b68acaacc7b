import { Agent, Faults, LocalServer } from "@bevatel/local-server"
import { assert, layer } from "@effect/vitest"
import { Effect, Schedule, Stream } from "effect"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { type App, dropSocketsEvery, jsonLines, newStateDir, nextLine, runApp } from "./app.js"

const serverLayer = LocalServer.layer({
  pingInterval: "500 millis",
  autoReply: { delay: "10 millis", typingFor: "10 millis", reply: (content) => `auto: ${content}` }
})

const envOf = (server: LocalServer.Service) => ({
  BEVATEL_URL: server.url,
  BEVATEL_INBOX_IDENTIFIER: server.inboxes[0]!.identifier
})

/** Every stdout line is a JSON object with an event name: nothing else ever reaches stdout. */
const assertPureNdjson = (app: App) => {
  const lines = app.output().split("\n").filter((line) => line !== "")
  assert.isAbove(lines.length, 0)
  for (const line of lines) {
    let parsed: unknown
    assert.doesNotThrow(() => (parsed = JSON.parse(line)), undefined, `not JSON on stdout: ${line}`)
    assert.isString((parsed as { event?: unknown }).event, line)
  }
}

/** The pipe's checkpoint in a state directory, as written (undefined before the first). */
const checkpointIn = (stateDir: string): number | undefined => {
  const file = readdirSync(stateDir).find((name) => name.includes("checkpoint") && !name.endsWith(".copy"))
  return file === undefined ? undefined : Number(readFileSync(join(stateDir, file), "utf8"))
}

/** Whatever a test injected, the shared server is healthy again for the next one. */
const resettingFaults = Effect.ensuring(Effect.flatMap(Faults.Faults, (faults) => faults.reset))

const messagesOf = (app: App) => jsonLines(app.output()).filter((e) => e.event === "message.created").map((e) => e.data)

layer(serverLayer, { excludeTestServices: true })("bevatel-chat pipe as a pipeline stage", (it) => {
  it.scoped("resumes after SIGKILL on the same state directory: every agent reply exactly once, in id order", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      yield* dropSocketsEvery(3)
      const stateDir = newStateDir()

      const first = yield* runApp(["pipe"], envOf(server), stateDir)
      yield* nextLine(first, (line) => line.includes("conversation.status_changed"))
      for (const content of ["m1", "m2", "m3", "m4", "m5", "m6"]) yield* first.write(content)
      yield* nextLine(first, (line) => line.includes("auto: m6"))
      // Killed while idle, once the last line written is checkpointed (not in the window between the two).
      const lastWritten = () => Math.max(...messagesOf(first).map((m) => m.id as number))
      yield* Effect.suspend(() => checkpointIn(stateDir) === lastWritten() ? Effect.void : Effect.fail("not yet")).pipe(
        Effect.retry(Schedule.spaced("50 millis"))
      )
      first.child.kill("SIGKILL")
      assert.isNull(yield* first.exit)

      const conversationId = messagesOf(first)[0].conversation_id as number
      for (let i = 1; i <= 5; i++) yield* server.agent.reply(conversationId, `while the pipe was down ${i}`)

      const second = yield* runApp(["pipe"], envOf(server), stateDir)
      for (const content of ["m7", "m8", "m9"]) yield* second.write(content)
      // The pipe ends once its own messages came back; the last reply is awaited before stdin ends.
      yield* nextLine(second, (line) => line.includes("auto: m9"))
      yield* second.endInput
      assert.strictEqual(yield* second.exit, 0, second.errors())
      assertPureNdjson(first)
      assertPureNdjson(second)

      const onServer = yield* server.agent.messages(conversationId)
      const replies = onServer.filter((m) => m.message_type === 1).map((m) => m.id)
      const written = [...messagesOf(first), ...messagesOf(second)].filter((m) => m.message_type === 1).map((m) => m.id as number)
      assert.deepStrictEqual(written, [...replies].sort((a, b) => a - b), "each reply once, in id order")
      assert.deepStrictEqual(
        onServer.filter((m) => m.message_type === 0).map((m) => m.content),
        ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"],
        "each stdin line sent once, in order"
      )
    }))

  it.scoped("stdout stays NDJSON with --verbose under faults: retried requests, junk frames, undecodable events", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const faults = yield* Faults.Faults
      const stateDir = newStateDir()
      const app = yield* runApp(["pipe", "--verbose"], envOf(server), stateDir)
      yield* nextLine(app, (line) => line.includes("conversation.status_changed"))
      yield* faults.failRequests({ count: 1, status: 503 })
      yield* faults.sendRaw("{\"type\":\"ping\",")
      yield* faults.alterEvents((event, data) => event === "conversation.typing_on" ? { ...(data as object), conversation: {} } : data)
      yield* app.write("under faults")
      yield* app.endInput
      assert.strictEqual(yield* app.exit, 0, app.errors())
      assertPureNdjson(app)
      assert.include(messagesOf(app).map((m) => m.content), "under faults")
      // The logs went to stderr, debug lines included, each once.
      assert.match(app.errors(), /level=DEBUG/)
      assert.match(app.errors(), /level=WARN/)
      // No credential in any log line, at any level: neither the pubsub_token nor the whole source_id.
      const stored = readdirSync(stateDir).find((name) => name.includes("customer"))!
      const customer = JSON.parse(readFileSync(join(stateDir, stored), "utf8")) as { pubsub_token: string; source_id: string }
      assert.notInclude(app.errors(), customer.pubsub_token)
      assert.notInclude(app.errors(), customer.source_id)
    }).pipe(resettingFaults))

  it.scoped("a last line sent while the socket is dead completes by id, through the backfill, and exits 0", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const app = yield* runApp(["pipe"], envOf(server))
      yield* nextLine(app, (line) => line.includes("conversation.status_changed"))
      // Frames stop reaching the pipe: its echo never arrives live.
      yield* server.faults.halfOpen
      yield* app.write("sent during the outage")
      yield* app.endInput
      assert.strictEqual(yield* app.exit, 0, app.errors())
      const mine = messagesOf(app).filter((m) => m.content === "sent during the outage")
      assert.strictEqual(mine.length, 1)
      assert.isUndefined(mine[0].echo_id, "recovered over HTTP, where there is no echo_id")
      assertPureNdjson(app)
    }))

  it.scoped("a send whose answer was lost is checked, not repeated: by its echo, or else by the conversation's messages", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const faults = yield* Faults.Faults
      const app = yield* runApp(["pipe"], envOf(server))
      yield* nextLine(app, (line) => line.includes("conversation.status_changed"))
      yield* faults.loseAnswers({ count: 1 })
      yield* app.write("answer lost, echo arrives")
      yield* nextLine(app, (line) => line.includes("auto: answer lost, echo arrives"))
      // No frames either: only the conversation's messages can tell.
      yield* faults.halfOpen
      yield* faults.loseAnswers({ count: 1 })
      yield* app.write("answer lost, no echo")
      yield* app.write("after both")
      yield* app.endInput
      assert.strictEqual(yield* app.exit, 0, app.errors())
      assertPureNdjson(app)
      const conversationId = messagesOf(app)[0].conversation_id as number
      const sent = (yield* server.agent.messages(conversationId)).filter((m) => m.message_type === 0).map((m) => m.content)
      assert.deepStrictEqual(sent, ["answer lost, echo arrives", "answer lost, no echo", "after both"])
      assert.include(app.errors(), "checking whether it arrived")
    }).pipe(resettingFaults))

  it.scoped("behind a proxy that refuses WebSocket upgrades: says why at the first refusal, still sends, delivers once it passes", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const faults = yield* Faults.Faults
      yield* faults.refuseUpgrades(404)
      const app = yield* runApp(["pipe"], envOf(server))
      yield* app.write("sent while the cable is refused")
      // The cause on stderr at the first refused upgrade — long before any connect timeout (the generous bound counts
      // the process's start on a loaded machine).
      yield* Effect.suspend(() => app.errors().includes("HTTP 404") ? Effect.void : Effect.fail("not yet")).pipe(
        Effect.retry(Schedule.spaced("100 millis")),
        Effect.timeoutFail({ duration: "20 seconds", onTimeout: () => new Error(`no cause on stderr: ${app.errors()}`) })
      )
      assert.include(app.errors(), "WebSocket upgrades")
      // The line went over HTTP meanwhile.
      const agent = yield* Agent.Agent
      yield* agent.activity.pipe(
        Stream.filter((activity) => activity._tag === "MessageReceived" && activity.message.content === "sent while the cable is refused"),
        Stream.runHead,
        Effect.timeout("10 seconds")
      ).pipe(Effect.ignore)
      yield* faults.refuseUpgrades(false)
      yield* nextLine(app, (line) => line.includes("auto: sent while the cable is refused"))
      yield* app.endInput
      assert.strictEqual(yield* app.exit, 0, app.errors())
      assertPureNdjson(app)
      const mine = messagesOf(app).filter((m) => m.content === "sent while the cable is refused")
      assert.strictEqual(mine.length, 1)
    }).pipe(resettingFaults))

  it.scoped("--connect-timeout: exits 1 with the cause when the cable does not come up in time", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const faults = yield* Faults.Faults
      yield* faults.refuseUpgrades(404)
      const app = yield* runApp(["pipe", "--connect-timeout", "1500"], envOf(server))
      assert.strictEqual(yield* app.exit, 1)
      assert.include(app.errors(), "could not connect to the cable within")
      assert.include(app.errors(), "HTTP 404")
    }).pipe(resettingFaults))

  it.scoped("keeps credentials private: redacted on stdout, 0600 files in a 0700 state directory", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const stateDir = join(newStateDir(), "state")
      const app = yield* runApp(["pipe"], envOf(server), stateDir)
      yield* app.write("hello")
      const mine = JSON.parse(yield* nextLine(app, (line) => line.includes("\"content\":\"hello\"")))
      yield* server.agent.assign(mine.data.conversation_id, 1)
      const updated = yield* nextLine(app, (line) => line.includes("conversation.updated"))
      yield* app.endInput
      assert.strictEqual(yield* app.exit, 0, app.errors())
      const stored = readdirSync(stateDir).find((name) => name.includes("customer"))!
      const customer = JSON.parse(readFileSync(join(stateDir, stored), "utf8")) as { pubsub_token: string }
      assert.include(updated, "\"pubsub_token\":\"<redacted>\"")
      assert.notInclude(app.output(), customer.pubsub_token)
      assert.strictEqual(statSync(stateDir).mode & 0o777, 0o700)
      for (const file of readdirSync(stateDir)) assert.strictEqual(statSync(join(stateDir, file)).mode & 0o777, 0o600, file)
    }))

  it.scoped("exits 2 on a usage error, with the reason on stderr and nothing on stdout", () =>
    Effect.gen(function*() {
      const app = yield* runApp(["pipe", "--linger", "soon"])
      assert.strictEqual(yield* app.exit, 2)
      assert.strictEqual(app.output(), "")
      assert.include(app.errors(), "soon")
    }))
})
