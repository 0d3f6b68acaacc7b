/**
 * Many customers in one process — a bridge that speaks for thousands of them — over one `Cable` (one socket, one
 * subscription per customer) and one `ClientApi`: customers are added and removed at run time, and every event of
 * every conversation of theirs arrives in one merged stream, tagged with the customer and the conversation.
 *
 * Per conversation, the guarantees are `ConversationStream`'s: in order, each message exactly once, recovered after
 * every reconnect. New conversations of a known customer are followed from their `conversation.created`, and those
 * created while the socket was down are found when the customer catches up. With a `CheckpointStore`, a restarted
 * process resumes every conversation after its last committed message.
 *
 * A customer costs one subscription (no fiber while idle) and one request per catch-up, whatever its number of conversations:
 * the conversations list embeds every conversation's messages and status. Catch-ups (the first load, and after each
 * reconnect) run a few at a time, the customers with the most recent activity first. Put a `RequestBudget` (from
 * `@bevatel/http`) in the `ClientApi`'s context so that a reconnect of thousands of customers stays inside the
 * server's rate limit.
 *
 * @since 0.2.0
 */
import { Cable, type CableError, type SubscriptionMessage } from "@bevatel/cable"
import type { CableEvent } from "@bevatel/schema"
import { ClientApi, type ClientApiError } from "@bevatel/http"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Deferred from "effect/Deferred"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as FiberMap from "effect/FiberMap"
import * as Layer from "effect/Layer"
import * as Mailbox from "effect/Mailbox"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import type * as CheckpointStore from "./CheckpointStore.js"
import * as ConversationEvent from "./ConversationEvent.js"
import * as CustomersMetrics from "./CustomersMetrics.js"
import { ConversationState, conversationOf } from "./internal/conversationState.js"
import { PriorityGate } from "./internal/priorityGate.js"

/**
 * A customer: its session in the inbox, as the contacts endpoints answer it (`source_id`, `pubsub_token`).
 *
 * @since 0.2.0
 * @category models
 */
export interface Customer {
  readonly sourceId: string
  readonly pubsubToken: string
}

/**
 * What the merged stream carries: an event of one customer's conversation, or the end of a conversation's stream
 * with the error that ended it (a subscription the server never confirmed, a conversation that vanished…).
 *
 * @since 0.2.0
 * @category models
 */
export type CustomerEvent = Data.TaggedEnum<{
  Event: { readonly sourceId: string; readonly conversationId: number; readonly event: ConversationEvent.ConversationEvent }
  Failed: {
    readonly sourceId: string
    readonly conversationId: number | undefined
    readonly error: ClientApiError.ClientApiError | CableError.CableError | CheckpointStore.CheckpointError
  }
}>

/**
 * Constructors and `$is`/`$match` for {@link CustomerEvent}.
 *
 * @example
 * ```ts
 * import { Customers } from "@bevatel/client"
 *
 * const describe = (event: Customers.CustomerEvent) =>
 *   Customers.CustomerEvent.$match(event, {
 *     Event: ({ conversationId, sourceId }) => `${sourceId}/${conversationId}: an event`,
 *     Failed: ({ sourceId }) => `${sourceId}: no longer followed`
 *   })
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const CustomerEvent = Data.taggedEnum<CustomerEvent>()

/**
 * @since 0.2.0
 * @category models
 */
export interface Service {
  /**
   * Follows every conversation of the customer, and its new ones; completes once they are loaded and live (the
   * history, or what came after their checkpoints, is in the stream). Adding a known customer does nothing.
   */
  readonly add: (
    customer: Customer
  ) => Effect.Effect<void, ClientApiError.ClientApiError | CableError.CableError | CheckpointStore.CheckpointError>
  /** Stops following the customer: its events stop, its subscription is released. */
  readonly remove: (sourceId: string) => Effect.Effect<void>
  /** The source ids of the customers followed now. */
  readonly customers: Effect.Effect<ReadonlyArray<string>>
  /**
   * Every event of every conversation followed, merged; per conversation in order. For one consumer. A customer
   * whose subscription or catch-up fails after `add` (retries spent) ends with a `Failed` and is no longer followed:
   * add it again to resume.
   */
  readonly events: Stream.Stream<CustomerEvent>
}

/**
 * The many-customers service: every conversation of every customer added, in one merged stream.
 *
 * @example
 * ```ts
 * import { Customers } from "@bevatel/client"
 * import { Effect, Stream } from "effect"
 *
 * const everyEvent = Effect.flatMap(Customers.Customers, (customers) =>
 *   customers.events.pipe(Stream.runForEach((event) => Effect.log(event._tag))))
 * ```
 *
 * @since 0.2.0
 * @category tags
 */
