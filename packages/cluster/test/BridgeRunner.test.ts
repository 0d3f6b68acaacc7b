/**
 * A clustered bridge in one process, on real servers: PostgreSQL (Debian's, throwaway), an `@effect/cluster` runner
 * with SQL storage, the local Bevatel server with auto-reply, and a webhook receiver, all on loopback.
 */
import { Cable } from "@bevatel/cable"
import { ClientApi } from "@bevatel/http"
import { LocalServer } from "@bevatel/local-server"
import { BridgeClient, BridgeMetrics, BridgeRunner, CustomerDirectory, EventSink, SqlCheckpointStore } from "@bevatel/cluster"
import { CheckpointStore } from "@bevatel/client"
import * as RunnerAddress from "@effect/cluster/RunnerAddress"
import { FetchHttpClient } from "@effect/platform"
import { NodeClusterSocket, NodeSocket } from "@effect/platform-node"
import { PgClient } from "@effect/sql-pg"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Metric, Option, Schedule } from "effect"
import { freeLowPort, postgres } from "./postgres.js"
import { type Received, webhookReceiver } from "./webhook.js"

/** Waits (polling real time) until `done` holds. */
const until = (done: () => boolean, what: string) =>
  Effect.suspend(() => done() ? Effect.void : Effect.fail(what)).pipe(
    Effect.retry(Schedule.spaced("100 millis").pipe(Schedule.upTo("60 seconds"))),
    Effect.orDieWith((what) => new Error(`timed out waiting until ${what}`))
  )

const replies = (received: Iterable<Received>) =>
  [...received].filter((r) => r.event === "message.created" && r.data.message_type === 1)

describe("a clustered bridge in one runner", () => {
  it.scopedLive("follows registered customers and delivers every event to the webhook once, checkpoints after", () =>
    Effect.gen(function*() {
      const pg = yield* postgres
      const receiver = yield* webhookReceiver
      const runnerPort = yield* freeLowPort
      const local = yield* LocalServer.make({ autoReply: { delay: "20 millis" } })
      const sql = PgClient.layer({ url: pg.url })
      const sdk = Layer.mergeAll(
        ClientApi.layer({ baseUrl: local.url, inboxIdentifier: local.inboxes[0]!.identifier }),
        Cable.layer({ url: local.url, presenceInterval: false })
      ).pipe(Layer.provide(Layer.mergeAll(FetchHttpClient.layer, NodeSocket.layerWebSocketConstructor)))
      const cluster = NodeClusterSocket.layer({
        storage: "sql",
        shardingConfig: {
          runnerAddress: Option.some(RunnerAddress.make("127.0.0.1", runnerPort)),
          shardsPerGroup: 30,
          entityMessagePollInterval: "1 second"
        }
      })
      const stores = Layer.mergeAll(SqlCheckpointStore.layer, CustomerDirectory.layer)
      const runner = BridgeRunner.layer().pipe(
        Layer.provideMerge(BridgeClient.layer()),
        Layer.provideMerge(Layer.mergeAll(stores, EventSink.layerWebhook({ url: receiver.url }))),
        Layer.provideMerge(cluster),
        Layer.provideMerge(Layer.mergeAll(sdk, FetchHttpClient.layer)),
        Layer.provideMerge(sql),
        Layer.orDie
      )

      yield* Effect.gen(function*() {
        const bridge = yield* BridgeClient.BridgeClient
        const directory = yield* CustomerDirectory.CustomerDirectory
        const checkpoints = yield* CheckpointStore.CheckpointStore
        const api = yield* ClientApi.ClientApi
        const identifiers = ["ada", "grace", "linus", "barbara", "edsger"]
        yield* Effect.forEach(identifiers, bridge.follow, { concurrency: "unbounded", discard: true })
        // The sink refuses a few deliveries first: they are retried, not lost.
        receiver.refuse = 3
        const failuresBefore = (yield* Metric.value(BridgeMetrics.sinkFailures)).count
        yield* Effect.forEach(identifiers, (id) => bridge.send(id, { content: `hello from ${id}` }), { discard: true })
        yield* until(() => replies(receiver.unique.values()).length === identifiers.length, "every customer got its reply")

        const byCustomer = new Map(replies(receiver.unique.values()).map((r) => [r.customer, r]))
        assert.deepStrictEqual([...byCustomer.keys()].sort(), [...identifiers].sort())
        for (const id of identifiers) {
          assert.include(byCustomer.get(id)!.data.content, `hello from ${id}`)
          // The customer's own message went through the sink too, keyed by its id.
          const own = [...receiver.unique.values()].find((r) => r.customer === id && r.data.content === `hello from ${id}`)
          assert.isDefined(own)
          assert.strictEqual(own!.key, `message/${own!.data.id}`)
        }
        // One POST per key: no repeats without a failover.
        assert.strictEqual(receiver.all.length, receiver.unique.size)
        assert.isAtLeast((yield* Metric.value(BridgeMetrics.sinkFailures)).count - failuresBefore, 3)

        // The checkpoint of each conversation is its reply (the last message), committed after the delivery.
        for (const id of identifiers) {
          const reply = byCustomer.get(id)!
          const stored = Option.getOrThrow(yield* directory.get(id))
          const read = checkpoints.get({
            inboxIdentifier: api.inboxIdentifier,
            sourceId: stored.source_id,
            conversationId: reply.conversation_id
          })
          // Committed just after the delivery: wait for it rather than race it.
          let checkpoint = yield* read
          while (Option.getOrElse(checkpoint, () => 0) < reply.data.id!) {
            yield* Effect.sleep("50 millis")
            checkpoint = yield* read
          }
          assert.deepStrictEqual(checkpoint, Option.some(reply.data.id!))
        }
      }).pipe(Effect.provide(runner))
    }), { timeout: 180_000 })

  it.scopedLive("a checkpoint in SQL only moves forward", () =>
    Effect.gen(function*() {
      const store = yield* CheckpointStore.CheckpointStore
      const conversation = { inboxIdentifier: "inbox", sourceId: "source", conversationId: 7 }
      assert.deepStrictEqual(yield* store.get(conversation), Option.none())
      yield* store.commit(conversation, 10)
      yield* store.commit(conversation, 4)
      assert.deepStrictEqual(yield* store.get(conversation), Option.some(10))
      yield* store.commit(conversation, 12)
      assert.deepStrictEqual(yield* store.get(conversation), Option.some(12))
      assert.deepStrictEqual(yield* store.get({ ...conversation, conversationId: 8 }), Option.none())
    }).pipe(
      Effect.provide(Layer.unwrapScoped(
        Effect.map(postgres, (pg) => SqlCheckpointStore.layer.pipe(Layer.provide(PgClient.layer({ url: pg.url }))))
      )),
      Effect.orDie
    ), { timeout: 120_000 })
})
