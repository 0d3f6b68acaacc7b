import { ClientApi, ClientApiError } from "@bevatel/http"
import { Faults, LocalServer } from "@bevatel/local-server"
import { FetchHttpClient, HttpClient } from "@effect/platform"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Either, Layer, Logger, Redacted, Ref, Schedule } from "effect"
import { createHmac } from "node:crypto"
import { createServer } from "node:http"

const hmacToken = "http-test-hmac-token"
const sign = (identifier: string) => createHmac("sha256", hmacToken).update(identifier).digest("hex")

/** Counts the requests that leave the client, so tests can tell retries apart from single attempts. */
class Attempts extends Effect.Service<Attempts>()("test/Attempts", { effect: Ref.make(0) }) {}

const apiFor = (inbox: number, options: Partial<ClientApi.Options> = {}) =>
  Layer.unwrapEffect(
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const attempts = yield* Attempts
      return ClientApi.layer({
        baseUrl: server.url,
        inboxIdentifier: server.inboxes[inbox]!.identifier,
        retrySchedule: Schedule.recurs(3),
        transformClient: HttpClient.tapRequest(() => Ref.update(attempts, (n) => n + 1)),
        ...options
      })
    })
  )

const serverLayer = LocalServer.layer({
  inboxes: [{}, { hmacToken: Redacted.make(hmacToken), hmacMandatory: true }, { csatSurveyEnabled: true }]
})
const testLayer = apiFor(0).pipe(
  Layer.provideMerge(Layer.mergeAll(serverLayer, Attempts.Default, FetchHttpClient.layer))
)

const attemptsOf = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const attempts = yield* Attempts
    yield* Ref.set(attempts, 0)
    const result = yield* Effect.either(effect)
    return { result, attempts: yield* Ref.get(attempts) }
  })

/** A logger that keeps the warnings, to count them. */
const capturingWarnings = () => {
  const warnings: Array<string> = []
  const logger = Logger.make(({ logLevel, message }) => {
    if (logLevel._tag === "Warning") warnings.push(String(message))
  })
  return { logger, warnings }
}

const customer = Effect.gen(function*() {
  const api = yield* ClientApi.ClientApi
  const contact = yield* api.contacts.create({ name: "Ada" })
  const conversation = yield* api.conversations.create(contact.source_id)
  return { api, contact, conversation, source: contact.source_id }
})

