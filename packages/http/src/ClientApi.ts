/**
 * The Bevatel Client API of one inbox, as an Effect service over `@effect/platform`'s `HttpClient`.
 *
 * @since 0.1.0
 */
import { Contact, Conversation, CsatSurvey, DecodeIssues, Decoder, Identifiers, Inbox, Message, Requests } from "@bevatel/schema"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as LogLevel from "effect/LogLevel"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schedule from "effect/Schedule"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as ScheduleIntervals from "effect/ScheduleIntervals"
import * as Schema from "effect/Schema"
import * as ClientApiError from "./ClientApiError.js"
import { makeAggregatedWarnings } from "./internal/aggregatedLog.js"
import * as Deadlines from "./internal/deadlines.js"
import { type Call, excerpt, fromRequestError, fromStatus, makeCall } from "./internal/exchange.js"
import * as RequestBudget from "./RequestBudget.js"
import * as RetryPolicy from "./RetryPolicy.js"

/**
 * A file to attach to a message.
 *
 * @since 0.1.0
 * @category models
 */
export interface Attachment {
  /** The file name the server stores and shows. */
  readonly name: string
  readonly data: Uint8Array | Blob
  /** The MIME type; decides `file_type` (`image/png` → image …). Default `application/octet-stream`. */
  readonly contentType?: string | undefined
}

/**
 * A new message.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewMessage {
  readonly content?: string | undefined
  /**
   * Echoed on the cable's `message.created` frame of this message, so you can match it. Generated when absent;
   * the one used is returned beside the message.
   */
  readonly echoId?: string | undefined
  readonly attachments?: ReadonlyArray<Attachment> | undefined
}

/**
 * The Client API of one inbox. Every method fails with a typed {@link ClientApiError.ClientApiError}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly inboxIdentifier: Identifiers.InboxIdentifier
  readonly inbox: {
    /** The inbox's public description (servers older than late 2022 lack it: `NotFound`). */
    readonly get: Effect.Effect<Inbox.Inbox, ClientApiError.ClientApiError>
  }
  readonly contacts: {
    /**
     * Creates the customer's session (or returns the existing one with that `source_id`). A `source_id` is
     * generated when absent, which makes the call safe to retry.
     */
    readonly create: (
      request?: Requests.CreateContactRequest
    ) => Effect.Effect<Contact.ContactSession, ClientApiError.ClientApiError>
    /** Reads the session; with a valid `identifier` + `identifier_hash` it also marks it identity-verified. */
    readonly get: (
      sourceId: string,
      params?: Requests.GetContactParams
    ) => Effect.Effect<Contact.ContactSession, ClientApiError.ClientApiError>
    /** Updates the contact; answers the raw contact record (no source id, no token). */
    readonly update: (
      sourceId: string,
      request: Requests.UpdateContactRequest
    ) => Effect.Effect<Contact.ContactRecord, ClientApiError.ClientApiError>
  }
  readonly conversations: {
    readonly create: (
      sourceId: string,
      request?: Requests.CreateConversationRequest
    ) => Effect.Effect<Conversation.Conversation, ClientApiError.ClientApiError>
    readonly list: (sourceId: string) => Effect.Effect<ReadonlyArray<Conversation.Conversation>, ClientApiError.ClientApiError>
    readonly get: (
      sourceId: string,
      conversationId: number
    ) => Effect.Effect<Conversation.Conversation, ClientApiError.ClientApiError>
    /** Resolves the conversation (the API cannot reopen: a new customer message does). */
    readonly resolve: (
      sourceId: string,
      conversationId: number
    ) => Effect.Effect<Conversation.Conversation, ClientApiError.ClientApiError>
    readonly typing: (
      sourceId: string,
      conversationId: number,
      status: "on" | "off"
    ) => Effect.Effect<void, ClientApiError.ClientApiError>
    readonly markSeen: (sourceId: string, conversationId: number) => Effect.Effect<void, ClientApiError.ClientApiError>
  }
  readonly messages: {
    /** The newest 20 messages, oldest first; with `before`, the 20 older than that id. */
    readonly list: (
      sourceId: string,
      conversationId: number,
      params?: { readonly before?: number | undefined }
    ) => Effect.Effect<ReadonlyArray<Message.Message>, ClientApiError.ClientApiError>
    /**
     * Sends a message (multipart when it has attachments). Never retried once it may have reached the server;
     * match its echo on the cable with the returned `echoId`.
     */
    readonly create: (
      sourceId: string,
      conversationId: number,
      message: NewMessage
    ) => Effect.Effect<{ readonly message: Message.Message; readonly echoId: Identifiers.EchoId }, ClientApiError.ClientApiError>
    /** Answers a form, select or CSAT message. */
    readonly update: (
      sourceId: string,
      conversationId: number,
      messageId: number,
      request: Requests.UpdateMessageRequest
    ) => Effect.Effect<Message.Message, ClientApiError.ClientApiError>
  }
  /**
   * The CSAT survey of a conversation, addressed by the conversation's `uuid` (routes outside the inbox). The
   * server posts the survey as an `input_csat` message when a conversation of an inbox with CSAT enabled is
   * resolved; `NotFound` (resource `csat_survey`) until then.
   */
  readonly csatSurvey: {
    /** The survey message and the customer's answer so far (`undefined` when the server lists none). */
    readonly get: (conversationUuid: string) => Effect.Effect<CsatSurvey.CsatSurvey | undefined, ClientApiError.ClientApiError>
    /** Rates the conversation 1–5, with optional feedback; the server refuses (422) 14 days after the survey. */
    readonly submit: (
      conversationUuid: string,
      answer: { readonly rating: number; readonly feedback_message?: string | undefined }
    ) => Effect.Effect<CsatSurvey.CsatSurvey, ClientApiError.ClientApiError>
  }
}

