/**
 * An in-memory Bevatel server: the Client API over HTTP and `RoomChannel` over ActionCable at `/cable`, faithful
 * to the real server's rules, with an agent to play the other side and fault injection.
 *
 * @since 0.1.0
 */
import { Identifiers, type Inbox, type Message } from "@bevatel/schema"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { createServer, type Server } from "node:http"
import type { Duplex } from "node:stream"
import * as Agent from "./Agent.js"
import * as Faults from "./Faults.js"
import { type CableConnection, cableHandler } from "./internal/cable.js"
import { makeHub } from "./internal/hub.js"
import { Presenter } from "./internal/presenter.js"
import { isClientApiPath, makeRouter } from "./internal/routes.js"
import { NotFound, Store } from "./internal/store.js"

/**
 * An inbox to create when the server starts.
 *
 * @since 0.1.0
 * @category models
 */
export interface InboxOptions {
  /** The public inbox identifier; random 24-character base58 when absent. */
  readonly identifier?: string | undefined
  readonly name?: string | undefined
  /** The HMAC token that signs contact identifiers; random when absent. */
  readonly hmacToken?: Redacted.Redacted | string | undefined
  /** Enforce identity validation (`identity_validation_enabled`). Default `false`. */
  readonly hmacMandatory?: boolean | undefined
  /** Reuse the session's last conversation instead of creating a new one. Default `false`. */
  readonly lockToSingleConversation?: boolean | undefined
  /** Post a CSAT survey message when a conversation is resolved (`csat_survey_enabled`). Default `false`. */
  readonly csatSurveyEnabled?: boolean | undefined
  /** The inbox's time zone, as Rails names zones (`timezone`). Default `"UTC"`. */
  readonly timezone?: string | undefined
  /** Whether the inbox keeps working hours (`working_hours_enabled`). Default `false`. */
  readonly workingHoursEnabled?: boolean | undefined
  /** The weekly schedule (`working_hours`, by `day_of_week`). Default Monday to Friday, 9:00 to 17:00. */
  readonly workingHours?: ReadonlyArray<Inbox.WorkingHours> | undefined
}

/**
 * A running inbox.
 *
 * @since 0.1.0
 * @category models
 */
export interface InboxInfo {
  readonly identifier: Identifiers.InboxIdentifier
  readonly name: string
  readonly hmacToken: Redacted.Redacted
  readonly hmacMandatory: boolean
}

/**
 * The bot that answers every customer message, for demos.
 *
 * @since 0.1.0
 * @category models
 */
export interface AutoReplyOptions {
  /** How long the bot waits before it starts typing. Default 300 ms. */
  readonly delay?: Duration.DurationInput | undefined
  /** How long it types before it answers. Default 700 ms. */
  readonly typingFor?: Duration.DurationInput | undefined
  /** The answer to a message. Default: quotes it back. */
  readonly reply?: ((content: string | null) => string) | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Default `127.0.0.1`. */
  readonly host?: string | undefined
  /** Default `0`: a free port, chosen by the system. */
  readonly port?: number | undefined
  /** Default: one inbox with random identifier and token. */
  readonly inboxes?: ReadonlyArray<InboxOptions> | undefined
  /** ActionCable's heartbeat. Default 3 seconds. */
  readonly pingInterval?: Duration.DurationInput | undefined
  /** How long after a change its cable events go out, like the real server's job queue. Default 10 ms. */
  readonly broadcastDelay?: Duration.DurationInput | undefined
  /** Answer every customer message with a bot. Default off. */
  readonly autoReply?: boolean | AutoReplyOptions | undefined
  /**
   * Enforce the real server's throttle (Rack::Attack `req/ip`, `RACK_ATTACK_LIMIT`): at most `requestsPerMinute`
   * requests per client address in each fixed minute (the counter is keyed by `floor(now / 60 s)`), Client API and
   * `/cable` upgrades alike; beyond it `429 text/plain "Retry later"`, without `Retry-After`, until the minute ends.
   * Off by default (the real server safelists loopback; here loopback is what tests use).
   */
  readonly throttle?: { readonly requestsPerMinute: number } | undefined
  /**
   * The largest request body accepted, in bytes; a larger one is answered `413` before it is read, as the proxy in
   * front of an installation answers (Rails itself sets no limit). Default 40 MiB.
   */
  readonly maxBodySize?: number | undefined
  /** How long a request may take to arrive whole (headers and body); a slower one is answered 408. Default 30 s. */
  readonly requestTimeout?: Duration.DurationInput | undefined
  /** The agents of the account, all online; the first one acts when none is named. Default one, id 1. */
  readonly agents?: ReadonlyArray<{ readonly id: number; readonly name: string }> | undefined
  /**
   * Chatwoot's flood guard (`CONVERSATION_MESSAGE_PER_MINUTE_LIMIT`): a customer's message is refused `422` "Too
   * many messages" while its conversation has had `perConversation` messages (any kind) within `window`. Default 200
   * a minute, as the real server.
   */
  readonly messageFlood?: { readonly perConversation: number; readonly window?: Duration.DurationInput | undefined } | undefined
}

