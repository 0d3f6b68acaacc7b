/**
 * Many customers in one process — a bridge that speaks for thousands of them — over one `Cable` (one socket, one
 * subscription per customer) and one `ClientApi`: customers are added and removed at run time, and every event of
 * every conversation of theirs arrives in one merged stream, tagged with the customer and the conversation.
 *
 * Per conversation, the guarantees are `ConversationStream`'s: in order, each message exactly once, recovered after
 * every reconnect. New conversations of a known customer are followed from their `conversation.created`. With a
 * `CheckpointStore`, a restarted process resumes every conversation after its last committed message.
 *
 * Put a `RequestBudget` (from `@bevatel/http`) in the `ClientApi`'s context: after a reconnect every conversation
 * catches up at once — one request each — and the budget keeps that inside the server's rate limit.
 *
 * @since 0.2.0
 */
import { Cable, type CableError } from "@bevatel/cable"
import { ClientApi, type ClientApiError } from "@bevatel/http"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as FiberMap from "effect/FiberMap"
import * as Layer from "effect/Layer"
import * as Mailbox from "effect/Mailbox"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as CheckpointStore from "./CheckpointStore.js"
import type * as ConversationEvent from "./ConversationEvent.js"
import * as ConversationStream from "./ConversationStream.js"

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
  /** Follows every conversation of the customer, and its new ones; adding a known customer does nothing. */
  readonly add: (customer: Customer) => Effect.Effect<void, ClientApiError.ClientApiError>
  /** Stops following the customer: its streams end, its subscription is released. */
  readonly remove: (sourceId: string) => Effect.Effect<void>
  /** The source ids of the customers followed now. */
  readonly customers: Effect.Effect<ReadonlyArray<string>>
  /** Every event of every conversation followed, merged; per conversation in order. For one consumer. */
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
}

/**
 * The service, for the scope's lifetime: closing the scope stops every stream.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, ClientApi.ClientApi | Cable.Cable | Scope.Scope> =>
  Effect.gen(function*() {
    const api = yield* ClientApi.ClientApi
    const cable = yield* Cable.Cable
    const context = Context.make(ClientApi.ClientApi, api).pipe(Context.add(Cable.Cable, cable))
    const output = yield* Mailbox.make<CustomerEvent>({ capacity: options.bufferSize ?? 4096, strategy: "suspend" })
    const fibers = yield* FiberMap.make<string>()
    /** The followed customers, and the conversations followed of each. */
    const followed = new Map<string, { readonly customer: Customer; readonly conversations: Set<number> }>()

    const follow = (customer: Customer, conversationId: number) =>
      Effect.suspend(() => {
        const entry = followed.get(customer.sourceId)
        if (entry === undefined || entry.conversations.has(conversationId)) return Effect.void
        entry.conversations.add(conversationId)
        return FiberMap.run(
          fibers,
          `${customer.sourceId}/${conversationId}`,
          ConversationStream.make({
            sourceId: customer.sourceId,
            pubsubToken: customer.pubsubToken,
            conversationId,
            checkpoints: options.checkpoints,
            history: options.history
          }).pipe(
            Stream.runForEach((event) =>
              output.offer(CustomerEvent.Event({ sourceId: customer.sourceId, conversationId, event }))
            ),
            Effect.catchAll((error) =>
              Effect.zipRight(
                Effect.sync(() => entry.conversations.delete(conversationId)),
                output.offer(CustomerEvent.Failed({ sourceId: customer.sourceId, conversationId, error }))
              )
            ),
            Effect.provide(context)
          )
        )
      })

    /** New conversations of the customer, from `conversation.created` on its subscription. */
    const watchNewConversations = (customer: Customer) =>
      FiberMap.run(
        fibers,
        customer.sourceId,
        cable.events({ pubsub_token: customer.pubsubToken }).pipe(
          Stream.runForEach((event) => event._tag === "ConversationCreated" ? follow(customer, event.data.id) : Effect.void),
          Effect.catchAll((error) =>
            output.offer(CustomerEvent.Failed({ sourceId: customer.sourceId, conversationId: undefined, error }))
          )
        )
      )

    const removeCustomer = (sourceId: string) =>
      Effect.suspend(() => {
        const entry = followed.get(sourceId)
        if (entry === undefined) return Effect.void
        followed.delete(sourceId)
        return Effect.forEach(
          [sourceId, ...[...entry.conversations].map((id) => `${sourceId}/${id}`)],
          (key) => FiberMap.remove(fibers, key),
          { discard: true }
        )
      })

    return Customers.of({
      add: (customer) =>
        Effect.gen(function*() {
          if (followed.has(customer.sourceId)) return
          followed.set(customer.sourceId, { customer, conversations: new Set() })
          // Watching first: a conversation created while the list is read is followed too (follow ignores repeats).
          yield* watchNewConversations(customer)
          const conversations = yield* api.conversations.list(customer.sourceId).pipe(
            Effect.tapError(() => removeCustomer(customer.sourceId))
          )
          yield* Effect.forEach(conversations, (conversation) => follow(customer, conversation.id), { discard: true })
        }).pipe(Effect.withSpan("Customers.add")),
      remove: (sourceId) => removeCustomer(sourceId),
      customers: Effect.sync(() => [...followed.keys()]),
      events: Mailbox.toStream(output)
    })
  })

/**
 * @since 0.2.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Customers, never, ClientApi.ClientApi | Cable.Cable> =>
  Layer.scoped(Customers, make(options))
