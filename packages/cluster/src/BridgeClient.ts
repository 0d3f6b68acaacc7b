/**
 * The inbound side of a clustered bridge, from any process of the cluster (a runner, or a client-only process):
 * register and follow customers, and send their messages.
 *
 * **Sending goes straight to the Client API**, not through the customer's owner: the API takes a customer's message
 * from anyone holding its `source_id`, so a send needs no hop, works while the owner fails over, and its message comes
 * back to the owner through the cable like any other. The owner is only needed to follow (to read).
 *
 * @since 0.1.0
 */
import { ClientApi, type ClientApiError } from "@bevatel/http"
import type { IdentityError } from "@bevatel/identity"
import type { Message } from "@bevatel/schema"
import type { AlreadyProcessingMessage, MailboxFull, PersistenceError } from "@effect/cluster/ClusterError"
import type { Sharding } from "@effect/cluster/Sharding"
import type { SqlError } from "@effect/sql/SqlError"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { isTagged } from "effect/Predicate"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import { CustomerDirectory } from "./CustomerDirectory.js"
import { CustomerEntity, type FollowFailed } from "./CustomerEntity.js"

/**
 * Why a customer could not be followed (or its message sent): registering it (the Client API, signing, the
 * directory), or the cluster (the entity's mailbox, its storage), or the runner that owns it.
 *
 * @since 0.1.0
 * @category errors
 */
export type FollowError =
  | FollowFailed
  | ClientApiError.ClientApiError
  | IdentityError.SigningFailed
  | SqlError
  | MailboxFull
  | AlreadyProcessingMessage
  | PersistenceError

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * Registers the customer (created on first use, see `CustomerDirectory.register`) and waits until a runner follows
   * it. From then on it is followed — after failovers and rebalances too — until `unfollow`. With an
   * `IdentitySigner`, the identifier is signed: pass only ids your own system vouches for, never one an end user chose.
   */
  readonly follow: (identifier: string) => Effect.Effect<void, FollowError>
  /** Stops following the customer and forgets it. */
  readonly unfollow: (identifier: string) => Effect.Effect<void, MailboxFull | AlreadyProcessingMessage | PersistenceError>
  /**
   * Sends a message as the customer (registered and followed first when new), to its latest conversation that is
   * not resolved, or to a new one. The `echo_id` identifies it when it comes back through the stream.
   */
  readonly send: (
    identifier: string,
    message: { readonly content: string; readonly echoId?: string | undefined }
  ) => Effect.Effect<Message.Message, FollowError>
}

/**
 * The bridge's client service: follow, unfollow and send for a customer, wherever its entity runs.
 *
 * @example
 * ```ts
 * import { BridgeClient } from "@bevatel/cluster"
 * import { Effect } from "effect"
 *
 * // `userId`: a user of yours your own system authenticated.
 * const follow = (userId: string) => Effect.flatMap(BridgeClient.BridgeClient, (bridge) => bridge.follow(userId))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class BridgeClient extends Context.Tag("@bevatel/cluster/BridgeClient")<BridgeClient, Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /**
   * How long `follow` and `unfollow` wait for the owner before asking again (a call to a runner that froze may not
   * return for long, while its shards already moved). Default 30 s; asked again up to 5 times.
   */
  readonly followTimeout?: Duration.DurationInput | undefined
  /**
   * The pause before asking again, after a timeout or when the owner stopped while answering (its shard moved: a
   * rebalance, or shard locks its runner could not refresh in time). Default 1 s.
   */
  readonly followRetryInterval?: Duration.DurationInput | undefined
}

/** The owner of a customer stopped while answering (its shard left its runner). */
class OwnerStopped extends Data.TaggedError("OwnerStopped") {}

/** A call the owner did not answer: none within the timeout, or it stopped while answering. */
const isUnanswered = (error: unknown): error is Cause.TimeoutException | OwnerStopped =>
  isTagged(error, "TimeoutException") || isTagged(error, "OwnerStopped")

/**
 * `@effect/cluster` interrupts an entity whose shard leaves its runner (a rebalance, or shard locks its runner could
 * not refresh in time): a call to it then ends interrupted, which is a reason to ask the next owner.
 */
