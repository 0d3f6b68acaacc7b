/**
 * Sending a stdin line as a message exactly once, for `pipe` and `bridge`: what is retried, what is checked first,
 * and what has come back through the stream.
 *
 * A send whose outcome is unknown (the request left, no answer came) is checked before anything else is sent: first
 * the cable's echo of its `echo_id`, then the conversation's messages (an incoming message with the same content,
 * newer than any known before the send). Only a send that did not happen is repeated.
 */
import type { ClientApiError } from "@bevatel/http"
import { RetryPolicy } from "@bevatel/http"
import type { Message } from "@bevatel/schema"
import { Data, Duration, Effect, Option, Queue, Schedule } from "effect"

/** A stdin line that could not be sent; the run ends with exit code 1. */
export class LineNotSent extends Data.TaggedError("LineNotSent")<{
  readonly line: number
  readonly attempts: number
  readonly cause: ClientApiError.ClientApiError
}> {
  override get message() {
    return `line ${this.line} of stdin could not be sent after ${this.attempts} attempt(s): ${this.cause.message}`
  }
}

/** The run ended before every message it sent came back through the stream. */
export class NotAllSeen extends Data.TaggedError("NotAllSeen")<{
  readonly missing: ReadonlyArray<number>
  readonly waited: Duration.Duration
}> {
  override get message() {
    const shown = this.missing.slice(0, 20).join(", ") + (this.missing.length > 20 ? ` and ${this.missing.length - 20} more` : "")
    return `message(s) ${shown} did not come back through the conversation stream within ${Duration.format(this.waited)}`
  }
}

/** Errors after which the request certainly did not create the message: safe to send again after a pause. */
const notSent = (error: ClientApiError.ClientApiError) => RetryPolicy.isRetryable(error, "unsafe")

/**
 * The server's flood guard refused the message: its conversation had too many messages within the guard's window
 * (Chatwoot: `CONVERSATION_MESSAGE_PER_MINUTE_LIMIT`, 200 a minute by default). Nothing was created; the message is
 * taken again once the window moves, so a line waits for it instead of spending its attempts.
 */
const floodGuarded = (error: ClientApiError.ClientApiError) =>
  error._tag === "ValidationFailed" && /too many messages/i.test(error.message)

/** How long one line waits for the flood guard's window to move: two of the real server's windows. */
const floodPatience = Duration.minutes(2)
/** How often a line refused by the flood guard is tried again. */
const floodPause = Duration.seconds(2)

/** Errors after which the message may or may not exist: find out before sending anything else. */
const outcomeUnknown = (error: ClientApiError.ClientApiError) =>
  error._tag === "RequestTimeout" || error._tag === "UnexpectedResponse" ||
  (error._tag === "TransportError" && error.sent) || (error._tag === "ServerError" && error.status !== 503)

/** The messages written to stdout so far, their echoes, and the ids this run sent; one waiter at a time. */
export class Delivery {
  /** Ids of messages written (flushed) to stdout. */
  readonly written = new Set<number>()
  /** Ids of messages this run sent, each once. */
  readonly sent = new Set<number>()
  private readonly echoes = new Map<string, number>()

  private constructor(private readonly progress: Queue.Queue<void>, public highestId: number) {}

  static make(highestId = 0): Effect.Effect<Delivery> {
    return Effect.map(Queue.sliding<void>(1), (progress) => new Delivery(progress, highestId))
  }

