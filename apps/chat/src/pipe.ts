/**
 * Pipe mode: `bevatel-chat pipe` as a stage of a server pipeline.
 *
 * - stdout carries one JSON line per conversation event and nothing else (logs go to stderr); the customer's
 *   `pubsub_token`, which conversation events embed, is redacted unless `--keep-credentials`.
 * - Every message line is written, flushed, and only then checkpointed (`CheckpointStore`, in the state directory):
 *   a restarted pipe resumes after the last message it wrote, so across runs each message is written exactly once —
 *   except a message whose line was flushed just before the process died, before its checkpoint was written: that
 *   one is written again, with the same `data.id`.
 * - stdin lines are sent in order. A send whose outcome is unknown (the request left, no answer came) is checked
 *   before anything else is sent: first the cable's echo of its `echo_id`, then the conversation's messages
 *   (an incoming message with the same content, newer than any known before the send). Only a send that did not
 *   happen is repeated.
 * - The pipe is done when stdin has ended and every message it sent has come back through the stream, live or
 *   recovered over HTTP.
 * - It never sits silent: while the cable cannot connect, the cable's warnings say why on stderr (once, then on
 *   every change of cause), and stdin lines are still sent over HTTP; their messages come back through the
 *   stream's backfill once the socket is live.
 */
import { CheckpointStore, type ConversationEvent, CustomerChat } from "@bevatel/client"
import { Credentials } from "@bevatel/schema"
import { ClientApi, type ClientApiError, RetryPolicy } from "@bevatel/http"
import { Data, Deferred, Duration, Effect, Option, Queue, Stream } from "effect"
import { Installation } from "./Installation.js"
import { toJson } from "./render.js"
import { stdinLines } from "./stdin.js"

/** A stdin line that could not be sent; the pipe ends with exit code 1. */
export class LineNotSent extends Data.TaggedError("LineNotSent")<{
  readonly line: number
  readonly attempts: number
  readonly cause: ClientApiError.ClientApiError
}> {
  override get message() {
    return `line ${this.line} of stdin could not be sent after ${this.attempts} attempt(s): ${this.cause.message}`
  }
}

/** The pipe ended before every message it sent came back through the stream. */
export class NotAllSeen extends Data.TaggedError("NotAllSeen")<{
  readonly missing: ReadonlyArray<number>
  readonly waited: Duration.Duration
}> {
  override get message() {
    return `message(s) ${this.missing.join(", ")} did not come back through the conversation stream within ` +
      `${Duration.format(this.waited)}`
  }
}

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

/**
 * Errors after which the request certainly did not create the message: safe to send again after a pause — what the
 * Client API's own policy retries for a message, and the server's flood guard ("Too many messages").
 */
const notSent = (error: ClientApiError.ClientApiError) =>
  RetryPolicy.isRetryable(error, "unsafe") ||
  (error._tag === "ValidationFailed" && /too many messages/i.test(error.message))

/** Errors after which the message may or may not exist: find out before sending anything else. */
const outcomeUnknown = (error: ClientApiError.ClientApiError) =>
  error._tag === "RequestTimeout" || error._tag === "UnexpectedResponse" ||
  (error._tag === "TransportError" && error.sent) || (error._tag === "ServerError" && error.status !== 503)