const interruptedAsOwnerStopped = <A, E, R>(call: Effect.Effect<A, E, R>): Effect.Effect<A, E | OwnerStopped, R> =>
  Effect.catchAllCause(
    call,
    (cause): Effect.Effect<never, E | OwnerStopped> =>
      Cause.isInterruptedOnly(cause) ? Effect.fail(new OwnerStopped()) : Effect.failCause(cause)
  )

/**
 * The bridge's client, over the cluster's entities.
 *
 * @example
 * ```ts
 * import { BridgeClient } from "@bevatel/cluster"
 * import { Effect } from "effect"
 *
 * // Needs Sharding, CustomerDirectory and ClientApi in context (BridgeRunner.layer provides the cluster).
 * const bridge = BridgeClient.make({ followTimeout: "30 seconds" })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<Service, never, Sharding | CustomerDirectory | ClientApi.ClientApi> =>
  Effect.gen(function*() {
    const entities = yield* CustomerEntity.client
    const directory = yield* CustomerDirectory
    const api = yield* ClientApi.ClientApi
    const followTimeout = Duration.decode(options.followTimeout ?? "30 seconds")
    const retryInterval = Duration.decode(options.followRetryInterval ?? "1 second")
    /** Where each customer's messages go, as found by this process. */
    const conversations = new Map<string, number>()

    /** A call to the customer's owner, asked again after a timeout or when the owner stopped while answering. */
    const askOwner = <A, E>(identifier: string, rpc: string, call: Effect.Effect<A, E>) =>
      call.pipe(
        interruptedAsOwnerStopped,
        Effect.timeout(followTimeout),
        Effect.retry({ times: 5, schedule: Schedule.spaced(retryInterval), while: isUnanswered }),
        Effect.catchIf(isUnanswered, (error) =>
          Effect.dieMessage(
            error._tag === "TimeoutException"
              ? `customer ${identifier}: no runner answered ${rpc} within ${Duration.format(followTimeout)}, 6 times`
              : `customer ${identifier}: its owner stopped while answering ${rpc}, 6 times (shards kept moving)`
          ))
      )

    const follow: Service["follow"] = (identifier) =>
      directory.register(identifier).pipe(
        Effect.zipRight(askOwner(identifier, "Follow", entities(identifier).Follow())),
        Effect.withSpan("BridgeClient.follow", { attributes: { identifier } })
      )

    const conversationOf = (identifier: string, sourceId: string) =>
      Effect.gen(function*() {
        const known = conversations.get(identifier)
        if (known !== undefined) return known
        const listed = yield* api.conversations.list(sourceId)
        const open = listed.filter((c) => c.status !== "resolved").sort((a, b) => b.id - a.id)[0]
        const id = open?.id ?? (yield* api.conversations.create(sourceId)).id
        conversations.set(identifier, id)
        return id
      })

    return BridgeClient.of({
      follow,
      unfollow: (identifier) =>
        askOwner(identifier, "Unfollow", entities(identifier).Unfollow()).pipe(
          Effect.tap(() => Effect.sync(() => conversations.delete(identifier))),
          Effect.withSpan("BridgeClient.unfollow", { attributes: { identifier } })
        ),
      send: (identifier, message) =>
        Effect.gen(function*() {
          const stored = yield* directory.get(identifier)
          if (stored._tag === "None") yield* follow(identifier)
          const customer = stored._tag === "Some" ? stored.value : yield* directory.register(identifier)
          const conversationId = yield* conversationOf(identifier, customer.source_id)
          return yield* api.messages.create(customer.source_id, conversationId, {
            content: message.content,
            ...(message.echoId === undefined ? {} : { echoId: message.echoId })
          }).pipe(Effect.map((sent) => sent.message))
        }).pipe(
          Effect.withSpan("BridgeClient.send", { attributes: { identifier } })
        )
    })
  })

/**
 * The bridge's client as a layer.
 *
 * @example
 * ```ts
 * import { BridgeClient } from "@bevatel/cluster"
 *
 * const Bridge = BridgeClient.layer({ followTimeout: "30 seconds" })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<BridgeClient, never, Sharding | CustomerDirectory | ClientApi.ClientApi> =>
  Layer.effect(BridgeClient, make(options))
