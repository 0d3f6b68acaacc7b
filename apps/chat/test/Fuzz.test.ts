/**
 * Hostile stdin through `pipe` and `bridge`, as processes against the local server: random text, random Unicode
 * (lone surrogates, controls, bidi overrides, a BOM), JSON of every shape, lines at the server's length limit, and for
 * the bridge lines of the wrong shape and prototype keys. Neither process crashes; every line it takes reaches the
 * server exactly once and in order; every bridge line it refuses is reported with its number. A fixed seed and a
 * bounded budget in CI; `pnpm fuzz` runs them for longer, on any seed.
 */
import { fuzzBudget } from "@bevatel/golden/fuzz"
import { Agent, LocalServer } from "@bevatel/local-server"
import { assert, layer } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import { type App, runApp } from "./app.js"

const pipeBudget = fuzzBudget("pipe stdin", 300)
const bridgeBudget = fuzzBudget("bridge stdin", 300)

const envOf = (server: LocalServer.Service) => ({
  BEVATEL_URL: server.url,
  BEVATEL_INBOX_IDENTIFIER: server.inboxes[0]!.identifier
})

/** What a line may hold: anything but the breaks that end it (readline ends a line at `\n`, `\r\n` and a lone `\r`). */
const lineText = fc.oneof(
  { arbitrary: fc.string({ maxLength: 200 }), weight: 4 },
  { arbitrary: fc.fullUnicodeString({ maxLength: 100 }), weight: 4 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 50 }), weight: 2 },
  { arbitrary: fc.json({ maxDepth: 3 }), weight: 2 },
  {
    arbitrary: fc.constantFrom(" ", "\t", "\u0000", "\u202egpj.exe", "\ufeffBOM", "/quit", "<script>alert(1)</script>", "x".repeat(150_000)),
    weight: 1
  }
).map((text) => text.replace(/[\r\n]/g, " "))

/** A string as it arrives through a UTF-8 pipe: a lone surrogate becomes U+FFFD. */
const throughUtf8 = (text: string) => Buffer.from(text, "utf8").toString("utf8")

/** Writes every line to the app's stdin, ends it, and waits for the exit (killed with the scope past `timeout`). */
const feed = (app: App, lines: ReadonlyArray<string>, timeout: number) =>
  Effect.gen(function*() {
    yield* Effect.sync(() => {
      for (const line of lines) app.child.stdin.write(`${line}\n`)
      app.child.stdin.end()
    })
    return yield* app.exit.pipe(
      Effect.timeoutFail({ duration: timeout, onTimeout: () => new Error(`no exit after ${timeout} ms: ${app.errors().slice(-2000)}`) })
    )
  })

/** The contents the server holds from the customer in a conversation, in order. */
const receivedIn = (conversationId: number) =>
  Effect.flatMap(Agent.Agent, (agent) => agent.messages(conversationId)).pipe(
    Effect.map((messages) => messages.filter((m) => m.message_type === 0).map((m) => m.content))
  )

/** Every stdout line is one JSON object: nothing else reached stdout. */
const stdoutObjects = (app: App): Array<{ customer?: string; event: string; data: any }> =>
  app.output().split("\n").filter((line) => line !== "").map((line) => {
    const parsed = JSON.parse(line)
    assert.isString(parsed.event, line.slice(0, 200))
    return parsed
  })

const assertNoCrash = (app: App) => {
  assert.notMatch(app.errors(), /TypeError|RangeError|ReferenceError|Maximum call stack|at .*\.js:\d+/, app.errors().slice(-2000))
}

// The flood guard (200 messages a minute per conversation) would pace a long run to 200 lines a minute: it is
// lifted here, and tested below on its own.
const fuzzServer = LocalServer.layer({ pingInterval: "500 millis", messageFlood: { perConversation: Number.MAX_SAFE_INTEGER } })

