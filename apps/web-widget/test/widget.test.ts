/**
 * The widget as a site embeds it (one script tag on the site's pages), end to end in headless Chromium (Debian's
 * package) against the local server: a customer's whole visit, keyboard only, right to left, accessibility scans,
 * availability, markdown and an XSS corpus under a strict Content-Security-Policy.
 */
import { LocalServer } from "@bevatel/local-server"
import { Agent } from "@bevatel/local-server"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Fiber, Redacted, Schedule, Stream } from "effect"
import { createHmac } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import { type Browser, chromium, type Page } from "playwright-core"
import { distDirectory, startIntegrator, strictCsp, type WidgetSettings } from "../scripts/integrator.mjs"

const chromiumPath = "/usr/bin/chromium"
const hmacToken = "widget-secret-hmac-token-4f9c2"
const artifacts = fileURLToPath(new URL("../test-results/", import.meta.url))
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8")
/** A 96×64 PNG (an orange and white checkerboard), as a customer's picture. */
const picture = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAGAAAABACAIAAABqVuVZAAAAf0lEQVR42u3YsQ0AMAgEMUbJ/lU2JDNQhjeiRsLlVd8z2+l8fr8AAQIECBAgQIAAAQIECBAgQIC2AYU9PL0PCBAgQIAAAQIECBAgQIAAAQK0DkgwUxQBAQIECBAgQIAAAQIECBAgQFlAgpmiCAgQIECAAAECBAgQIECAAAFKAnqbqpNYkotb4gAAAABJRU5ErkJggg==",
  "base64"
)

// CI installs Chromium and sets BEVATEL_REQUIRE_BROWSER, so there a missing browser fails instead of skipping.
const browserAvailable = existsSync(chromiumPath)
if (!browserAvailable && process.env.BEVATEL_REQUIRE_BROWSER) {
  throw new Error(`${chromiumPath} is missing: install Debian's chromium package`)
}

const closedAllWeek = Array.from({ length: 7 }, (_, day) => ({
  day_of_week: day,
  closed_all_day: true,
  open_hour: null,
  open_minutes: null,
  close_hour: null,
  close_minutes: null,
  open_all_day: false
}))

