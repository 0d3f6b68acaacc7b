/**
 * A conversation as one lossless stream: history first, then live events, and after every reconnect the messages
 * that were missed — ActionCable replays nothing — recovered over HTTP, in order, each exactly once.
 *
 * @since 0.1.0
 */
import { Cable, type CableError } from "@bevatel/cable"
import { ClientApi, type ClientApiError } from "@bevatel/http"
import type { CableEvent } from "@bevatel/schema"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as CheckpointStore from "./CheckpointStore.js"
import * as ConversationEvent from "./ConversationEvent.js"
import { ConversationState, conversationOf, liveEvent } from "./internal/conversationState.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly sourceId: string
  readonly pubsubToken: string
  readonly conversationId: number
  /**
   * Resume after this message id: every later message is emitted (paging back as far as needed) instead of the
   * history. Store the id of the last message you processed to resume a pipeline without loss or duplicates.
   */
  readonly after?: number | undefined
  /**
   * Resume after this conversation's checkpoint in the store, when `after` is not given (no checkpoint yet: start
   * with the history). The stream reads it; committing, after handing a message downstream, is the consumer's part.
   */
  readonly checkpoints?: CheckpointStore.Service | undefined
  /** Messages of history to start with when not resuming. Default 20 (one page). */
  readonly history?: number | undefined
  /** Message ids remembered to drop duplicates (memory stays bounded). Default 10 000. */
  readonly dedupeWindow?: number | undefined
}

/**
 * The lossless stream of one conversation. Requires the `ClientApi` of the conversation's inbox and a `Cable`.
 *
 * **Details**
 * The cable subscription is confirmed before any HTTP read, so nothing falls between history and live events.
 * After each reconnect the conversation is read again — one request: it embeds every public message and the
 * status — and what is missing is emitted in order, then a status change missed meanwhile, then `Resumed`. Live events that arrive during a backfill wait behind it
 * and are deduplicated by message id.
 *
 * @example
 * ```ts
 * import { ConversationStream } from "@bevatel/client"
 * import { Effect, Stream } from "effect"
 *
 * // Needs ClientApi and Cable in context: every message of conversation 7, in order, each once.
 * const printed = ConversationStream.make({ sourceId: "the-source-id", pubsubToken: "the-pubsub-token", conversationId: 7 }).pipe(
 *   Stream.runForEach((event) => Effect.log(event._tag))
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Stream.Stream<
  ConversationEvent.ConversationEvent,
  ClientApiError.ClientApiError | CableError.CableError | CheckpointStore.CheckpointError,
  ClientApi.ClientApi | Cable.Cable
> =>
  Stream.unwrap(Effect.gen(function*() {
    const api = yield* ClientApi.ClientApi
    const cable = yield* Cable.Cable
    const after = options.after !== undefined || options.checkpoints === undefined
      ? options.after
      : Option.getOrUndefined(
        yield* options.checkpoints.get({
          inboxIdentifier: api.inboxIdentifier,
          sourceId: options.sourceId,
          conversationId: options.conversationId
        })
      )
    const state = new ConversationState(options.conversationId, after, options.dedupeWindow ?? 10_000)

    /**
     * One request catches up: the REST conversation embeds every public message and the current status, so a
     * backfill costs a single request whatever it recovers (what many conversations recovering at once need to stay
     * inside the server's rate limit).
     */
    const catchUp = (messagesOrigin: ConversationEvent.Origin, statusOrigin: ConversationEvent.Origin, limit: number) =>
      Effect.map(
        api.conversations.get(options.sourceId, options.conversationId),
        (conversation) => state.catchUp(conversation, messagesOrigin, statusOrigin, limit)
      )

    const onConfirmed = (resumed: boolean) =>
      Effect.gen(function*() {
        if (!resumed) {
          const start = after === undefined
            ? yield* catchUp("history", "history", options.history ?? 20)
            : yield* catchUp("backfill", "history", Number.POSITIVE_INFINITY)
          // The status first: the stream says where the conversation stands before its messages.
          return [...start.status, ...start.added]
        }
        const missed = yield* catchUp("backfill", "backfill", Number.POSITIVE_INFINITY)
        yield* Effect.logDebug(`ConversationStream: recovered ${missed.added.length} missed message(s) after a reconnect`)
        return [...missed.added, ...missed.status, new ConversationEvent.Resumed({ missed: missed.added.length })]
      }).pipe(Effect.withSpan("ConversationStream.catchUp", { attributes: { resumed } }))

    const belongs = (event: CableEvent.CableEvent) => {
      const named = conversationOf(event)
      return named === undefined || named === options.conversationId
    }

    /**
     * An event of this conversation that did not decode (a server whose payloads changed) is a gap: what it stood
     * for is read back over HTTP — missed messages in order, exactly once, and the status — then it is passed on.
     */
    const onUndecodable = (event: CableEvent.Undecodable, wire: CableEvent.WireEvent | undefined) =>
      Effect.gen(function*() {
        if (!belongs(event)) return []
        const missed = yield* catchUp("backfill", "backfill", Number.POSITIVE_INFINITY)
        yield* Effect.logDebug(
          `ConversationStream: a "${event.event}" event did not decode; recovered ${missed.added.length} message(s) over HTTP`
        )
        return [...missed.added, ...missed.status, liveEvent(event, wire)]
      }).pipe(Effect.withSpan("ConversationStream.recoverUndecodable", { attributes: { event: event.event } }))

    return cable.subscribe({ pubsub_token: options.pubsubToken }).pipe(
      Stream.mapEffect((message) =>
        message._tag === "Confirmed"
          ? onConfirmed(message.resumed)
          : message.event._tag === "Undecodable"
          ? onUndecodable(message.event, message.wire)
          : Effect.succeed(belongs(message.event) ? state.onEvent(message.event, message.wire) : [])
      ),
      Stream.flattenIterables
    )
  }))
