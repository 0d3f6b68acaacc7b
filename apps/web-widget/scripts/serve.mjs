// Serves a sample site embedding the built widget, beside an embedded local Bevatel server, the way an integrator
// would: the widget talks to the Bevatel server directly (cross-origin), and the site signs its signed-in user's
// identifier with the inbox HMAC token, which never reaches the page. Run `npx -y pnpm@10.34.9 --filter
// bevatel-web-widget serve` after a build.
import { LocalServer } from "@bevatel/local-server"
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Redacted } from "effect"
import { startIntegrator } from "./integrator.mjs"

const hmacToken = Redacted.make(crypto.randomUUID())

const program = Effect.gen(function*() {
  const bevatel = yield* LocalServer.make({
    inboxes: [{ identifier: "widget-demo", hmacToken, csatSurveyEnabled: true }],
    autoReply: true
  })
  const site = yield* startIntegrator(hmacToken, Number(process.env.PORT ?? 5173), {
    widget: { url: bevatel.url, inbox: "widget-demo" }
  })
  yield* Console.log(`A site with the widget: ${site.url}/ (signed in: ${site.url}/signin?user=demo-user, Arabic: ${site.url}/?locale=ar)`)
  return yield* Effect.never
})

NodeRuntime.runMain(Effect.scoped(program))
