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
 * A customer costs one subscription, one fiber and one request per catch-up, whatever its number of conversations:
 * the conversations list embeds every conversation's messages and status. Catch-ups (the first load, and after each
 * reconnect) run a few at a time, the customers with the most recent activity first. Put a `RequestBudget` (from
 * `@bevatel/http`) in the `ClientApi`'s context so that a reconnect of thousands of customers stays inside the
 * server's rate limit.
 *
 * @since 0.2.0
 */
import { Cable, type CableError } from "@bevatel/cable"
import type { CableEvent } from "@bevatel/schema"
import { ClientApi, type ClientApiError } from "@bevatel/http"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Deferred from "effect/Deferred"
import * as FiberMap from "effect/FiberMap"
import * as Layer from "effect/Layer"
import * as Mailbox from "effect/Mailbox"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
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

/** A followed customer: its conversations' states, and whether the first load is done. */
interface Followed {
  readonly customer: Customer
  readonly conversations: Map<number, ConversationState>
  loaded: boolean
}

/**
 * The service, for the scope's lifetime: closing the scope stops every customer.
 *
 * **Details**
 * Each customer has one subscription and one fiber that handles its events in order; its conversations are plain
 * state. When the subscription is confirmed — first, then after every reconnect — the fiber waits for a turn (at
 * most `concurrency` catch-ups at once, most recent activity first), lists the customer's conversations in one
 * request and emits what each one misses; live events of that customer wait behind it, so order holds.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, ClientApi.ClientApi | Cable.Cable | Scope.Scope> =>
  Effect.gen(function*() {
    const api = yield* ClientApi.ClientApi
    const cable = yield* Cable.Cable
    const output = yield* Mailbox.make<CustomerEvent>({ capacity: options.bufferSize ?? 4096, strategy: "suspend" })
    const fibers = yield* FiberMap.make<string>()
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

    const onEvent = (entry: Followed, event: CableEvent.CableEvent) =>
      Effect.gen(function*() {
        const { sourceId } = entry.customer
        const conversationId = conversationOf(event)
        if (event._tag === "ConversationCreated" && !entry.conversations.has(event.data.id)) {
          const state = yield* newConversation(sourceId, event.data.id)
          entry.conversations.set(event.data.id, state)
          yield* emit(sourceId, event.data.id, [...state.startWith(event.data.status), ...state.onEvent(event)])
          return
        }
        // An event that did not decode, or one of a conversation never announced, is a gap: read everything back.
        if (event._tag === "Undecodable" || (conversationId !== undefined && !entry.conversations.has(conversationId))) {
          yield* catchUp(entry, "gap")
        }
        const targets = conversationId === undefined
          ? [...entry.conversations.values()]
          : [entry.conversations.get(conversationId)].filter((state) => state !== undefined)
        for (const state of targets) yield* emit(sourceId, state.conversationId, state.onEvent(event))
      })

    /** The customer's fiber: its subscription, handled in order, until removed or failed. */
    const runCustomer = (entry: Followed, ready: Deferred.Deferred<void, Failure>) =>
      cable.subscribe({ pubsub_token: entry.customer.pubsubToken }).pipe(
        Stream.runForEach((message) =>
          message._tag === "Event"
            ? onEvent(entry, message.event)
            : entry.loaded
            ? catchUp(entry, "reconnect")
            : catchUp(entry, "load").pipe(
              Effect.zipRight(Effect.sync(() => (entry.loaded = true))),
              Effect.zipRight(Deferred.succeed(ready, undefined))
            )
        ),
        Effect.catchAll((error) =>
          Effect.gen(function*() {
            if (followed.get(entry.customer.sourceId) === entry) followed.delete(entry.customer.sourceId)
            yield* Metric.set(CustomersMetrics.customers, followed.size)
            // Before the first load the error is `add`'s; after it, the stream's.
            if (yield* Deferred.fail(ready, error)) return
            yield* output.offer(CustomerEvent.Failed({ sourceId: entry.customer.sourceId, conversationId: undefined, error }))
          })
        ),
        // Removed while `add` waits: `add` completes (the customer is simply no longer followed).
        Effect.onInterrupt(() => Deferred.succeed(ready, undefined))
      )

    return Customers.of({
      add: (customer) =>
        Effect.gen(function*() {
          if (followed.has(customer.sourceId)) return
          const entry: Followed = { customer, conversations: new Map(), loaded: false }
          followed.set(customer.sourceId, entry)
          const ready = yield* Deferred.make<void, Failure>()
          yield* FiberMap.run(fibers, customer.sourceId, runCustomer(entry, ready))
          yield* Metric.set(CustomersMetrics.customers, followed.size)
          yield* Deferred.await(ready)
        }).pipe(Effect.withSpan("Customers.add")),
      remove: (sourceId) =>
        Effect.suspend(() => {
          if (!followed.delete(sourceId)) return Effect.void
          return Effect.zipRight(FiberMap.remove(fibers, sourceId), Metric.set(CustomersMetrics.customers, followed.size))
        }),
      customers: Effect.sync(() => [...followed.keys()]),
      events: Mailbox.toStream(output)
    })
  })

type Failure = ClientApiError.ClientApiError | CableError.CableError | CheckpointStore.CheckpointError

/**
 * @since 0.2.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Customers, never, ClientApi.ClientApi | Cable.Cable> =>
  Layer.scoped(Customers, make(options))
