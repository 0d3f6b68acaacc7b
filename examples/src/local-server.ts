// examples/src/local-server.ts — the local Bevatel server started from code, for development and demos: one inbox
// with identity validation, an agent that answers every message, and the settings to point a client at it.
// Run: node local-server.js  (Ctrl-C stops it)
import { LocalServer } from "@bevatel/local-server"
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Redacted } from "effect"

const Server = LocalServer.layer({
  port: 0, // a free port
  inboxes: [{ identifier: "demo-inbox", hmacToken: Redacted.make("demo-hmac-token"), hmacMandatory: false }],
  agents: [{ id: 1, name: "Lina" }],
  autoReply: { delay: "300 millis", typingFor: "700 millis", reply: (content) => `You said "${content ?? ""}"` }
})

const program = Effect.gen(function*() {
  const server = yield* LocalServer.LocalServer
  yield* Console.log(`BEVATEL_URL=${server.url}`)
  yield* Console.log(`BEVATEL_INBOX_IDENTIFIER=${server.inboxes[0]!.identifier}`)
  // Serve until interrupted; the agent and faults are there too: server.agent.reply(…), server.faults.dropSockets.
  return yield* Effect.never
})

NodeRuntime.runMain(program.pipe(Effect.provide(Server)))
