#!/usr/bin/env node
/**
 * `bevatel-chat`: the Bevatel SDK's sample app.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Cause, Console, Duration, Effect, Layer, Logger, LogLevel } from "effect"
import { resolve } from "node:path"
import { parseArgs } from "node:util"
import * as Installation from "./Installation.js"
import { interactive, pipe } from "./modes.js"

const usage = `Usage: bevatel-chat [pipe] [options]

A customer's chat with a Bevatel inbox, built on the Bevatel SDK.

  bevatel-chat            an interactive terminal chat: type a message and press Enter;
                          agent replies, typing and status changes appear as they happen;
                          /quit, Ctrl-C or Ctrl-D to leave.
  bevatel-chat pipe       for server pipelines: every stdin line is sent as a message, and every
                          event of the conversation is written to stdout as one JSON line
                          {"event": ..., "data": ...} (data in its wire form); logs go to stderr.
                          Exits 0 when stdin ends and the last message's echo has arrived (or after
                          --linger), non-zero with a message on stderr on a fatal error.

With no settings the app starts an embedded local Bevatel server with an auto-replying agent.
Against a real installation, set:
  BEVATEL_URL                 the installation, e.g. https://chat.example.com
  BEVATEL_INBOX_IDENTIFIER    the API inbox's identifier
  BEVATEL_IDENTIFIER          optional: your user's id, to identify the customer
  BEVATEL_HMAC_TOKEN          with BEVATEL_IDENTIFIER: the inbox's HMAC token; the app signs the
                              identifier with it as your server would (it is never printed)

Options:
  --state-dir <dir>   where the customer is remembered (default: $BEVATEL_STATE_DIR or ./.bevatel)
  --name <name>       the customer's name when it is created
  --linger <ms>       pipe: after stdin ends, wait this long instead of waiting for the last echo
  --echo-timeout <ms> pipe: how long to wait for the last echo (default 30000)
  --verbose           log at debug level (to stderr)
  -h, --help          show this help`

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    "state-dir": { type: "string" },
    name: { type: "string" },
    linger: { type: "string" },
    "echo-timeout": { type: "string" },
    verbose: { type: "boolean" },
    help: { type: "boolean", short: "h" }
  }
})

if (values.help) {
  process.stdout.write(`${usage}\n`)
  process.exit(0)
}

const mode = positionals[0] ?? "chat"
if (mode !== "chat" && mode !== "pipe") {
  process.stderr.write(`bevatel-chat: unknown command "${mode}"\n\n${usage}\n`)
  process.exit(2)
}

const millis = (name: string, value: string | undefined) => {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`bevatel-chat: --${name} takes a number of milliseconds\n`)
    process.exit(2)
  }
  return Duration.millis(n)
}

const stateDir = resolve(values["state-dir"] ?? process.env.BEVATEL_STATE_DIR ?? ".bevatel")
const program = mode === "pipe"
  ? pipe({ linger: millis("linger", values.linger), echoTimeout: millis("echo-timeout", values["echo-timeout"]) ?? Duration.seconds(30) })
  : interactive({ name: values.name })

// Logs go to stderr, so that stdout carries only the chat (or, in pipe mode, only JSON lines).
const Logging = Layer.mergeAll(
  Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger)),
  Logger.minimumLogLevel(values.verbose ? LogLevel.Debug : LogLevel.Warning)
)

program.pipe(
  Effect.scoped,
  Effect.provide(Installation.layer(stateDir)),
  Effect.provide(Logging),
  Effect.tapErrorCause((cause) =>
    Cause.isInterruptedOnly(cause) ? Effect.void : Console.error(`bevatel-chat: ${Cause.squash(cause) instanceof Error ? (Cause.squash(cause) as Error).message : Cause.pretty(cause)}`)
  ),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