layer(fuzzServer, { excludeTestServices: true })("stdin under hostile lines (fast-check)", (it) => {
  it.scoped("pipe: every non-empty line reaches the server exactly once, in order; no crash; stdout only JSON lines", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const lines = [...fc.sample(lineText, { seed: pipeBudget.seed, numRuns: pipeBudget.cases }), "the end of the fuzz"]
      const app = yield* runApp(["pipe", "--echo-timeout", String(pipeBudget.timeout(30_000))], envOf(server))
      const code = yield* feed(app, lines, pipeBudget.timeout(90_000))
      assert.strictEqual(code, 0, app.errors().slice(-2000))
      assertNoCrash(app)
      const events = stdoutObjects(app)
      const conversationId = events.find((e) => e.event === "message.created")!.data.conversation_id as number
      const expected = lines.filter((line) => line !== "").map(throughUtf8)
      const received = yield* receivedIn(conversationId)
      const firstDifference = expected.findIndex((content, i) => received[i] !== content)
      assert.strictEqual(received.length, expected.length, `received ${received.length} of ${expected.length}`)
      assert.strictEqual(firstDifference, -1, `line ${firstDifference}: ${JSON.stringify(expected[firstDifference])?.slice(0, 200)}`)
      pipeBudget.report({ cases: lines.length, sent: expected.length })
    }), { timeout: pipeBudget.timeout(180_000) })

  it.scoped("bridge: each line it takes reaches its customer once, in order; each it refuses is reported by number; no crash", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const customers = ["fuzz-a", " fuzz-b ", "fuzz-c"]
      const notAnId = fc.oneof(fc.integer(), fc.constant(null), fc.constantFrom("", "   "), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 }))
      const line = fc.oneof(
        { arbitrary: fc.record({ customer: fc.constantFrom(...customers), content: lineText }).map((v) => JSON.stringify(v)), weight: 6 },
        {
          arbitrary: fc.record({ customer: fc.oneof(notAnId, fc.constantFrom(...customers)), content: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] })
            .map((v) => JSON.stringify(v)),
          weight: 2
        },
        { arbitrary: fc.record({ customer: notAnId, content: lineText }).map((v) => JSON.stringify(v)), weight: 1 },
        { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), weight: 1 },
        { arbitrary: lineText, weight: 2 },
        { arbitrary: fc.constant(`{"__proto__": {"polluted": "yes"}, "customer": "fuzz-c", "content": "a prototype key"}`), weight: 1 }
      )
      const lines = [...fc.sample(line, { seed: bridgeBudget.seed, numRuns: bridgeBudget.cases }), JSON.stringify({ customer: "fuzz-a", content: "the end" })]
      // What the bridge should take: a JSON object whose customer is a non-blank string and whose content is not empty.
      const taken = lines.map((text) => {
        if (text.trim() === "") return "blank" as const
        try {
          const value = JSON.parse(text)
          const ok = typeof value === "object" && value !== null && !Array.isArray(value) &&
            typeof value.customer === "string" && value.customer.trim() !== "" && typeof value.content === "string" && value.content !== ""
          return ok ? { customer: value.customer.trim() as string, content: value.content as string } : "refused" as const
        } catch {
          return "refused" as const
        }
      })
      const app = yield* runApp(["bridge", "--echo-timeout", String(bridgeBudget.timeout(30_000))], envOf(server))
      const code = yield* feed(app, lines, bridgeBudget.timeout(90_000))
      assertNoCrash(app)
      const refused = taken.flatMap((t, i) => t === "refused" ? [i + 1] : [])
      const reported = [...app.errors().matchAll(/line (\d+) skipped/g)].map((m) => Number(m[1]))
      assert.deepStrictEqual(reported, refused)
      assert.strictEqual(code, refused.length > 0 ? 1 : 0, app.errors().slice(-2000))
      const events = stdoutObjects(app)
      const sent = taken.filter((t): t is { customer: string; content: string } => typeof t === "object")
      for (const customer of new Set(sent.map((t) => t.customer))) {
        const conversationId = events.find((e) => e.customer === customer && e.event === "message.created")!.data.conversation_id as number
        const expected = sent.filter((t) => t.customer === customer).map((t) => t.content)
        const received = yield* receivedIn(conversationId)
        const firstDifference = expected.findIndex((content, i) => received[i] !== content)
        assert.strictEqual(received.length, expected.length, `${customer}: received ${received.length} of ${expected.length}`)
        assert.strictEqual(firstDifference, -1, `${customer}, line ${firstDifference}: ${JSON.stringify(expected[firstDifference])?.slice(0, 200)}`)
      }
      assert.isUndefined(({} as Record<string, unknown>).polluted)
      bridgeBudget.report({ cases: lines.length, sent: sent.length, refused: refused.length })
    }), { timeout: bridgeBudget.timeout(180_000) })
})

// Found by this fuzzing: past the server's flood guard ("Too many messages", 422), the pipe gave a line up after its
// six attempts (31 s) — shorter than the guard's minute — and exited 1 with the line unsent.
// A window of 40 s (the real one is a minute) is longer than those attempts: ~40 s of waiting, on one Node version.
layer(LocalServer.layer({ messageFlood: { perConversation: 4, window: "40 seconds" } }), { excludeTestServices: true })(
  "stdin past the server's flood guard",
  (it) => {
    it.scoped.skipIf(process.env.BEVATEL_SKIP_HEAVY_TESTS === "1")("pipe: lines refused as too many messages wait for the guard's window, then each arrives once, in order", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const lines = Array.from({ length: 6 }, (_, i) => `line ${i + 1}`)
        const app = yield* runApp(["pipe"], envOf(server))
        assert.strictEqual(yield* feed(app, lines, 100_000), 0, app.errors().slice(-2000))
        assert.include(app.errors(), "Too many messages")
        const conversationId = stdoutObjects(app).find((e) => e.event === "message.created")!.data.conversation_id as number
        assert.deepStrictEqual(yield* receivedIn(conversationId), lines)
      }), { timeout: 120_000 })
  }
)
