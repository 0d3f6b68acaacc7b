import { DecodeIssues, type Message, Requests } from "@bevatel/schema"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as Agent from "../Agent.js"
import type * as Faults from "../Faults.js"
import { type Presenter, railsError } from "./presenter.js"
import { railsParams } from "./railsParams.js"
import { type InboxRow, Invalid, NotFound, ServerFailure } from "./store.js"

/** The request failures the Client API answers with a status of its own. @internal */
type ApiFailure = NotFound | Invalid | ServerFailure | BadRequest

class BadRequest {
  readonly _tag = "BadRequest"
}

const isApiFailure = (error: unknown): error is ApiFailure =>
  error instanceof NotFound || error instanceof Invalid || error instanceof ServerFailure || error instanceof BadRequest

/** Runs a store operation; the store's rule violations become their HTTP answers, anything else a 500. */
const attempt = <A>(operation: () => A): Effect.Effect<A, ApiFailure> =>
  Effect.try({ try: operation, catch: (error) => error }).pipe(
    Effect.catchIf((error) => !isApiFailure(error), (error) => Effect.die(error))
  ) as Effect.Effect<A, ApiFailure>

const failureResponse = (failure: ApiFailure) => {
  switch (failure._tag) {
    case "NotFound":
      return HttpServerResponse.unsafeJson(railsError(404), { status: 404 })
    case "Invalid":
      return HttpServerResponse.unsafeJson({ message: failure.message, attributes: failure.attributes }, { status: 422 })
    case "ServerFailure":
      return HttpServerResponse.unsafeJson(railsError(500), { status: 500 })
    case "BadRequest":
      return HttpServerResponse.unsafeJson({ status: 400, error: "Bad Request" }, { status: 400 })
  }
}

interface Upload {
  readonly fileName: string
  readonly contentType: string
  readonly bytes: Uint8Array
}

/** Rails merges query, JSON, form and multipart parameters, nesting bracketed names (`a[b]`, `a[][b]`); so do we. */
const requestParams = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const query = yield* nested(new URL(request.url, "http://local").searchParams)
  // Without a body (no length, not chunked) there is nothing to parse, whatever the content type says.
  const hasBody = Number(request.headers["content-length"] ?? 0) > 0 || request.headers["transfer-encoding"] !== undefined
  const contentType = hasBody ? request.headers["content-type"] ?? "" : ""
  const uploads: Array<Upload> = []
  let body: Record<string, unknown> = {}
  if (contentType.includes("application/json")) {
    // A body that cannot be read whole (cut off, or larger than the limit without a length) is a bad request.
    const text = yield* Effect.mapError(request.text, () => new BadRequest())
    if (text.trim() !== "") {
      const parsed = yield* Effect.try({ try: () => JSON.parse(text) as unknown, catch: () => new BadRequest() })
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>
    }
  } else if (contentType.includes("multipart/form-data")) {
    const parts = yield* request.multipartStream.pipe(
      Stream.mapEffect((part): Effect.Effect<
        { readonly field: readonly [string, string] } | { readonly upload: Upload & { readonly key: string } },
        unknown
      > =>
        part._tag === "Field"
          ? Effect.succeed({ field: [part.key, part.value] as const })
          : Effect.map(part.contentEffect, (bytes) => ({
            upload: { key: part.key, fileName: part.name, contentType: part.contentType, bytes }
          }))
      ),
      Stream.runCollect,
      // A body that is not the multipart it claims to be may never end a part: it is a bad request, not a hang.
      Effect.timeoutFail({ duration: "10 seconds", onTimeout: () => new BadRequest() }),
      Effect.mapError(() => new BadRequest())
    )
    const fields: Array<readonly [string, string]> = []
    for (const part of Chunk.toReadonlyArray(parts)) {
      if ("field" in part) fields.push(part.field)
      else if (part.upload.key === "attachments[]" || part.upload.key === "attachments") uploads.push(part.upload)
    }
    body = yield* nested(fields)
  } else if (contentType.includes("application/x-www-form-urlencoded")) {
    body = yield* nested(yield* Effect.mapError(request.urlParamsBody, () => new BadRequest()))
  }
  return { params: { ...query, ...body }, uploads }
})

