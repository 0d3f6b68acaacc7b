/**
 * Where a consumer of conversations records how far it got: per conversation, the id of the last message it handed
 * downstream. A restarted consumer resumes every conversation right after its checkpoint, so nothing is processed
 * twice and nothing that arrived meanwhile is missed.
 *
 * The backend is `@effect/platform`'s `KeyValueStore`: memory, a file on Node (`NodeKeyValueStore.layerFileSystem`)
 * or `localStorage` in browsers (`BrowserKeyValueStore.layerLocalStorage`).
 *
 * @since 0.2.0
 */
import * as KeyValueStore from "@effect/platform/KeyValueStore"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"

/**
 * A conversation, as the checkpoint's key: the inbox, the customer's session and the conversation's display id.
 *
 * @since 0.2.0
 * @category models
 */
export interface Conversation {
  readonly inboxIdentifier: string
  readonly sourceId: string
  readonly conversationId: number
}

/**
 * The key-value store failed to read or write a checkpoint.
 *
 * @since 0.2.0
 * @category errors
 */
export class CheckpointError extends Data.TaggedError("@bevatel/client/CheckpointError")<{
  readonly operation: "get" | "commit"
  readonly conversationId: number
  readonly cause: unknown
}> {
  /**
   * @since 0.2.0
   */
  override get message() {
    return `CheckpointStore.${this.operation}: the checkpoint of conversation #${this.conversationId} could not be ` +
      `${this.operation === "get" ? "read" : "written"}; check that the store (e.g. the state directory) is readable and writable.`
  }
}

/**
 * @since 0.2.0
 * @category models
 */
export interface Service {
  /**
   * The id of the last message handed downstream, if any. An unreadable entry (a process killed while writing it)
   * falls back to a copy kept one write behind, and is logged; with neither, there is no checkpoint.
   */
  readonly get: (conversation: Conversation) => Effect.Effect<Option.Option<number>, CheckpointError>
  /**
   * Records that every message up to `messageId` was handed downstream. Checkpoints only move forward: a lower id
   * than the stored one is ignored. Commit **after** the message is durably out (e.g. flushed to stdout).
   */
  readonly commit: (conversation: Conversation, messageId: number) => Effect.Effect<void, CheckpointError>
}

/**
 * The checkpoint service: per conversation, the last message handed downstream.
 *
 * @example
 * ```ts
 * import { CheckpointStore } from "@bevatel/client"
 * import { Effect } from "effect"
 *
 * const checkpoints = Effect.map(CheckpointStore.CheckpointStore, (store) => store)
 * ```
 *
 * @since 0.2.0
 * @category tags
 */
export class CheckpointStore extends Context.Tag("@bevatel/client/CheckpointStore")<CheckpointStore, Service>() {}

/**
 * Checkpoints written (a commit that would not move a checkpoint forward writes nothing and is not counted).
 *
 * @since 0.2.0
 * @category metrics
 */
export const commits = Metric.counter("bevatel_checkpoint_commits_total", {
  description: "Checkpoints written",
  incremental: true
})

const keyOf = (conversation: Conversation) =>
  `bevatel/checkpoint/${conversation.inboxIdentifier}/${conversation.sourceId}/${conversation.conversationId}`
// A second copy, written after the first: a process killed while the first is rewritten (a file is truncated,
// then written) leaves the second, one commit behind, instead of no checkpoint at all.
const copyKeyOf = (conversation: Conversation) => `${keyOf(conversation)}.copy`

const parseId = (text: string): Option.Option<number> => {
  const id = Number(text)
  return Number.isSafeInteger(id) && id > 0 ? Option.some(id) : Option.none()
}

/**
 * The store over the `KeyValueStore` in context.
 *
 * @example
 * ```ts
 * import { CheckpointStore } from "@bevatel/client"
 * import { KeyValueStore } from "@effect/platform"
 * import { Effect } from "effect"
 *
 * const store = CheckpointStore.make.pipe(Effect.provide(KeyValueStore.layerMemory))
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, KeyValueStore.KeyValueStore> = Effect.map(
  KeyValueStore.KeyValueStore,
  (kv) => {
    const failure = (operation: "get" | "commit", conversation: Conversation) => (cause: unknown) =>
      new CheckpointError({ operation, conversationId: conversation.conversationId, cause })
    const readKey = (key: string, conversation: Conversation) =>
      Effect.mapError(kv.get(key), failure("get", conversation)).pipe(Effect.map(Option.flatMap(parseId)))
    const read = (conversation: Conversation): Effect.Effect<Option.Option<number>, CheckpointError> =>
      Effect.gen(function*() {
        const first = yield* readKey(keyOf(conversation), conversation)
        if (Option.isSome(first)) return first
        const copy = yield* readKey(copyKeyOf(conversation), conversation)
        if (Option.isSome(copy)) {
          yield* Effect.logWarning(
            `CheckpointStore: the checkpoint of conversation #${conversation.conversationId} was unreadable; using its copy`
          )
        }
        return copy
      })
    return CheckpointStore.of({
      get: read,
      commit: (conversation, messageId) =>
        Effect.flatMap(read(conversation), (stored) =>
          Option.isSome(stored) && stored.value >= messageId
            ? Effect.void
            : Effect.mapError(
              Effect.zipRight(kv.set(keyOf(conversation), String(messageId)), kv.set(copyKeyOf(conversation), String(messageId))),
              failure("commit", conversation)
            ).pipe(Effect.zipRight(Metric.increment(commits)))).pipe(Effect.withSpan("CheckpointStore.commit", { attributes: { messageId } }))
    })
  }
)

/**
 * Checkpoints in the `KeyValueStore` of the context.
 *
 * @example
 * ```ts
 * import { CheckpointStore } from "@bevatel/client"
 * import { KeyValueStore } from "@effect/platform"
 * import { Layer } from "effect"
 *
 * // A durable KeyValueStore in production (a file on Node, localStorage in a browser); memory here.
 * const Checkpoints = CheckpointStore.layer.pipe(Layer.provide(KeyValueStore.layerMemory))
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layer: Layer.Layer<CheckpointStore, never, KeyValueStore.KeyValueStore> = Layer.effect(CheckpointStore, make)

/**
 * Checkpoints that last as long as the process: a restarted stream within it resumes, a new process starts over.
 *
 * @example
 * ```ts
 * import { CheckpointStore } from "@bevatel/client"
 * import { Effect } from "effect"
 *
 * const store = Effect.provide(CheckpointStore.CheckpointStore, CheckpointStore.layerMemory)
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layerMemory: Layer.Layer<CheckpointStore> = Layer.provide(layer, KeyValueStore.layerMemory)
