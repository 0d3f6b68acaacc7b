#!/usr/bin/env node
/**
 * `bevatel-bridge-cluster`: the sample of a bridge on several machines.
 *
 * - `runner`: one `@effect/cluster` runner. Runners sharing one PostgreSQL database share the customers: each
 *   customer is followed by the runner owning its shard, and every event of its conversations is POSTed to the
 *   webhook (at least once, `Idempotency-Key` = the event's key).
 * - `send`: reads `{"customer": "<your id>", "content": "…"}` lines on stdin and sends each as that customer
 *   (registering and following it first when new); prints `{"customer", "conversation_id", "message_id"}` per line.
 * - `receive`: a webhook for trying it out: prints each event once (deduped by its key).
 */
import { Cable } from "@bevatel/cable"
import { BridgeClient, BridgeRunner, CustomerDirectory, EventSink, SqlCheckpointStore } from "@bevatel/cluster"
import { ClientApi, RequestBudget } from "@bevatel/http"
import { IdentitySigner } from "@bevatel/identity"
import * as RunnerAddress from "@effect/cluster/RunnerAddress"
import { Command, Options } from "@effect/cli"
import { NodeClusterSocket, NodeContext, NodeHttpClient, NodeRuntime, NodeSocket } from "@effect/platform-node"
import { PgClient } from "@effect/sql-pg"
import { Config, Console, Duration, Effect, Layer, Logger, Option, Schedule, Schema, Stream } from "effect"
import { createServer } from "node:http"
import { createInterface } from "node:readline"

/** Everything the app reads from the environment; secrets stay `Redacted`. */
const settings = Config.all({
  databaseUrl: Config.redacted("DATABASE_URL"),
  baseUrl: Config.string("BEVATEL_URL"),
  inboxIdentifier: Config.string("BEVATEL_INBOX_IDENTIFIER"),
  hmacToken: Config.option(Config.redacted("BEVATEL_HMAC_TOKEN")),
  webhookUrl: Config.string("BRIDGE_WEBHOOK_URL").pipe(Config.withDefault("")),
  webhookToken: Config.option(Config.redacted("BRIDGE_WEBHOOK_TOKEN")),
  runnerHost: Config.string("RUNNER_HOST").pipe(Config.withDefault("127.0.0.1")),
  runnerPort: Config.integer("RUNNER_PORT").pipe(Config.withDefault(24431)),
  requestsPerMinute: Config.integer("BEVATEL_REQUESTS_PER_MINUTE").pipe(Config.withDefault(3000)),
  shardLockExpiration: Config.duration("SHARD_LOCK_EXPIRATION").pipe(Config.withDefault(Duration.seconds(5)))
})
type Settings = Config.Config.Success<typeof settings>

/**
 * The cluster's settings: failover in about 5 s instead of the library's ~37 s (measured: lock expiration + the
 * refresh of assignments), at the price of more polling of PostgreSQL; a runner whose event loop stalls longer than
 * the lock expiration loses its shards.
 */
const sharding = (config: Settings, clientOnly: boolean) =>
  NodeClusterSocket.layer({
    clientOnly,
    storage: "sql",
    shardingConfig: {
      runnerAddress: Option.some(RunnerAddress.make(config.runnerHost, config.runnerPort)),
      shardLockRefreshInterval: Duration.seconds(1),
      shardLockExpiration: config.shardLockExpiration,
      refreshAssignmentsInterval: Duration.seconds(1),
      runnerHealthCheckInterval: Duration.seconds(2),
      entityMessagePollInterval: Duration.seconds(1)
    }
  })

/** The Client API and the cable of the installation, the directory and checkpoints in PostgreSQL. */
const foundation = (config: Settings) => {
  const api = ClientApi.layer({ baseUrl: config.baseUrl, inboxIdentifier: config.inboxIdentifier }).pipe(
    Layer.provide(RequestBudget.layer({ requestsPerMinute: config.requestsPerMinute }))
  )
  // Live events are forwarded as the server sent them (`EventSink`): the cable keeps each one as it came.
  const cable = Cable.layer({ url: config.baseUrl, presenceInterval: false, keepWire: true })
  const signer = Option.match(config.hmacToken, {
    onNone: () => Layer.empty,
    onSome: (hmacToken) => IdentitySigner.layer({ hmacToken })
  })
  return Layer.mergeAll(CustomerDirectory.layer, SqlCheckpointStore.layer).pipe(
    Layer.provideMerge(Layer.mergeAll(api, cable, signer)),
    Layer.provideMerge(PgClient.layer({ url: config.databaseUrl })),
    Layer.provideMerge(Layer.mergeAll(NodeHttpClient.layerUndici, NodeSocket.layerWebSocketConstructor))
  )
}