/**
 * The Client API service: every endpoint of one inbox.
 *
 * @example
 * ```ts
 * import { ClientApi } from "@bevatel/http"
 * import { Effect } from "effect"
 *
 * const inbox = Effect.flatMap(ClientApi.ClientApi, (api) => api.inbox.get)
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class ClientApi extends Context.Tag("@bevatel/http/ClientApi")<ClientApi, Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The installation, e.g. `https://chat.example.com`. */
  readonly baseUrl: string | URL
  readonly inboxIdentifier: string
  /** Per attempt. Default 10 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /**
   * The backoff between retries. Default {@link RetryPolicy.defaultSchedule} (jittered exponential from 200 ms,
   * at most 4 retries). What is retried is fixed by {@link RetryPolicy.isRetryable}; `Retry-After` is honoured.
   */
  readonly retrySchedule?: Schedule.Schedule<unknown, unknown> | undefined
  /** The longest `Retry-After` worth waiting for. Default 30 seconds. */
  readonly maxRetryAfter?: Duration.DurationInput | undefined
  /** Adds middleware to the underlying client (proxy headers, logging …). */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

const validated = <A, I>(operation: string, argument: string, schema: Schema.Schema<A, I>, value: unknown) =>
  Either.mapLeft(
    Schema.decodeUnknownEither(schema)(value),
    (error) =>
      new ClientApiError.InvalidArgument({
        operation,
        argument,
        description: DecodeIssues.fromError(error).map((issue) => issue.message).join("; ")
      })
  )

const inboxRoute = "/public/api/v1/inboxes/:inbox_identifier"

