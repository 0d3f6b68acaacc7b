/**
 * The interactive terminal chat.
 */
import { ConnectionFailure } from "@bevatel/cable"
import { CustomerChat } from "@bevatel/client"
import { Console, Deferred, Effect, Option, Queue, Stream } from "effect"
import { Installation } from "./Installation.js"
import { connectionLine, toLine } from "./render.js"
import { stdinLines } from "./stdin.js"

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
    const shown = new Map<number, string>()
    const live = yield* Deferred.make<void>()
    // The cable could not connect (a proxy refusing /cable, an outage): messages go over HTTP without waiting for it.
    const cableDown = yield* Deferred.make<void>()
    const ended = yield* Deferred.make<never, Error>()
    yield* chat.events().pipe(
      Stream.tap((event) => {
        if (event._tag === "StatusChanged" && event.origin === "history") Deferred.unsafeDone(live, Effect.void)
        const line = toLine(event, ownEchoIds, shown)
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
    // A connection line when the connection changes, not for every attempt of one outage.
    yield* chat.connection.pipe(
      Stream.tap((state) => state._tag === "Reconnecting" ? Deferred.succeed(cableDown, undefined) : Effect.void),
      Stream.filter((state) => state._tag !== "Connecting"),
      Stream.changesWith((a, b) =>
        a._tag === b._tag &&
        (a._tag !== "Reconnecting" || b._tag !== "Reconnecting" || ConnectionFailure.kind(a.failure) === ConnectionFailure.kind(b.failure))
      ),
      Stream.runForEach((state) => {
        const line = connectionLine(state)
        return line === undefined ? Effect.void : Console.log(line)
      }),
      Effect.forkScoped
    )

    // `/quit` and Ctrl-D are heard in every state of the connection. A message waits until history is shown (so it
    // is not mistaken for history), or until the cable is known to be down: it then goes over HTTP at once.
    const lines = yield* stdinLines
    while (true) {
      const line = yield* Effect.raceFirst(Queue.take(lines), Deferred.await(ended))
      if (Option.isNone(line) || line.value.trim() === "/quit") break
      if (line.value.trim() === "") continue
      yield* Effect.raceFirst(Effect.raceFirst(Deferred.await(live), Deferred.await(cableDown)), Deferred.await(ended))
      // The echo may arrive before the answer to the send: remember its id first.
      const echoId = crypto.randomUUID()
      ownEchoIds.add(echoId)
      yield* chat.send({ content: line.value, echoId }).pipe(
        Effect.catchAll((error) => Console.error(`could not send: ${error.message}`))
      )
    }
    yield* Console.log("Bye!")
  })
