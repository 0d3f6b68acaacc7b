/**
 * What a runner of a clustered bridge adds to its `@effect/cluster` runner: the behaviour of `CustomerEntity` (follow
 * the customers whose shards it owns) and the forwarding of their events to the `EventSink`.
 *
 * **Delivery guarantee.** Each event of a followed conversation goes to the sink at least once, in order per
 * conversation, and a new message's checkpoint is committed (in SQL) only after the sink took it. A runner that dies
 * (or loses its shards) between the two makes its successor deliver again the messages after the last checkpoint:
 * the repeats are that in-flight window, each with the same idempotency key, so a receiver that drops known keys
 * sees every message exactly once.
 *
 * @since 0.1.0
 */
import type { Cable } from "@bevatel/cable"
import { CheckpointStore, type ConversationEvent, Customers } from "@bevatel/client"
import { ClientApi } from "@bevatel/http"
import * as Entity from "@effect/cluster/Entity"
import * as EntityId from "@effect/cluster/EntityId"
import * as Sharding from "@effect/cluster/Sharding"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as BridgeMetrics from "./BridgeMetrics.js"
import { CustomerDirectory } from "./CustomerDirectory.js"
import { CustomerEntity, FollowFailed } from "./CustomerEntity.js"
import * as EventSink from "./EventSink.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Catch-ups (one request each) in flight at once on this runner. Default 8. */
  readonly concurrency?: number | undefined
  /** Messages of history a conversation starts with when it has no checkpoint. Default 20. */
  readonly history?: number | undefined
  /**
   * How often the runner looks for customers of its shards that it does not follow yet, and wakes them. A customer
   * whose shard moved here (a rebalance, a failover) is followed again within this interval. Default 3 s (one
   * `SELECT` of the directory's identifiers each time).
   */
  readonly sweepInterval?: Duration.DurationInput | undefined
  /** The backoff between attempts of a delivery the sink refused; retried forever. Default: exponential from 200 ms up to 10 s. */
  readonly sinkRetry?: Schedule.Schedule<unknown, EventSink.SinkError> | undefined
}

/** Exponential backoff from `first`, each delay at most `cap`, forever. */
const cappedBackoff = (first: Duration.DurationInput, cap: Duration.DurationInput) =>
  Schedule.exponential(first).pipe(Schedule.union(Schedule.spaced(cap)))