// Schemas and their decoders are built once: compiling a decoder costs far more than running it.
const Conversations = Schema.Array(Conversation.Conversation)
const Messages = Schema.Array(Message.Message)
const bodyDecoders = new WeakMap<Schema.Schema.Any, (body: string) => Effect.Effect<unknown, ParseResult.ParseError>>()
const decodeBody = <A, I>(schema: Schema.Schema<A, I>): (body: string) => Effect.Effect<A, ParseResult.ParseError> => {
  let decoder = bodyDecoders.get(schema)
  if (!decoder) bodyDecoders.set(schema, decoder = Decoder.compile(Schema.parseJson(schema)))
  return decoder as (body: string) => Effect.Effect<A, ParseResult.ParseError>
}

/**
 * Builds the service for one inbox.
 *
 * **Details**
 * Each request has a timeout (default 10 s). Failures are retried with jittered exponential backoff only when a
 * retry cannot duplicate the request's effect (see {@link RetryPolicy}). Path segments are validated and encoded;
 * an invalid identifier fails with `InvalidArgument` before any request. Spans (`ClientApi.<operation>`) and logs
 * carry route templates, never the inbox identifier or source id.
 *
 * @example
 * ```ts
 * import { ClientApi } from "@bevatel/http"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const api = yield* ClientApi.ClientApi
 *   const contact = yield* api.contacts.create({ name: "Ada" })
 *   const conversation = yield* api.conversations.create(contact.source_id)
 *   yield* api.messages.create(contact.source_id, conversation.id, { content: "Hello!" })
 * })
 *
 * program.pipe(
 *   Effect.provide(ClientApi.layer({ baseUrl: "https://chat.example.com", inboxIdentifier: "…" })),
 *   Effect.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Service, ClientApiError.InvalidArgument, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const inboxIdentifier = yield* validated("ClientApi.make", "inbox identifier", Identifiers.InboxIdentifier, options.inboxIdentifier)
    const baseUrl = yield* Either.try({
      try: () => new URL(options.baseUrl).toString().replace(/\/+$/, ""),
      catch: () =>
        new ClientApiError.InvalidArgument({ operation: "ClientApi.make", argument: "base URL", description: "not an absolute URL" })
    })
    const base = `${baseUrl}/public/api/v1/inboxes/${encodeURIComponent(inboxIdentifier)}`
    const timeout = Duration.decode(options.timeout ?? Duration.seconds(10))
    const deadlines = Deadlines.make(timeout)
    const schedule = RetryPolicy.honouringRetryAfter(options.retrySchedule ?? RetryPolicy.defaultSchedule, options.maxRetryAfter)
    const transform = options.transformClient ?? ((client: HttpClient.HttpClient) => client)
    // One line per kind of failure and interval, however many requests fail at once (a 429 storm).
    const warn = makeAggregatedWarnings(Duration.seconds(10))
    // A process-wide request budget, when the context holds one: every attempt takes a permit, sends first.
    const budget = yield* Effect.serviceOption(RequestBudget.RequestBudget)
    // Our own span names the route template; the platform's would record the full URL, which holds access keys.
    const client = transform((yield* HttpClient.HttpClient).pipe(HttpClient.withTracerDisabledWhen(() => true)))

    const exchange = <A, I>(
      call: Call,
      request: HttpClientRequest.HttpClientRequest,
      response: Schema.Schema<A, I> | undefined
    ): Effect.Effect<A, ClientApiError.ClientApiError> => {
      // One deadline for the whole answer, headers and body.
      const receive = Effect.gen(function*() {
        const answer = yield* client.execute(HttpClientRequest.acceptJson(request)).pipe(
          Effect.mapError((error) =>
            error._tag === "RequestError"
              ? fromRequestError(call, error)
              : new ClientApiError.UnexpectedResponse({
                operation: call.operation,
                route: call.route,
                status: error.response.status,
                body: "",
                description: error.message
              })
          )
        )
        const body = yield* answer.text.pipe(
          Effect.catchTag("ResponseError", (error) =>
            Effect.fail(
              new ClientApiError.TransportError({
                operation: call.operation,
                route: call.route,
                sent: true,
                description: "the answer's body could not be read",
                cause: error.cause
              })
            ))
        )
        return { answer, body }
      }).pipe(
        deadlines.within(() => new ClientApiError.RequestTimeout({ operation: call.operation, route: call.route, timeout }))
      )
      const permit = Option.match(budget, {
        onNone: () => Effect.void,
        onSome: (budget) => budget.take(call.idempotency === "unsafe" ? "send" : "read")
      })
      const attempt = Effect.gen(function*() {
        yield* permit
        yield* Metric.increment(call.requests)
        const { answer, body } = yield* receive
        // A browser's XMLHttpRequest answers "status 0" when there was no answer it may show: the connection failed, or
        // the page's origin is not allowed (CORS). The request may have reached the server.
        if (answer.status === 0) {
          return yield* new ClientApiError.TransportError({
            operation: call.operation,
            route: call.route,
            sent: true,
            description: "no answer (status 0): the server is unreachable, or it did not allow this page's origin (CORS)"
          })
        }
        if (answer.status === 429) yield* Metric.increment(call.rateLimited)
        yield* Effect.annotateCurrentSpan("http.response.status_code", answer.status)
        yield* Effect.whenLogLevel(
          Effect.logDebug("Client API answered").pipe(Effect.annotateLogs({ route: call.route, status: answer.status })),
          LogLevel.Debug
        )
        if (answer.status < 200 || answer.status >= 300) {
          return yield* Effect.fail(fromStatus(call, answer, body, yield* Clock.currentTimeMillis))
        }
        if (response === undefined) return undefined as A
        return yield* decodeBody(response)(body).pipe(
          Effect.mapError((error) =>
            new ClientApiError.UnexpectedResponse({
              operation: call.operation,
              route: call.route,
              status: answer.status,
              body: excerpt(body),
              description: DecodeIssues.describe(error, 6)
            })
          )
        )
      })
      // The first attempt runs on its own; only a failure that may be retried starts the schedule.
      return attempt.pipe(
        Effect.catchAll((error) =>
          RetryPolicy.isRetryable(error, call.idempotency) ? retrying(call, attempt, error) : Effect.fail(error)
        ),
        Effect.withSpan(call.spanName, call.spanOptions)
      )
    }

    /** Retries `attempt`, whose first run failed with `first`, as the schedule decides; says so when it does. */
    const retrying = <A>(
      call: Call,
      attempt: Effect.Effect<A, ClientApiError.ClientApiError>,
      first: ClientApiError.ClientApiError
    ): Effect.Effect<A, ClientApiError.ClientApiError> =>
      Effect.suspend(() => {
        // Failures are logged when the schedule decides: "retrying in …" only when it will, then "gave up after N".
        let attempts = 0
        let lastError: ClientApiError.ClientApiError | undefined
        let replayed = false
        const kindOf = (error: ClientApiError.ClientApiError) =>
          `${error._tag}:${"status" in error ? error.status : ""}`
        const retries = schedule.pipe(
          Schedule.tapInput((error: ClientApiError.ClientApiError) => Effect.sync(() => (lastError = error))),
          Schedule.onDecision((_, decision) => {
            const error = lastError
            // The schedule is stepped before `while` is asked: only a failure that will be retried says so.
            if (!ScheduleDecision.isContinue(decision) || error === undefined || !RetryPolicy.isRetryable(error, call.idempotency)) {
              return Effect.void
            }
            return Effect.flatMap(Clock.currentTimeMillis, (now) => {
              const delay = Duration.millis(Math.max(0, Math.round(ScheduleIntervals.start(decision.intervals) - now)))
              return warn(
                `retry:${kindOf(error)}`,
                `Client API ${call.operation} failed (attempt ${attempts}), retrying in ${Duration.format(delay)}: ${error.message}`
              )
            })
          })
        )
        // The schedule's first input is the first attempt's failure, which already happened.
        const again = Effect.suspend(() => replayed ? attempt : (replayed = true, Effect.fail(first)))
        return again.pipe(
          Effect.tapError(() => Effect.sync(() => (attempts += 1))),
          Effect.retry({ schedule: retries, while: (error) => RetryPolicy.isRetryable(error, call.idempotency) }),
          Effect.tapError((error) =>
            attempts > 1 && RetryPolicy.isRetryable(error, call.idempotency)
              ? warn(`gave-up:${kindOf(error)}`, `Client API ${call.operation} gave up after ${attempts} attempts: ${error.message}`)
              : Effect.void
          )
        )
      })

    // Built once per operation: what its requests share (route, span options, tagged metrics).
    const calls = new Map<string, Call>()
    const callOnce = (operation: string, build: () => Call): Call => {
      let known = calls.get(operation)
      if (known === undefined) calls.set(operation, known = build())
      return known
    }
    const call = (
      operation: string,
      method: "GET" | "POST" | "PATCH",
      route: string,
      resource: Call["resource"],
      idempotency: RetryPolicy.Idempotency
    ): Call =>
      callOnce(operation, () =>
        makeCall({
          operation,
          method,
          path: `${inboxRoute}${route}`,
          resource,
          idempotency,
          checksIdentity: route === "/contacts" || route === "/contacts/:source_id"
        }))

    const sourceSegment = (operation: string, sourceId: string) =>
      Either.map(validated(operation, "source id", Identifiers.SourceId, sourceId), encodeURIComponent)
    const conversationSegment = (operation: string, sourceId: string, conversationId: number) =>
      Either.flatMap(sourceSegment(operation, sourceId), (source) =>
        Either.map(
          validated(operation, "conversation id", Identifiers.ConversationId, conversationId),
          (id) => `${base}/contacts/${source}/conversations/${id}`
        ))

    const jsonBody = <A, I>(operation: string, schema: Schema.Schema<A, I>, value: A) =>
      Either.mapLeft(
        Either.try(() => HttpBody.unsafeJson(Schema.encodeSync(schema)(value))),
        () => new ClientApiError.InvalidArgument({ operation, argument: "request body", description: "does not match the request schema" })
      )

    /** A call on one conversation (`action` is the path after it, e.g. `/toggle_status`); all are idempotent. */
    const conversationRequest = <A, I>(
      operation: string,
      method: "GET" | "POST",
      action: string,
      sourceId: string,
      conversationId: number,
      response: Schema.Schema<A, I> | undefined,
      options: HttpClientRequest.Options.NoUrl = {}
    ) =>
      Effect.flatMap(conversationSegment(operation, sourceId, conversationId), (url) =>
        exchange(
          call(operation, method, `/contacts/:source_id/conversations/:conversation_id${action}`, "conversation", "idempotent"),
          HttpClientRequest.make(method)(`${url}${action}`, options),
          response
        ))

    const csatSegment = (operation: string, conversationUuid: string) =>
      Either.map(
        validated(operation, "conversation uuid", Schema.NonEmptyTrimmedString, conversationUuid),
        (uuid) => `${baseUrl}/public/api/v1/csat_survey/${encodeURIComponent(uuid)}`
      )
    const csatCall = (operation: string, method: "GET" | "PATCH"): Call =>
      callOnce(operation, () =>
        makeCall({
          operation,
          method,
          path: "/public/api/v1/csat_survey/:conversation_uuid",
          resource: "csat_survey",
          idempotency: "idempotent",
          checksIdentity: false
        }))

    const service: Service = {
      inboxIdentifier,
      inbox: {
        get: exchange(call("inbox.get", "GET", "", "inbox", "idempotent"), HttpClientRequest.get(base), Inbox.Inbox)
      },
      contacts: {
        create: (request = {}) =>
          Effect.gen(function*() {
            const withSource = { ...request, source_id: request.source_id ?? crypto.randomUUID() }
            const body = yield* jsonBody("contacts.create", Requests.CreateContactRequest, withSource)
            return yield* exchange(
              call("contacts.create", "POST", "/contacts", "contact", "idempotent"),
              HttpClientRequest.post(`${base}/contacts`, { body }),
              Contact.ContactSession
            )
          }),
        get: (sourceId, params = {}) =>
          Effect.flatMap(sourceSegment("contacts.get", sourceId), (source) =>
            exchange(
              call("contacts.get", "GET", "/contacts/:source_id", "contact", "idempotent"),
              HttpClientRequest.get(`${base}/contacts/${source}`, {
                urlParams: Schema.encodeSync(Requests.GetContactParams)(params)
              }),
              Contact.ContactSession
            )),
        update: (sourceId, request) =>
          Effect.gen(function*() {
            const source = yield* sourceSegment("contacts.update", sourceId)
            const body = yield* jsonBody("contacts.update", Requests.UpdateContactRequest, request)
            return yield* exchange(
              call("contacts.update", "PATCH", "/contacts/:source_id", "contact", "idempotent"),
              HttpClientRequest.patch(`${base}/contacts/${source}`, { body }),
              Contact.ContactRecord
            )
          })
      },
      conversations: {
        create: (sourceId, request = {}) =>
          Effect.gen(function*() {
            const source = yield* sourceSegment("conversations.create", sourceId)
            const body = yield* jsonBody("conversations.create", Requests.CreateConversationRequest, request)
            return yield* exchange(
              call("conversations.create", "POST", "/contacts/:source_id/conversations", "contact", "unsafe"),
              HttpClientRequest.post(`${base}/contacts/${source}/conversations`, { body }),
              Conversation.Conversation
            )
          }),
        list: (sourceId) =>
          Effect.flatMap(sourceSegment("conversations.list", sourceId), (source) =>
            exchange(
              call("conversations.list", "GET", "/contacts/:source_id/conversations", "contact", "idempotent"),
              HttpClientRequest.get(`${base}/contacts/${source}/conversations`),
              Conversations
            )),
        get: (sourceId, conversationId) =>
          conversationRequest("conversations.get", "GET", "", sourceId, conversationId, Conversation.Conversation),
        resolve: (sourceId, conversationId) =>
          conversationRequest("conversations.resolve", "POST", "/toggle_status", sourceId, conversationId, Conversation.Conversation),
        typing: (sourceId, conversationId, status) =>
          conversationRequest("conversations.typing", "POST", "/toggle_typing", sourceId, conversationId, undefined, {
            body: HttpBody.unsafeJson(Schema.encodeSync(Requests.ToggleTypingRequest)({ typing_status: status }))
          }),
        markSeen: (sourceId, conversationId) =>
          conversationRequest("conversations.markSeen", "POST", "/update_last_seen", sourceId, conversationId, undefined)
      },
      messages: {
        list: (sourceId, conversationId, params = {}) =>
          Effect.gen(function*() {
            const url = yield* conversationSegment("messages.list", sourceId, conversationId)
            const before = params.before === undefined
              ? {}
              : { before: yield* validated("messages.list", "before", Identifiers.MessageId, params.before) }
            return yield* exchange(
              call("messages.list", "GET", "/contacts/:source_id/conversations/:conversation_id/messages", "conversation", "idempotent"),
              HttpClientRequest.get(`${url}/messages`, { urlParams: Schema.encodeSync(Requests.ListMessagesParams)(before) }),
              Messages
            )
          }),
        create: (sourceId, conversationId, message) =>
          Effect.gen(function*() {
            const url = yield* conversationSegment("messages.create", sourceId, conversationId)
            const echoId = yield* validated("messages.create", "echo id", Identifiers.EchoId, message.echoId ?? crypto.randomUUID())
            const fields = yield* validated("messages.create", "content", Requests.CreateMessageRequest, {
              ...(message.content === undefined ? {} : { content: message.content }),
              echo_id: echoId
            })
            const body = message.attachments && message.attachments.length > 0
              ? HttpBody.formData(formDataOf(Schema.encodeSync(Requests.CreateMessageRequest)(fields), message.attachments))
              : HttpBody.unsafeJson(Schema.encodeSync(Requests.CreateMessageRequest)(fields))
            const created = yield* exchange(
              call("messages.create", "POST", "/contacts/:source_id/conversations/:conversation_id/messages", "conversation", "unsafe"),
              HttpClientRequest.post(`${url}/messages`, { body }),
              Message.Message
            )
            return { message: created, echoId }
          }),
        update: (sourceId, conversationId, messageId, request) =>
          Effect.gen(function*() {
            const url = yield* conversationSegment("messages.update", sourceId, conversationId)
            const id = yield* validated("messages.update", "message id", Identifiers.MessageId, messageId)
            const body = yield* jsonBody("messages.update", Requests.UpdateMessageRequest, request)
            return yield* exchange(
              call("messages.update", "PATCH", "/contacts/:source_id/conversations/:conversation_id/messages/:message_id", "message", "idempotent"),
              HttpClientRequest.patch(`${url}/messages/${id}`, { body }),
              Message.Message
            )
          })
      },
      csatSurvey: {
        get: (conversationUuid) =>
          Effect.flatMap(csatSegment("csatSurvey.get", conversationUuid), (url) =>
            exchange(csatCall("csatSurvey.get", "GET"), HttpClientRequest.get(url), CsatSurvey.CsatSurveyAnswer)),
        submit: (conversationUuid, answer) =>
          Effect.gen(function*() {
            const url = yield* csatSegment("csatSurvey.submit", conversationUuid)
            const request = yield* validated("csatSurvey.submit", "answer", Requests.UpdateCsatSurveyRequest, {
              message: { submitted_values: { csat_survey_response: answer } }
            })
            return yield* exchange(
              csatCall("csatSurvey.submit", "PATCH"),
              HttpClientRequest.patch(url, { body: HttpBody.unsafeJson(Schema.encodeSync(Requests.UpdateCsatSurveyRequest)(request)) }),
              CsatSurvey.CsatSurvey
            )
          })
      }
    }
    return ClientApi.of(service)
  })