export class Customers extends Context.Tag("@bevatel/client/Customers")<Customers, Service>() {}

/**
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /** Resume each conversation after its checkpoint here (committing, after handing events on, is yours). */
  readonly checkpoints?: CheckpointStore.Service | undefined
  /** Messages of history a conversation starts with when it has no checkpoint. Default 20. */
  readonly history?: number | undefined
  /** Events held for a slow consumer before the conversations wait (backpressure). Default 4096. */
  readonly bufferSize?: number | undefined
  /** Catch-ups (one request each) in flight at once, across every customer. Default 8. */
  readonly concurrency?: number | undefined
  /** Message ids remembered per conversation to drop duplicates (ids are in order; a window covers reorderings). Default 100. */
  readonly dedupeWindow?: number | undefined
}

/** A followed customer: its conversations' states, and what waits behind a catch-up. */
interface Followed {
  readonly customer: Customer
  readonly conversations: Map<number, ConversationState>
  /** Its subscription's attachment; closed when the customer is removed or fails. */
  readonly scope: Scope.CloseableScope
  /** Done once the first load is in the stream; `add` waits for it. */
  readonly ready: Deferred.Deferred<void, Failure>
  loaded: boolean
  /** While a catch-up runs, the customer's later messages wait here, in order; `undefined` when none runs. */
  pending: Array<SubscriptionMessage.SubscriptionMessage> | undefined
}

/** What the customers' subscriptions deliver into the one shared queue. */
type Inbound =
  | { readonly entry: Followed; readonly message: SubscriptionMessage.SubscriptionMessage; readonly error?: undefined }
  | { readonly entry: Followed; readonly error: CableError.CableError }