/**
 * A running local server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The installation's base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string
  /** The cable's URL, e.g. `ws://127.0.0.1:40123/cable`. */
  readonly cableUrl: string
  /** The inboxes, the first being the default one. */
  readonly inboxes: ReadonlyArray<InboxInfo>
  readonly addInbox: (options: InboxOptions) => Effect.Effect<InboxInfo>
  /** How many cable sockets are open now. */
  readonly cableConnections: Effect.Effect<number>
  /** How many requests the throttle answered with 429 so far. */
  readonly throttledRequests: Effect.Effect<number>
  readonly agent: Agent.Service
  readonly faults: Faults.Service
}

/**
 * The local server service: its URLs, inboxes, agent and faults.
 *
 * @example
 * ```ts
 * import { LocalServer } from "@bevatel/local-server"
 * import { Console, Effect } from "effect"
 *
 * const printUrl = Effect.flatMap(LocalServer.LocalServer, (server) => Console.log(server.url)).pipe(
 *   Effect.provide(LocalServer.layer())
 * )
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class LocalServer extends Context.Tag("@bevatel/local-server/LocalServer")<LocalServer, Service>() {}

const inboxInfo = (row: { identifier: Identifiers.InboxIdentifier; name: string; hmacToken: string; hmacMandatory: boolean }): InboxInfo => ({
  identifier: row.identifier,
  name: row.name,
  hmacToken: Redacted.make(row.hmacToken),
  hmacMandatory: row.hmacMandatory
})

const secret = (token: Redacted.Redacted | string | undefined) =>
  token === undefined ? undefined : typeof token === "string" ? token : Redacted.value(token)

/**
 * Starts a local server in the current scope; closing the scope stops it and closes every socket.
 *
 * **Details**
 * The server runs on the live clock even inside tests that use the `TestClock`, so its pings and broadcasts
 * flow in real time while a client under test may run on virtual time.
 *
 * @example
 * ```ts
 * import { LocalServer } from "@bevatel/local-server"
 * import { Effect } from "effect"
 *
 * // The server lives as long as the scope: closed, it stops.
 * const served = Effect.scoped(
 *   Effect.flatMap(LocalServer.make({ autoReply: true }), (server) => Effect.log(`listening on ${server.url}`))
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, HttpServerError.ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const host = options.host ?? "127.0.0.1"
    const maxBodySize = options.maxBodySize ?? 40 * 1024 * 1024
    const requestTimeoutMillis = Duration.toMillis(options.requestTimeout ?? Duration.seconds(30))
    let port = options.port ?? 0
    const parentScope = yield* Effect.scope
    const activity = yield* Effect.acquireRelease(PubSub.unbounded<Agent.CustomerActivity>(), PubSub.shutdown)
    const connections = new Set<CableConnection>()
    let hubEnqueue: (event: Parameters<Store["onEvent"]>[0]) => void = () => {}
    const store = new Store(() => DateTime.unsafeNow(), (event) => hubEnqueue(event), options.agents, {
      limit: options.messageFlood?.perConversation ?? 200,
      windowMillis: Duration.toMillis(options.messageFlood?.window ?? Duration.minutes(1))
    })
    const presenter = new Presenter(store, () => `http://${host}:${port}`)
    const hub = yield* makeHub(presenter, options.broadcastDelay ?? Duration.millis(10))
    hubEnqueue = hub.enqueue

    const inboxes = (options.inboxes ?? [{}]).map((inbox) =>
      inboxInfo(store.addInbox({ ...inbox, hmacToken: secret(inbox.hmacToken) }))
    )
    const addInbox = (inbox: InboxOptions) =>
      Effect.sync(() => inboxInfo(store.addInbox({ ...inbox, hmacToken: secret(inbox.hmacToken) })))

    const target = <A>(resource: string, id: number, operation: () => A) =>
      Effect.try({
        try: operation,
        catch: (error) => error instanceof NotFound ? new Agent.AgentTargetNotFound({ resource, id }) : error
      }).pipe(Effect.catchIf((e) => !(e instanceof Agent.AgentTargetNotFound), Effect.die)) as Effect.Effect<
        A,
        Agent.AgentTargetNotFound
      >
    const messageById = (messageId: number) => {
      const message = store.messages.get(messageId)
      if (!message) throw new NotFound({ resource: "message" })
      return message
    }

    // The presenter renders plain JSON written from the real server's views; the Agent API types it as the REST
    // message the schema describes.
    const restMessage = (message: Parameters<Presenter["message"]>[0]) => presenter.message(message) as Message.MessageEncoded

    const agent: Agent.Service = {
      reply: (conversationId, content, replyOptions = {}) =>
        target("conversation", conversationId, () => {
          const message = store.createAgentMessage(store.conversation(conversationId), {
            content,
            agentId: replyOptions.agentId ?? store.defaultAgentId,
            private: replyOptions.private,
            contentType: replyOptions.contentType,
            contentAttributes: replyOptions.contentAttributes
          })
          return restMessage(message)
        }).pipe(Effect.withSpan("LocalServer.agent.reply")),
      typing: (conversationId, status, typingOptions = {}) =>
        target("conversation", conversationId, () =>
          hub.enqueue({
            _tag: "Typing",
            conversation: store.conversation(conversationId),
            status,
            agentId: store.defaultAgentId,
            isPrivate: typingOptions.private ?? false
          })),
      setStatus: (conversationId, status) =>
        target("conversation", conversationId, () => store.setStatus(store.conversation(conversationId), status)),
      assign: (conversationId, agentId) =>
        target("conversation", conversationId, () => store.assign(store.conversation(conversationId), agentId)),
      updateMessage: (messageId, changes) =>
        target("message", messageId, () => restMessage(store.updateMessage(messageById(messageId), changes))),
      openConversation: (opened = {}) =>
        target("inbox", 0, () => {
          const inbox = store.inbox(opened.inboxIdentifier ?? inboxes[0]!.identifier)
          const contactInbox = store.createContact(inbox, { name: opened.name })
          const conversation = store.createConversation(inbox, contactInbox, {})
          return {
            sourceId: contactInbox.sourceId,
            pubsubToken: contactInbox.pubsubToken,
            conversationId: conversation.displayId
          }
        }),
      setAvailability: (agentId, availability) =>
        target("agent", agentId, () => {
          const row = store.agents.get(agentId)
          if (!row) throw new NotFound({ resource: "agent" })
          row.availability = availability
        }),
      messages: (conversationId) =>
        target("conversation", conversationId, () => store.publicMessages(store.conversation(conversationId)).map(restMessage)),
      activity: Stream.fromPubSub(activity)
    }

    const pendingFailures = { count: 0, status: 503, retryAfterSeconds: undefined as number | undefined }
    let answersToLose = 0
    // The throttle's fixed windows: requests per client address in the current minute.
    let throttleWindow = -1
    const requestsInWindow = new Map<string, number>()
    let throttled = 0
    const overThrottle = (request: HttpServerRequest.HttpServerRequest): boolean => {
      if (options.throttle === undefined) return false
      const window = Math.floor(Date.now() / 60_000)
      if (window !== throttleWindow) {
        throttleWindow = window
        requestsInWindow.clear()
      }
      const address = Option.getOrElse(request.remoteAddress, () => "unknown")
      const count = (requestsInWindow.get(address) ?? 0) + 1
      requestsInWindow.set(address, count)
      if (count <= options.throttle.requestsPerMinute) return false
      throttled += 1
      return true
    }
    let refusedUpgrades: number | false = false
    let latency = Duration.zero
    const everySocket = (f: (connection: CableConnection) => Effect.Effect<void>) =>
      Effect.suspend(() => {
        const open = [...connections]
        return Effect.as(Effect.forEach(open, f, { discard: true }), open.length)
      })
    const sendDisconnect = (reason: string, reconnect: boolean) =>
      everySocket((connection) =>
        Effect.zipRight(
          connection.send(JSON.stringify({ type: "disconnect", reason, reconnect })),
          connection.close(1000)
        )
      )

    // The listener lives in its own scope so that a restart can stop and start it with the same data.
    let nodeServer: Server | undefined
    const accepting = () => nodeServer?.listening === true
    // A stopping server refuses new connections at once, as a stopped process does, before its sockets close: a
    // client reconnecting meanwhile is refused instead of reaching a server half gone.
    const stopAccepting = Effect.sync(() => {
      if (accepting()) nodeServer!.close()
    })
    const listen = Effect.gen(function*() {
      const scope = yield* Scope.fork(parentScope, ExecutionStrategy.sequential)
      // Its finalizers run in reverse: stop accepting, close the server, then cut the connections left.
      const created = createServer({
        // A request whose headers or body trickle in is cut off (408), as Puma and the proxies before it do.
        requestTimeout: requestTimeoutMillis,
        headersTimeout: Math.min(10_000, requestTimeoutMillis),
        connectionsCheckingInterval: Math.min(1_000, requestTimeoutMillis)
      })
      // Node hands an upgrade's socket over without its error handler. An upgrade answered with plain HTTP (refused,
      // malformed) whose client resets the connection would otherwise throw ECONNRESET in this process.
      created.on("upgrade", (_request, socket: Duplex) => socket.on("error", () => socket.destroy()))
      yield* Scope.addFinalizer(scope, Effect.sync(() => created.closeAllConnections()))
      const serverScope = yield* Scope.fork(scope, ExecutionStrategy.sequential)
      const server = yield* NodeHttpServer.make(() => created, { host, port }).pipe(Scope.extend(serverScope))
      yield* server.serve(app.pipe(HttpIncomingMessage.withMaxBodySize(Option.some(FileSystem.Size(maxBodySize))))).pipe(
        Scope.extend(serverScope)
      )
      yield* Scope.addFinalizer(scope, stopAccepting)
      nodeServer = created
      if (server.address._tag === "TcpAddress") port = server.address.port
      return scope
    })
    let listener: Scope.CloseableScope | undefined

    const faults: Faults.Service = {
      dropSockets: everySocket((connection) => Effect.sync(() => connection.destroy())),
      halfOpen: everySocket((connection) => Effect.sync(() => (connection.frozen = true))),
      disconnect: ({ reason, reconnect }) => sendDisconnect(reason ?? "remote", reconnect),
      sendRaw: (text) => everySocket((connection) => connection.send(text)),
      alterEvents: (alter) => Effect.sync(() => (hub.alterEvents = alter)),
      failRequests: ({ count, retryAfter, status }) =>
        Effect.sync(() => {
          pendingFailures.count = count
          pendingFailures.status = status
          pendingFailures.retryAfterSeconds = retryAfter === undefined
            ? undefined
            : Math.ceil(Duration.toSeconds(retryAfter))
        }),
      loseAnswers: ({ count }) => Effect.sync(() => (answersToLose = count)),
      refuseUpgrades: (status) => Effect.sync(() => (refusedUpgrades = status)),
      setLatency: (duration) => Effect.sync(() => (latency = Duration.decode(duration))),
      restart: (restartOptions = {}) =>
        Effect.gen(function*() {
          yield* stopAccepting
          yield* sendDisconnect("server_restart", true)
          if (listener) yield* Scope.close(listener, Exit.void)
          yield* Effect.sleep(restartOptions.downFor ?? Duration.zero)
          listener = yield* Effect.orDie(listen)
        }).pipe(Effect.withSpan("LocalServer.faults.restart")),
      reset: Effect.sync(() => {
        pendingFailures.count = 0
        answersToLose = 0
        refusedUpgrades = false
        latency = Duration.zero
        hub.alterEvents = undefined
      })
    }

    const router = makeRouter({
      presenter,
      cable: cableHandler({
        hub,
        presenter,
        pingInterval: options.pingInterval ?? Duration.seconds(3),
        connections,
        accepting
      }),
      agent,
      faults,
      addInbox,
      customerActivity: (event) => Effect.asVoid(PubSub.publish(activity, event))
    })

    // Faults and CORS apply to the Client API only, as rack-attack and rack-cors do on the real server.
    const app = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      if ((isClientApiPath(request.url) || request.url.startsWith("/cable")) && request.method !== "OPTIONS" && overThrottle(request)) {
        return HttpServerResponse.text("Retry later\n", { status: 429, headers: { "access-control-allow-origin": "*" } })
      }
      if (refusedUpgrades !== false && request.url.startsWith("/cable")) {
        return HttpServerResponse.text("Page not found", { status: refusedUpgrades })
      }
      // The proxy in front of an installation refuses oversized bodies before the application reads them.
      if (Number(request.headers["content-length"] ?? 0) > maxBodySize) {
        return HttpServerResponse.text("Request Entity Too Large\n", { status: 413, headers: { "access-control-allow-origin": "*" } })
      }
      if (!isClientApiPath(request.url)) return yield* router
      if (Duration.greaterThan(latency, Duration.zero)) yield* Effect.sleep(latency)
      if (pendingFailures.count > 0 && request.method !== "OPTIONS") {
        pendingFailures.count -= 1
        return HttpServerResponse.text(pendingFailures.status === 429 ? "Retry later\n" : "Service Unavailable", {
          status: pendingFailures.status,
          headers: {
            "access-control-allow-origin": "*",
            ...(pendingFailures.retryAfterSeconds === undefined
              ? {}
              : { "retry-after": String(pendingFailures.retryAfterSeconds) })
          }
        })
      }
      const response = yield* router
      if (answersToLose > 0 && ["POST", "PATCH", "PUT"].includes(request.method)) {
        answersToLose -= 1
        // Done, but the client never hears of it.
        NodeHttpServerRequest.toIncomingMessage(request).socket.destroy()
      }
      return HttpServerResponse.setHeader(response, "access-control-allow-origin", "*")
    })

    listener = yield* listen
    const url = `http://${host}:${port}`

    if (options.autoReply) {
      const autoReply = options.autoReply === true ? {} : options.autoReply
      const answer = autoReply.reply ?? ((content) => `You said: "${content ?? ""}". An agent will be with you shortly.`)
      yield* agent.activity.pipe(
        Stream.runForEach((event) =>
          event._tag !== "MessageReceived" ? Effect.void : Effect.gen(function*() {
            yield* Effect.sleep(autoReply.delay ?? Duration.millis(300))
            yield* agent.typing(event.conversationId, "on")
            yield* Effect.sleep(autoReply.typingFor ?? Duration.millis(700))
            yield* agent.reply(event.conversationId, answer(event.message.content ?? null))
            yield* agent.typing(event.conversationId, "off")
          }).pipe(Effect.catchAll(() => Effect.void), Effect.fork)
        ),
        Effect.forkScoped
      )
    }

    yield* Effect.logInfo(`Bevatel local server listening on ${url}`)
    return LocalServer.of({
      url,
      cableUrl: `ws://${host}:${port}/cable`,
      inboxes,
      addInbox,
      cableConnections: Effect.sync(() => connections.size),
      throttledRequests: Effect.sync(() => throttled),
      agent,
      faults
    })
  }).pipe(Effect.withClock(Clock.make()))

/**
 * The local server as a layer, providing {@link LocalServer}, `Agent.Agent` and `Faults.Faults`.
 *
 * @example
 * ```ts
 * import { LocalServer } from "@bevatel/local-server"
 *
 * const Server = LocalServer.layer({
 *   inboxes: [{ identifier: "demo-inbox", hmacMandatory: false }],
 *   autoReply: { delay: "300 millis", reply: (content) => `You said ${content ?? ""}` }
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<LocalServer | Agent.Agent | Faults.Faults, HttpServerError.ServeError> =>
  Layer.scopedContext(
    Effect.map(make(options), (server) =>
      Context.make(LocalServer, server).pipe(
        Context.add(Agent.Agent, server.agent),
        Context.add(Faults.Faults, server.faults)
      ))
  )

/**
 * The local server, its options read from your `Config` (each option a `Config` of its own, or one `Config` of them all).
 *
 * @example
 * ```ts
 * import { LocalServer } from "@bevatel/local-server"
 * import { Config } from "effect"
 *
 * const Server = LocalServer.layerConfig({
 *   port: Config.withDefault(Config.port("BEVATEL_LOCAL_PORT"), 0),
 *   autoReply: Config.withDefault(Config.boolean("BEVATEL_AUTO_REPLY"), false)
 * })
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<Options>
): Layer.Layer<LocalServer | Agent.Agent | Faults.Faults, HttpServerError.ServeError | ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(Config.unwrap(config), layer))
