/**
 * stdin, line by line.
 */
import { Effect, Option, Queue } from "effect"
import { createInterface } from "node:readline"

/** Lines of stdin as a queue that ends (`None`) when stdin closes, or on Ctrl-C in a terminal. */
export const stdinLines = Effect.gen(function*() {
  const lines = yield* Queue.unbounded<Option.Option<string>>()
  const reader = yield* Effect.acquireRelease(
    Effect.sync(() => createInterface({ input: process.stdin, terminal: false })),
    (reader) => Effect.sync(() => reader.close())
  )
  reader.on("line", (line) => Queue.unsafeOffer(lines, Option.some(line)))
  reader.on("close", () => Queue.unsafeOffer(lines, Option.none()))
  reader.on("SIGINT", () => Queue.unsafeOffer(lines, Option.none()))
  return lines
})
