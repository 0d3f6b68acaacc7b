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
import { chromium, type Page } from "playwright-core"
import { distDirectory, startIntegrator, strictCsp } from "../scripts/integrator.mjs"

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

/** Records every CSP violation the page reports, from before its first script. */
const recordViolations = (page: Page) =>
  Effect.promise(() =>
    page.addInitScript(() => {
      const w = window as unknown as { violations: Array<string> }
      w.violations = []
      document.addEventListener("securitypolicyviolation", (event) => w.violations.push(`${event.violatedDirective} ${event.blockedURI}`))
    })
  )

/** The CSP violations recorded so far. */
const violationsOf = (page: Page) =>
  Effect.promise(() => page.evaluate(() => (window as unknown as { violations: Array<string> }).violations))

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

  it.scoped.skipIf(!browserAvailable)("renders markdown as Chatwoot's widget does, under a strict CSP with no violation", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const integrator = yield* startIntegrator(Redacted.make(hmacToken), 0, { csp: strictCsp(server.url) })
      const browser = yield* launch
      const page = yield* Effect.promise(() => browser.newPage())
      yield* recordViolations(page)
      yield* Effect.promise(() => page.goto(`${integrator.url}/?bevatel=${encodeURIComponent(server.url)}&inbox=widget-inbox&user=markdown-reader`))
      yield* Effect.promise(() => page.waitForSelector(`#status[data-status="open"]`, { timeout: 30_000 }))
      const conversation = Number(yield* Effect.promise(() => page.evaluate(() => document.body.dataset.conversation)))
      yield* server.agent.reply(
        conversation,
        "**Bold** and _italics_, `code` and [our site](https://example.com/help).\nA second line, and https://example.org/x too.\n\n- one\n- two\n\n1. first\n2. second\n\n```\nconst x = 1 < 2\n```"
      )
      const bubble = yield* Effect.promise(() => page.waitForSelector(`.message.agent:has-text("Bold")`, { timeout: 30_000 }))
      const shape = yield* Effect.promise(() =>
        bubble.evaluate((div) => ({
          strong: div.querySelector(".content strong")?.textContent,
          em: div.querySelector(".content em")?.textContent,
          code: div.querySelector(".content p code")?.textContent,
          links: [...div.querySelectorAll<HTMLAnchorElement>(".content a")].map((a) => [a.href, a.textContent, a.target, a.rel]),
          breaks: div.querySelectorAll(".content p br").length,
          bullets: [...div.querySelectorAll(".content ul li")].map((li) => li.textContent),
          numbers: [...div.querySelectorAll(".content ol li")].map((li) => li.textContent),
          block: div.querySelector(".content pre code")?.textContent
        }))
      )
      assert.deepStrictEqual(shape, {
        strong: "Bold",
        em: "italics",
        code: "code",
        links: [
          ["https://example.com/help", "our site", "_blank", "noopener noreferrer nofollow"],
          ["https://example.org/x", "https://example.org/x", "_blank", "noopener noreferrer nofollow"]
        ],
        breaks: 1,
        bullets: ["one", "two"],
        numbers: ["first", "second"],
        block: "const x = 1 < 2"
      })
      // The widget sends and receives under the policy, and nothing it does is blocked.
      yield* Effect.promise(() => page.fill("#composer", "Under a strict CSP"))
      yield* Effect.promise(() => page.press("#composer", "Enter"))
      yield* Effect.promise(() => page.waitForSelector(`.message.agent:has-text('got "Under a strict CSP"')`, { timeout: 30_000 }))
      assert.deepStrictEqual(yield* violationsOf(page), [])
    }))

  it.scoped.skipIf(!browserAvailable)("an XSS corpus from the agent, without a CSP and under the strict one: nothing runs, nothing active or unsafe reaches the page", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const corpus = [
        `<script>window.pwned=1;alert(1)</script>`,
        `<img src=x onerror="window.pwned=2;alert(2)">`,
        `<svg onload="window.pwned=3;alert(3)"></svg>`,
        `<svg><script>alert(4)</script></svg>`,
        `<iframe src="javascript:alert(5)"></iframe>`,
        `<a href="javascript:alert(6)">click</a>`,
        `[click](javascript:alert(7))`,
        `[click](JaVaScRiPt:alert(8))`,
        `[click](java	script:alert(9))`,
        `[click](&#106;avascript:alert(10))`,
        `[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMSk8L3NjcmlwdD4=)`,
        `[click](vbscript:msgbox(12))`,
        `[click](" onmouseover="alert(13))`,
        `[x](https://example.com" onclick="alert(14))`,
        `![img](javascript:alert(15))`,
        `![img](x" onerror="alert(16))`,
        `<details open ontoggle=alert(17)>`,
        `<body onload=alert(18)>`,
        `<math><mtext><table><mglyph><style><img src=x onerror=alert(19)>`,
        `<object data="javascript:alert(20)"></object>`,
        `<embed src="javascript:alert(21)">`,
        `<form action="javascript:alert(22)"><button>go</button></form>`,
        `<meta http-equiv="refresh" content="0;url=javascript:alert(23)">`,
        `<style>@import 'javascript:alert(24)';</style>`,
        `**<img src=x onerror=alert(25)>**`,
        `\`<script>alert(26)</script>\``,
        "```\n<script>alert(27)</script>\n```",
        `&lt;script&gt;alert(28)&lt;/script&gt;`,
        `%3Cscript%3Ealert(29)%3C/script%3E`,
        `<scr<script>ipt>alert(30)</script>`,
        `javascript:alert(31)`,
        `[a](https://ok.example/)[b](javascript:alert(32))`,
        `<a href="https://example.com" onclick="alert(33)">ok</a>`,
        `_<svg/onload=alert(34)>_`
      ]
      const browser = yield* launch
      // Without a CSP the renderer alone must keep every vector inert; under the strict one nothing even tries.
      for (const [index, csp] of [undefined, strictCsp(server.url)].entries()) {
        const integrator = yield* startIntegrator(Redacted.make(hmacToken), 0, { csp })
        const page = yield* Effect.promise(() => browser.newPage())
        yield* recordViolations(page)
        const dialogs: Array<string> = []
        page.on("dialog", (dialog) => {
          dialogs.push(dialog.message())
          void dialog.dismiss()
        })
        yield* Effect.promise(() => page.goto(`${integrator.url}/?bevatel=${encodeURIComponent(server.url)}&inbox=widget-inbox&user=xss-target-${index}`))
        yield* Effect.promise(() => page.waitForSelector(`#status[data-status="open"]`, { timeout: 30_000 }))
        const conversation = Number(yield* Effect.promise(() => page.evaluate(() => document.body.dataset.conversation)))
        for (const vector of corpus) yield* server.agent.reply(conversation, vector)
        yield* server.agent.reply(conversation, "end of the corpus")
        yield* Effect.promise(() => page.waitForSelector(`.message.agent:has-text("end of the corpus")`, { timeout: 30_000 }))
        const found = yield* Effect.promise(() =>
          page.evaluate(() => {
            const messages = document.getElementById("messages")!
            const active = messages.querySelectorAll("script, iframe, object, embed, svg, math, img, style, form, meta, details, body, link, base")
            const handlers = [...messages.querySelectorAll("*")].flatMap((element) =>
              [...element.attributes].filter((attribute) => /^on/i.test(attribute.name)).map((attribute) => attribute.name)
            )
            const links = [...messages.querySelectorAll("a")].map((a) => a.protocol)
            return {
              pwned: (window as unknown as { pwned?: unknown }).pwned,
              active: active.length,
              handlers,
              unsafeLinks: links.filter((protocol) => !["http:", "https:", "mailto:", "tel:"].includes(protocol)),
              shown: messages.querySelectorAll(".message.agent").length
            }
          })
        )
        assert.deepStrictEqual(found, { pwned: undefined, active: 0, handlers: [], unsafeLinks: [], shown: corpus.length + 1 })
        assert.deepStrictEqual(dialogs, [])
        assert.deepStrictEqual(yield* violationsOf(page), [])
        // The markup is shown as the text it is.
        yield* Effect.promise(() => page.waitForSelector(`.message.agent:has-text("<script>window.pwned=1;alert(1)</script>")`, { timeout: 5_000 }))
        mkdirSync(artifacts, { recursive: true })
        yield* Effect.promise(() => page.screenshot({ path: join(artifacts, csp === undefined ? "widget-xss-corpus.png" : "widget-xss-corpus-csp.png"), fullPage: true }))
      }
    }))
})