/** Form or query pairs as Rails' nested parameters; names whose nesting contradicts itself are Rack's 400. */
const nested = (pairs: Iterable<readonly [string, string]>) =>
  Effect.suspend(() => {
    const params = railsParams(pairs)
    return params === undefined ? Effect.fail(new BadRequest()) : Effect.succeed(params)
  })

/** Decodes parameters with a request schema; a mismatch is a 422, as a failed model validation would be. */
const decodeParams = <A, I>(schema: Schema.Schema<A, I>, params: Record<string, unknown>) =>
  Schema.decodeUnknown(schema)(params).pipe(
    Effect.mapError((error) =>
      new Invalid({
        message: DecodeIssues.fromError(error).map((i) => `${i.path.join(".")} ${i.message}`).join(", "),
        attributes: DecodeIssues.fromError(error).map((i) => String(i.path[0] ?? "base"))
      })
    )
  )

/** What Rails' strong parameters permit as a scalar: strings, numbers, booleans, null. */
const isScalar = (value: unknown) =>
  value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean"

/** `hash.slice(keys)` keeping scalars only, as `permit(:a, :b)` does. */
const permitScalars = (hash: Record<string, unknown>, keys: ReadonlyArray<string>) =>
  Object.fromEntries(keys.filter((key) => Object.hasOwn(hash, key) && isScalar(hash[key])).map((key) => [key, hash[key]]))

const isHash = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** One submitted value as `permit(:name, :title, :value, { csat_survey_response: [:feedback_message, :rating] })` keeps it. */
const permittedSubmittedValue = (hash: Record<string, unknown>) => {
  const csat = hash.csat_survey_response
  return {
    ...permitScalars(hash, ["name", "title", "value"]),
    ...(isHash(csat) ? { csat_survey_response: permitScalars(csat, ["feedback_message", "rating"]) } : {})
  }
}

/** `submitted_values` as the public messages controller permits it (an array of hashes, or one hash), or `undefined`. */
const permittedSubmittedValues = (raw: unknown) =>
  Array.isArray(raw)
    ? raw.filter(isHash).map(permittedSubmittedValue)
    : isHash(raw)
    ? permittedSubmittedValue(raw)
    : undefined

const stringParam = (params: Record<string, unknown>, key: string) =>
  typeof params[key] === "string" ? params[key] as string : undefined

const withoutHash = ({ identifier_hash: _, ...rest }: Record<string, unknown>) => rest

const routeParams = Effect.map(HttpRouter.params, (params) => ({
  inbox: params.inbox ?? "",
  contact: params.contact ?? "",
  conversation: Number(params.conversation),
  message: Number(params.message)
}))

const json = (body: unknown) => HttpServerResponse.unsafeJson(body)

/**
 * The Client API routes, `/cable`, attachment downloads and the admin API, as one router.
 *
 * @internal
 */