const write = (line: string) =>
  Effect.async<void>((resume) => {
    process.stdout.write(`${line}\n`, () => resume(Effect.void))
  })

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

    /** Every message id written so far, the highest one, and the ids of echoes by echo id. */
    const written = new Set<number>()
    let highestId = Option.getOrElse(resumeFrom, () => 0)
    const echoes = new Map<string, number>()
    const progress = yield* Queue.sliding<void>(1)
    const streamFailed = yield* Deferred.make<never, StreamFailed | NotConnected>()

    const onEvent = (event: ConversationEvent.ConversationEvent) =>
      Effect.gen(function*() {
        const json = toJson(event)
        yield* write(JSON.stringify(options.keepCredentials ? json : Credentials.redact(json)))
        if (event._tag !== "MessageAdded") return
        const message = event.message
        // Flushed: only now is the message handed downstream.
        yield* checkpoints.commit(key, message.id)
        written.add(message.id)
        highestId = Math.max(highestId, message.id)
        if (message.echo_id !== undefined) echoes.set(message.echo_id, message.id)
        yield* Queue.offer(progress, undefined)
      })

    yield* chat.events({ checkpoints }).pipe(
      Stream.runForEach(onEvent),
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

    /** Checks `condition` again after every message written, until it holds. */
    const waitUntil = <A>(condition: () => Option.Option<A>) =>
      Effect.gen(function*() {
        while (true) {
          const result = condition()
          if (Option.isSome(result)) return result.value
          yield* Queue.take(progress)
        }
      })

    /** Waits for the echo of `echoId`, or gives up after `within`. */
    const echoOf = (echoId: string, within: Duration.DurationInput) =>
      waitUntil(() => Option.fromNullable(echoes.get(echoId))).pipe(
        Effect.timeoutTo({ duration: within, onTimeout: () => Option.none<number>(), onSuccess: Option.some })
      )

    /** Whether a send whose answer was lost created the message: its echo, or a matching message newer than `before`. */
    const findSent = (content: string, echoId: string, before: number, claimed: ReadonlySet<number>) =>
      Effect.gen(function*() {
        const echoed = yield* echoOf(echoId, "5 seconds")
        if (Option.isSome(echoed)) return echoed
        // One request: the conversation embeds every public message.
        const conversation = yield* api.conversations.get(sourceId, conversationId)
        const match = conversation.messages
          .filter((m) => m.id > before && !claimed.has(m.id) && m.message_type === "incoming" && m.content === content)
          .sort((a, b) => a.id - b.id)[0]
        return Option.fromNullable(match?.id)
      }).pipe(Effect.withSpan("pipe.findSent"))

    /** The ids of the messages this run sent, each once. */
    const sent = new Set<number>()

    const sendLine = (content: string, lineNumber: number) =>
      Effect.gen(function*() {
        for (let attempt = 1;; attempt++) {
          const echoId = crypto.randomUUID()
          const before = highestId
          const result = yield* Effect.either(chat.send({ content, echoId }))
          if (result._tag === "Right") {
            sent.add(result.right.message.id)
            return
          }
          const error = result.left
          if (outcomeUnknown(error)) {
            yield* Effect.logWarning(`pipe: line ${lineNumber}: no answer to the send (${error._tag}); checking whether it arrived`)
            const found = yield* findSent(content, echoId, before, sent)
            if (Option.isSome(found)) {
              sent.add(found.value)
              return
            }
          } else if (!notSent(error)) {
            return yield* new LineNotSent({ line: lineNumber, attempts: attempt, cause: error })
          }
          if (attempt >= options.sendAttempts) return yield* new LineNotSent({ line: lineNumber, attempts: attempt, cause: error })
          const pause = Duration.millis(Math.min(30_000, 1000 * 2 ** (attempt - 1)))
          yield* Effect.logWarning(`pipe: line ${lineNumber} not sent (${error.message}); trying again in ${Duration.format(pause)}`)
          yield* Effect.sleep(pause)
        }
      }).pipe(Effect.withSpan("pipe.sendLine", { attributes: { line: lineNumber } }))

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
    const allSeen = waitUntil(() => [...sent].every((id) => written.has(id)) ? Option.some(true) : Option.none())
    yield* Effect.raceFirst(allSeen, Deferred.await(streamFailed)).pipe(
      Effect.timeoutFail({
        duration: options.completionTimeout,
        onTimeout: () =>
          new NotAllSeen({ missing: [...sent].filter((id) => !written.has(id)), waited: options.completionTimeout })
      })
    )
    if (Duration.greaterThan(options.linger, Duration.zero)) {
      yield* Effect.raceFirst(Effect.sleep(options.linger), Deferred.await(streamFailed))
    }
  })
