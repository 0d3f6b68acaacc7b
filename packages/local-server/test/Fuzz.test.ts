import { fuzzBudget } from "@bevatel/golden/fuzz"
import { LocalServer } from "@bevatel/local-server"
import { assert, layer } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import { connect } from "node:net"
import { nextFrame, openCable, request } from "./support.js"

// Hostile input at every route and at the cable, with a fixed seed and a bounded budget: the server never crashes,
// answers 500 only where the real server does (a wrong identifier_hash on the contacts routes), keeps its limits
// (content ≤ 150,000 characters, the body size → 413) and still serves a well-formed request afterwards. CI runs
// the bounded budgets on the fixed seed; `pnpm fuzz` runs them for longer, on any seed.
const routesBudget = fuzzBudget("local-server routes", 600)
const cableBudget = fuzzBudget("local-server cable", 1_000)
const maxBodySize = 256 * 1024

const routes: ReadonlyArray<readonly [string, string]> = [
  ["GET", "/public/api/v1/inboxes/:inbox"],
  ["POST", "/public/api/v1/inboxes/:inbox/contacts"],
  ["GET", "/public/api/v1/inboxes/:inbox/contacts/:contact"],
  ["PATCH", "/public/api/v1/inboxes/:inbox/contacts/:contact"],
  ["PUT", "/public/api/v1/inboxes/:inbox/contacts/:contact"],
  ["GET", "/public/api/v1/inboxes/:inbox/contacts/:contact/conversations"],
  ["POST", "/public/api/v1/inboxes/:inbox/contacts/:contact/conversations"],
  ["GET", "/public/api/v1/inboxes/:inbox/contacts/:contact/conversations/:conversation"],
  ["POST", "/public/api/v1/inboxes/:inbox/contacts/:contact/conversations/:conversation/toggle_status"],
  ["POST", "/public/api/v1/inboxes/:inbox/contacts/:contact/conversations/:conversation/toggle_typing"],
  ["POST", "/public/api/v1/inboxes/:inbox/contacts/:contact/conversations/:conversation/update_last_seen"],
  ["GET", "/public/api/v1/inboxes/:inbox/contacts/:contact/conversations/:conversation/messages"],
  ["POST", "/public/api/v1/inboxes/:inbox/contacts/:contact/conversations/:conversation/messages"],
  ["PATCH", "/public/api/v1/inboxes/:inbox/contacts/:contact/conversations/:conversation/messages/:message"],
  ["GET", "/public/api/v1/csat_survey/:uuid"],
  ["PATCH", "/public/api/v1/csat_survey/:uuid"]
]