/**
 * The service, for the scope's lifetime: closing the scope stops every customer.
 *
 * **Details**
 * Every customer's subscription delivers into one queue, handled by one fiber; a customer is plain state (its
 * conversations, a few fields), with no fiber or stream of its own while idle. When a subscription is confirmed —
 * first, then after every reconnect — a short-lived fiber waits for a turn (at most `concurrency` catch-ups at once,
 * most recent activity first), lists the customer's conversations in one request and emits what each one misses;
 * that customer's live events wait behind it, so order holds, while every other customer's flow on.
 *
 * @example
 * ```ts
 * import { Cable } from "@bevatel/cable"
 * import { Customers } from "@bevatel/client"
 * import { ClientApi, RequestBudget } from "@bevatel/http"
 * import { FetchHttpClient, Socket } from "@effect/platform"
 * import { Effect, Layer, Stream } from "effect"
 *
 * declare const customers: ReadonlyArray<Customers.Customer>
 *
 * const program = Effect.gen(function*() {
 *   const service = yield* Customers.make({ concurrency: 8 })
 *   yield* Effect.forEach(customers, service.add, { concurrency: 50, discard: true })
 *   yield* service.events.pipe(
 *     Stream.runForEach((item) =>
 *       item._tag === "Event" ? Effect.log(item.sourceId, item.conversationId, item.event._tag) : Effect.logError(item.error)
 *     )
 *   )
 * }).pipe(
 *   Effect.scoped,
 *   Effect.provide(Layer.mergeAll(
 *     ClientApi.layer({ baseUrl: "https://chat.example.com", inboxIdentifier: "your-inbox" }).pipe(
 *       Layer.provide(RequestBudget.layer({ requestsPerMinute: 3_000 }))
 *     ),
 *     Cable.layer({ url: "https://chat.example.com" })
 *   )),
 *   Effect.provide(Layer.mergeAll(FetchHttpClient.layer, Socket.layerWebSocketConstructorGlobal))
 * )
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, ClientApi.ClientApi | Cable.Cable | Scope.Scope> =>
  Effect.gen(function*() {
    const api = yield* ClientApi.ClientApi
    const cable = yield* Cable.Cable
    const scope = yield* Effect.scope
    const bufferSize = options.bufferSize ?? 4096
    const output = yield* Mailbox.make<CustomerEvent>({ capacity: bufferSize, strategy: "suspend" })
    const inbound = yield* Mailbox.make<Inbound>({ capacity: bufferSize, strategy: "suspend" })
    const catchUpFibers = yield* FiberMap.make<string>()
    const gate = new PriorityGate(options.concurrency ?? 8)
    const history = options.history ?? 20
    const dedupeWindow = options.dedupeWindow ?? 100
    const followed = new Map<string, Followed>()

    const emit = (sourceId: string, conversationId: number, events: ReadonlyArray<ConversationEvent.ConversationEvent>) =>
      events.length === 0 ? Effect.void : Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        for (const event of events) {
          if (event._tag === "MessageAdded" && event.origin === "live") {
            yield* Metric.update(CustomersMetrics.lag, Math.max(0, now - event.message.created_at.epochMillis) / 1000)
          }
        }
        yield* Metric.incrementBy(CustomersMetrics.events, events.length)
        yield* output.offerAll(events.map((event) => CustomerEvent.Event({ sourceId, conversationId, event })))
      })

    /** A conversation seen for the first time: resumes after its checkpoint, if any. */
    const newConversation = (sourceId: string, conversationId: number) =>
      Effect.map(
        options.checkpoints === undefined
          ? Effect.succeed(Option.none<number>())
          : options.checkpoints.get({ inboxIdentifier: api.inboxIdentifier, sourceId, conversationId }),
        (after) => new ConversationState(conversationId, Option.getOrUndefined(after), dedupeWindow)
      )

    /**
     * One request for the whole customer: every conversation with its messages and status. The first load emits each
     * conversation's history (or what follows its checkpoint); later ones emit what was missed, then `Resumed`.
     */
    const catchUp = (entry: Followed, reason: "load" | "reconnect" | "gap") =>
      Effect.gen(function*() {
        const { sourceId } = entry.customer
        let lastActivity = 0
        for (const state of entry.conversations.values()) lastActivity = Math.max(lastActivity, state.lastActivity)
        const conversations = yield* gate.run(lastActivity, api.conversations.list(sourceId))
        yield* Metric.increment(CustomersMetrics.catchUps)
        for (const conversation of [...conversations].sort((a, b) => a.id - b.id)) {
          const known = entry.conversations.get(conversation.id)
          const state = known ?? (yield* newConversation(sourceId, conversation.id))
          if (known === undefined) entry.conversations.set(conversation.id, state)
          if (known === undefined && reason === "load") {
            const start = state.resumes
              ? state.catchUp(conversation, "backfill", "history", Number.POSITIVE_INFINITY)
              : state.catchUp(conversation, "history", "history", history)
            yield* emit(sourceId, conversation.id, [...start.status, ...start.added])
            continue
          }
          // A conversation created while the socket was down is new here: all it holds was missed.
          const missed = state.catchUp(conversation, "backfill", "backfill", Number.POSITIVE_INFINITY)
          yield* Metric.incrementBy(CustomersMetrics.backfilledMessages, missed.added.length)
          yield* emit(sourceId, conversation.id, [
            ...(known === undefined ? missed.status : []),
            ...missed.added,
            ...(known === undefined ? [] : missed.status),
            ...(reason === "reconnect" ? [new ConversationEvent.Resumed({ missed: missed.added.length })] : [])
          ])
        }
      }).pipe(Effect.withSpan("Customers.catchUp", { attributes: { reason, conversations: entry.conversations.size } }))

    /** A live event for known conversations, emitted at once; the dispatcher's fast path. */
    const emitLive = (
      entry: Followed,
      conversationId: number | undefined,
      event: CableEvent.CableEvent,
      wire: CableEvent.WireEvent | undefined
    ) =>
      Effect.suspend(() => {
        const { sourceId } = entry.customer
        if (conversationId !== undefined) {
          const state = entry.conversations.get(conversationId)
          return state === undefined ? Effect.void : emit(sourceId, conversationId, state.onEvent(event, wire))
        }
        return Effect.forEach(entry.conversations.values(), (state) => emit(sourceId, state.conversationId, state.onEvent(event, wire)), {
          discard: true
        })
      })

    /** Whether a message must wait for I/O: a confirmation (a catch-up), a gap, or a new conversation. */
    const needsIo = (entry: Followed, message: SubscriptionMessage.SubscriptionMessage) => {
      if (message._tag === "Confirmed") return true
      if (message.event._tag === "Undecodable") return true
      const conversationId = conversationOf(message.event)
      return conversationId !== undefined && !entry.conversations.has(conversationId)
    }

    /** Any message of the customer, I/O included; runs on the customer's catch-up fiber. */
    const handle = (entry: Followed, message: SubscriptionMessage.SubscriptionMessage) =>
      Effect.gen(function*() {
        if (message._tag === "Confirmed") {
          if (entry.loaded) return yield* catchUp(entry, "reconnect")
          yield* catchUp(entry, "load")
          entry.loaded = true
          yield* Deferred.succeed(entry.ready, undefined)
          return
        }
        const event = message.event
        const conversationId = conversationOf(event)
        if (event._tag === "ConversationCreated" && !entry.conversations.has(event.data.id)) {
          const state = yield* newConversation(entry.customer.sourceId, event.data.id)
          entry.conversations.set(event.data.id, state)
          return yield* emit(entry.customer.sourceId, event.data.id, [...state.startWith(event.data.status), ...state.onEvent(event, message.wire)])
        }
        // An event that did not decode, or one of a conversation never announced, is a gap: read everything back.
        if (event._tag === "Undecodable" || (conversationId !== undefined && !entry.conversations.has(conversationId))) {
          yield* catchUp(entry, "gap")
        }
        yield* emitLive(entry, conversationId, event, message.wire)
      })

    /** The customer's waiting messages, in order, until none is left; then the dispatcher takes over again. */
    const drain = (entry: Followed): Effect.Effect<void, Failure> =>
      Effect.gen(function*() {
        while (true) {
          const next = entry.pending?.shift()
          if (next === undefined) {
            entry.pending = undefined
            return
          }
          yield* handle(entry, next)
        }
      })

    /** Stops following a customer whose subscription or catch-up failed: `add`'s error, or a `Failed` event. */
    const fail = (entry: Followed, error: Failure) =>
      Effect.gen(function*() {
        if (followed.get(entry.customer.sourceId) !== entry) return
        followed.delete(entry.customer.sourceId)
        yield* Metric.set(CustomersMetrics.customers, followed.size)
        yield* Scope.close(entry.scope, Exit.void)
        if (yield* Deferred.fail(entry.ready, error)) return
        yield* output.offer(CustomerEvent.Failed({ sourceId: entry.customer.sourceId, conversationId: undefined, error }))
      })

    const dispatch = (item: Inbound) =>
      Effect.suspend(() => {
        const { entry } = item
        if (followed.get(entry.customer.sourceId) !== entry) return Effect.void
        if (item.error !== undefined) return fail(entry, item.error)
        if (entry.pending !== undefined) {
          entry.pending.push(item.message)
          return Effect.void
        }
        if (item.message._tag === "Event" && !needsIo(entry, item.message)) {
          return emitLive(entry, conversationOf(item.message.event), item.message.event, item.message.wire)
        }
        entry.pending = [item.message]
        return FiberMap.run(
          catchUpFibers,
          entry.customer.sourceId,
          Effect.catchAll(drain(entry), (error) => fail(entry, error))
        )
      })

    yield* Effect.forkScoped(Effect.gen(function*() {
      while (true) {
        const [items] = yield* inbound.takeAll
        for (const item of items) yield* dispatch(item)
      }
    }))

    const remove = (sourceId: string) =>
      Effect.suspend(() => {
        const entry = followed.get(sourceId)
        if (entry === undefined) return Effect.void
        followed.delete(sourceId)
        return Effect.all([
          FiberMap.remove(catchUpFibers, sourceId),
          Scope.close(entry.scope, Exit.void),
          // Removed while `add` waits: `add` completes (the customer is simply no longer followed).
          Deferred.succeed(entry.ready, undefined),
          Metric.set(CustomersMetrics.customers, followed.size)
        ], { discard: true })
      })

    return Customers.of({
      add: (customer) =>
        Effect.gen(function*() {
          if (followed.has(customer.sourceId)) return
          const entry: Followed = {
            customer,
            conversations: new Map(),
            scope: yield* Scope.fork(scope, ExecutionStrategy.sequential),
            ready: yield* Deferred.make<void, Failure>(),
            loaded: false,
            pending: undefined
          }
          followed.set(customer.sourceId, entry)
          yield* Metric.set(CustomersMetrics.customers, followed.size)
          yield* cable.deliverTo({ pubsub_token: customer.pubsubToken }, {
            offerAll: (messages) => inbound.offerAll(Array.from(messages, (message) => ({ entry, message }))),
            fail: (error) => inbound.offer({ entry, error })
          }).pipe(
            Scope.extend(entry.scope),
            Effect.tapError((error) => fail(entry, error))
          )
          yield* Deferred.await(entry.ready)
        }).pipe(Effect.withSpan("Customers.add")),
      remove,
      customers: Effect.sync(() => [...followed.keys()]),
      events: Mailbox.toStream(output)
    })
  })

type Failure = ClientApiError.ClientApiError | CableError.CableError | CheckpointStore.CheckpointError

/**
 * The many-customers service as a layer.
 *
 * @example
 * ```ts
 * import { Customers } from "@bevatel/client"
 *
 * // Provide ClientApi (with a RequestBudget) and Cable to it.
 * const Many = Customers.layer({ history: 20 })
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Customers, never, ClientApi.ClientApi | Cable.Cable> =>
  Layer.scoped(Customers, make(options))
