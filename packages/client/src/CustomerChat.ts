/**
 * The customer's chat in one service — what a chat UI or a pipeline needs and nothing else: the customer restored
 * or created, a conversation opened or reused, its lossless event stream, and sending, typing and read receipts.
 *
 * @since 0.1.0
 */
import { Cable, type ConnectionState } from "@bevatel/cable"
import type { CableError } from "@bevatel/cable"
import { ClientApi } from "@bevatel/http"
import type { ClientApiError } from "@bevatel/http"
import { CustomerStore } from "@bevatel/identity"
import type { IdentityError } from "@bevatel/identity"
import type { Contact, Conversation, Identifiers, Json, Message } from "@bevatel/schema"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as ConversationEvent from "./ConversationEvent.js"
import type * as CheckpointStore from "./CheckpointStore.js"
import * as ConversationStream from "./ConversationStream.js"
import * as CustomerSession from "./CustomerSession.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly customer: Contact.ContactSession
  /** Whether the customer was restored from the store or created for this visit. */
  readonly origin: "restored" | "created"
  readonly conversation: Conversation.Conversation
  /** The conversation's lossless stream (history, live events, backfill after reconnects). */
  /** The conversation's lossless stream; `after` or `checkpoints` resume it (see `ConversationStream.Options`). */
  readonly events: (
    options?: Pick<ConversationStream.Options, "after" | "checkpoints" | "history" | "dedupeWindow">
  ) => Stream.Stream<
    ConversationEvent.ConversationEvent,
    ClientApiError.ClientApiError | CableError.CableError | CheckpointStore.CheckpointError
  >
  /** Sends a message; match its echo with the returned `echoId` (`MessageAdded.message.echo_id`). */
  readonly send: (
    message: string | ClientApi.NewMessage
  ) => Effect.Effect<
    { readonly message: Message.Message; readonly echoId: Identifiers.EchoId },
    ClientApiError.ClientApiError
  >
  readonly typing: (status: "on" | "off") => Effect.Effect<void, ClientApiError.ClientApiError>
  readonly markSeen: Effect.Effect<void, ClientApiError.ClientApiError>
  readonly resolve: Effect.Effect<Conversation.Conversation, ClientApiError.ClientApiError>
  /** The cable's connection state, for a "reconnecting…" banner. */
  readonly connection: Stream.Stream<ConnectionState.ConnectionState>
}

/**
 * The customer's chat service: its conversation, events, sending, typing and state.
 *
 * @example
 * ```ts
 * import { CustomerChat } from "@bevatel/client"
 * import { Effect } from "effect"
 *
 * const hello = Effect.flatMap(CustomerChat.CustomerChat, (chat) => chat.send("Hello!"))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class CustomerChat extends Context.Tag("@bevatel/client/CustomerChat")<CustomerChat, Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options<E = never, R = never> extends CustomerSession.Options<E, R> {
  /** Custom attributes of a conversation created for this visit. */
  readonly conversationAttributes?: Json.JsonObject | undefined
  /**
   * Opens a new conversation instead of continuing the stored one — what a chat offers once the stored conversation
   * is resolved ("start a new conversation"). Default `false`.
   */
  readonly startNew?: boolean | undefined
}

/**
 * Restores or creates the customer, then reuses its stored conversation (or its latest open one) or creates one,
 * and remembers it in the `CustomerStore`. With `startNew`, it always creates one.
 *
 * @example
 * ```ts
 * import { CustomerChat } from "@bevatel/client"
 * import { Effect, Stream } from "effect"
 *
 * // Needs ClientApi, Cable and CustomerStore in context, and a scope.
 * const chat = Effect.scoped(Effect.gen(function*() {
 *   const chat = yield* CustomerChat.make({ contact: { name: "Ada" } })
 *   yield* chat.send("Hello!")
 *   yield* chat.events().pipe(Stream.take(1), Stream.runForEach((event) => Effect.log(event._tag)))
 * }))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <E = never, R = never>(
  options: Options<E, R> = {}
): Effect.Effect<
  Service,
  ClientApiError.ClientApiError | IdentityError.CustomerStoreError | E,
  ClientApi.ClientApi | Cable.Cable | CustomerStore.CustomerStore | R
> =>
  Effect.gen(function*() {
    const api = yield* ClientApi.ClientApi
    const cable = yield* Cable.Cable
    const store = yield* CustomerStore.CustomerStore
    const customer = yield* CustomerSession.restoreOrCreate(options)
    const sourceId = customer.session.source_id

    const createConversation = api.conversations.create(
      sourceId,
      options.conversationAttributes === undefined ? {} : { custom_attributes: options.conversationAttributes }
    )
    const stored = customer.stored.conversation_id === undefined || options.startNew === true
      ? Option.none<Conversation.Conversation>()
      : yield* api.conversations.get(sourceId, customer.stored.conversation_id).pipe(
        Effect.map(Option.some),
        Effect.catchTag("NotFound", () => Effect.succeed(Option.none<Conversation.Conversation>()))
      )
    const conversation = Option.isSome(stored)
      ? stored.value
      : options.startNew === true
      ? yield* createConversation
      : yield* Effect.gen(function*() {
        const open = (yield* api.conversations.list(sourceId)).filter((c) => c.status !== "resolved").at(-1)
        return open ?? (yield* createConversation)
      })
    yield* store.set({ ...customer.stored, conversation_id: conversation.id })

    const context = Context.make(ClientApi.ClientApi, api).pipe(Context.add(Cable.Cable, cable))
    return CustomerChat.of({
      customer: customer.session,
      origin: customer.origin,
      conversation,
      events: (streamOptions = {}) =>
        ConversationStream.make({
          sourceId,
          pubsubToken: customer.session.pubsub_token,
          conversationId: conversation.id,
          ...streamOptions
        }).pipe(Stream.provideContext(context)),
      send: (message) => api.messages.create(sourceId, conversation.id, typeof message === "string" ? { content: message } : message),
      typing: (status) => api.conversations.typing(sourceId, conversation.id, status),
      markSeen: api.conversations.markSeen(sourceId, conversation.id),
      resolve: api.conversations.resolve(sourceId, conversation.id),
      connection: cable.state
    })
  }).pipe(Effect.withSpan("CustomerChat.make"))

/**
 * The customer's chat as a layer (scoped: its conversation's subscription ends with it).
 *
 * @example
 * ```ts
 * import { CustomerChat } from "@bevatel/client"
 *
 * // Provide ClientApi, Cable and CustomerStore to it (see the package README).
 * const Chat = CustomerChat.layer({ contact: { name: "Ada" } })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <E = never, R = never>(
  options: Options<E, R> = {}
): Layer.Layer<
  CustomerChat,
  ClientApiError.ClientApiError | IdentityError.CustomerStoreError | E,
  ClientApi.ClientApi | Cable.Cable | CustomerStore.CustomerStore | R
> => Layer.effect(CustomerChat, make(options))
