/**
 * The done-when of the clustered bridge, on loopback with real processes: PostgreSQL (Debian's, throwaway), the
 * local Bevatel server with auto-reply, a webhook receiver, and `bevatel-bridge-cluster runner` processes. 300
 * customers; a runner is killed with SIGKILL while they send; its customers move; every agent reply reaches the
 * webhook at least once before dedupe and exactly once after. Then a fourth runner joins, shards rebalance, and
 * nothing is lost either. Prints the failover time and the throughput per runner.
 *
 * Minutes of processes: one Node version runs it in CI.
 */
import { ClientApi } from "@bevatel/http"
import { LocalServer } from "@bevatel/local-server"
import { BridgeClient, CustomerDirectory } from "@bevatel/cluster"
import * as RunnerAddress from "@effect/cluster/RunnerAddress"
import { FetchHttpClient } from "@effect/platform"
import { NodeClusterSocket } from "@effect/platform-node"
import { PgClient } from "@effect/sql-pg"
import { assert, describe, it } from "@effect/vitest"
import { type Duration, Effect, Layer, Option, Redacted, Schedule } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { createWriteStream, mkdirSync, rmSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { freeLowPort, postgres } from "../../../packages/cluster/test/postgres.js"
import { type Received, webhookReceiver } from "../../../packages/cluster/test/webhook.js"

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url))
const logs = fileURLToPath(new URL("../test-results/", import.meta.url))
const customerCount = Number(process.env.BRIDGE_TEST_CUSTOMERS ?? 300)

/** Waits (real time, polling) until `done` holds. */
const until = (done: () => boolean, what: string, timeout: Duration.DurationInput = "120 seconds") =>
  Effect.suspend(() => done() ? Effect.void : Effect.fail(what)).pipe(
    Effect.retry(Schedule.spaced("100 millis").pipe(Schedule.upTo(timeout))),
    Effect.orDieWith((what) => new Error(`timed out waiting until ${what}`))
  )

/** The agent's replies among the deliveries (outgoing messages), as `customer → contents`. */
const repliesOf = (deliveries: Iterable<Received>) => {
  const replies = new Map<string, Array<string>>()
  for (const delivery of deliveries) {
    if (delivery.event !== "message.created" || delivery.data.message_type !== 1) continue
    replies.set(delivery.customer, [...replies.get(delivery.customer) ?? [], delivery.data.content ?? ""])
  }
  return replies
}

interface Runner {
  readonly address: string
  readonly child: ChildProcess
  readonly output: { text: string }
}

