/**
 * The widget end to end in headless Chromium (Debian's package), against the local server: send and receive,
 * reload and keep the history, survive every socket being cut while the agent replies.
 */
import { LocalServer } from "@bevatel/local-server"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Fiber, Redacted, Schedule, Stream } from "effect"
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { chromium } from "playwright-core"
import { distDirectory, startIntegrator } from "../scripts/integrator.mjs"

const chromiumPath = "/usr/bin/chromium"
const hmacToken = "widget-secret-hmac-token-4f9c2"
const artifacts = fileURLToPath(new URL("../test-results/", import.meta.url))

// CI installs Chromium and sets BEVATEL_REQUIRE_BROWSER, so there a missing browser fails instead of skipping.
const browserAvailable = existsSync(chromiumPath)
if (!browserAvailable && process.env.BEVATEL_REQUIRE_BROWSER) {
  throw new Error(`${chromiumPath} is missing: install Debian's chromium package`)
}

const serverLayer = LocalServer.layer({
  inboxes: [{ identifier: "widget-inbox", hmacToken: Redacted.make(hmacToken), hmacMandatory: true, csatSurveyEnabled: true }],
  autoReply: { delay: "50 millis", typingFor: "500 millis", reply: (content) => `Agent here — got "${content}"` }
})

const launch = Effect.acquireRelease(
  Effect.promise(() =>
    chromium.launch({
      executablePath: chromiumPath,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    })
  ),
  (browser) => Effect.promise(() => browser.close())
)

describe("the built widget", () => {
  it("never contains the HMAC token or the signer", () => {
    const files = readdirSync(join(distDirectory, "assets")).map((file) => readFileSync(join(distDirectory, "assets", file), "utf8"))
    assert.isAbove(files.length, 0)
    for (const file of files) {
      assert.notInclude(file, hmacToken)
      assert.notInclude(file, "BEVATEL_HMAC_TOKEN")
      assert.notInclude(file, "IdentitySigner")
    }
  })
})

layer(serverLayer, { excludeTestServices: true })("the widget in Chromium", (it) => {
  it.scoped.skipIf(!browserAvailable)("chats, keeps its history across a reload, and loses nothing while sockets are cut", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const integrator = yield* startIntegrator(Redacted.make(hmacToken))
      const browser = yield* launch
      const page = yield* Effect.promise(() => browser.newPage())
      const pageUrl = `${integrator.url}/?bevatel=${encodeURIComponent(server.url)}&inbox=widget-inbox&user=alice`
      const until = (selector: string, state: "visible" | "attached" = "visible") =>
        Effect.promise(() => page.waitForSelector(selector, { timeout: 30_000, state }))
      const count = (selector: string) => Effect.promise(() => page.locator(selector).count())

      // What the agent's side sees of the customer: typing (debounced on/off) and read receipts.
      const agentSaw: Array<string> = []
      const activity = yield* server.agent.activity.pipe(
        Stream.filter((event) => event._tag === "CustomerTyping" || event._tag === "ConversationSeen"),
        Stream.map((event) => event._tag === "CustomerTyping" ? `typing ${event.status}` : "seen"),
        Stream.runForEach((line) => Effect.sync(() => agentSaw.push(line))),
        Effect.forkScoped
      )
      yield* Effect.promise(() => page.goto(pageUrl))
      yield* until(`#status[data-status="open"]`)

      // The agent's typing indicator may show only briefly: record every time it turns visible.
      yield* Effect.promise(() =>
        page.evaluate(() => {
          const typing = document.getElementById("typing")!
          const seen = window as unknown as { typingSeen: boolean }
          seen.typingSeen = false
          new MutationObserver(() => {
            if (typing.dataset.visible === "true") seen.typingSeen = true
          }).observe(typing, { attributes: true })
        })
      )

      // Send: an optimistic bubble, reconciled by echo id when the server's echo arrives; the agent answers.
      yield* Effect.promise(() => page.fill("#composer", "Hello from Chromium"))
      yield* Effect.promise(() => page.press("#composer", "Enter"))
      yield* until(`.message.customer[data-state="sent"]:has-text("Hello from Chromium")`)
      yield* until(`.message.agent:has-text('got "Hello from Chromium"')`)
      assert.isTrue(yield* Effect.promise(() => page.evaluate(() => (window as unknown as { typingSeen: boolean }).typingSeen)))
      assert.strictEqual(yield* count(".message.customer"), 1)
      // The widget marked the conversation seen: the server marks the agent's reply read (message.updated).
      yield* until(`.message.agent[data-status="read"]:has-text('got "Hello from Chromium"')`)
      const seenEnough = () => ["typing on", "typing off", "seen"].every((line) => agentSaw.includes(line))
      yield* Effect.suspend(() => seenEnough() ? Effect.void : Effect.fail("not yet")).pipe(
        Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 200 }),
        Effect.ignore
      )
      assert.isTrue(seenEnough(), `the agent saw: ${agentSaw.join(", ")}`)
      yield* Fiber.interrupt(activity)

      // Reload: the same customer (identity-verified, restored from localStorage) and the same history.
      const conversation = yield* Effect.promise(() => page.evaluate(() => document.body.dataset.conversation))
      yield* Effect.promise(() => page.reload())
      yield* until(`.message.agent:has-text('got "Hello from Chromium"')`)
      assert.strictEqual(yield* Effect.promise(() => page.evaluate(() => document.body.dataset.conversation)), conversation)
      assert.strictEqual(yield* count(".message.customer"), 1)

      // Cut every socket: the page shows it is reconnecting, and then every reply sent meanwhile, once.
      const restart = yield* Effect.fork(server.faults.restart({ downFor: "2 seconds" }))
      yield* until(`#connection[data-state="Reconnecting"]`)
      const replies = Array.from({ length: 5 }, (_, i) => `While you were away #${i + 1}`)
      for (const reply of replies) yield* server.agent.reply(Number(conversation), reply)
      yield* Fiber.join(restart)
      yield* until(`#connection[data-state="Connected"]`, "attached")
      for (const reply of replies) yield* until(`.message.agent:has-text("${reply}")`)
      for (const reply of replies) assert.strictEqual(yield* count(`.message.agent:has-text("${reply}")`), 1, reply)

      // Resolved with a CSAT survey: the widget shows the rating prompt, and the rating comes back from the server.
      yield* server.agent.setStatus(Number(conversation), "resolved")
      yield* until(`#status[data-status="resolved"]`)
      yield* until(`.csat button[data-rating="5"]`)
      yield* Effect.promise(() => page.click(`.csat button[data-rating="5"]`))
      yield* until(`.csat[data-rated="5"]`)

      mkdirSync(artifacts, { recursive: true })
      yield* Effect.promise(() => page.screenshot({ path: join(artifacts, "widget.png") }))
    }))
})
