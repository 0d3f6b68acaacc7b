#!/usr/bin/env node
/**
 * `bevatel-chat`: the Bevatel SDK's sample app — a terminal chat, and `pipe` for server pipelines.
 */
import { Command, HelpDoc, Options, ValidationError } from "@effect/cli"
import { NodeContext, NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import type { Teardown } from "@effect/platform/Runtime"
import { Cause, Config, Console, Duration, Effect, Exit, Layer, Logger, LogLevel, Option } from "effect"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { resolve } from "node:path"
import * as Installation from "./Installation.js"
import * as Telemetry from "./Telemetry.js"
import { interactive } from "./interactive.js"
import { doctor } from "./doctor.js"
import { bridge } from "./bridge.js"
import { pipe } from "./pipe.js"

// The app is the SDK's sample: it says which SDK it is built on.
const sdkVersion = (JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@bevatel/client/package.json"), "utf8")) as {
  version: string
}).version
const version = `${sdkVersion} (@bevatel/client)`

/** SGR escape codes (colours, bold), as @effect/cli writes them around help and usage errors. */
const colourCodes = /\x1b\[[0-9;]*m/g
const withoutColourCodes = (args: ReadonlyArray<unknown>) =>
  args.map((arg) => typeof arg === "string" ? arg.replace(colourCodes, "") : arg)
const colours = (stream: NodeJS.WriteStream) => stream.isTTY === true && process.env.NO_COLOR === undefined

/** Help and usage errors written to a pipe or a file (or with NO_COLOR set) carry no colour codes. */
const plainUnlessTerminal = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  Console.consoleWith((console) =>
    Console.withConsole(program, {
      ...console,
      log: (...args) => colours(process.stdout) ? console.log(...args) : console.log(...withoutColourCodes(args)),
      error: (...args) => colours(process.stderr) ? console.error(...args) : console.error(...withoutColourCodes(args))
    })
  )

const settings = `With no settings the app starts an embedded local Bevatel server with an auto-replying agent.
Against a real installation, set:
  BEVATEL_URL                 the installation, e.g. https://chat.example.com
  BEVATEL_INBOX_IDENTIFIER    the API inbox's identifier
  BEVATEL_IDENTIFIER          optional: your user's id, to identify the customer
  BEVATEL_HMAC_TOKEN          with BEVATEL_IDENTIFIER: the inbox's HMAC token; the app signs the
                              identifier with it as your server would (it is never printed)
  BEVATEL_STATE_DIR           instead of --state-dir`

const stateDir = Options.text("state-dir").pipe(
  Options.withFallbackConfig(Config.string("BEVATEL_STATE_DIR")),
  Options.withDefault(".bevatel"),
  Options.withDescription("where the customer (and the pipe's checkpoints) are remembered")
)
const verbose = Options.boolean("verbose").pipe(Options.withDescription("log at debug level (to stderr)"))
const milliseconds = (name: string, fallback: number, description: string) =>
  Options.integer(name).pipe(
    Options.withDefault(fallback),
    Options.withDescription(description),
    Options.mapEffect((ms) =>
      ms >= 0
        ? Effect.succeed(Duration.millis(ms))
        : Effect.fail(ValidationError.invalidValue(HelpDoc.p(`--${name} takes a number of milliseconds`)))
    )
  )

// Logs go to stderr, so that stdout carries only the chat (or, in pipe mode, only JSON lines).
const logging = (verbose: boolean) =>
  Layer.mergeAll(
    Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger)),
    Logger.minimumLogLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
  )

const withInstallation = (
  directory: string,
  verbose: boolean,
  options: { readonly requestsPerMinute?: number; readonly presence?: boolean; readonly keepWire?: boolean } = {}
) =>
<A, E, R>(program: Effect.Effect<A, E, R>) =>
  program.pipe(
    Effect.scoped,
    Effect.provide(Installation.layer(resolve(directory), options)),
    Effect.provide(logging(verbose))
  )

const echoTimeout = milliseconds(
  "echo-timeout",
  30_000,
  "after stdin ends, how long to wait for the messages sent to come back through the stream"
)
const linger = milliseconds("linger", 0, "after everything came back, keep writing events this long (ms)")

/** What `pipe` and `bridge` share: where their state lives, logging, and how they end. */
const streamingOptions = { stateDir, verbose, completionTimeout: echoTimeout, linger }

const pipeCommand = Command.make(
  "pipe",
  {
    ...streamingOptions,
    keepCredentials: Options.boolean("keep-credentials").pipe(
      Options.withDescription("write the pubsub_token that conversation events embed instead of <redacted>")
    ),
    connectTimeout: Options.integer("connect-timeout").pipe(
      Options.optional,
      Options.withDescription("exit 1 with the cause if the cable is not live within this long (ms); default: wait, and say why on stderr")
    )
  },
  (config) =>
    pipe({
      completionTimeout: config.completionTimeout,
      linger: config.linger,
      sendAttempts: 6,
      keepCredentials: config.keepCredentials,
      connectTimeout: Option.map(config.connectTimeout, Duration.millis)
    }).pipe(
      withInstallation(config.stateDir, config.verbose, { keepWire: true })
    )
).pipe(
  // One paragraph: the list of commands shows a command's description only when it is one.
  Command.withDescription(HelpDoc.p(
    "For server pipelines: every stdin line is sent as a message, in order, and every event of the " +
      "conversation is written to stdout as one JSON line {\"event\": ..., \"data\": ...} (data in its wire form); " +
      "logs go to stderr. Restarted with the same state directory, it resumes after the last message it wrote. " +
      "Exit codes: 0 when stdin ended and every message sent came back; 1 on a fatal error (the reason, and for a " +
      "line that could not be sent its number, on stderr); 2 on a usage error."
  ))
)