const keys = fc.constantFrom(
  "content", "identifier", "identifier_hash", "email", "name", "phone_number", "custom_attributes", "echo_id",
  "typing_status", "submitted_values", "message", "rating", "feedback_message", "source_id", "before", "__proto__",
  "constructor"
)
const body = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(keys, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({ content: fc.constantFrom("x".repeat(150_001), "ok", "", "<script>alert(1)</script>") }),
  fc.string({ maxLength: 200 }).map((text) => ({ raw: text }))
)
// Mostly the real ids, so that the bodies reach the handlers; sometimes a hostile segment.
const segment = fc.oneof(
  { arbitrary: fc.constant("valid"), weight: 12 },
  { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
  { arbitrary: fc.constantFrom("__proto__", "constructor", "..", "%2e%2e", "0", "-1", "99999999999999999999", "1e3", " "), weight: 1 }
)

/** A new contact with a conversation, through the Client API. */
const newConversation = Effect.gen(function*() {
  const server = yield* LocalServer.LocalServer
  const inbox = server.inboxes[0]!.identifier
  const contact = (yield* request(`${server.url}/public/api/v1/inboxes/${inbox}/contacts`, { method: "POST", body: {} })).json
  const base = `${server.url}/public/api/v1/inboxes/${inbox}/contacts/${contact.source_id}`
  const conversation = (yield* request(`${base}/conversations`, { method: "POST", body: {} })).json
  return { base, contact, conversation, inbox, server }
})

layer(LocalServer.layer({ maxBodySize, requestTimeout: "1 second" }), { excludeTestServices: true })("the local server under hostile input (fast-check, fixed seed)", (it) => {
  it.effect("random requests at every Client API route: never a crash, 500 only for a wrong identifier_hash", () =>
    Effect.gen(function*() {
      const { base, contact, conversation, inbox, server } = yield* newConversation
      const message = (yield* request(`${base}/conversations/${conversation.id}/messages`, { method: "POST", body: { content: "hi" } })).json
      const valid: Record<string, string> = {
        inbox,
        contact: contact.source_id,
        conversation: String(conversation.id),
        message: String(message.id),
        uuid: conversation.uuid
      }
      const heapBefore = process.memoryUsage().heapUsed
      let tried = 0
      const statuses = new Map<number, number>()
      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            fc.constantFrom(...routes),
            fc.array(segment, { minLength: 5, maxLength: 5 }),
            body,
            fc.constantFrom("application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"),
            async ([method, template], segments, payload, contentType) => {
              tried++
              let i = 0
              const path = template.replace(/:(\w+)/g, (_, name: string) => {
                const chosen = segments[i++]!
                return chosen === "valid" ? valid[name]! : encodeURIComponent(chosen)
              })
              const text = payload === undefined
                ? undefined
                : typeof payload === "object" && payload !== null && "raw" in payload
                ? String(payload.raw)
                : JSON.stringify(payload)
              const response = await fetch(`${server.url}${path}`, {
                signal: AbortSignal.timeout(30_000),
                method,
                headers: text === undefined ? {} : { "content-type": contentType },
                ...(text === undefined || method === "GET" ? {} : { body: text })
              })
              const answer = await response.text()
              statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
              const hmacRoute = template.endsWith("/contacts") || template.endsWith("/contacts/:contact")
              if (response.status === 500) {
                assert.isTrue(hmacRoute && (text ?? "").includes("identifier_hash"), `500 from ${method} ${template}: ${answer.slice(0, 200)}`)
              }
              assert.include([200, 400, 404, 413, 422, 500], response.status, `${method} ${template}: ${answer.slice(0, 200)}`)
              if (response.headers.get("content-type")?.includes("json")) assert.doesNotThrow(() => JSON.parse(answer))
            }
          ),
          { seed: routesBudget.seed, numRuns: routesBudget.cases }
        )
      )
      // Still healthy, and memory bounded.
      const inboxAnswer = yield* request(`${server.url}/public/api/v1/inboxes/${inbox}`)
      assert.strictEqual(inboxAnswer.status, 200)
      assert.isBelow(process.memoryUsage().heapUsed - heapBefore, 200 * 1024 * 1024)
      assert.isUndefined(({} as Record<string, unknown>).polluted)
      routesBudget.report({ cases: tried, routes: routes.length, statuses: Object.fromEntries(statuses) })
    }), { timeout: routesBudget.timeout(120_000) })

  it.effect("the server's limits: content over 150,000 characters is 422; a body over the limit is 413 before it is read", () =>
    Effect.gen(function*() {
      const { base, conversation } = yield* newConversation
      const tooLong = yield* request(`${base}/conversations/${conversation.id}/messages`, { method: "POST", body: { content: "x".repeat(150_001) } })
      assert.strictEqual(tooLong.status, 422)
      assert.strictEqual(tooLong.json.message, "Content is too long (maximum is 150000 characters)")
      const tooBig = yield* request(`${base}/conversations/${conversation.id}/messages`, { method: "POST", body: { content: "x".repeat(maxBodySize) } })
      assert.strictEqual(tooBig.status, 413)
      assert.strictEqual((yield* request(`${base}/conversations/${conversation.id}`)).json.messages.length, 0)
    }))

  it.effect("a request whose body never arrives whole is cut off with 408", () =>
    Effect.gen(function*() {
      const { inbox, server } = yield* newConversation
      const { port } = new URL(server.url)
      const answer = yield* Effect.async<string>((resume) => {
        let received = ""
        const socket = connect(Number(port), "127.0.0.1", () => {
          // Promises 100 bytes of body, sends one, and waits.
          socket.write(`POST /public/api/v1/inboxes/${inbox}/contacts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`)
        })
        socket.on("data", (chunk) => (received += chunk))
        socket.on("close", () => resume(Effect.succeed(received)))
        socket.on("error", () => resume(Effect.succeed(received)))
        return Effect.sync(() => socket.destroy())
      }).pipe(Effect.timeout("20 seconds"))
      assert.match(answer, /^HTTP\/1\.1 408/)
    }), { timeout: 30_000 })

  it.scoped("random frames at the cable: never a crash, and a well-formed subscription still confirms", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const inbox = server.inboxes[0]!.identifier
      const contact = (yield* request(`${server.url}/public/api/v1/inboxes/${inbox}/contacts`, { method: "POST", body: {} })).json
      const cable = yield* openCable(server.cableUrl)
      let tried = 0
      const identifier = fc.oneof(
        fc.string({ maxLength: 50 }),
        fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
        fc.record({ channel: fc.constantFrom("RoomChannel", "Other", "__proto__"), pubsub_token: fc.oneof(fc.string(), fc.constant(contact.pubsub_token)) })
          .map((value) => JSON.stringify(value))
      )
      const frame = fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.json({ maxDepth: 3 }),
        fc.record({ command: fc.constantFrom("subscribe", "unsubscribe", "message", "other"), identifier, data: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v))) })
          .map((value) => JSON.stringify(value))
      )
      fc.assert(
        fc.property(frame, (text) => {
          tried++
          cable.socket.send(text)
        }),
        { seed: cableBudget.seed, numRuns: cableBudget.cases }
      )
      // The same socket, after all that: a well-formed subscription is confirmed.
      const good = JSON.stringify({ channel: "RoomChannel", pubsub_token: contact.pubsub_token, __fuzz: "after" })
      yield* cable.send({ command: "subscribe", identifier: good })
      yield* nextFrame(cable, (f) => f.type === "confirm_subscription" && f.identifier === good, "20 seconds")
      assert.strictEqual((yield* request(`${server.url}/public/api/v1/inboxes/${inbox}`)).status, 200)
      cableBudget.report({ cases: tried })
    }), { timeout: cableBudget.timeout(120_000) })
})
