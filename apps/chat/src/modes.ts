/**
 * The two ways to use the app: an interactive terminal chat, and `pipe` for server pipelines.
 */
import { CustomerChat } from "@bevatel/client"
import { Console, Deferred, Duration, Effect, Option, Queue, Stream } from "effect"
import { createInterface } from "node:readline"
import { Installation } from "./Installation.js"
import { connectionLine, toJsonLine, toLine } from "./render.js"

/** Lines of stdin as a queue that ends (`None`) when stdin closes, or on Ctrl-C in a terminal. */
const stdinLines = Effect.gen(function*() {
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

/** The terminal chat: type and press Enter to send; `/quit`, Ctrl-C or Ctrl-D to leave. */
export const interactive = (options: { readonly name?: string | undefined }) =>
  Effect.gen(function*() {
    const installation = yield* Installation
    const chat = yield* CustomerChat.make({
      ...(installation.identity ? { identity: installation.identity } : {}),
      ...(options.name ? { contact: { name: options.name } } : {})
    })
    const where = installation.embedded ? `the embedded demo server (${installation.baseUrl})` : installation.baseUrl
    yield* Console.log(
      `Connected to ${where} as ${chat.customer.name} (${chat.origin === "restored" ? "welcome back" : "new customer"}), ` +
        `conversation #${chat.conversation.id}.`
    )
    yield* Console.log("Type a message and press Enter. /quit to leave.")

    const ownEchoIds = new Set<string>()
    const live = yield* Deferred.make<void>()
    const ended = yield* Deferred.make<never, Error>()
    yield* chat.events().pipe(
      Stream.tap((event) => {
        if (event._tag === "StatusChanged" && event.origin === "history") Deferred.unsafeDone(live, Effect.void)
        const line = toLine(event, ownEchoIds)
        const fromAgent = event._tag === "MessageAdded" && event.origin === "live" && event.message.message_type !== "incoming"
        return Effect.zipRight(
          line === undefined ? Effect.void : Console.log(line),
          fromAgent ? Effect.ignore(chat.markSeen) : Effect.void
        )
      }),
      Stream.runDrain,
      Effect.catchAll((error) => Deferred.fail(ended, new Error(`the conversation stream ended: ${error.message}`))),
      Effect.forkScoped
    )
    yield* chat.connection.pipe(
      Stream.changesWith((a, b) => a._tag === b._tag),
      Stream.runForEach((state) => {
        const line = connectionLine(state)
        return line === undefined ? Effect.void : Console.log(line)
      }),
      Effect.forkScoped
    )

    // Input is read once history is shown, so a message typed early is not mistaken for history.
    yield* Effect.raceFirst(Deferred.await(live), Deferred.await(ended))
    const lines = yield* stdinLines
    while (true) {
      const line = yield* Effect.raceFirst(Queue.take(lines), Deferred.await(ended))
      if (Option.isNone(line) || line.value.trim() === "/quit") break
      if (line.value.trim() === "") continue
      // The echo may arrive before the answer to the send: remember its id first.
      const echoId = crypto.randomUUID()
      ownEchoIds.add(echoId)
      yield* chat.send({ content: line.value, echoId }).pipe(
        Effect.catchAll((error) => Console.error(`could not send: ${error.message}`))
      )
    }
    yield* Console.log("Bye!")
  })

/**
 * Pipe mode: every stdin line is sent as a message; every event is written to stdout as one JSON line. Ends when
 * stdin ends and the last message's echo has arrived (or after `linger`).
 */
export const pipe = (options: { readonly linger?: Duration.Duration | undefined; readonly echoTimeout: Duration.Duration }) =>
  Effect.gen(function*() {
    const installation = yield* Installation
    const chat = yield* CustomerChat.make(installation.identity ? { identity: installation.identity } : {})
    yield* Effect.logInfo(`pipe: conversation #${chat.conversation.id} of customer ${chat.customer.source_id.slice(0, 8)}…`)
    const seenEchoIds = new Set<string>()
    // The echo the pipe waits for before it exits: that of the last message sent.
    let awaited: { readonly echoId: string; readonly seen: Deferred.Deferred<void> } | undefined
    const streamFailed = yield* Deferred.make<never, Error>()
    const connected = yield* Deferred.make<void>()

    yield* chat.events().pipe(
      Stream.runForEach((event) =>
        Effect.sync(() => {
          process.stdout.write(`${toJsonLine(event)}\n`)
          if (event._tag === "StatusChanged" && event.origin === "history") Deferred.unsafeDone(connected, Effect.void)
          if (event._tag === "MessageAdded" && event.message.echo_id !== undefined) {
            seenEchoIds.add(event.message.echo_id)
            if (event.message.echo_id === awaited?.echoId) Deferred.unsafeDone(awaited.seen, Effect.void)
          }
        })
      ),
      Effect.catchAll((error) => Deferred.fail(streamFailed, new Error(`the conversation stream ended: ${error.message}`))),
      Effect.forkScoped
    )
    // Messages are sent once the stream is live, so their echoes cannot be missed.
    yield* Effect.raceFirst(Deferred.await(connected), Deferred.await(streamFailed))

    const lines = yield* stdinLines
    while (true) {
      const line = yield* Queue.take(lines)
      if (Option.isNone(line)) break
      if (line.value === "") continue
      const echoId = crypto.randomUUID()
      awaited = { echoId, seen: yield* Deferred.make<void>() }
      yield* chat.send({ content: line.value, echoId })
      if (seenEchoIds.has(echoId)) yield* Deferred.succeed(awaited.seen, undefined)
    }

    yield* Effect.ensuring(waitForEcho(options, awaited?.seen, streamFailed), flushStdout)
  })

/** stdout to a pipe is written asynchronously: wait until every line is out before the process exits. */
const flushStdout = Effect.async<void>((resume) => {
  process.stdout.write("", () => resume(Effect.void))
})

const waitForEcho = (
  options: { readonly linger?: Duration.Duration | undefined; readonly echoTimeout: Duration.Duration },
  lastEchoSeen: Deferred.Deferred<void> | undefined,
  streamFailed: Deferred.Deferred<never, Error>
) =>
  Effect.gen(function*() {
    if (options.linger !== undefined) {
      yield* Effect.raceFirst(Effect.sleep(options.linger), Deferred.await(streamFailed))
    } else if (lastEchoSeen !== undefined) {
      yield* Effect.raceFirst(Deferred.await(lastEchoSeen), Deferred.await(streamFailed)).pipe(
        Effect.timeoutFail({
          duration: options.echoTimeout,
          onTimeout: () => new Error(`the echo of the last message did not arrive within ${Duration.format(options.echoTimeout)}`)
        })
      )
    }
  })
