/**
 * The local server in its own process for the many-customers benchmark, so that neither its heap nor its CPU counts
 * as the client's. Controlled over IPC: `{ id, op: "seed", count }` opens `count` conversations with new contacts,
 * `{ id, op: "replyAll" }` has the agent answer in each, `{ id, op: "restart", downForMs }` restarts it (same data),
 * `{ id, op: "throttled" }` tells how many requests got a 429. Answers `{ id, result }`.
 * Started with `--throttle N` it enforces the real server's throttle.
 */
import { Agent, Faults, LocalServer } from "@bevatel/local-server"
import { Effect, ManagedRuntime } from "effect"

const throttleAt = process.argv.indexOf("--throttle")
const requestsPerMinute = throttleAt >= 0 ? Number(process.argv[throttleAt + 1]) : undefined
const runtime = ManagedRuntime.make(
  LocalServer.layer(requestsPerMinute === undefined ? {} : { throttle: { requestsPerMinute } })
)
let conversations: ReadonlyArray<number> = []

const handle = (message: { readonly op: string; readonly count?: number; readonly downForMs?: number }) =>
  Effect.gen(function*() {
    const server = yield* LocalServer.LocalServer
    const agent = yield* Agent.Agent
    switch (message.op) {
      case "seed": {
        const opened = yield* Effect.forEach(Array.from({ length: message.count ?? 0 }), (_, i) =>
          agent.openConversation({ name: `bench customer ${i}` }))
        conversations = [...conversations, ...opened.map((o) => o.conversationId)]
        return opened
      }
      case "replyAll":
        for (const id of conversations) yield* agent.reply(id, `reply to ${id}`)
        return conversations.length
      case "restart":
        yield* Effect.flatMap(Faults.Faults, (faults) => faults.restart({ downFor: `${message.downForMs ?? 1000} millis` }))
        return true
      case "throttled":
        return yield* server.throttledRequests
      default:
        return yield* Effect.dieMessage(`unknown op ${message.op}`)
    }
  })

process.on("message", (message: { readonly id: number; readonly op: string }) => {
  runtime.runPromise(handle(message)).then(
    (result) => process.send!({ id: message.id, result }),
    (error) => process.send!({ id: message.id, error: String(error) })
  )
})

runtime.runPromise(LocalServer.LocalServer).then((server) =>
  process.send!({ ready: server.url, inbox: server.inboxes[0]!.identifier })
)