const bridgeCommand = Command.make(
  "bridge",
  {
    ...streamingOptions,
    keepCredentials: Options.boolean("keep-credentials").pipe(
      Options.withDescription("write pubsub_token and the session source_id as they are instead of <redacted>")
    ),
    requestsPerMinute: Options.integer("requests-per-minute").pipe(
      Options.withFallbackConfig(Config.integer("BEVATEL_REQUESTS_PER_MINUTE")),
      Options.withDefault(3_000),
      Options.withDescription("the request budget of the whole process: the server's limit per client address (RACK_ATTACK_LIMIT)")
    ),
    concurrency: Options.integer("concurrency").pipe(
      Options.withDefault(8),
      Options.withDescription("customers catching up (one request each) at once after a reconnect")
    ),
    presence: Options.boolean("presence").pipe(
      Options.withDescription(
        "show every customer online to agents (update_presence every 20 s per customer; off by default: thousands of " +
          "customers would cost the server hundreds of presence updates a second)"
      )
    )
  },
  (config) =>
    bridge({
      completionTimeout: config.completionTimeout,
      linger: config.linger,
      sendAttempts: 6,
      keepCredentials: config.keepCredentials,
      concurrency: config.concurrency
    }).pipe(
      withInstallation(config.stateDir, config.verbose, {
        requestsPerMinute: config.requestsPerMinute,
        presence: config.presence,
        keepWire: true
      }),
      Effect.provide(Telemetry.layer("bevatel-chat-bridge"))
    )
).pipe(
  Command.withDescription(HelpDoc.p(
      "For many customers at once (an external channel, a bot, an integration): every stdin line " +
        "{\"customer\": \"<your id>\", \"content\": \"...\"} is sent as that customer's message — the customer created " +
        "(identifier = your id, signed when BEVATEL_HMAC_TOKEN is set) or restored on first use — and every event of " +
        "every conversation of every customer is written to stdout as one JSON line " +
        "{\"customer\", \"conversation_id\", \"event\", \"data\"}; credentials redacted, logs on stderr. One socket " +
        "and one request budget for all; restarted with the same state directory, every customer resumes after the " +
        "last message written. With OTEL_EXPORTER_OTLP_ENDPOINT set, spans, metrics and logs are exported over OTLP. " +
        "Exit codes: 0 when stdin ended and every message sent came back; 1 on a fatal error or when a stdin line was " +
        "rejected (each reported on stderr with its number); 2 on a usage error."
  ))
)

const doctorCommand = Command.make(
  "doctor",
  {
    verbose,
    timeout: milliseconds("timeout", 10_000, "how long each check may take (ms)")
  },
  (config) =>
    doctor({ timeout: config.timeout }).pipe(
      Effect.provide(NodeHttpClient.layerUndici),
      Effect.provide(logging(config.verbose))
    )
).pipe(
  Command.withDescription(
    "Checks the installation in BEVATEL_URL / BEVATEL_INBOX_IDENTIFIER (and BEVATEL_IDENTIFIER + BEVATEL_HMAC_TOKEN) " +
      "step by step — settings, server and clock, inbox, identity, contact creation, the cable's upgrade, welcome, " +
      "subscription and ping — and prints each failure with its fix. Exit code 0 only when every check passes."
  )
)

const command = Command.make(
  "bevatel-chat",
  { stateDir, verbose, name: Options.text("name").pipe(Options.optional, Options.withDescription("the customer's name when it is created")) },
  (config) => interactive({ name: Option.getOrUndefined(config.name) }).pipe(withInstallation(config.stateDir, config.verbose))
).pipe(
  Command.withDescription(HelpDoc.blocks([
    HelpDoc.p(
      "A customer's chat with a Bevatel inbox, built on the Bevatel SDK. Without a command: an interactive terminal " +
        "chat — type a message and press Enter; agent replies, typing and status changes appear as they happen; " +
        "/quit, Ctrl-C or Ctrl-D to leave. `bevatel-chat pipe`: a pipeline stage for one customer; `bevatel-chat bridge`: for many customers."
    ),
    HelpDoc.p(settings)
  ])),
  Command.withSubcommands([pipeCommand, bridgeCommand, doctorCommand])
)

const cli = Command.run(command, { name: "bevatel-chat", version })

/** 0 on success (or interruption), 2 for a usage error, 1 for anything else. */
const exitCodeOf = (exit: Exit.Exit<unknown, unknown>) =>
  Exit.isSuccess(exit) || Cause.isInterruptedOnly(exit.cause)
    ? 0
    : Option.exists(Cause.failureOption(exit.cause), ValidationError.isValidationError)
    ? 2
    : 1

// stdout and stderr are written asynchronously to pipes: let them drain before the process exits.
const teardown: Teardown = (exit, onExit) =>
  process.stdout.write("", () => process.stderr.write("", () => onExit(exitCodeOf(exit))))

cli(process.argv).pipe(
  plainUnlessTerminal,
  Effect.tapErrorCause((cause) => {
    if (Cause.isInterruptedOnly(cause)) return Effect.void
    const failure = Cause.failureOption(cause)
    // @effect/cli has printed usage errors already.
    if (Option.exists(failure, ValidationError.isValidationError)) return Effect.void
    const error = Cause.squash(cause)
    return Console.error(`bevatel-chat: ${error instanceof Error ? error.message : Cause.pretty(cause)}`)
  }),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true, teardown })
)