  /** A message line was flushed. */
  recordWritten(message: { readonly id: number; readonly echo_id?: string | undefined }): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.written.add(message.id)
      this.highestId = Math.max(this.highestId, message.id)
      if (message.echo_id !== undefined) this.echoes.set(message.echo_id, message.id)
      return Queue.offer(this.progress, undefined)
    })
  }

  /** Checks `condition` again after every message written, until it holds. */
  waitUntil<A>(condition: () => Option.Option<A>): Effect.Effect<A> {
    return Effect.gen(this, function*() {
      while (true) {
        const result = condition()
        if (Option.isSome(result)) return result.value
        yield* Queue.take(this.progress)
      }
    })
  }

  /** Waits until every message sent has been written, or fails with the missing ones after `timeout`. */
  allSeen(timeout: Duration.Duration): Effect.Effect<void, NotAllSeen> {
    return this.waitUntil(() => [...this.sent].every((id) => this.written.has(id)) ? Option.some(undefined) : Option.none()).pipe(
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () => new NotAllSeen({ missing: [...this.sent].filter((id) => !this.written.has(id)), waited: timeout })
      })
    )
  }

  private echoOf(echoId: string, within: Duration.DurationInput) {
    return this.waitUntil(() => Option.fromNullable(this.echoes.get(echoId))).pipe(
      Effect.timeoutTo({ duration: within, onTimeout: () => Option.none<number>(), onSuccess: Option.some })
    )
  }

  /**
   * Sends one line, at most `attempts` times; resolves once the message exists, exactly once. `send` posts it with
   * the echo id; `conversationMessages` reads the conversation back (one request) when an outcome is unknown.
   */
  sendLine(options: {
    readonly content: string
    readonly lineNumber: number
    readonly attempts: number
    readonly send: (echoId: string) => Effect.Effect<number, ClientApiError.ClientApiError>
    readonly conversationMessages: Effect.Effect<ReadonlyArray<Message.Message>, ClientApiError.ClientApiError>
  }): Effect.Effect<void, LineNotSent | ClientApiError.ClientApiError> {
    const { content, lineNumber } = options
    /** Whether a send whose answer was lost created the message: its echo, or a matching message newer than `before`. */
    const findSent = (echoId: string, before: number) =>
      Effect.gen(this, function*() {
        const echoed = yield* this.echoOf(echoId, "5 seconds")
        if (Option.isSome(echoed)) return echoed
        const match = (yield* options.conversationMessages)
          .filter((m) => m.id > before && !this.sent.has(m.id) && m.message_type === "incoming" && m.content === content)
          .sort((a, b) => a.id - b.id)[0]
        return Option.fromNullable(match?.id)
      }).pipe(Effect.withSpan("sendLine.findSent"))

    /** Sends; while the flood guard refuses it (nothing created), waits for its window to move, with one warning. */
    let warnedOfFlood = false
    const sendPastFloodGuard = (echoId: string) =>
      options.send(echoId).pipe(
        Effect.tapError((error) =>
          floodGuarded(error) && !warnedOfFlood
            ? Effect.zipLeft(Effect.sync(() => (warnedOfFlood = true)), Effect.logWarning(
              `line ${lineNumber} waits: ${error.message}; trying again every ${Duration.format(floodPause)} for up to ` +
                Duration.format(floodPatience)
            ))
            : Effect.void
        ),
        Effect.retry({ while: floodGuarded, schedule: Schedule.spaced(floodPause).pipe(Schedule.upTo(floodPatience)) })
      )

    return Effect.gen(this, function*() {
      for (let attempt = 1;; attempt++) {
        const echoId = crypto.randomUUID()
        const before = this.highestId
        const result = yield* Effect.either(sendPastFloodGuard(echoId))
        if (result._tag === "Right") {
          this.sent.add(result.right)
          return
        }
        const error = result.left
        if (outcomeUnknown(error)) {
          yield* Effect.logWarning(`line ${lineNumber}: no answer to the send (${error._tag}); checking whether it arrived`)
          const found = yield* findSent(echoId, before)
          if (Option.isSome(found)) {
            this.sent.add(found.value)
            return
          }
        } else if (!notSent(error)) {
          return yield* new LineNotSent({ line: lineNumber, attempts: attempt, cause: error })
        }
        if (attempt >= options.attempts) return yield* new LineNotSent({ line: lineNumber, attempts: attempt, cause: error })
        const pause = Duration.millis(Math.min(30_000, 1000 * 2 ** (attempt - 1)))
        yield* Effect.logWarning(`line ${lineNumber} not sent (${error.message}); trying again in ${Duration.format(pause)}`)
        yield* Effect.sleep(pause)
      }
    }).pipe(Effect.withSpan("sendLine", { attributes: { line: lineNumber } }))
  }
}

/** Writes one line to stdout and resolves once it is flushed. */
export const writeLine = (line: string) =>
  Effect.async<void>((resume) => {
    process.stdout.write(`${line}\n`, () => resume(Effect.void))
  })