/**
 * The runner's part: register it beside the `@effect/cluster` runner layer (which provides `Sharding`).
 *
 * @example
 * ```ts
 * import { Cable } from "@bevatel/cable"
 * import { BridgeRunner, CustomerDirectory, EventSink, SqlCheckpointStore } from "@bevatel/cluster"
 * import { ClientApi, RequestBudget } from "@bevatel/http"
 * import * as RunnerAddress from "@effect/cluster/RunnerAddress"
 * import { NodeClusterSocket, NodeHttpClient, NodeSocket } from "@effect/platform-node"
 * import { PgClient } from "@effect/sql-pg"
 * import { Layer, Option, Redacted } from "effect"
 *
 * const installation = "https://chat.example.com"
 * const runner = BridgeRunner.layer().pipe(
 *   Layer.provide(EventSink.layerWebhook({ url: "https://bridge.example.com/events" })),
 *   Layer.provide(NodeClusterSocket.layer({
 *     storage: "sql",
 *     shardingConfig: { runnerAddress: Option.some(RunnerAddress.make("10.0.0.5", 24431)) }
 *   })),
 *   Layer.provideMerge(Layer.mergeAll(CustomerDirectory.layer, SqlCheckpointStore.layer)),
 *   Layer.provideMerge(Layer.mergeAll(
 *     ClientApi.layer({ baseUrl: installation, inboxIdentifier: "your-inbox" }).pipe(
 *       Layer.provide(RequestBudget.layer({ requestsPerMinute: 1_000 }))
 *     ),
 *     Cable.layer({ url: installation, keepWire: true }) // live events forwarded as the server sent them
 *   )),
 *   Layer.provideMerge(PgClient.layer({ url: Redacted.make("postgres://bridge@db.internal/bridge") })),
 *   Layer.provideMerge(Layer.mergeAll(NodeHttpClient.layerUndici, NodeSocket.layerWebSocketConstructor))
 * )
 *
 * // The runner's program: run it with `NodeRuntime.runMain(program)`.
 * export const program = Layer.launch(runner)
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<
  never,
  never,
  | ClientApi.ClientApi
  | Cable.Cable
  | CheckpointStore.CheckpointStore
  | CustomerDirectory
  | EventSink.EventSink
  | Sharding.Sharding
> =>
  Layer.unwrapScoped(Effect.gen(function*() {
    const api = yield* ClientApi.ClientApi
    const checkpoints = yield* CheckpointStore.CheckpointStore
    const directory = yield* CustomerDirectory
    const sink = yield* EventSink.EventSink
    const customers = yield* Customers.make({
      checkpoints,
      concurrency: options.concurrency,
      history: options.history
    })
    const sinkRetry = options.sinkRetry ?? cappedBackoff("200 millis", "10 seconds")
    /** The customers whose entities are active on this runner, by your identifier. */
    const active = new Set<string>()
    /**
     * Your identifier of every customer this runner has followed, by source id: kept after the customer moves away,
     * since its last events may still be on their way to the sink.
     */
    const identifierOf = new Map<string, string>()
    /** The `pubsub_token` of each customer this runner follows now, by source id. */
    const following = new Map<string, string>()

    const forward = (sourceId: string, conversationId: number, event: ConversationEvent.ConversationEvent) =>
      Effect.gen(function*() {
        const identifier = identifierOf.get(sourceId) ?? sourceId
        const delivery = EventSink.deliveryOf(identifier, conversationId, event)
        if (delivery === undefined) return
        yield* sink.deliver(delivery).pipe(
          Effect.tapError((error) =>
            Effect.zipRight(Metric.increment(BridgeMetrics.sinkFailures), Effect.logWarning(`bridge runner: ${error.message}`))
          ),
          Effect.retry(sinkRetry),
          Effect.orDie
        )
        yield* Metric.increment(Metric.tagged(BridgeMetrics.delivered, "event", delivery.event))
        if (event._tag !== "MessageAdded") return
        // Only now is the message handed downstream.
        yield* checkpoints.commit({ inboxIdentifier: api.inboxIdentifier, sourceId, conversationId }, event.message.id).pipe(
          Effect.retry(cappedBackoff("200 millis", "5 seconds")),
          Effect.orDie
        )
      })

    yield* customers.events.pipe(
      Stream.runForEach((item) => {
        if (item._tag === "Event") {
          // A delivery and its checkpoint go together: a stop waits for the one in hand.
          return Effect.uninterruptible(forward(item.sourceId, item.conversationId, item.event))
        }
        // Retries spent (the server unreachable for long): follow it again while this runner owns it.
        return Effect.logError(
          `bridge runner: customer ${identifierOf.get(item.sourceId) ?? item.sourceId} stopped, following it again in 5 s: ${item.error.message}`
        ).pipe(
          Effect.zipRight(Effect.forkScoped(
            Effect.sleep("5 seconds").pipe(
              Effect.zipRight(Effect.suspend(() => {
                const pubsubToken = following.get(item.sourceId)
                return pubsubToken === undefined
                  ? Effect.void
                  : Effect.ignore(customers.add({ sourceId: item.sourceId, pubsubToken }))
              }))
            )
          ))
        )
      }),
      Effect.forkScoped
    )

    // The entities keep themselves alive (`Entity.keepAlive`), and restart on the next owner after a failover; a
    // shard released in a rebalance may not bring its entities back by itself, so each runner wakes those of its
    // shards that are not active.
    const sharding = yield* Sharding.Sharding
    const entities = yield* CustomerEntity.client
    yield* directory.identifiers.pipe(
      Effect.map((identifiers) =>
        identifiers.filter((identifier) => {
          const entityId = EntityId.make(identifier)
          return !active.has(identifier) &&
            sharding.hasShardId(sharding.getShardId(entityId, CustomerEntity.getShardGroup(entityId)))
        })
      ),
      Effect.tap((asleep) => asleep.length === 0 ? Effect.void : Effect.logDebug(`bridge runner: waking ${asleep.length} customer(s) of its shards`)),
      Effect.flatMap((asleep) =>
        Effect.forEach(asleep, (identifier) => Effect.fork(Effect.ignore(entities(identifier).Follow())), { discard: true })
      ),
      Effect.catchAllCause((cause) => Effect.logWarning("bridge runner: could not read the customer directory", cause)),
      Effect.repeat(Schedule.spaced(options.sweepInterval ?? "3 seconds")),
      Effect.forkScoped
    )

    return CustomerEntity.toLayer(
      Effect.gen(function*() {
        const address = yield* Entity.CurrentAddress
        const identifier = address.entityId
        const ready = yield* Deferred.make<void, FollowFailed>()
        active.add(identifier)
        let sourceId: string | undefined
        yield* Effect.addFinalizer(() =>
          Effect.suspend(() => {
            active.delete(identifier)
            if (sourceId === undefined) return Effect.void
            following.delete(sourceId)
            return Effect.zipRight(customers.remove(sourceId), Effect.logDebug(`bridge runner: stopped following ${identifier}`))
          })
        )
        const follow = Effect.gen(function*() {
          const stored = yield* directory.get(identifier)
          if (Option.isNone(stored)) {
            return yield* Deferred.fail(
              ready,
              new FollowFailed({ identifier, reason: "it is not in the customer directory; register it first" })
            )
          }
          sourceId = stored.value.source_id
          identifierOf.set(sourceId, identifier)
          following.set(sourceId, stored.value.pubsub_token)
          yield* customers.add({ sourceId, pubsubToken: stored.value.pubsub_token })
          yield* Deferred.succeed(ready, undefined)
          yield* Effect.logDebug(`bridge runner: following ${identifier}`)
        }).pipe(
          Effect.tapError((error) => Effect.logWarning(`bridge runner: following customer ${identifier} failed: ${error.message}`)),
          Effect.retry(cappedBackoff("1 second", "30 seconds")),
          Effect.withSpan("BridgeRunner.follow", { attributes: { identifier } })
        )
        yield* Effect.forkScoped(follow)
        yield* Entity.keepAlive(true)
        return {
          Follow: () => Deferred.await(ready),
          Unfollow: () =>
            directory.remove(identifier).pipe(
              Effect.tap(() => Effect.sync(() => sourceId !== undefined && identifierOf.delete(sourceId))),
              Effect.retry(Schedule.exponential("200 millis").pipe(Schedule.compose(Schedule.recurs(5)))),
              Effect.orDie,
              Effect.zipRight(Effect.provideService(Entity.keepAlive(false), Entity.CurrentAddress, address))
            )
        }
      }),
      { maxIdleTime: Duration.seconds(5) }
    )
  }))
