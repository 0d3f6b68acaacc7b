import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import type { Presenter } from "./presenter.js"
import type { StoreEvent } from "./store.js"

/** One event for the subscribers of one `pubsub_token` stream. @internal */
export interface StreamMessage {
  readonly token: string
  readonly event: string
  readonly data: unknown
}

/**
 * The server's broadcasting: `stream` carries every message to every cable connection (each keeps the tokens it
 * subscribed), and `enqueue` plays the job queue, which turns a store event into messages a moment later and in
 * order, rebuilding status and update payloads at job time as the real `ActionCableBroadcastJob` does.
 *
 * @internal
 */
export interface Hub {
  readonly stream: PubSub.PubSub<StreamMessage>
  readonly publish: (message: StreamMessage) => Effect.Effect<void>
  readonly enqueue: (event: StoreEvent) => void
  /** Rewrites the data of what the jobs broadcast (a fault); `undefined` broadcasts as built. */
  alterEvents: ((event: string, data: unknown) => unknown) | undefined
}

/** @internal */
export const makeHub = (
  presenter: Presenter,
  broadcastDelay: Duration.DurationInput
): Effect.Effect<Hub, never, Scope.Scope> =>
  Effect.gen(function*() {
    const stream = yield* Effect.acquireRelease(PubSub.unbounded<StreamMessage>(), PubSub.shutdown)
    const jobs = yield* Effect.acquireRelease(Queue.unbounded<{ readonly event: StoreEvent; readonly at: number }>(), Queue.shutdown)
    const publish = (message: StreamMessage) => Effect.asVoid(PubSub.publish(stream, message))

    const messagesOf = (event: StoreEvent): Array<StreamMessage> => {
      const store = presenter.store
      switch (event._tag) {
        case "MessageCreated": {
          const conversation = store.conversation(event.message.conversationId)
          // `data.merge!(echo_id: echo_id) if echo_id.present?`
          const data = presenter.messagePayload(event.message, event.echoId?.trim() ? { echo_id: event.echoId } : {})
          return store.tokensOf(conversation).map((token) => ({ token, event: "message.created", data }))
        }
        case "MessageUpdated": {
          const conversation = store.conversation(event.message.conversationId)
          const data = presenter.messagePayload(event.message, { previous_changes: event.previousChanges })
          return store.tokensOf(conversation).map((token) => ({ token, event: "message.updated", data }))
        }
        case "ConversationCreated": {
          const data = presenter.conversationPayload(event.conversation)
          return store.tokensOf(event.conversation).map((token) => ({ token, event: "conversation.created", data }))
        }
        case "ConversationStatusChanged":
        case "ConversationUpdated": {
          const name = event._tag === "ConversationUpdated" ? "conversation.updated" : "conversation.status_changed"
          const data = presenter.conversationPayload(event.conversation)
          return store.tokensOf(event.conversation).map((token) => ({ token, event: name, data }))
        }
        case "Typing": {
          const own = store.contactInboxes.get(event.conversation.contactInboxId)
          if (!own) return []
          return [{
            token: own.pubsubToken,
            event: `conversation.typing_${event.status}`,
            data: presenter.typingPayload(event.conversation, event.agentId, event.isPrivate)
          }]
        }
      }
    }

    const hub: Hub = {
      stream,
      publish,
      enqueue: (event) => {
        Queue.unsafeOffer(jobs, { event, at: Date.now() })
      },
      alterEvents: undefined
    }
    const altered = (message: StreamMessage): StreamMessage =>
      hub.alterEvents ? { ...message, data: hub.alterEvents(message.event, structuredClone(message.data)) } : message

    const delayMillis = Duration.toMillis(broadcastDelay)
    yield* Queue.take(jobs).pipe(
      Effect.tap(({ at }) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sleep(Math.max(0, at + delayMillis - now)))
      ),
      Effect.flatMap(({ event }) => Effect.try(() => messagesOf(event))),
      Effect.tap((messages) => Effect.forEach(messages, (message) => PubSub.publish(stream, altered(message)))),
      Effect.catchAllCause((cause) => Effect.logWarning("broadcast job failed", cause)),
      Effect.forever,
      Effect.interruptible,
      Effect.forkScoped
    )

    return hub
  })
