/**
 * `bevatel-chat doctor`: checks an installation step by step and prints a checklist, each failure with its exact
 * cause and its fix. Exit code 0 only when every step passes.
 */
import { ConnectionFailure } from "@bevatel/cable"
import { IdentifierHash } from "@bevatel/identity"
import { CableFrame, Identifiers } from "@bevatel/schema"
import { HttpClient, HttpClientRequest, Socket } from "@effect/platform"
import { Config, Console, Data, Deferred, Duration, Effect, Either, Option, Queue, type Redacted, Schema } from "effect"
import * as NodeWebSocket from "./NodeWebSocket.js"

/** Some step of the check failed; the checklist says which and why. */
export class DoctorFailed extends Data.TaggedError("DoctorFailed")<{ readonly failed: number }> {
  override get message() {
    return `${this.failed} check(s) failed (see above)`
  }
}

/** A step that failed, with what to do about it. */
class StepFailed extends Data.TaggedError("StepFailed")<{ readonly cause: string; readonly fix: string }> {}

const fail = (cause: string, fix: string) => Effect.fail(new StepFailed({ cause, fix }))

interface Installation {
  readonly url: URL
  readonly inbox: string
  readonly identifier: Option.Option<string>
  readonly hmacToken: Option.Option<Redacted.Redacted>
}

/**
 * A connection failure as a failed step: the first sentence of its description is the cause, the rest (where the
 * description has one) the fix. The cable's `ConnectionFailure` knows the error codes, TLS and refused upgrades.
 */
const failWith = (failure: ConnectionFailure.ConnectionFailure) => {
  const text = ConnectionFailure.describe(failure)
  const end = text.indexOf(". ")
  return end < 0
    ? fail(text, "check the URL, any proxy in front of the server, and the server")
    : fail(text.slice(0, end), text.slice(end + 2))
}

/** An HTTP request that got no answer, read as the connection failure it is (the error code is in its cause). */
const requestFailure = (url: string, error: unknown) => {
  const cause = (error as { cause?: { code?: string; message?: string; cause?: { code?: string; message?: string } } })?.cause
  const code = cause?.code ?? cause?.cause?.code
  const message = cause?.cause?.message ?? cause?.message ?? String(error)
  return ConnectionFailure.fromSocketError(url, { reason: "Open", cause: { message, error: { code } } })
}