const formDataOf = (fields: Record<string, unknown>, attachments: ReadonlyArray<Attachment>): FormData => {
  const form = new FormData()
  for (const [key, value] of Object.entries(fields)) form.append(key, String(value))
  for (const attachment of attachments) {
    const blob = attachment.data instanceof Blob
      ? attachment.data
      : new Blob([attachment.data as Uint8Array<ArrayBuffer>], { type: attachment.contentType ?? "application/octet-stream" })
    form.append("attachments[]", blob, attachment.name)
  }
  return form
}

/**
 * The service as a layer.
 *
 * @example
 * ```ts
 * import { ClientApi } from "@bevatel/http"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 *
 * const Api = ClientApi.layer({ baseUrl: "https://chat.example.com", inboxIdentifier: "your-inbox" }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<ClientApi, ClientApiError.InvalidArgument, HttpClient.HttpClient> =>
  Layer.effect(ClientApi, make(options))

/**
 * The Client API, its options read from your `Config` (each option a `Config` of its own, or one `Config` of them all).
 *
 * @example
 * ```ts
 * import { ClientApi } from "@bevatel/http"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Config, Layer } from "effect"
 *
 * const Api = ClientApi.layerConfig({
 *   baseUrl: Config.url("BEVATEL_URL"),
 *   inboxIdentifier: Config.nonEmptyString("BEVATEL_INBOX_IDENTIFIER")
 * }).pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<Options>
): Layer.Layer<ClientApi, ClientApiError.InvalidArgument | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.unwrapEffect(Effect.map(Config.unwrap(config), layer))
