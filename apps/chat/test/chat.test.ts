import { golden } from "@bevatel/golden"
import { Agent, Faults, LocalServer } from "@bevatel/local-server"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Fiber, Option, Schedule, Stream } from "effect"
import { readFileSync } from "node:fs"
import { jsonLines, nextLine, runApp } from "./app.js"

/** The agent's typing event as the real server sends it (golden corpus). */
const goldenTyping = golden("cable.conversation.typing_on.agent.json").message

describe("bevatel-chat", () => {
  it.scoped("documents both modes and the settings in --help", () =>
    Effect.gen(function*() {
      const app = yield* runApp(["--help"])
      assert.strictEqual(yield* app.exit, 0)
      for (const word of ["pipe", "BEVATEL_URL", "BEVATEL_INBOX_IDENTIFIER", "BEVATEL_IDENTIFIER", "BEVATEL_HMAC_TOKEN", "--linger", "/quit"]) {
        assert.include(app.output(), word)
      }
      // Into a pipe: no colour codes; the list of commands describes each; the version names the SDK's.
      assert.notInclude(app.output(), "\x1b[")
      const commands = app.output().slice(app.output().indexOf("COMMANDS"))
      for (const [command, description] of [["pipe", "For server pipelines"], ["bridge", "For many customers"], ["doctor", "Checks the installation"]]) {
        assert.match(commands, new RegExp(`- ${command} \\[[^\\n]*${description}`), command)
      }
      const version = yield* runApp(["--version"])
      assert.strictEqual(yield* version.exit, 0)
      const clientVersion = JSON.parse(readFileSync(new URL("../../../packages/client/package.json", import.meta.url), "utf8")).version
      assert.strictEqual(version.output().trim(), `${clientVersion} (@bevatel/client)`)
    }))

  it.scoped("a usage error in a pipe carries no colour codes", () =>
    Effect.gen(function*() {
      const app = yield* runApp(["--no-such-option"])
      assert.strictEqual(yield* app.exit, 2)
      assert.isAbove(app.errors().length + app.output().length, 0)
      assert.notInclude(app.errors() + app.output(), "\x1b[")
    }))

  it.scoped("chats with the embedded server's agent by default, and leaves on /quit", () =>
    Effect.gen(function*() {
      const app = yield* runApp([])
      yield* nextLine(app, (line) => line.startsWith("Type a message"))
      yield* app.write("Is anyone there?")
      yield* nextLine(app, (line) => line.includes("typing"))
      const reply = yield* nextLine(app, (line) => line.includes("embedded demo agent"))
      assert.include(reply, "Is anyone there?")
      yield* app.write("/quit")
      assert.strictEqual(yield* app.exit, 0)
      assert.include(app.output(), "embedded demo server")
    }))

  it.scoped("fails with a clear message and a non-zero code when a setting is missing", () =>
    Effect.gen(function*() {
      const app = yield* runApp(["pipe"], { BEVATEL_URL: "http://127.0.0.1:9" })
      assert.notStrictEqual(yield* app.exit, 0)
      assert.include(app.errors(), "BEVATEL_INBOX_IDENTIFIER")
    }))
})

const serverLayer = LocalServer.layer({
  pingInterval: "500 millis",
  autoReply: { delay: "10 millis", typingFor: "10 millis", reply: (content) => `auto: ${content}` }
})