layer(testLayer, { excludeTestServices: true })("ClientApi against the local server", (it) => {
  describe("endpoints", () => {
    it.effect("reads the inbox", () =>
      Effect.gen(function*() {
        const api = yield* ClientApi.ClientApi
        const server = yield* LocalServer.LocalServer
        const inbox = yield* api.inbox.get
        assert.strictEqual(inbox.identifier, server.inboxes[0]!.identifier)
      }))

    it.effect("creates a contact with a client-side source id, reads it and updates it", () =>
      Effect.gen(function*() {
        const api = yield* ClientApi.ClientApi
        const created = yield* api.contacts.create({ name: "Grace", email: "grace@example.com" })
        assert.match(created.source_id, /^[0-9a-f-]{36}$/)
        const read = yield* api.contacts.get(created.source_id)
        assert.deepStrictEqual(read, created)
        const record = yield* api.contacts.update(created.source_id, { name: "Grace H.", custom_attributes: { vip: true } })
        assert.deepStrictEqual([record.name, record.custom_attributes], ["Grace H.", { vip: true }])
      }))

    it.effect("creates, lists, reads and resolves conversations; toggles typing and marks seen", () =>
      Effect.gen(function*() {
        const { api, conversation, source } = yield* customer
        assert.deepStrictEqual((yield* api.conversations.list(source)).map((c) => c.id), [conversation.id])
        assert.strictEqual((yield* api.conversations.get(source, conversation.id)).status, "open")
        yield* api.conversations.typing(source, conversation.id, "on")
        yield* api.conversations.markSeen(source, conversation.id)
        assert.strictEqual((yield* api.conversations.get(source, conversation.id)).contact_last_seen_at._tag, "Some")
        assert.strictEqual((yield* api.conversations.resolve(source, conversation.id)).status, "resolved")
      }))

    it.effect("sends messages with an echo id, pages them with before, and answers a form", () =>
      Effect.gen(function*() {
        const { api, conversation, source } = yield* customer
        const server = yield* LocalServer.LocalServer
        const first = yield* api.messages.create(source, conversation.id, { content: "first", echoId: "mine-1" })
        assert.deepStrictEqual([first.message.content, first.echoId], ["first", "mine-1"])
        const generated = yield* api.messages.create(source, conversation.id, { content: "second" })
        assert.isTrue(generated.echoId.length > 0)
        for (let i = 0; i < 20; i++) yield* api.messages.create(source, conversation.id, { content: `more ${i}` })
        const newest = yield* api.messages.list(source, conversation.id)
        const older = yield* api.messages.list(source, conversation.id, { before: newest[0]!.id })
        assert.deepStrictEqual(older.map((m) => m.content), ["first", "second"])
        const form = yield* server.agent.reply(conversation.id, "Rate us", { contentType: "input_select" })
        const answered = yield* api.messages.update(source, conversation.id, form.id, {
          submitted_values: [{ title: "Great", value: "5" }]
        })
        assert.deepStrictEqual(answered.content_attributes.submitted_values, [{ title: "Great", value: "5" }])
      }))

    it.effect("reads and answers the CSAT survey of a resolved conversation, by its uuid", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const api = yield* ClientApi.make({ baseUrl: server.url, inboxIdentifier: server.inboxes[2]!.identifier })
        const contact = yield* api.contacts.create({ name: "Rater" })
        const conversation = yield* api.conversations.create(contact.source_id)
        const before = yield* Effect.either(api.csatSurvey.get(conversation.uuid))
        assert.isTrue(Either.isLeft(before) && before.left._tag === "NotFound" && before.left.resource === "csat_survey")
        yield* api.conversations.resolve(contact.source_id, conversation.id)
        const survey = yield* api.csatSurvey.get(conversation.uuid)
        assert.isNull(survey?.csat_survey_response)
        const messages = yield* api.messages.list(contact.source_id, conversation.id)
        assert.strictEqual(messages.find((m) => m.content_type === "input_csat")?.id, survey?.id)
        const answered = yield* api.csatSurvey.submit(conversation.uuid, { rating: 4, feedback_message: "Good" })
        assert.deepStrictEqual(
          [answered.csat_survey_response?.rating, answered.csat_survey_response?.feedback_message],
          [4, "Good"]
        )
        const invalid = yield* Effect.either(api.csatSurvey.submit(conversation.uuid, { rating: 9 }))
        assert.isTrue(Either.isLeft(invalid) && invalid.left._tag === "InvalidArgument")
      }))

    it.effect("sends attachments as multipart from bytes and Blobs", () =>
      Effect.gen(function*() {
        const { api, conversation, source } = yield* customer
        const { message } = yield* api.messages.create(source, conversation.id, {
          content: "files",
          attachments: [
            { name: "pixel.png", data: new Uint8Array([137, 80, 78, 71]), contentType: "image/png" },
            { name: "notes.txt", data: new Blob(["hello"], { type: "text/plain" }) }
          ]
        })
        assert.deepStrictEqual(message.attachments?.map((a) => a?.file_type), ["image", "file"])
      }))
  })

  describe("errors", () => {
    it.effect("fails with NotFound naming the resource, without the access keys in its message", () =>
      Effect.gen(function*() {
        const api = yield* ClientApi.ClientApi
        const server = yield* LocalServer.LocalServer
        const error = yield* Effect.flip(api.contacts.get("no-such-customer"))
        assert.isTrue(error._tag === "NotFound" && error.resource === "contact")
        assert.notInclude(error.message, "no-such-customer")
        assert.notInclude(error.message, server.inboxes[0]!.identifier)
        assert.isTrue(ClientApiError.isClientApiError(error))
      }))

    it.effect("fails with ValidationFailed carrying the server's message and attributes", () =>
      Effect.gen(function*() {
        const api = yield* ClientApi.ClientApi
        const error = yield* Effect.flip(api.contacts.create({ email: "nope" }))
        assert.isTrue(error._tag === "ValidationFailed" && error.attributes.includes("email"))
        const { conversation, source } = yield* customer
        const tooLong = yield* Effect.flip(api.messages.create(source, conversation.id, { content: "x".repeat(150_001) }))
        assert.strictEqual(tooLong._tag, "InvalidArgument")
      }))

    it.effect("fails with InvalidArgument before any request for an invalid identifier", () =>
      Effect.gen(function*() {
        const api = yield* ClientApi.ClientApi
        const { attempts, result } = yield* attemptsOf(api.conversations.list(""))
        assert.isTrue(Either.isLeft(result) && result.left._tag === "InvalidArgument")
        assert.strictEqual(attempts, 0)
        const negative = yield* Effect.flip(api.conversations.get("someone", -1))
        assert.strictEqual(negative._tag, "InvalidArgument")
      }))

    it.effect("fails with IdentityRejected when the inbox enforces identity and the hash is wrong", () =>
      Effect.gen(function*() {
        const api = yield* ClientApi.ClientApi.pipe(Effect.provide(apiFor(1)))
        const rejected = yield* Effect.flip(api.contacts.create({ identifier: "u-1", identifier_hash: sign("u-2") as never }))
        assert.strictEqual(rejected._tag, "IdentityRejected")
        const accepted = yield* api.contacts.create({ identifier: "u-1", identifier_hash: sign("u-1") as never })
        const verified = yield* api.contacts.get(accepted.source_id, { identifier: "u-1", identifier_hash: sign("u-1") as never })
        assert.strictEqual(verified.source_id, accepted.source_id)
      }))
  })

  describe("resilience", () => {
    it.effect("a failure that is not retried logs no warning that it will be", () => {
      const { logger, warnings } = capturingWarnings()
      return Effect.gen(function*() {
        const api = yield* ClientApi.ClientApi
        const result = yield* Effect.either(api.contacts.get("no-such-source-id"))
        assert.isTrue(Either.isLeft(result) && result.left._tag === "NotFound")
        assert.deepStrictEqual(warnings, [])
      }).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
    })

    it.effect("a storm of 429s logs one line per kind, and each final failure says it gave up after how many attempts", () => {
      const { logger, warnings } = capturingWarnings()
      return Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const faults = yield* Faults.Faults
        const api = yield* ClientApi.make({
          baseUrl: server.url,
          inboxIdentifier: server.inboxes[0]!.identifier,
          retrySchedule: Schedule.spaced("20 millis").pipe(Schedule.intersect(Schedule.recurs(3)))
        })
        // 200 requests, 4 attempts each, all throttled (with a Retry-After: without one, a retry waits a minute).
        yield* faults.failRequests({ count: 800, status: 429, retryAfter: "0 seconds" })
        const results = yield* Effect.forEach(Array.from({ length: 200 }), () => Effect.either(api.inbox.get), {
          concurrency: 50
        })
        assert.isTrue(results.every((r) => Either.isLeft(r) && r.left._tag === "RateLimited"))
        const retrying = warnings.filter((w) => w.includes("retrying in"))
        const gaveUp = warnings.filter((w) => w.includes("gave up after 4 attempts"))
        // One line per kind (retry, give-up) and 10-second window: this run fits in one or two windows.
        assert.isAtLeast(retrying.length, 1)
        assert.isAtMost(retrying.length, 2, retrying.join("\n"))
        assert.isAtLeast(gaveUp.length, 1)
        assert.isAtMost(gaveUp.length, 2, gaveUp.join("\n"))
        assert.isAtMost(warnings.length, 4, warnings.join("\n"))
      }).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        Effect.ensuring(Effect.flatMap(Faults.Faults, (faults) => faults.reset))
      )
    })

    it.effect("retries reads on 503 and 429 until they succeed", () =>
      Effect.gen(function*() {
        const api = yield* ClientApi.ClientApi
        const faults = yield* Faults.Faults
        yield* faults.failRequests({ count: 2, status: 503 })
        const { attempts, result } = yield* attemptsOf(api.inbox.get)
        assert.deepStrictEqual([Either.isRight(result), attempts], [true, 3])
        yield* faults.failRequests({ count: 1, status: 429, retryAfter: "0 seconds" })
        assert.strictEqual((yield* attemptsOf(api.inbox.get)).attempts, 2)
      }))

    it.effect("gives up after the schedule with the last error, RateLimited carrying Retry-After", () =>
      Effect.gen(function*() {
        const api = yield* ClientApi.ClientApi
        const faults = yield* Faults.Faults
        yield* faults.failRequests({ count: 10, status: 429, retryAfter: "0 seconds" })
        const { attempts, result } = yield* attemptsOf(api.inbox.get)
        yield* faults.reset
        assert.strictEqual(attempts, 4)
        assert.isTrue(Either.isLeft(result) && result.left._tag === "RateLimited")
      }))

    it.effect("retries a new message on 503 (not processed) and creates it exactly once", () =>
      Effect.gen(function*() {
        const { api, conversation, source } = yield* customer
        const faults = yield* Faults.Faults
        yield* faults.failRequests({ count: 1, status: 503 })
        const { attempts } = yield* attemptsOf(api.messages.create(source, conversation.id, { content: "once" }))
        assert.strictEqual(attempts, 2)
        const messages = yield* api.messages.list(source, conversation.id)
        assert.strictEqual(messages.filter((m) => m.content === "once").length, 1)
      }))

    it.effect("never retries a new message on 500 or 502, which may have been processed", () =>
      Effect.gen(function*() {
        const { api, conversation, source } = yield* customer
        const faults = yield* Faults.Faults
        yield* faults.failRequests({ count: 1, status: 502 })
        const { attempts, result } = yield* attemptsOf(api.messages.create(source, conversation.id, { content: "x" }))
        assert.deepStrictEqual([attempts, Either.isLeft(result) && result.left._tag], [1, "ServerError"])
      }))

    it.effect("times out a slow answer; retries it when idempotent, not when creating", () =>
      Effect.gen(function*() {
        const { conversation, source } = yield* customer
        const faults = yield* Faults.Faults
        const api = yield* ClientApi.ClientApi.pipe(Effect.provide(apiFor(0, { timeout: "100 millis", retrySchedule: Schedule.recurs(1) })))
        yield* faults.setLatency("400 millis")
        const read = yield* attemptsOf(api.conversations.get(source, conversation.id))
        const write = yield* attemptsOf(api.conversations.create(source))
        yield* faults.reset
        assert.deepStrictEqual([read.attempts, Either.isLeft(read.result) && read.result.left._tag], [2, "RequestTimeout"])
        assert.deepStrictEqual([write.attempts, Either.isLeft(write.result) && write.result.left._tag], [1, "RequestTimeout"])
      }))

    it.effect("retries even a new message when the connection is refused, then reports TransportError", () =>
      Effect.gen(function*() {
        const port = yield* Effect.async<number>((resume) => {
          const probe = createServer().listen(0, "127.0.0.1", () => {
            const { port } = probe.address() as { port: number }
            probe.close(() => resume(Effect.succeed(port)))
          })
        })
        const attempts = yield* Attempts
        const api = yield* ClientApi.make({
          baseUrl: `http://127.0.0.1:${port}`,
          inboxIdentifier: "offline-inbox",
          retrySchedule: Schedule.recurs(2),
          transformClient: HttpClient.tapRequest(() => Ref.update(attempts, (n) => n + 1))
        })
        const { attempts: count, result } = yield* attemptsOf(api.messages.create("someone", 1, { content: "hello" }))
        assert.strictEqual(count, 3)
        assert.isTrue(Either.isLeft(result) && result.left._tag === "TransportError" && result.left.sent === false)
      }))

    it.effect("reads a browser's status 0 (a refused connection, or an origin CORS does not allow) as TransportError", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const attempts = yield* Attempts
        // What BrowserHttpClient's XMLHttpRequest transport gives when the browser shows no answer: a response, status 0.
        const api = yield* ClientApi.make({
          baseUrl: server.url,
          inboxIdentifier: server.inboxes[0]!.identifier,
          retrySchedule: Schedule.recurs(2),
          transformClient: (client) =>
            client.pipe(
              HttpClient.tapRequest(() => Ref.update(attempts, (n) => n + 1)),
              HttpClient.transformResponse(Effect.map((response) =>
                new Proxy(response, { get: (target, key) => key === "status" ? 0 : Reflect.get(target, key) })
              ))
            )
        })
        const created = yield* attemptsOf(api.messages.create("someone", 1, { content: "hello" }))
        assert.isTrue(Either.isLeft(created.result) && created.result.left._tag === "TransportError")
        const error = Either.isLeft(created.result) ? created.result.left : undefined
        assert.include(error?.message, "unreachable")
        assert.include(error?.message, "CORS")
        assert.notInclude(error?.message, "unexpected 0")
        // It may have reached the server: a new message is not sent again; a read is retried.
        assert.strictEqual(created.attempts, 1)
        const read = yield* attemptsOf(api.inbox.get)
        assert.isTrue(Either.isLeft(read.result) && read.result.left._tag === "TransportError")
        assert.strictEqual(read.attempts, 3)
      }))

    it.effect("reports an undecodable answer as UnexpectedResponse with a redacted excerpt", () =>
      Effect.gen(function*() {
        const server = yield* Effect.acquireRelease(
          Effect.async<ReturnType<typeof createServer>>((resume) => {
            const server = createServer((_, response) => {
              response.writeHead(200, { "content-type": "application/json" })
              response.end(JSON.stringify({ pubsub_token: "SECRET-TOKEN", source_id: 42 }))
            }).listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
          }),
          (server) =>
            Effect.async<void>((resume) => {
              server.close(() => resume(Effect.void))
            })
        )
        const { port } = server.address() as { port: number }
        const api = yield* ClientApi.make({ baseUrl: `http://127.0.0.1:${port}`, inboxIdentifier: "odd-inbox" })
        const error = yield* Effect.flip(api.contacts.get("someone"))
        assert.strictEqual(error._tag, "UnexpectedResponse")
        assert.notInclude(error.message, "SECRET-TOKEN")
        assert.include(error.message, "<redacted>")
      }).pipe(Effect.scoped))
  })
})