export const makeRouter = (options: {
  readonly presenter: Presenter
  readonly cable: Effect.Effect<HttpServerResponse.HttpServerResponse, unknown, HttpServerRequest.HttpServerRequest>
  readonly agent: Agent.Service
  readonly faults: Faults.Service
  readonly addInbox: (options: {
    readonly identifier?: string | undefined
    readonly name?: string | undefined
    readonly hmacToken?: string | undefined
    readonly hmacMandatory?: boolean | undefined
  }) => Effect.Effect<{ readonly identifier: string; readonly hmacToken: Redacted.Redacted; readonly hmacMandatory: boolean }>
  readonly customerActivity: (activity: Agent.CustomerActivity) => Effect.Effect<void>
}) => {
  const { agent, customerActivity, faults, presenter } = options
  const store = presenter.store
  const api = <E, R>(handler: Effect.Effect<HttpServerResponse.HttpServerResponse, ApiFailure | E, R>) =>
    handler.pipe(
      Effect.catchIf(isApiFailure, (failure) => Effect.succeed(failureResponse(failure)))
    )
  const session = Effect.flatMap(routeParams, (ids) =>
    attempt(() => {
      const inbox = store.inbox(ids.inbox)
      return { ids, inbox, contactInbox: ids.contact ? store.contactInbox(inbox, ids.contact) : undefined! }
    }))
  /** The conversation in the path, as the conversations routes see it (identity-scoped). */
  const visibleConversation = Effect.flatMap(session, ({ contactInbox, ids }) =>
    attempt(() => store.visibleConversation(contactInbox, ids.conversation)))
  /** The conversation in the path, as the messages routes see it (any conversation of the contact). */
  const contactConversation = Effect.flatMap(session, ({ contactInbox, ids }) =>
    attempt(() => store.contactConversation(contactInbox, ids.conversation)).pipe(
      Effect.map((conversation) => ({ conversation, contactInbox, ids }))
    ))

  /** The request's `identifier` + `identifier_hash`, checked against the inbox's token: whether they verify it. */
  const checkedHmac = (inbox: InboxRow, params: Record<string, unknown>) =>
    attempt(() => store.checkHmac(inbox, stringParam(params, "identifier"), stringParam(params, "identifier_hash")))

  /** The contact in the path, marked verified when the request's identity checks out (`Contact#update` on GET too). */
  const verifiedSession = Effect.gen(function*() {
    const { contactInbox, inbox } = yield* session
    const { params } = yield* requestParams
    if (yield* checkedHmac(inbox, params)) contactInbox.hmacVerified = true
    return { contactInbox, params }
  })

  const showContact = api(Effect.map(verifiedSession, ({ contactInbox }) => json(presenter.contactSession(contactInbox))))

  const updateContact = api(Effect.gen(function*() {
    const { contactInbox, params } = yield* verifiedSession
    const update = yield* decodeParams(Requests.UpdateContactRequest, withoutHash(params))
    const contact = yield* attempt(() => store.updateContact(contactInbox, update))
    return json(presenter.contactRecord(contact))
  }))

  const updateMessage = api(Effect.gen(function*() {
    const { conversation, ids } = yield* contactConversation
    const { params } = yield* requestParams
    const message = yield* attempt(() => store.message(conversation, ids.message))
    if (message.contentType === "input_csat" && Date.now() - message.createdAt.epochMillis > 14 * 24 * 3600_000) {
      return HttpServerResponse.unsafeJson({ error: "You cannot update the CSAT survey after 14 days" }, { status: 422 })
    }
    // `@message.update!(params.permit(submitted_values: [:name, :title, :value, { csat_survey_response: … }]))`:
    // what the permit filters out is dropped, and an update with nothing left changes nothing (200).
    const values = permittedSubmittedValues(params.submitted_values)
    if (values === undefined) return json(presenter.message(message))
    // An answered CSAT message also records the response (`CsatSurveys::ResponseBuilder`).
    if (message.contentType === "input_csat" && !Array.isArray(values) && values.csat_survey_response !== undefined) {
      const { csat_survey_response } = yield* decodeParams(Requests.CsatSurveyResponse, values)
      return json(presenter.message(yield* attempt(() => store.answerCsat(message, csat_survey_response))))
    }
    const updated = yield* attempt(() =>
      store.updateMessage(message, { contentAttributes: { ...message.content_attributes, submitted_values: values } })
    )
    return json(presenter.message(updated))
  }))

  /** `CsatSurveyController`: the conversation by uuid, its `input_csat` message, 14 days to answer it. */
  const csatSurvey = (update: boolean) =>
    api(Effect.gen(function*() {
      const { uuid } = yield* HttpRouter.params
      const message = yield* attempt(() => {
        const survey = store.csatMessage(store.conversationByUuid(uuid ?? ""))
        if (!survey) throw new NotFound({ resource: "csat survey" })
        return survey
      })
      if (!update) return json(presenter.csatSurvey(message))
      if (Date.now() - message.createdAt.epochMillis > 14 * 24 * 3600_000) {
        return HttpServerResponse.unsafeJson({ error: "You cannot update the CSAT survey after 14 days" }, { status: 422 })
      }
      const { params } = yield* requestParams
      const request = yield* decodeParams(Requests.UpdateCsatSurveyRequest, params)
      yield* attempt(() => store.answerCsat(message, request.message.submitted_values.csat_survey_response))
      return json(presenter.csatSurvey(message))
    }))

  const publicApi = HttpRouter.empty.pipe(
    HttpRouter.get("/public/api/v1/inboxes/:inbox", api(Effect.map(session, ({ inbox }) => json(presenter.inbox(inbox))))),
    HttpRouter.post(
      "/public/api/v1/inboxes/:inbox/contacts",
      api(Effect.gen(function*() {
        const { inbox } = yield* session
        const { params } = yield* requestParams
        yield* checkedHmac(inbox, params)
        const create = yield* decodeParams(Requests.CreateContactRequest, withoutHash(params))
        const contactInbox = yield* attempt(() => store.createContact(inbox, create))
        return json(presenter.contactSession(contactInbox))
      }))
    ),
    HttpRouter.get("/public/api/v1/inboxes/:inbox/contacts/:contact", showContact),
    HttpRouter.patch("/public/api/v1/inboxes/:inbox/contacts/:contact", updateContact),
    HttpRouter.put("/public/api/v1/inboxes/:inbox/contacts/:contact", updateContact),
    HttpRouter.get(
      "/public/api/v1/inboxes/:inbox/contacts/:contact/conversations",
      api(Effect.map(session, ({ contactInbox }) =>
        json(store.visibleConversations(contactInbox).map((c) => presenter.conversation(c)))))
    ),
    HttpRouter.post(
      "/public/api/v1/inboxes/:inbox/contacts/:contact/conversations",
      api(Effect.gen(function*() {
        const { contactInbox, inbox } = yield* session
        const { params } = yield* requestParams
        const create = yield* decodeParams(Requests.CreateConversationRequest, params)
        const conversation = yield* attempt(() =>
          store.createConversation(inbox, contactInbox, create.custom_attributes ?? {})
        )
        yield* customerActivity({ _tag: "ConversationOpened", conversationId: conversation.displayId })
        return json(presenter.conversation(conversation))
      }))
    ),
    HttpRouter.get(
      "/public/api/v1/inboxes/:inbox/contacts/:contact/conversations/:conversation",
      api(Effect.gen(function*() {
        return json(presenter.conversation(yield* visibleConversation))
      }))
    ),
    HttpRouter.post(
      "/public/api/v1/inboxes/:inbox/contacts/:contact/conversations/:conversation/toggle_status",
      api(Effect.gen(function*() {
        const conversation = yield* visibleConversation
        if (conversation.status !== "resolved") {
          // The conversation's contact is the session's (visible conversations are the contact's own).
          store.setStatus(conversation, "resolved", store.contact(conversation.contactId).name)
        }
        return json(presenter.conversation(conversation))
      }))
    ),
    HttpRouter.post(
      "/public/api/v1/inboxes/:inbox/contacts/:contact/conversations/:conversation/toggle_typing",
      api(Effect.gen(function*() {
        const conversation = yield* visibleConversation
        const { params } = yield* requestParams
        const status = params.typing_status
        if (status === "on" || status === "off") {
          yield* customerActivity({ _tag: "CustomerTyping", conversationId: conversation.displayId, status })
        }
        return HttpServerResponse.empty({ status: 200 })
      }))
    ),
    HttpRouter.post(
      "/public/api/v1/inboxes/:inbox/contacts/:contact/conversations/:conversation/update_last_seen",
      api(Effect.gen(function*() {
        const conversation = yield* visibleConversation
        store.markSeen(conversation)
        yield* customerActivity({ _tag: "ConversationSeen", conversationId: conversation.displayId })
        return HttpServerResponse.empty({ status: 200 })
      }))
    ),
    HttpRouter.get(
      "/public/api/v1/inboxes/:inbox/contacts/:contact/conversations/:conversation/messages",
      api(Effect.gen(function*() {
        const { conversation } = yield* contactConversation
        const { params } = yield* requestParams
        const query = yield* decodeParams(
          Requests.ListMessagesParams,
          params.before === undefined || params.before === "" ? {} : { before: params.before }
        )
        return json(presenter.messages(store.messagePage(conversation, query.before)))
      }))
    ),
    HttpRouter.post(
      "/public/api/v1/inboxes/:inbox/contacts/:contact/conversations/:conversation/messages",
      api(Effect.gen(function*() {
        const { contactInbox, conversation } = yield* contactConversation
        const { params, uploads } = yield* requestParams
        if (typeof params.content === "string" && params.content.length > 150_000) {
          return yield* new Invalid({ message: "Content is too long (maximum is 150000 characters)", attributes: ["content"] })
        }
        // Rails casts a JSON number to the string column; `echo_id` is an attribute, echoed only when present.
        const content = typeof params.content === "string" || typeof params.content === "number"
          ? String(params.content)
          : null
        const echoId = typeof params.echo_id === "string" || typeof params.echo_id === "number"
          ? String(params.echo_id)
          : undefined
        const message = yield* attempt(() =>
          store.createIncomingMessage(conversation, contactInbox, content, echoId, uploads)
        )
        const rendered = presenter.message(message) as Message.MessageEncoded
        yield* customerActivity({ _tag: "MessageReceived", conversationId: conversation.displayId, message: rendered })
        return json(rendered)
      }))
    ),
    HttpRouter.patch("/public/api/v1/inboxes/:inbox/contacts/:contact/conversations/:conversation/messages/:message", updateMessage),
    HttpRouter.put("/public/api/v1/inboxes/:inbox/contacts/:contact/conversations/:conversation/messages/:message", updateMessage),
    HttpRouter.get("/public/api/v1/csat_survey/:uuid", csatSurvey(false)),
    HttpRouter.patch("/public/api/v1/csat_survey/:uuid", csatSurvey(true)),
    HttpRouter.put("/public/api/v1/csat_survey/:uuid", csatSurvey(true)),
    HttpRouter.options("/public/api/*", Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      return HttpServerResponse.empty({
        status: 200,
        headers: {
          "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD",
          "access-control-allow-headers": request.headers["access-control-request-headers"] ?? "*",
          "access-control-max-age": "7200"
        }
      })
    }))
  )

  const adminParams = Effect.map(requestParams, ({ params }) => params)
  const admin = HttpRouter.empty.pipe(
    HttpRouter.get("/__bevatel/health", Effect.succeed(json({ ok: true }))),
    HttpRouter.post("/__bevatel/inboxes", Effect.gen(function*() {
      const params = yield* adminParams
      const inbox = yield* options.addInbox({
        identifier: stringParam(params, "identifier"),
        name: stringParam(params, "name"),
        hmacToken: stringParam(params, "hmac_token"),
        hmacMandatory: params.hmac_mandatory === true
      })
      return json({ identifier: inbox.identifier, hmac_token: Redacted.value(inbox.hmacToken), hmac_mandatory: inbox.hmacMandatory })
    })),
    HttpRouter.post("/__bevatel/conversations/:conversation/reply", Effect.gen(function*() {
      const { conversation } = yield* routeParams
      const params = yield* adminParams
      return json(yield* agent.reply(conversation, String(params.content ?? ""), {
        private: params.private === true,
        contentType: stringParam(params, "content_type") as never,
        contentAttributes: params.content_attributes as never
      }))
    })),
    HttpRouter.post("/__bevatel/conversations/:conversation/typing", Effect.gen(function*() {
      const { conversation } = yield* routeParams
      const params = yield* adminParams
      yield* agent.typing(conversation, params.status === "off" ? "off" : "on", { private: params.private === true })
      return HttpServerResponse.empty({ status: 204 })
    })),
    HttpRouter.post("/__bevatel/conversations/:conversation/assign", Effect.gen(function*() {
      const { conversation } = yield* routeParams
      const params = yield* adminParams
      yield* agent.assign(conversation, typeof params.agent_id === "number" ? params.agent_id : null)
      return HttpServerResponse.empty({ status: 204 })
    })),
    HttpRouter.post("/__bevatel/conversations/:conversation/status", Effect.gen(function*() {
      const { conversation } = yield* routeParams
      const params = yield* adminParams
      const status = yield* Schema.decodeUnknown(Schema.Literal("open", "resolved", "pending", "snoozed"))(params.status)
      yield* agent.setStatus(conversation, status)
      return HttpServerResponse.empty({ status: 204 })
    })),
    HttpRouter.get("/__bevatel/conversations/:conversation/messages", Effect.gen(function*() {
      const { conversation } = yield* routeParams
      return json(yield* agent.messages(conversation))
    })),
    HttpRouter.patch("/__bevatel/messages/:message", Effect.gen(function*() {
      const { message } = yield* routeParams
      const params = yield* adminParams
      return json(yield* agent.updateMessage(message, {
        content: params.content as string | null | undefined,
        contentAttributes: params.content_attributes as never,
        status: stringParam(params, "status") as never
      }))
    })),
    HttpRouter.post("/__bevatel/faults/:fault", Effect.gen(function*() {
      const { fault } = yield* HttpRouter.params
      const params = yield* adminParams
      const number = (key: string) => typeof params[key] === "number" ? params[key] as number : undefined
      switch (fault) {
        case "drop-sockets":
          return json({ sockets: yield* faults.dropSockets })
        case "half-open":
          return json({ sockets: yield* faults.halfOpen })
        case "disconnect":
          return json({
            sockets: yield* faults.disconnect({
              reason: stringParam(params, "reason") as never,
              reconnect: params.reconnect !== false
            })
          })
        case "send-raw":
          return json({ sockets: yield* faults.sendRaw(String(params.text ?? "")) })
        case "fail-requests":
          yield* faults.failRequests({
            count: number("count") ?? 1,
            status: (number("status") ?? 503) as 503,
            retryAfter: number("retry_after_seconds") === undefined
              ? undefined
              : Duration.seconds(number("retry_after_seconds")!)
          })
          return HttpServerResponse.empty({ status: 204 })
        case "refuse-upgrades":
          yield* faults.refuseUpgrades((number("status") ?? false) as 404 | false)
          return HttpServerResponse.empty({ status: 204 })
        case "lose-answers":
          yield* faults.loseAnswers({ count: number("count") ?? 1 })
          return HttpServerResponse.empty({ status: 204 })
        case "latency":
          yield* faults.setLatency(number("ms") ?? 0)
          return HttpServerResponse.empty({ status: 204 })
        case "restart":
          yield* Effect.forkDaemon(faults.restart({ downFor: number("down_for_ms") ?? 0 }))
          return HttpServerResponse.empty({ status: 202 })
        case "reset":
          yield* faults.reset
          return HttpServerResponse.empty({ status: 204 })
        default:
          return HttpServerResponse.unsafeJson({ error: `unknown fault ${fault}` }, { status: 404 })
      }
    }))
  ).pipe(
    HttpRouter.catchAll((error) =>
      Effect.succeed(
        HttpServerResponse.unsafeJson(
          { error: error instanceof Error || (typeof error === "object" && error !== null && "message" in error) ? String((error as Error).message) : String(error) },
          { status: typeof error === "object" && error !== null && "_tag" in error && error._tag === "AgentTargetNotFound" ? 404 : 422 }
        )
      )
    )
  )

  return HttpRouter.empty.pipe(
    HttpRouter.concat(publicApi),
    HttpRouter.concat(admin),
    HttpRouter.get("/cable", options.cable),
    HttpRouter.get(
      "/rails/active_storage/blobs/redirect/:id/:filename",
      Effect.gen(function*() {
        const { id } = yield* HttpRouter.params
        const attachment = store.attachment(Number(id))
        if (!attachment) return HttpServerResponse.text("Not Found", { status: 404 })
        return HttpServerResponse.uint8Array(attachment.bytes, { contentType: attachment.contentType })
      })
    )
  )
}

/** @internal */
export const isClientApiPath = (url: string) => url.startsWith("/public/api/")
