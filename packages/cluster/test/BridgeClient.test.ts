/**
 * `BridgeClient.follow` when the customer's owner stops while answering: `@effect/cluster` interrupts an entity whose
 * shard leaves its runner, and the call ends interrupted. Real PostgreSQL and the local Bevatel server; the cluster
 * is a stand-in `Sharding` whose entity answers as scripted.
 */
import { ClientApi } from "@bevatel/http"
import { LocalServer } from "@bevatel/local-server"
import { BridgeClient, CustomerDirectory, CustomerEntity } from "@bevatel/cluster"
import { Sharding } from "@effect/cluster/Sharding"
import { FetchHttpClient } from "@effect/platform"
import { PgClient } from "@effect/sql-pg"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber, Layer, Option } from "effect"
import { postgres } from "./postgres.js"

/** How the owner answers each `Follow`, in turn: stopped mid-call (interrupted), or an answer. */
type Answer = "stopped" | "followed" | "failed"

/** An entity call whose owner was interrupted while answering, as a reply from a moved shard ends. */
const stoppedMidCall = Effect.flatMap(Effect.fork(Effect.never), (owner) =>
  Effect.zipRight(Fiber.interrupt(owner), Fiber.join(owner)))

const shardingAnswering = (answers: Array<Answer>, asked: { count: number }) =>
  Layer.succeed(Sharding, {
    makeClient: () =>
      Effect.succeed(() => ({
        Follow: () =>
          Effect.suspend(() => {
            asked.count += 1
            const answer = answers.shift() ?? "followed"
            return answer === "stopped"
              ? stoppedMidCall
              : answer === "failed"
              ? Effect.fail(new CustomerEntity.FollowFailed({ identifier: "ada", reason: "the cable refused" }))
              : Effect.void
          }),
        Unfollow: () => Effect.void
      }))
  } as unknown as Sharding["Type"])

const bridgeClient = (answers: Array<Answer>, asked: { count: number }) =>
  Effect.gen(function*() {
    const pg = yield* postgres
    const local = yield* LocalServer.make()
    return BridgeClient.layer({ followRetryInterval: "10 millis" }).pipe(
      Layer.provide(Layer.mergeAll(shardingAnswering(answers, asked), CustomerDirectory.layer)),
      Layer.provide(ClientApi.layer({ baseUrl: local.url, inboxIdentifier: local.inboxes[0]!.identifier })),
      Layer.provide(Layer.mergeAll(PgClient.layer({ url: pg.url }), FetchHttpClient.layer)),
      Layer.orDie
    )
  })

describe("BridgeClient.follow", () => {
  it.scopedLive("asks again when the owner stopped while answering, and a refusal is not asked again", () =>
    Effect.gen(function*() {
      const asked = { count: 0 }
      const answers: Array<Answer> = ["stopped", "stopped", "followed", "failed"]
      const layer = yield* bridgeClient(answers, asked)
      yield* Effect.gen(function*() {
        const bridge = yield* BridgeClient.BridgeClient
        yield* bridge.follow("ada")
        assert.strictEqual(asked.count, 3, "two interrupted calls, then the answer")
        const refused = yield* Effect.exit(bridge.follow("grace"))
        const failure = Exit.isFailure(refused) ? Cause.failureOption(refused.cause) : Option.none()
        assert.deepStrictEqual(Option.map(failure, (error) => error._tag), Option.some("FollowFailed"))
        assert.strictEqual(asked.count, 4, "a refusal is the owner's answer: not asked again")
      }).pipe(Effect.provide(layer))
    }), { timeout: 180_000 })

  it.scopedLive("gives up with a defect that says so when the owner keeps stopping", () =>
    Effect.gen(function*() {
      const asked = { count: 0 }
      const layer = yield* bridgeClient(Array.from({ length: 10 }, () => "stopped" as const), asked)
      const exit = yield* Effect.exit(Effect.flatMap(BridgeClient.BridgeClient, (bridge) => bridge.follow("linus")).pipe(
        Effect.provide(layer)
      ))
      assert.isTrue(Exit.isFailure(exit) && Cause.isDie(exit.cause))
      assert.include(Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "", "its owner stopped while answering Follow, 6 times")
      assert.strictEqual(asked.count, 6)
    }), { timeout: 180_000 })
})