layer(serverLayer, { excludeTestServices: true })("bevatel-chat pipe against a local server", (it) => {
  const envOf = (server: LocalServer.Service) => ({
    BEVATEL_URL: server.url,
    BEVATEL_INBOX_IDENTIFIER: server.inboxes[0]!.identifier
  })

  it.scoped("sends every stdin line, writes every event as a JSON line, and exits 0 once every message sent came back", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const app = yield* runApp(["pipe"], envOf(server))
      yield* nextLine(app, (line) => line.includes("conversation.status_changed"))
      for (const line of ["first", "second", "third"]) yield* app.write(line)
      yield* app.endInput
      assert.strictEqual(yield* app.exit, 0, app.errors())
      const events = jsonLines(app.output())
      const created = events.filter((e) => e.event === "message.created").map((e) => e.data)
      const mine = created.filter((m) => m.message_type === 0).map((m) => m.content)
      assert.deepStrictEqual(mine, ["first", "second", "third"])
      assert.isTrue(created.filter((m) => m.message_type === 0).every((m) => typeof m.echo_id === "string"))
      assert.isTrue(typeof created[0].created_at === "number", "data is in its wire form")
    }))

  it.scoped("shows the agent typing from a frame shaped as the real server sends it (golden corpus)", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const faults = yield* Faults.Faults
      // The server's own typing data is replaced by the golden payload, keeping only the conversation's id.
      yield* faults.alterEvents((event, data) =>
        event === "conversation.typing_on"
          ? { ...goldenTyping.data, conversation: { ...goldenTyping.data.conversation, id: (data as any).conversation.id } }
          : data
      )
      const app = yield* runApp([], envOf(server))
      yield* nextLine(app, (line) => line.startsWith("Type a message"))
      yield* app.write("Are you there?")
      yield* nextLine(app, (line) => line.includes("[the agent is typing…]"))
      yield* nextLine(app, (line) => line.includes("auto: Are you there?"))
      yield* app.write("/quit")
      assert.strictEqual(yield* app.exit, 0)
      assert.notInclude(app.errors(), "did not decode")
    }).pipe(Effect.ensuring(Effect.flatMap(Faults.Faults, (faults) => faults.reset))))

  it.scoped("marks an agent's reply seen, and the read receipt that follows is not shown as an edit", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const agent = yield* Agent.Agent
      const seen = yield* agent.activity.pipe(
        Stream.filter((activity) => activity._tag === "ConversationSeen"),
        Stream.runHead,
        Effect.forkScoped
      )
      const app = yield* runApp([], envOf(server))
      yield* nextLine(app, (line) => line.startsWith("Type a message"))
      yield* app.write("Read me back")
      yield* nextLine(app, (line) => line.includes("auto: Read me back"))
      // The app marked the reply seen; the server's receipt (message.updated) goes out before the next message.
      const { conversationId } = Option.getOrThrow(yield* Fiber.join(seen)) as { conversationId: number }
      yield* agent.reply(conversationId, "after the receipt")
      yield* nextLine(app, (line) => line.includes("after the receipt"))
      yield* app.write("/quit")
      assert.strictEqual(yield* app.exit, 0)
      assert.notInclude(app.output(), "(edited)")
    }))

  it.scoped("behind a proxy that refuses /cable: a typed message reaches the server over HTTP, and /quit or Ctrl-D leave", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const faults = yield* Faults.Faults
      const agent = yield* Agent.Agent
      yield* faults.refuseUpgrades(404)
      const received = yield* agent.activity.pipe(
        Stream.filter((activity) => activity._tag === "MessageReceived" && activity.message.content === "sent while refused"),
        Stream.runHead,
        Effect.forkScoped
      )
      const quitting = yield* runApp([], envOf(server))
      yield* nextLine(quitting, (line) => line.startsWith("Type a message"))
      yield* quitting.write("sent while refused")
      yield* Fiber.join(received).pipe(
        Effect.timeoutFail({ duration: "30 seconds", onTimeout: () => new Error(`never received: ${quitting.errors()}`) })
      )
      yield* quitting.write("/quit")
      assert.strictEqual(yield* quitting.exit, 0, quitting.errors())
      assert.include(quitting.output(), "Bye!")
      // Ctrl-D: stdin ends.
      const leaving = yield* runApp([], envOf(server))
      yield* nextLine(leaving, (line) => line.startsWith("Type a message"))
      yield* leaving.endInput
      assert.strictEqual(yield* leaving.exit, 0, leaving.errors())
      assert.include(leaving.output(), "Bye!")
    }).pipe(Effect.ensuring(Effect.flatMap(Faults.Faults, (faults) => faults.reset))))

  it.scoped("pipe writes a live event as the server sent it: every field, those the SDK does not know too, redacted", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const faults = yield* Faults.Faults
      // The golden payload, with fields a newer server might add, at the top and inside the conversation.
      const sent = (conversationId: number) => ({
        ...goldenTyping.data,
        conversation: { ...goldenTyping.data.conversation, id: conversationId, sla_policy_id: 4 },
        typing_source: { kind: "editor", since: 1771002950.25 }
      })
      yield* faults.alterEvents((event, data) => event === "conversation.typing_on" ? sent((data as any).conversation.id) : data)
      const app = yield* runApp(["pipe"], envOf(server))
      // Live: the stream's first line comes once the cable is subscribed (typing is never recovered).
      yield* nextLine(app, (line) => line.includes("conversation.status_changed"))
      yield* app.write("Are you there?")
      const echo = JSON.parse(yield* nextLine(app, (line) => line.includes("Are you there?")))
      const typing = JSON.parse(yield* nextLine(app, (line) => line.includes("\"conversation.typing_on\"")))
      yield* app.endInput
      assert.strictEqual(yield* app.exit, 0, app.errors())
      const expected = sent(echo.data.conversation_id)
      assert.deepStrictEqual(typing, {
        event: "conversation.typing_on",
        data: {
          ...expected,
          conversation: {
            ...expected.conversation,
            contact_inbox: { ...expected.conversation.contact_inbox, pubsub_token: "<redacted>" }
          }
        }
      })
    }).pipe(Effect.ensuring(Effect.flatMap(Faults.Faults, (faults) => faults.reset))))

  it.scoped("loses and duplicates nothing across a forced reconnect", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const faults = yield* Faults.Faults
      const app = yield* runApp(["pipe"], envOf(server))
      yield* nextLine(app, (line) => line.includes("conversation.status_changed"))
      yield* app.write("before the outage")
      const echo = JSON.parse(yield* nextLine(app, (line) => line.includes("before the outage")))
      const conversationId = echo.data.conversation_id as number
      yield* nextLine(app, (line) => line.includes("message.created") && line.includes("auto: before the outage"))
      const restart = yield* Effect.fork(faults.restart({ downFor: "1 second" }))
      // The server is down as soon as it stops answering; the agent keeps writing meanwhile.
      yield* server.cableConnections.pipe(Effect.repeat({ until: (n) => n === 0, schedule: Schedule.spaced("20 millis") }))
      const missed = Array.from({ length: 25 }, (_, i) => `missed ${i + 1}`)
      for (const content of missed) yield* server.agent.reply(conversationId, content)
      yield* Fiber.join(restart)
      yield* nextLine(app, (line) => line.includes("stream.resumed"))
      yield* app.write("after the outage")
      yield* app.endInput
      assert.strictEqual(yield* app.exit, 0, app.errors())
      const contents = jsonLines(app.output()).filter((e) => e.event === "message.created").map((e) => e.data.content)
      for (const content of [...missed, "before the outage", "auto: before the outage", "after the outage"]) {
        assert.strictEqual(contents.filter((c) => c === content).length, 1, content)
      }
      const order = contents.filter((c) => missed.includes(c))
      assert.deepStrictEqual(order, missed)
    }))
})