const runner = Command.make("runner", {}, () =>
  Effect.gen(function*() {
    const config = yield* settings
    if (config.webhookUrl === "") {
      return yield* Effect.fail(new Error("BRIDGE_WEBHOOK_URL is not set: the runner needs a webhook to POST events to"))
    }
    const sink = EventSink.layerWebhook({
      url: config.webhookUrl,
      headers: { "x-bevatel-runner": `${config.runnerHost}:${config.runnerPort}` },
      bearerToken: Option.getOrUndefined(config.webhookToken)
    })
    yield* Effect.logInfo(`runner ${config.runnerHost}:${config.runnerPort} starting`)
    const layer = BridgeRunner.layer().pipe(
      Layer.provide(sink),
      Layer.provide(sharding(config, false)),
      Layer.provideMerge(foundation(config))
    )
    // Runners started at once on an empty database race to create the tables: the loser starts again.
    yield* Layer.launch(layer).pipe(
      Effect.tapErrorCause((cause) => Effect.logWarning("runner failed to start; retrying", cause)),
      Effect.retry(Schedule.spaced("2 seconds").pipe(Schedule.compose(Schedule.recurs(3))))
    )
  })).pipe(Command.withDescription("run one runner of the cluster (configured by the environment; see the README)"))

const Line = Schema.parseJson(Schema.Struct({ customer: Schema.NonEmptyTrimmedString, content: Schema.NonEmptyString }))

const send = Command.make("send", {}, () =>
  Effect.gen(function*() {
    const bridge = yield* BridgeClient.BridgeClient
    let rejected = 0
    yield* Stream.fromAsyncIterable(createInterface({ input: process.stdin }), (cause) => new Error(`stdin: ${cause}`)).pipe(
      Stream.zipWithIndex,
      Stream.filter(([text]) => text.trim() !== ""),
      Stream.runForEach(([text, index]) => {
        const line = Schema.decodeUnknownEither(Line)(text)
        if (line._tag === "Left") {
          rejected += 1
          return Effect.logError(`line ${index + 1} skipped: expected {"customer": "<your id>", "content": "…"}`)
        }
        const { content, customer } = line.right
        return bridge.send(customer, { content, echoId: crypto.randomUUID() }).pipe(
          Effect.flatMap((sent) =>
            Console.log(JSON.stringify({ customer, conversation_id: sent.conversation_id, message_id: sent.id }))
          )
        )
      })
    )
    if (rejected > 0) return yield* Effect.fail(new Error(`${rejected} stdin line(s) were rejected`))
  }).pipe(
    Effect.provide(Layer.unwrapEffect(Effect.map(settings, (config) =>
      BridgeClient.layer().pipe(Layer.provide(sharding(config, true)), Layer.provideMerge(foundation(config)))
    )))
  )).pipe(Command.withDescription("send customers' messages from stdin JSON lines"))

const port = Options.integer("port").pipe(Options.withDefault(8080), Options.withDescription("the port to listen on (127.0.0.1)"))

const receive = Command.make("receive", { port }, ({ port }) =>
  Effect.async<never>(() => {
    const seen = new Set<string>()
    let repeats = 0
    const server = createServer((request, response) => {
      const chunks: Array<Buffer> = []
      request.on("data", (chunk: Buffer) => chunks.push(chunk))
      request.on("end", () => {
        const key = String(request.headers["idempotency-key"] ?? "")
        if (seen.has(key)) {
          repeats += 1
          process.stderr.write(`repeat of ${key} dropped (${repeats} so far)\n`)
        } else {
          seen.add(key)
          process.stdout.write(`${Buffer.concat(chunks).toString("utf8")}\n`)
        }
        response.writeHead(200).end()
      })
    })
    server.listen(port, "127.0.0.1", () => process.stderr.write(`receiving events on http://127.0.0.1:${port}/\n`))
    return Effect.sync(() => server.close())
  })).pipe(Command.withDescription(
    "a webhook for trying the bridge: prints each event once (JSON line, deduped by Idempotency-Key), repeats on stderr"
  ))

const cli = Command.run(
  Command.make("bevatel-bridge-cluster").pipe(Command.withSubcommands([runner, send, receive])),
  { name: "bevatel-bridge-cluster", version: "0.0.0" }
)

cli(process.argv).pipe(
  Effect.provide(NodeContext.layer),
  Effect.provide(Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger))),
  NodeRuntime.runMain({ disablePrettyLogger: true })
)