/** Runs every check, printing one line each; fails when any failed. */
export const doctor = (options: { readonly timeout: Duration.Duration }) =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    let failed = 0
    const step = <A, R>(name: string, check: Effect.Effect<A, StepFailed, R>, describe: (a: A) => string) =>
      check.pipe(
        Effect.timeoutFail({
          duration: options.timeout,
          onTimeout: () => new StepFailed({ cause: `no answer within ${Duration.format(options.timeout)}`, fix: "check the network and the server's load" })
        }),
        Effect.tap((a) => Console.log(`✓ ${name}: ${describe(a)}`)),
        Effect.tapError((e) => {
          failed += 1
          return Console.log(`✗ ${name}: ${e.cause}\n    fix: ${e.fix}`)
        }),
        Effect.option
      )
    const skipped = (name: string) => Console.log(`- ${name}: skipped (an earlier step failed)`)

    // 1. Settings: the URL and its scheme, the inbox.
    const settings = yield* step(
      "settings",
      Effect.gen(function*() {
        const config = yield* Effect.either(Config.all({
          url: Config.string("BEVATEL_URL"),
          inbox: Config.nonEmptyString("BEVATEL_INBOX_IDENTIFIER"),
          identifier: Config.option(Config.nonEmptyString("BEVATEL_IDENTIFIER")),
          hmacToken: Config.option(Config.redacted("BEVATEL_HMAC_TOKEN"))
        }))
        if (Either.isLeft(config)) {
          return yield* fail(
            "BEVATEL_URL and BEVATEL_INBOX_IDENTIFIER must both be set",
            "set BEVATEL_URL (e.g. https://chat.example.com) and the API inbox's identifier (inbox settings)"
          )
        }
        const url = Either.getOrUndefined(Either.try(() => new URL(config.right.url)))
        if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
          return yield* fail(`BEVATEL_URL is not an http(s) URL: ${config.right.url}`, "use the installation's base URL, e.g. https://chat.example.com")
        }
        return { ...config.right, url } satisfies Installation
      }),
      (s) => `${s.url.origin} (${s.url.protocol === "https:" ? "https" : "http: fine locally, use https in production"}), inbox ${s.inbox}`
    )
    if (Option.isNone(settings)) {
      for (const name of ["server", "inbox", "identity", "contact", "cable upgrade", "welcome", "subscription", "ping"]) yield* skipped(name)
      return yield* new DoctorFailed({ failed })
    }
    const { hmacToken, identifier, inbox, url } = settings.value
    const base = url.toString().replace(/\/+$/, "")
    const inboxUrl = `${base}/public/api/v1/inboxes/${encodeURIComponent(inbox)}`
    const send = (request: HttpClientRequest.HttpClientRequest) =>
      http.execute(request).pipe(
        Effect.flatMap((response) => Effect.map(response.text, (text) => ({ response, text }))),
        Effect.catchAll((error) => failWith(requestFailure(base, error)))
      )

    // 2. The server answers over HTTP(S), and its clock agrees with ours.
    const reached = yield* step(
      "server",
      Effect.gen(function*() {
        const answer = yield* send(HttpClientRequest.get(inboxUrl))
        const date = Date.parse(answer.response.headers["date"] ?? "")
        const skew = Number.isNaN(date) ? undefined : Math.abs(Date.now() - date)
        if (skew !== undefined && skew > 60_000) {
          return yield* fail(`the server's clock and this machine's differ by ${Math.round(skew / 1000)} s`, "synchronise the clocks (NTP): timestamps and timeouts depend on it")
        }
        return { ...answer, skew }
      }),
      ({ response, skew }) =>
        `answered HTTP ${response.status}${skew === undefined ? "" : `, clock skew ${Math.round(skew / 1000)} s`}`
    )
    if (Option.isNone(reached)) {
      for (const name of ["inbox", "identity", "contact", "cable upgrade", "welcome", "subscription", "ping"]) yield* skipped(name)
      return yield* new DoctorFailed({ failed })
    }

    // 3. The inbox exists and is an API inbox.
    const inboxInfo = yield* step(
      "inbox",
      Effect.gen(function*() {
        const { response, text } = reached.value
        if (response.status === 404) {
          return yield* fail(
            `no API inbox "${inbox}" (404 from GET /public/api/v1/inboxes/:inbox_identifier)`,
            "copy the identifier from the API inbox's settings; a website-widget inbox's token is not an API inbox identifier"
          )
        }
        if (response.status !== 200) return yield* fail(`HTTP ${response.status} from the inbox`, "check the server's logs")
        const body = Either.getOrUndefined(Either.try(() => JSON.parse(text) as { name?: unknown; identity_validation_enabled?: unknown }))
        if (body === undefined || typeof body !== "object") {
          return yield* fail("the answer is not JSON: is BEVATEL_URL the installation, not a page in front of it?", "use the installation's base URL")
        }
        return { name: String(body.name ?? ""), validation: body.identity_validation_enabled === true }
      }),
      (i) => `"${i.name}", identity validation ${i.validation ? "required" : "optional"}`
    )

    // 4. Identity: a signed identifier is accepted when a token is configured; required ones need one.
    const identity = Option.isNone(inboxInfo) ? Option.none() : yield* step(
      "identity",
      Effect.gen(function*() {
        if (Option.isSome(identifier) !== Option.isSome(hmacToken)) {
          return yield* fail("BEVATEL_IDENTIFIER and BEVATEL_HMAC_TOKEN go together", "set both, or neither")
        }
        if (Option.isNone(identifier) || Option.isNone(hmacToken)) {
          if (inboxInfo.value.validation) {
            return yield* fail("the inbox requires identity validation and no identifier is configured", "set BEVATEL_IDENTIFIER and BEVATEL_HMAC_TOKEN (the inbox's HMAC token)")
          }
          return { signed: undefined }
        }
        const hash = yield* Effect.orDie(IdentifierHash.sign(hmacToken.value, identifier.value))
        return { signed: { identifier: identifier.value, identifier_hash: hash } }
      }),
      (i) => i.signed === undefined ? "anonymous customers (no identifier configured)" : `identifier ${i.signed.identifier} signed`
    )

    // 5. A contact can be created (with the signed identifier, the server checks the hash).
    const contact = Option.isNone(identity) ? Option.none() : yield* step(
      "contact",
      Effect.gen(function*() {
        const request = HttpClientRequest.post(`${inboxUrl}/contacts`).pipe(
          HttpClientRequest.bodyUnsafeJson({ name: "bevatel-chat doctor", ...(identity.value.signed ?? {}) })
        )
        const { response, text } = yield* send(request)
        if (response.status === 500 && identity.value.signed) {
          return yield* fail("the server refused the identifier_hash (HTTP 500)", "BEVATEL_HMAC_TOKEN must be this inbox's HMAC token (inbox settings → configuration)")
        }
        if (response.status !== 200) return yield* fail(`HTTP ${response.status} creating a contact: ${text.slice(0, 120)}`, "check the server's logs")
        return yield* Schema.decodeUnknown(Schema.parseJson(Schema.Struct({ source_id: Schema.String, pubsub_token: Identifiers.PubsubToken })))(text).pipe(
          Effect.mapError(() => new StepFailed({ cause: "the contact's answer has no source_id or pubsub_token", fix: "is this a Chatwoot/Bevatel server?" }))
        )
      }),
      (c) => `created (source_id ${c.source_id.slice(0, 8)}…)`
    )
    if (Option.isNone(contact)) {
      for (const name of ["cable upgrade", "welcome", "subscription", "ping"]) yield* skipped(name)
      return yield* new DoctorFailed({ failed })
    }

    // 6–9. The cable: the upgrade, welcome, the subscription, a ping in time.
    const cableUrl = `${base.replace(/^http/, "ws")}/cable`
    yield* Effect.scoped(Effect.gen(function*() {
      const frames = yield* Queue.unbounded<CableFrame.ServerFrame>()
      const ended = yield* Queue.unbounded<ConnectionFailure.ConnectionFailure>()
      const socket = yield* Socket.makeWebSocket(cableUrl, { protocols: [...CableFrame.protocols] })
      const decode = Schema.decodeUnknownOption(CableFrame.ServerFrameFromJson)
      const opened = yield* Deferred.make<void>()
      yield* socket.runRaw((data) => {
        const frame = decode(typeof data === "string" ? data : new TextDecoder().decode(data))
        if (Option.isSome(frame)) Queue.unsafeOffer(frames, frame.value)
      }, { onOpen: Deferred.succeed(opened, undefined) }).pipe(
        Effect.catchAll((error) => Queue.offer(ended, ConnectionFailure.fromSocketError(cableUrl, error))),
        Effect.forkScoped
      )
      const socketFailed = Effect.flatMap(Queue.take(ended), failWith)
      const nextFrame = (predicate: (frame: CableFrame.ServerFrame) => boolean, within: Duration.DurationInput, onTimeout: StepFailed) =>
        Effect.raceFirst(Queue.take(frames).pipe(Effect.repeat({ until: predicate })), socketFailed).pipe(
          Effect.timeoutFail({ duration: within, onTimeout: () => onTimeout })
        )
      const upgraded = yield* step("cable upgrade", Effect.raceFirst(Deferred.await(opened), socketFailed), () => `${cableUrl} upgraded`)
      if (Option.isNone(upgraded)) {
        for (const name of ["welcome", "subscription", "ping"]) yield* skipped(name)
        return
      }
      const welcome = yield* step(
        "welcome",
        nextFrame((frame) => "type" in frame && frame.type === "welcome", options.timeout, new StepFailed({
          cause: `${cableUrl} accepted the WebSocket but sent no ActionCable welcome`,
          fix: "BEVATEL_URL must be the installation itself: its /cable is ActionCable"
        })),
        () => "received"
      )
      if (Option.isNone(welcome)) {
        for (const name of ["subscription", "ping"]) yield* skipped(name)
        return
      }
      const write = yield* socket.writer
      const identifier = Schema.encodeSync(CableFrame.RoomChannelIdentifier)({
        channel: "RoomChannel",
        pubsub_token: contact.value.pubsub_token
      })
      yield* Effect.orDie(write(JSON.stringify({ command: "subscribe", identifier })))
      const confirmed = yield* step(
        "subscription",
        nextFrame((frame) => "type" in frame && frame.type === "confirm_subscription", "10 seconds", new StepFailed({
          cause: "RoomChannel did not confirm the new contact's pubsub_token within 10 s",
          fix: "the server's ActionCable (Redis) may be down: check its logs"
        })),
        () => "RoomChannel confirmed"
      )
      if (Option.isNone(confirmed)) return yield* skipped("ping")
      const started = Date.now()
      yield* step(
        "ping",
        nextFrame((frame) => "type" in frame && frame.type === "ping", "6 seconds", new StepFailed({
          cause: "no ping within 6 s (ActionCable pings every 3 s)",
          fix: "a proxy may buffer WebSocket frames, or time idle sockets out: disable buffering for /cable"
        })),
        () => `within ${Date.now() - started} ms`
      )
    })).pipe(Effect.provide(NodeWebSocket.layerWebSocketConstructor))

    if (failed > 0) return yield* new DoctorFailed({ failed })
    yield* Console.log("All checks passed.")
  })

