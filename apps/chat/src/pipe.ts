/**
 * Pipe mode: `bevatel-chat pipe` as a stage of a server pipeline.
 *
 * - stdout carries one JSON line per conversation event and nothing else (logs go to stderr); the customer's
 *   `pubsub_token`, which conversation events embed, is redacted unless `--keep-credentials`.
 * - Every message line is written, flushed, and only then checkpointed (`CheckpointStore`, in the state directory):
 *   a restarted pipe resumes after the last message it wrote, so across runs each message is written exactly once —
 *   except a message whose line was flushed just before the process died, before its checkpoint was written: that
 *   one is written again, with the same `data.id`.
 * - stdin lines are sent in order, each exactly once (see `sending.ts`).
 * - The pipe is done when stdin has ended and every message it sent has come back through the stream, live or
 *   recovered over HTTP.
 * - It never sits silent: while the cable cannot connect, the cable's warnings say why on stderr (once, then on
 *   every change of cause), and stdin lines are still sent over HTTP; their messages come back through the
 *   stream's backfill once the socket is live.
 */
import { CheckpointStore, ConversationEvent, CustomerChat } from "@bevatel/client"
import { Credentials } from "@bevatel/schema"
import { ClientApi } from "@bevatel/http"
import { Data, Deferred, Duration, Effect, Option, Queue, Stream } from "effect"
import { Installation } from "./Installation.js"
import { Delivery, writeLine } from "./sending.js"
import { stdinLines } from "./stdin.js"

/** No live socket within `--connect-timeout`; `lastFailure` says why. */
export class NotConnected extends Data.TaggedError("NotConnected")<{
  readonly waited: Duration.Duration
  readonly lastFailure: string | undefined
}> {
  override get message() {
    return `could not connect to the cable within ${Duration.format(this.waited)}` +
      (this.lastFailure === undefined ? "" : `: ${this.lastFailure}`)
  }
}

/** The conversation stream ended with an error. */
export class StreamFailed extends Data.TaggedError("StreamFailed")<{ readonly reason: string }> {
  override get message() {
    return `the conversation stream ended: ${this.reason}`
  }
}

/** @internal */
export interface PipeOptions {
  /** How long to wait, after stdin ends, for the messages sent to come back. */
  readonly completionTimeout: Duration.Duration
  /** After everything came back, keep writing events this long (e.g. to catch an agent's answer). */
  readonly linger: Duration.Duration
  /** How many times one line is attempted before the pipe gives up. */
  readonly sendAttempts: number
  /** Give up (exit 1, with the cause) when no live socket came within this long; by default wait, and tell. */
  readonly connectTimeout: Option.Option<Duration.Duration>
  /** Write `pubsub_token`s as they are instead of redacted (conversation events embed the customer's). */
  readonly keepCredentials: boolean
}

export const pipe = (options: PipeOptions) =>
  Effect.gen(function*() {
    const installation = yield* Installation
    const api = yield* ClientApi.ClientApi
    const checkpoints = yield* CheckpointStore.CheckpointStore
    const chat = yield* CustomerChat.make(installation.identity ? { identity: installation.identity } : {})
    const sourceId = chat.customer.source_id
    const conversationId = chat.conversation.id
    const key = { inboxIdentifier: installation.inboxIdentifier, sourceId, conversationId }
    const resumeFrom = yield* checkpoints.get(key)
    yield* Effect.logInfo(
      `pipe: conversation #${conversationId} of customer ${sourceId.slice(0, 8)}…` +
        (Option.isSome(resumeFrom) ? `, resuming after message ${resumeFrom.value}` : "")
    )

    const delivery = yield* Delivery.make(Option.getOrElse(resumeFrom, () => 0))
    const streamFailed = yield* Deferred.make<never, StreamFailed | NotConnected>()

    const onEvent = (event: ConversationEvent.ConversationEvent) =>
      Effect.gen(function*() {
        const json = ConversationEvent.toWire(event)
        yield* writeLine(JSON.stringify(options.keepCredentials ? json : Credentials.redact(json)))
        if (event._tag !== "MessageAdded") return
        // Flushed: only now is the message handed downstream.
        yield* checkpoints.commit(key, event.message.id)
        yield* delivery.recordWritten(event.message)
      })

    yield* chat.events({ checkpoints }).pipe(
      // A line and its checkpoint go together: stopping waits for the one in hand (only a crash can split them).
      Stream.runForEach((event) => Effect.uninterruptible(onEvent(event))),
      Effect.catchAll((error) => Deferred.fail(streamFailed, new StreamFailed({ reason: error.message }))),
      Effect.forkScoped
    )
    if (Option.isSome(options.connectTimeout)) {
      const waited = options.connectTimeout.value
      let lastFailure: string | undefined
      yield* chat.connection.pipe(
        Stream.tap((state) => Effect.sync(() => state._tag === "Reconnecting" && (lastFailure = state.reason))),
        Stream.filter((state) => state._tag === "Connected"),
        Stream.runHead,
        Effect.timeoutFail({ duration: waited, onTimeout: () => new NotConnected({ waited, lastFailure }) }),
        Effect.catchAll((error) => Deferred.fail(streamFailed, error)),
        Effect.forkScoped
      )
    }

    const sendLine = (content: string, lineNumber: number) =>
      delivery.sendLine({
        content,
        lineNumber,
        attempts: options.sendAttempts,
        send: (echoId) => Effect.map(chat.send({ content, echoId }), (sent) => sent.message.id),
        conversationMessages: Effect.map(api.conversations.get(sourceId, conversationId), (c) => c.messages)
      })

    const lines = yield* stdinLines
    let lineNumber = 0
    while (true) {
      const line = yield* Effect.raceFirst(Queue.take(lines), Deferred.await(streamFailed))
      if (Option.isNone(line)) break
      lineNumber += 1
      if (line.value === "") continue
      yield* Effect.raceFirst(sendLine(line.value, lineNumber), Deferred.await(streamFailed))
    }

    // Done when every message sent came back through the stream, whichever way (live or recovered over HTTP).
    yield* Effect.raceFirst(delivery.allSeen(options.completionTimeout), Deferred.await(streamFailed))
    if (Duration.greaterThan(options.linger, Duration.zero)) {
      yield* Effect.raceFirst(Effect.sleep(options.linger), Deferred.await(streamFailed))
    }
  })