const serverLayer = LocalServer.layer({
  inboxes: [
    { identifier: "widget-inbox", hmacToken: Redacted.make(hmacToken), hmacMandatory: true, csatSurveyEnabled: true },
    { identifier: "visitor-inbox", hmacToken: Redacted.make(hmacToken), csatSurveyEnabled: true },
    { identifier: "closed-inbox", hmacToken: Redacted.make(hmacToken), workingHoursEnabled: true, workingHours: closedAllWeek }
  ],
  agents: [{ id: 1, name: "Dana Agent" }],
  // As a proxy in front of an installation would: larger uploads are refused with 413.
  maxBodySize: 64 * 1024,
  autoReply: { delay: "50 millis", typingFor: "500 millis", reply: (content) => `Agent here — got "${content ?? "your file"}"` }
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

/** The site, serving its pages with the widget for `inbox`. */
const site = (inbox: string, options: { readonly csp?: boolean; readonly widget?: Partial<WidgetSettings> } = {}) =>
  Effect.gen(function*() {
    const server = yield* LocalServer.LocalServer
    return yield* startIntegrator(Redacted.make(hmacToken), 0, {
      csp: options.csp ? strictCsp(server.url) : undefined,
      widget: { url: server.url, inbox, ...options.widget }
    })
  })

/** A new page (1280×800 unless said), recording CSP violations from before its first script. */
const newPage = (browser: Browser, viewport = { width: 1280, height: 800 }) =>
  Effect.gen(function*() {
    const page = yield* Effect.promise(() => browser.newPage({ viewport }))
    yield* Effect.promise(() =>
      page.addInitScript(() => {
        const w = window as unknown as { violations: Array<string> }
        w.violations = []
        document.addEventListener("securitypolicyviolation", (event) => w.violations.push(`${event.violatedDirective} ${event.blockedURI}`))
      })
    )
    return page
  })

const violationsOf = (page: Page) =>
  Effect.promise(() => page.evaluate(() => (window as unknown as { violations: Array<string> }).violations))
const until = (page: Page, selector: string, state: "visible" | "attached" | "hidden" = "visible") =>
  Effect.promise(() => page.waitForSelector(selector, { timeout: 30_000, state }))
const count = (page: Page, selector: string) => Effect.promise(() => page.locator(selector).count())
const conversationOf = (page: Page) =>
  Effect.promise(() => page.locator("#bevatel-panel").getAttribute("data-conversation")).pipe(Effect.map(Number))
/** What has focus inside the widget's shadow root (`undefined` when the focus is elsewhere). */
const focusedInWidget = (page: Page) =>
  Effect.promise(() =>
    page.evaluate(() => {
      const host = document.getElementById("bevatel-widget")!
      if (document.activeElement !== host) return undefined
      const active = host.shadowRoot!.activeElement
      return active?.id || active?.className
    })
  )

/**
 * Watches the widget for `selector`, which may match only briefly (the agent's typing, an upload's progress bar):
 * answers an effect that says whether it ever matched since.
 */
const watchFor = (page: Page, selector: string) =>
  Effect.promise(() =>
    page.evaluate((selector) => {
      const root = document.getElementById("bevatel-widget")!.shadowRoot!
      const seen = ((window as unknown as { seen?: Record<string, boolean> }).seen ??= {})
      seen[selector] = false
      new MutationObserver(() => {
        if (root.querySelector(selector)) seen[selector] = true
      }).observe(root, { attributes: true, childList: true, subtree: true })
    }, selector)
  ).pipe(
    Effect.as(Effect.promise(() => page.evaluate((selector) => (window as unknown as { seen: Record<string, boolean> }).seen[selector]!, selector)))
  )

/** Runs axe-core on the page (the widget's shadow root included): the serious and critical violations. */
const seriousViolations = (page: Page) =>
  Effect.gen(function*() {
    yield* Effect.promise(() => page.evaluate(axeSource))
    return yield* Effect.promise(() =>
      page.evaluate(async () => {
        const axe = (window as unknown as {
          axe: {
            run: (context: unknown, options: unknown) => Promise<{
              violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }>
            }>
          }
        }).axe
        const results = await axe.run(document, { resultTypes: ["violations"] })
        return results.violations
          .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
          .map((violation) => `${violation.impact} ${violation.id}: ${JSON.stringify(violation.nodes.map((node) => node.target))}`)
      })
    )
  })

const screenshot = (page: Page, name: string) =>
  Effect.gen(function*() {
    mkdirSync(artifacts, { recursive: true })
    yield* Effect.promise(() => page.screenshot({ path: join(artifacts, name) }))
  })

const gzipped = (file: string) => gzipSync(readFileSync(join(distDirectory, file)), { level: 9 }).length

describe("the built widget", () => {
  const files = () => ["widget.js", "widget.css", ...readdirSync(join(distDirectory, "chunks")).map((file) => `chunks/${file}`)]

  it("never contains the HMAC token or the signer", () => {
    assert.isAbove(files().length, 2)
    for (const file of files()) {
      const text = readFileSync(join(distDirectory, file), "utf8")
      assert.notInclude(text, hmacToken)
      assert.notInclude(text, "BEVATEL_HMAC_TOKEN")
      assert.notInclude(text, "IdentitySigner")
    }
  })

  it("loads in a launcher of at most 15 KB gzipped, and at most 120 KB gzipped in all", () => {
    const launcher = gzipped("widget.js") + gzipped("widget.css")
    const total = files().reduce((sum, file) => sum + gzipped(file), 0)
    console.log(`widget sizes, gzipped: launcher ${(launcher / 1024).toFixed(1)} KB, in all ${(total / 1024).toFixed(1)} KB`)
    assert.isAtMost(launcher, 15 * 1024)
    assert.isAtMost(total, 120 * 1024)
    // The launcher does not import the SDK: Effect is in the chat's chunk only.
    assert.notInclude(readFileSync(join(distDirectory, "widget.js"), "utf8"), "FiberRuntime")
  })
})

layer(serverLayer, { excludeTestServices: true })("the widget embedded in a site, in Chromium", (it) => {
  it.scoped.skipIf(!browserAvailable)(
    "a visit: launcher, pre-chat, text and a picture, typing, ticks, a cut socket, unread badge, navigation, resolution, CSAT, a new conversation",
    () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const agent = yield* Agent.Agent
        const faults = server.faults
        const acme = yield* site("visitor-inbox", { csp: true, widget: { preChatForm: true, maxFileSize: 4096 } })
        const browser = yield* launch
        const page = yield* newPage(browser)
        yield* Effect.promise(() => page.goto(`${acme.url}/`))
        yield* until(page, ".launcher")

        // Before the customer opens it, the site has loaded the launcher and its styles, nothing of the chat.
        const loaded = yield* Effect.promise(() => page.evaluate(() => performance.getEntriesByType("resource").map((entry) => new URL(entry.name).pathname)))
        assert.includeMembers(loaded, ["/widget.js", "/widget.css"])
        assert.deepStrictEqual(loaded.filter((path) => path.startsWith("/chunks/")), [])
        assert.strictEqual(yield* Effect.promise(() => page.locator(".launcher").getAttribute("aria-expanded")), "false")

        // Open: the pre-chat form asks who the customer is.
        yield* Effect.promise(() => page.click(".launcher"))
        yield* until(page, "#prechat")
        assert.strictEqual(yield* focusedInWidget(page), "prechat-name")
        yield* Effect.promise(() => page.fill("#prechat-name", "Rana Customer"))
        yield* Effect.promise(() => page.fill("#prechat-email", "rana@example.com"))
        yield* Effect.promise(() => page.click("#prechat button[type=submit]"))
        yield* until(page, `#bevatel-panel[data-status="open"]`)
        yield* until(page, "#composer")
        const conversation = yield* conversationOf(page)
        // The contact was created with what the form said.
        const stored = yield* Effect.promise(() => page.evaluate(() => Object.values(localStorage).find((value) => value.includes("source_id"))!))
        // The store keeps the customer as a JSON string (the schema's JSON encoding) inside localStorage's string.
        const sourceId = (JSON.parse(JSON.parse(stored)) as { source_id: string }).source_id
        const contact = yield* Effect.promise(() =>
          fetch(`${server.url}/public/api/v1/inboxes/visitor-inbox/contacts/${sourceId}`).then((r) => r.json() as Promise<{ name: string; email: string }>)
        )
        assert.deepStrictEqual([contact.name, contact.email], ["Rana Customer", "rana@example.com"])

        // The agent's typing may show only briefly: record whether it ever turns visible.
        const typingSeen = yield* watchFor(page, `#typing[data-visible="true"]`)
        const agentSaw: Array<string> = []
        const activity = yield* agent.activity.pipe(
          Stream.filter((event) => event._tag === "CustomerTyping" || event._tag === "ConversationSeen"),
          Stream.map((event) => event._tag === "CustomerTyping" ? `typing ${event.status}` : "seen"),
          Stream.runForEach((line) => Effect.sync(() => agentSaw.push(line))),
          Effect.forkScoped
        )

        // Text: an optimistic bubble, reconciled by echo id; the agent types and answers, with name, avatar and time.
        yield* Effect.promise(() => page.fill("#composer", "Hello from Chromium"))
        yield* Effect.promise(() => page.press("#composer", "Enter"))
        yield* until(page, `.message.customer[data-status="sent"]:has-text("Hello from Chromium")`)
        yield* until(page, `.message.agent:has-text('got "Hello from Chromium"')`)
        assert.isTrue(yield* typingSeen)
        const reply = page.locator(`.message.agent:has-text('got "Hello from Chromium"')`)
        assert.strictEqual(yield* Effect.promise(() => reply.locator(".author").textContent()), "Dana Agent")
        assert.strictEqual(yield* Effect.promise(() => reply.locator(".avatar").textContent()), "DA")
        assert.match(yield* Effect.promise(() => reply.locator("time").getAttribute("datetime").then(String)), /^\d{4}-\d\d-\d\dT/)
        assert.strictEqual(yield* count(page, ".day"), 1)
        const seenEnough = () => ["typing on", "typing off", "seen"].every((line) => agentSaw.includes(line))
        yield* Effect.suspend(() => seenEnough() ? Effect.void : Effect.fail("not yet")).pipe(
          Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 200 }),
          Effect.ignore
        )
        assert.isTrue(seenEnough(), `the agent saw: ${agentSaw.join(", ")}`)
        yield* Fiber.interrupt(activity)

        // A picture: previewed with upload progress, then shown from the server; the agent answers it.
        const progressSeen = yield* watchFor(page, "#messages progress.upload")
        yield* Effect.promise(() => page.setInputFiles("#files", { name: "pixel.png", mimeType: "image/png", buffer: picture }))
        yield* until(page, `.message.customer[data-status="sent"] a.image img[src^="${server.url}"]`)
        assert.isTrue(yield* progressSeen)
        const pictureLoaded = yield* Effect.promise(() =>
          page.locator(`.message.customer a.image img[src^="${server.url}"]`).evaluate((image: HTMLImageElement) =>
            image.complete ? image.naturalWidth : new Promise<number>((resolve) => image.addEventListener("load", () => resolve(image.naturalWidth)))
          )
        )
        assert.strictEqual(pictureLoaded, 96)
        yield* until(page, `.message.agent:has-text('got "your file"')`)

        // A file over the limit (4 KB on this site) is refused with the limit named, before any upload.
        yield* Effect.promise(() =>
          page.setInputFiles("#files", { name: "huge.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(8 * 1024) })
        )
        yield* until(page, `#notice:has-text("huge.bin is too large: files up to 4 KB can be sent.")`)

        // Read ticks: the agent's side marks the customer's first message read.
        const first = Number(yield* Effect.promise(() => page.locator(`.message.customer:has-text("Hello from Chromium")`).getAttribute("data-id")))
        yield* agent.updateMessage(first, { status: "read" })
        yield* until(page, `.message.customer[data-id="${first}"][data-status="read"] .tick[aria-label="Read"]`)

        // A send that fails is marked, and "Retry" sends it once.
        yield* faults.failRequests({ count: 1, status: 500 })
        yield* Effect.promise(() =>
          page.evaluate(() => {
            const root = document.getElementById("bevatel-widget")!.shadowRoot!
            ;(root.getElementById("composer") as HTMLTextAreaElement).value = "Will this arrive?"
            ;(root.getElementById("form") as HTMLFormElement).requestSubmit()
          })
        )
        yield* until(page, `.message.customer[data-status="failed"]:has-text("Will this arrive?") .retry`)
        yield* Effect.promise(() => page.click(`.message.customer:has-text("Will this arrive?") .retry`))
        yield* until(page, `.message.customer[data-status="sent"]:has-text("Will this arrive?")`)
        yield* until(page, `.message.agent:has-text('got "Will this arrive?"')`)
        assert.strictEqual(
          (yield* agent.messages(conversation)).filter((message) => message.content === "Will this arrive?").length,
          1
        )

        yield* screenshot(page, "widget-1280.png")

        // Every socket cut: "reconnecting…", then every reply sent meanwhile, once.
        const restart = yield* Effect.fork(faults.restart({ downFor: "2 seconds" }))
        yield* until(page, `#connection[data-state="Reconnecting"]`)
        const replies = Array.from({ length: 3 }, (_, i) => `While you were away #${i + 1}`)
        for (const text of replies) yield* agent.reply(conversation, text)
        yield* Fiber.join(restart)
        yield* until(page, `#connection[data-state="Connected"]`, "attached")
        for (const text of replies) yield* until(page, `.message.agent:has-text("${text}")`)
        for (const text of replies) assert.strictEqual(yield* count(page, `.message.agent:has-text("${text}")`), 1, text)

        // Closed with Esc, focus back on the launcher; replies meanwhile show as an unread badge.
        yield* Effect.promise(() => page.press("#composer", "Escape"))
        yield* until(page, "#bevatel-panel", "hidden")
        assert.strictEqual(yield* focusedInWidget(page), "launcher")
        yield* agent.reply(conversation, "Are you still there?")
        yield* agent.reply(conversation, "We are here when you need us.")
        yield* until(page, `.badge:has-text("2")`)
        assert.match(yield* Effect.promise(() => page.locator(".launcher").getAttribute("aria-label").then(String)), /2 unread messages/)

        // The site navigates: the widget comes back as it was — closed, the badge, and then open with the history.
        yield* Effect.promise(() => page.click(`nav a:has-text("Pricing")`))
        yield* until(page, `h1:has-text("Pricing")`)
        yield* until(page, `.badge:has-text("2")`)
        yield* Effect.promise(() => page.click(".launcher"))
        yield* until(page, `.message.agent:has-text("We are here when you need us.")`)
        yield* until(page, ".badge", "hidden")
        assert.strictEqual(yield* conversationOf(page), conversation)
        assert.strictEqual(yield* count(page, `.message.customer:has-text("Hello from Chromium")`), 1)

        // Resolved: the rating prompt, answered; then a new conversation.
        yield* agent.setStatus(conversation, "resolved")
        yield* until(page, `#bevatel-panel[data-status="resolved"]`)
        yield* until(page, `.csat button[data-rating="5"]`)
        yield* Effect.promise(() => page.click(`.csat button[data-rating="5"]`))
        yield* until(page, `.csat[data-rated="5"]`)
        assert.isTrue(yield* Effect.promise(() => page.locator("#form").isHidden()))
        yield* Effect.promise(() => page.setViewportSize({ width: 375, height: 720 }))
        yield* screenshot(page, "widget-375.png")
        yield* Effect.promise(() => page.click("#start-new"))
        yield* until(page, `#bevatel-panel[data-status="open"]`)
        assert.notStrictEqual(yield* conversationOf(page), conversation)
        assert.strictEqual(yield* count(page, ".message"), 0)
        yield* Effect.promise(() => page.fill("#composer", "A new question"))
        yield* Effect.promise(() => page.press("#composer", "Enter"))
        yield* until(page, `.message.agent:has-text('got "A new question"')`)
        assert.deepStrictEqual(yield* violationsOf(page), [])
      })
  )

  it.scoped.skipIf(!browserAvailable)("keyboard only, for a signed-in user, and no serious accessibility violation", () =>
    Effect.gen(function*() {
      const agent = yield* Agent.Agent
      const acme = yield* site("widget-inbox")
      const browser = yield* launch
      const page = yield* newPage(browser)
      yield* Effect.promise(() => page.goto(`${acme.url}/signin?user=keyboard-user&name=${encodeURIComponent("Kim Keys")}`))
      yield* until(page, ".launcher")
      // Tab through the site's links to the launcher.
      for (let i = 0; i < 10 && (yield* focusedInWidget(page)) !== "launcher"; i++) {
        yield* Effect.promise(() => page.keyboard.press("Tab"))
      }
      assert.strictEqual(yield* focusedInWidget(page), "launcher")
      yield* Effect.promise(() => page.keyboard.press("Enter"))
      yield* until(page, `#bevatel-panel[data-status="open"]`)
      yield* Effect.suspend(() => focusedInWidget(page)).pipe(
        Effect.flatMap((focused) => focused === "composer" ? Effect.void : Effect.fail(focused)),
        Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 100 })
      )
      yield* Effect.promise(() => page.keyboard.type("Typed with the keyboard only"))
      yield* Effect.promise(() => page.keyboard.press("Enter"))
      yield* until(page, `.message.agent:has-text('got "Typed with the keyboard only"')`)
      const conversation = yield* conversationOf(page)
      yield* agent.setStatus(conversation, "resolved")
      yield* until(page, `.csat button[data-rating="4"]`)
      // The rating and the new-conversation button are reached with Tab too.
      assert.deepStrictEqual(yield* seriousViolations(page), [])
      yield* Effect.promise(() => page.keyboard.press("Escape"))
      yield* until(page, "#bevatel-panel", "hidden")
      assert.strictEqual(yield* focusedInWidget(page), "launcher")
      assert.deepStrictEqual(yield* seriousViolations(page), [])
    }))

  it.scoped.skipIf(!browserAvailable)("the site signs its session's user only: no hash without a session, none for another user, and the widget names nobody", () =>
    Effect.gen(function*() {
      const acme = yield* site("widget-inbox", { csp: true })
      const expectedHash = createHmac("sha256", hmacToken).update("user-a").digest("hex")
      // Without a session: 401, whatever is asked.
      for (const query of ["", "?identifier=user-a"]) {
        const anonymous = yield* Effect.promise(() => fetch(`${acme.url}/integrator/identity${query}`))
        assert.strictEqual(anonymous.status, 401, query)
      }
      const browser = yield* launch
      const page = yield* newPage(browser)
      const identityRequests: Array<string> = []
      const contactsCreated: Array<unknown> = []
      page.on("request", (request) => {
        if (request.url().includes("/integrator/identity")) identityRequests.push(request.url())
        if (request.method() === "POST" && request.url().endsWith("/contacts")) contactsCreated.push(request.postDataJSON())
      })
      yield* Effect.promise(() => page.goto(`${acme.url}/signin?user=user-a&name=${encodeURIComponent("Ann A")}`))
      // Signed in as A, the page cannot get B signed — not by naming B, nor A — and gets A's hash alone.
      const asked = yield* Effect.promise(() =>
        page.evaluate(async () => {
          const ask = async (query: string) => {
            const response = await fetch(`/integrator/identity${query}`)
            return { status: response.status, body: await response.json() as Record<string, unknown> }
          }
          return { other: await ask("?identifier=user-b"), named: await ask("?identifier=user-a"), own: await ask("") }
        })
      )
      assert.strictEqual(asked.other.status, 403)
      assert.notProperty(asked.other.body, "identifier_hash")
      assert.strictEqual(asked.named.status, 403)
      assert.strictEqual(asked.own.status, 200)
      assert.deepStrictEqual(asked.own.body, { identifier: "user-a", identifier_hash: expectedHash, name: "Ann A" })
      // The widget asks with no identifier, and the contact it creates is A, with A's hash (the inbox refuses others).
      yield* Effect.promise(() => page.click(".launcher"))
      yield* until(page, `#bevatel-panel[data-status="open"]`)
      yield* Effect.promise(() => page.fill("#composer", "Hello as A"))
      yield* Effect.promise(() => page.press("#composer", "Enter"))
      yield* until(page, `.message.agent:has-text('got "Hello as A"')`)
      const widgetAsked = identityRequests.filter((url) => !url.includes("?"))
      assert.isAbove(widgetAsked.length, 0)
      assert.deepStrictEqual(identityRequests.filter((url) => url.includes("?")).length, 2)
      assert.strictEqual(contactsCreated.length, 1)
      assert.deepInclude(contactsCreated[0], { name: "Ann A", identifier: "user-a", identifier_hash: expectedHash }, JSON.stringify(contactsCreated))
      assert.deepStrictEqual(yield* violationsOf(page), [])
      // Signed out, the session is gone: nobody to sign.
      yield* Effect.promise(() => page.goto(`${acme.url}/signout`))
      const signedOut = yield* Effect.promise(() => page.evaluate(() => fetch("/integrator/identity").then((response) => response.status)))
      assert.strictEqual(signedOut, 401)
    }))

  it.scoped.skipIf(!browserAvailable)("in Arabic, right to left, with its strings, and no serious accessibility violation at 375 px", () =>
    Effect.gen(function*() {
      const acme = yield* site("visitor-inbox", { widget: { locale: "ar" } })
      const browser = yield* launch
      const page = yield* newPage(browser, { width: 375, height: 720 })
      yield* Effect.promise(() => page.goto(`${acme.url}/`))
      yield* until(page, ".launcher")
      assert.strictEqual(yield* Effect.promise(() => page.locator(".launcher").getAttribute("aria-label")), "افتح المحادثة")
      yield* Effect.promise(() => page.click(".launcher"))
      yield* until(page, `#bevatel-panel[data-status="open"]`)
      assert.strictEqual(yield* Effect.promise(() => page.locator(".root").getAttribute("dir")), "rtl")
      assert.strictEqual(yield* Effect.promise(() => page.locator("#bevatel-panel h2").textContent()), "تحدث معنا")
      yield* Effect.promise(() => page.fill("#composer", "مرحبا، أحتاج مساعدة"))
      yield* Effect.promise(() => page.press("#composer", "Enter"))
      yield* until(page, `.message.agent:has-text("مرحبا، أحتاج مساعدة")`)
      // The panel sits inside the viewport from 320 to 1440 px.
      for (const width of [375, 320, 1440]) {
        yield* Effect.promise(() => page.setViewportSize({ width, height: 720 }))
        const box = yield* Effect.promise(() => page.locator("#bevatel-panel").boundingBox())
        assert.isTrue(box !== null && box.x >= 0 && box.x + box.width <= width && box.y >= 0, `${width}: ${JSON.stringify(box)}`)
      }
      yield* Effect.promise(() => page.setViewportSize({ width: 375, height: 720 }))
      assert.deepStrictEqual(yield* seriousViolations(page), [])
      yield* screenshot(page, "widget-ar-375.png")
      // With reduced motion asked for, the panel does not animate.
      yield* Effect.promise(() => page.emulateMedia({ reducedMotion: "reduce" }))
      const animation = yield* Effect.promise(() => page.locator("#bevatel-panel").evaluate((panel) => getComputedStyle(panel).animationName))
      assert.strictEqual(animation, "none")
    }))

  it.scoped.skipIf(!browserAvailable)("files dropped and pasted are sent as links, and one over the server's limit is said to be too large", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const acme = yield* site("widget-inbox")
      const browser = yield* launch
      const page = yield* newPage(browser)
      yield* Effect.promise(() => page.goto(`${acme.url}/signin?user=dropper`))
      yield* Effect.promise(() => page.click(".launcher"))
      yield* until(page, `#bevatel-panel[data-status="open"]`)
      /** Files made in the page, handed over as a drop on the panel or a paste into the composer. */
      const hand = (how: "drop" | "paste", name: string, size: number) =>
        Effect.promise(() =>
          page.evaluate(([how, name, size]) => {
            const root = document.getElementById("bevatel-widget")!.shadowRoot!
            const transfer = new DataTransfer()
            transfer.items.add(new File(["x".repeat(size as number)], name as string, { type: "text/plain" }))
            if (how === "drop") {
              const panel = root.getElementById("bevatel-panel")!
              panel.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }))
              panel.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }))
            } else {
              root.getElementById("composer")!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }))
            }
          }, [how, name, size] as const)
        )
      yield* hand("drop", "dropped.txt", 100)
      yield* until(page, `.message.customer[data-status="sent"] a.file:has-text("dropped.txt")`)
      const href = yield* Effect.promise(() => page.locator(`a.file:has-text("dropped.txt")`).getAttribute("href"))
      assert.isTrue(href?.startsWith(server.url), String(href))
      yield* hand("paste", "pasted.txt", 100)
      yield* until(page, `.message.customer[data-status="sent"] a.file:has-text("pasted.txt")`)
      // Under the site's limit (40 MB) but over the server's (64 KB here): the server's 413, said plainly.
      yield* hand("drop", "large.txt", 200 * 1024)
      yield* until(page, `.message.customer[data-status="failed"] .failure:has-text("The server refused large.txt: it is too large.")`)
    }))

  it.scoped.skipIf(!browserAvailable)("says the team is away outside working hours, and when no agent is online", () =>
    Effect.gen(function*() {
      const agent = yield* Agent.Agent
      const browser = yield* launch
      const closed = yield* site("closed-inbox")
      const page = yield* newPage(browser)
      yield* Effect.promise(() => page.goto(`${closed.url}/`))
      yield* Effect.promise(() => page.click(".launcher"))
      yield* until(page, `#presence[data-online="false"]:has-text("We are away at the moment")`)

      const open = yield* site("visitor-inbox")
      const online = yield* newPage(browser)
      yield* Effect.promise(() => online.goto(`${open.url}/`))
      yield* Effect.promise(() => online.click(".launcher"))
      yield* until(online, `#presence[data-online="true"]:has-text("We are online")`)
      yield* until(online, `#presence-detail:has-text("Typically replies in a few minutes")`)

      yield* agent.setAvailability(1, "offline")
      const later = yield* newPage(browser)
      yield* Effect.promise(() => later.goto(`${open.url}/`))
      yield* Effect.promise(() => later.click(".launcher"))
      yield* until(later, `#presence[data-online="false"]:has-text("We are away at the moment")`)
    }).pipe(Effect.ensuring(Effect.flatMap(Agent.Agent, (agent) => Effect.ignore(agent.setAvailability(1, "online"))))))

  it.scoped.skipIf(!browserAvailable)("renders markdown as Chatwoot's widget does, under a strict CSP with no violation", () =>
    Effect.gen(function*() {
      const agent = yield* Agent.Agent
      const acme = yield* site("widget-inbox", { csp: true })
      const browser = yield* launch
      const page = yield* newPage(browser)
      yield* Effect.promise(() => page.goto(`${acme.url}/signin?user=markdown-reader`))
      yield* Effect.promise(() => page.click(".launcher"))
      yield* until(page, `#bevatel-panel[data-status="open"]`)
      const conversation = yield* conversationOf(page)
      yield* agent.reply(
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
      yield* Effect.promise(() => page.fill("#composer", "Under a strict CSP"))
      yield* Effect.promise(() => page.press("#composer", "Enter"))
      yield* until(page, `.message.agent:has-text('got "Under a strict CSP"')`)
      assert.deepStrictEqual(yield* violationsOf(page), [])
    }))

  it.scoped.skipIf(!browserAvailable)("an XSS corpus from the agent, without a CSP and under the strict one: nothing runs, nothing active or unsafe reaches the page", () =>
    Effect.gen(function*() {
      const agent = yield* Agent.Agent
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
      for (const [index, csp] of [false, true].entries()) {
        const acme = yield* site("widget-inbox", { csp })
        const page = yield* newPage(browser)
        const dialogs: Array<string> = []
        page.on("dialog", (dialog) => {
          dialogs.push(dialog.message())
          void dialog.dismiss()
        })
        yield* Effect.promise(() => page.goto(`${acme.url}/signin?user=xss-target-${index}`))
        yield* Effect.promise(() => page.click(".launcher"))
        yield* until(page, `#bevatel-panel[data-status="open"]`)
        const conversation = yield* conversationOf(page)
        for (const vector of corpus) yield* agent.reply(conversation, vector)
        yield* agent.reply(conversation, "end of the corpus")
        yield* until(page, `.message.agent:has-text("end of the corpus")`)
        const found = yield* Effect.promise(() =>
          page.evaluate(() => {
            const messages = document.getElementById("bevatel-widget")!.shadowRoot!.getElementById("messages")!
            const active = messages.querySelectorAll("script, iframe, object, embed, svg, math, style, form, meta, details, body, link, base")
            const images = [...messages.querySelectorAll("img")].filter((image) => !image.closest(".avatar"))
            const handlers = [...messages.querySelectorAll("*")].flatMap((element) =>
              [...element.attributes].filter((attribute) => /^on/i.test(attribute.name)).map((attribute) => attribute.name)
            )
            const links = [...messages.querySelectorAll("a")].map((a) => a.protocol)
            return {
              pwned: (window as unknown as { pwned?: unknown }).pwned,
              active: active.length + images.length,
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
        yield* until(page, `.message.agent:has-text("<script>window.pwned=1;alert(1)</script>")`)
        mkdirSync(artifacts, { recursive: true })
        yield* Effect.promise(() => page.screenshot({ path: join(artifacts, csp ? "widget-xss-corpus-csp.png" : "widget-xss-corpus.png"), fullPage: true }))
      }
    }))
})