describe("bevatel-bridge-cluster on several processes", () => {
  it.scopedLive.skipIf(process.env.BEVATEL_SKIP_HEAVY_TESTS === "1")(
    "a runner killed with SIGKILL: its customers move and every reply arrives exactly once after dedupe; a new runner rebalances without loss",
    () =>
      Effect.gen(function*() {
        rmSync(logs, { recursive: true, force: true })
        mkdirSync(logs, { recursive: true })
        const pg = yield* postgres
        const receiver = yield* webhookReceiver
        const local = yield* LocalServer.make({ autoReply: { delay: "50 millis", typingFor: "10 millis", reply: (c) => `re: ${c}` } })
        const inboxIdentifier = local.inboxes[0]!.identifier
        const env = {
          PATH: process.env.PATH ?? "",
          DATABASE_URL: Redacted.value(pg.url),
          BEVATEL_URL: local.url,
          BEVATEL_INBOX_IDENTIFIER: inboxIdentifier,
          BRIDGE_WEBHOOK_URL: receiver.url
        }
        const runners: Array<Runner> = []
        const startRunner = Effect.gen(function*() {
          const port = yield* freeLowPort
          const child = spawn(process.execPath, [main, "--log-level", "debug", "runner"], {
            env: { ...env, RUNNER_PORT: String(port) },
            stdio: ["ignore", "pipe", "pipe"]
          })
          const output = { text: "" }
          // Every runner's log, in full, for when something goes wrong.
          const log = createWriteStream(join(logs, `runner-${port}.log`))
          child.stdout!.pipe(log)
          child.stderr!.on("data", (chunk: Buffer) => {
            output.text += chunk
            log.write(chunk)
          })
          const runner = { address: `127.0.0.1:${port}`, child, output }
          runners.push(runner)
          yield* until(() => output.text.includes("Listening on") || child.exitCode !== null, `runner ${port} listens`)
          assert.isNull(child.exitCode, output.text)
          return runner
        })
        yield* Effect.addFinalizer(() =>
          Effect.sync(() => {
            for (const runner of runners) runner.child.kill("SIGKILL")
          })
        )
        // One runner first: it creates the cluster's tables; then the others.
        yield* startRunner
        yield* startRunner
        yield* startRunner

        const client = BridgeClient.layer({ followTimeout: "60 seconds" }).pipe(
          Layer.provideMerge(CustomerDirectory.layer),
          Layer.provide(NodeClusterSocket.layer({
            clientOnly: true,
            storage: "sql",
            shardingConfig: { runnerAddress: Option.some(RunnerAddress.make("127.0.0.1", yield* freeLowPort)) }
          })),
          Layer.provide(ClientApi.layer({ baseUrl: local.url, inboxIdentifier })),
          Layer.provide(Layer.mergeAll(PgClient.layer({ url: pg.url }), FetchHttpClient.layer)),
          Layer.orDie
        )

        yield* Effect.gen(function*() {
          const bridge = yield* BridgeClient.BridgeClient
          const customers = Array.from({ length: customerCount }, (_, i) => `customer-${i}`)
          const sendRound = (round: number, list: ReadonlyArray<string>) =>
            Effect.forEach(list, (id) => bridge.send(id, { content: `${id} round ${round}` }), { concurrency: 10, discard: true })
          const unanswered = (round: number) => {
            const replies = repliesOf(receiver.unique.values())
            return customers.filter((id) => replies.get(id)?.includes(`re: ${id} round ${round}`) !== true)
          }
          /** Until every customer got its reply of the round; on a timeout, what each runner said. */
          const awaitRound = (round: number, when: string) =>
            until(() => unanswered(round).length === 0, `every customer got its round-${round} reply ${when}`).pipe(
              Effect.tapDefect(() =>
                Effect.sync(() => {
                  const missing = unanswered(round)
                  console.log(`round ${round}: ${missing.length} unanswered: ${missing.slice(0, 10).join(", ")}`)
                  console.log(`the runners' logs: ${logs}`)
                })
              )
            )

          // Round 1: every customer followed and answered, spread over three runners (the runners that joined last
          // take their shards within seconds: rounds go on until each of the three delivers).
          const followStart = Date.now()
          yield* Effect.forEach(customers, bridge.follow, { concurrency: 20, discard: true })
          const followed = Date.now() - followStart
          const round1Start = Date.now()
          yield* sendRound(1, customers)
          yield* awaitRound(1, "")
          const round1 = Date.now() - round1Start
          const round1Deliveries = receiver.all.length
          const deliveredBy = new Map<string, number>()
          for (const delivery of receiver.all) deliveredBy.set(delivery.runner ?? "?", (deliveredBy.get(delivery.runner ?? "?") ?? 0) + 1)
          let rounds = 1
          const ownerIn = (round: number) =>
            new Map(
              [...receiver.unique.values()]
                .filter((d) => d.data.content === `re: ${d.customer} round ${round}`)
                .map((d) => [d.customer, d.runner ?? "?"])
            )
          while (new Set(ownerIn(rounds).values()).size < 3 && rounds < 5) {
            rounds += 1
            yield* sendRound(rounds, customers)
            yield* awaitRound(rounds, "with three runners")
          }
          const ownerBefore = ownerIn(rounds)
          assert.strictEqual(new Set(ownerBefore.values()).size, 3, `owners: ${[...new Set(ownerBefore.values())].join(", ")}`)

          // Next round: a runner is killed while the customers send.
          const victim = runners[1]!
          const moved = customers.filter((id) => ownerBefore.get(id) === victim.address)
          assert.isAbove(moved.length, 0)
          rounds += 1
          yield* sendRound(rounds, customers.slice(0, Math.floor(customerCount / 3)))
          const killedAt = Date.now()
          victim.child.kill("SIGKILL")
          yield* sendRound(rounds, customers.slice(Math.floor(customerCount / 3)))
          yield* awaitRound(rounds, "after the failover")
          // Live again: the first delivery of each moved customer from another runner after the kill.
          const backAt = moved.flatMap((id) => {
            const after = receiver.all.filter((d) => d.customer === id && d.at > killedAt && d.runner !== victim.address)
            return after.length === 0 ? [] : [Math.min(...after.map((d) => d.at))]
          })
          assert.isAbove(backAt.length, 0)
          const failover = Math.max(...backAt) - killedAt

          // Then a fourth runner joins and shards move to it (within seconds: rounds go on until it delivers).
          const newcomer = yield* startRunner
          const beforeNewcomer = rounds
          let byNewcomer = 0
          while (byNewcomer === 0 && rounds < beforeNewcomer + 6) {
            rounds += 1
            yield* sendRound(rounds, customers)
            yield* awaitRound(rounds, "with a runner joining")
            byNewcomer = [...receiver.unique.values()].filter((d) => d.runner === newcomer.address).length
          }
          assert.isAbove(byNewcomer, 0, "the new runner delivers for the customers that moved to it")

          // Every delivery names its customer by your identifier — those still in flight when a customer moved too.
          const strangers = receiver.all.filter((d) => !customers.includes(d.customer))
          assert.deepStrictEqual(strangers.slice(0, 3).map((d) => [d.customer, d.key]), [])

          // Exactly once after dedupe, at least once before: every reply of every round, once per key.
          const replies = repliesOf(receiver.unique.values())
          for (const id of customers) {
            assert.deepStrictEqual(
              [...replies.get(id)!].sort(),
              Array.from({ length: rounds }, (_, i) => `re: ${id} round ${i + 1}`),
              `customer ${id}`
            )
          }
          const duplicates = receiver.all.length - receiver.unique.size
          const replyDuplicates = [...repliesOf(receiver.all).values()].reduce((n, list) => n + list.length, 0) -
            [...replies.values()].reduce((n, list) => n + list.length, 0)
          const throughput = [...deliveredBy].map(([runner, n]) => `${runner} ${(n / (round1 / 1000)).toFixed(0)}/s`)
          console.log([
            `cluster: ${customerCount} customers on 3 runners, followed in ${(followed / 1000).toFixed(1)} s`,
            `round 1: ${round1Deliveries} deliveries in ${(round1 / 1000).toFixed(1)} s; per runner: ${throughput.join(", ")}`,
            `failover: runner ${victim.address} killed (SIGKILL) with ${moved.length} customers; all of them live again elsewhere after ${(failover / 1000).toFixed(1)} s`,
            `deliveries: ${receiver.all.length} POSTs, ${receiver.unique.size} unique keys, ${duplicates} repeats (${replyDuplicates} of agent replies): the in-flight window`,
            `rebalance: a 4th runner joined; after ${rounds - beforeNewcomer} more round(s) it had delivered ${byNewcomer} events, none lost`
          ].join("\n"))
        }).pipe(Effect.provide(client))
      }),
    { timeout: 600_000 }
  )
})
