// @bevatel/local-server alone: a local Bevatel installation, asked for its inbox over HTTP.
import { LocalServer } from "@bevatel/local-server"
import { Effect } from "effect"

const program = Effect.gen(function*() {
  const server = yield* LocalServer.make({ inboxes: [{ identifier: "rehearsal-inbox", name: "Rehearsal" }] })
  const inbox = yield* Effect.promise(() => fetch(`${server.url}/public/api/v1/inboxes/rehearsal-inbox`).then((r) => r.json()))
  console.log(`inbox: ${inbox.name}`)
}).pipe(Effect.scoped)
Effect.runPromise(program).then(() => process.exit(0))
