#!/usr/bin/env node
/**
 * `bevatel-local-server`: runs the local server until SIGINT or SIGTERM.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import { parseArgs } from "node:util"
import * as LocalServer from "./LocalServer.js"

const usage = `Usage: bevatel-local-server [options]

An in-memory Bevatel Client API (HTTP) and ActionCable (/cable) server for development and tests.

Options:
  --host <host>                 address to listen on (default 127.0.0.1)
  --port <port>                 port to listen on (default 0: any free port)
  --inbox-identifier <id>       the inbox identifier (default: random)
  --hmac-token <token>          the inbox HMAC token (default: random, printed once)
  --hmac-mandatory              enforce identity validation
  --auto-reply                  answer every customer message with a bot
  --ping-interval-ms <ms>       cable heartbeat (default 3000)
  --throttle <n>                enforce the real server's throttle: n requests per minute per client address
                                (Rack::Attack req/ip; 429 "Retry later" beyond it; the real default is 3000)
  -h, --help                    show this help

Prints the base URL and the inbox identifier when ready; stops cleanly on SIGINT or SIGTERM.`

const { values } = parseArgs({
  options: {
    host: { type: "string" },
    port: { type: "string" },
    "inbox-identifier": { type: "string" },
    "hmac-token": { type: "string" },
    "hmac-mandatory": { type: "boolean" },
    "auto-reply": { type: "boolean" },
    "ping-interval-ms": { type: "string" },
    throttle: { type: "string" },
    help: { type: "boolean", short: "h" }
  }
})

if (values.help) {
  process.stdout.write(`${usage}\n`)
  process.exit(0)
}

const tokenGiven = values["hmac-token"] !== undefined

const program = Effect.gen(function*() {
  const server = yield* LocalServer.LocalServer
  const inbox = server.inboxes[0]!
  yield* Console.log(`Bevatel local server ready at ${server.url}`)
  yield* Console.log(`inbox identifier: ${inbox.identifier}`)
  yield* Console.log(`cable: ${server.cableUrl}`)
  // A token the operator did not choose is shown once, on the terminal only, so they can sign identifiers.
  if (!tokenGiven) yield* Console.log(`hmac token (keep it secret): ${Redacted.value(inbox.hmacToken)}`)
  return yield* Effect.never
})

program.pipe(
  Effect.provide(
    LocalServer.layer({
      host: values.host,
      port: values.port === undefined ? undefined : Number(values.port),
      pingInterval: values["ping-interval-ms"] === undefined ? undefined : Number(values["ping-interval-ms"]),
      autoReply: values["auto-reply"] ?? false,
      throttle: values.throttle === undefined ? undefined : { requestsPerMinute: Number(values.throttle) },
      inboxes: [{
        identifier: values["inbox-identifier"],
        hmacToken: values["hmac-token"] === undefined ? undefined : Redacted.make(values["hmac-token"]),
        hmacMandatory: values["hmac-mandatory"] ?? false
      }]
    }).pipe(Layer.provide(Logger.minimumLogLevel(LogLevel.Warning)))
  ),
  NodeRuntime.runMain({ disableErrorReporting: false })
)
