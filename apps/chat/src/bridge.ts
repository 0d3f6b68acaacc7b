/**
 * Bridge mode: `bevatel-chat bridge` speaks for many customers at once — an external channel, a bot, an
 * integration — over one socket and one request budget.
 *
 * - stdin: one JSON line per message, `{"customer": "<your id>", "content": "…"}`. A customer is created (or restored
 *   from the state directory) on first use, with `identifier` = your id, signed when `BEVATEL_HMAC_TOKEN` is set.
 *   Its message goes to its latest conversation that is not resolved, or to a new one. Lines of one customer are sent
 *   in order, each exactly once (see `sending.ts`). A line that is not such JSON is reported on stderr with its
 *   number and skipped; the bridge then exits 1 at the end.
 * - stdout: one JSON line per conversation event, tagged with the customer and the conversation:
 *   `{"customer", "conversation_id", "event", "data"}` (data in its wire form). Credentials are redacted —
 *   `pubsub_token` and the session's `source_id` (the line carries your id instead) — unless `--keep-credentials`.
 * - Every customer of the state directory is followed again at start; each conversation resumes after its last
 *   message written (checkpoints committed after the line is flushed, as `pipe` does: the window of a repeat is the
 *   one message flushed just before a crash).
 * - Done when stdin has ended and every message sent has come back through the stream; `--linger` keeps writing.
 */
import { CheckpointStore, ConversationEvent, Customers } from "@bevatel/client"
import { ClientApi, type ClientApiError } from "@bevatel/http"
import { CustomerSession } from "@bevatel/client"
import { CustomerStore, IdentitySigner } from "@bevatel/identity"
import { Credentials } from "@bevatel/schema"
import * as KeyValueStore from "@effect/platform/KeyValueStore"
import { Data, Deferred, Duration, Effect, Option, Queue, Schema, Stream } from "effect"
import { Installation } from "./Installation.js"
import { Delivery, writeLine } from "./sending.js"
import { stdinLines } from "./stdin.js"

/** Some stdin lines were not bridge lines; each was reported on stderr. */
export class LinesRejected extends Data.TaggedError("LinesRejected")<{ readonly lines: ReadonlyArray<number> }> {
  override get message() {
    const shown = this.lines.slice(0, 20).join(", ") + (this.lines.length > 20 ? ` and ${this.lines.length - 20} more` : "")
    return `${this.lines.length} stdin line(s) were rejected (${shown}); each was reported above`
  }
}

/** @internal */
export interface BridgeOptions {
  readonly completionTimeout: Duration.Duration
  readonly linger: Duration.Duration
  readonly sendAttempts: number
  readonly keepCredentials: boolean
  /** Customers whose catch-ups (one request each) run at once. */
  readonly concurrency: number
}

const BridgeLine = Schema.parseJson(Schema.Struct({
  customer: Schema.Trim.pipe(Schema.nonEmptyString({ message: () => "customer must be your non-empty id of the customer" })),
  content: Schema.String.pipe(Schema.nonEmptyString({ message: () => "content must be a non-empty string" }))
}))
const decodeLine = Schema.decodeUnknownEither(BridgeLine)

/** The customers this bridge speaks for, by your id: their sessions, in one entry of the state directory. */
const Index = Schema.Array(CustomerStore.StoredCustomer)
const indexKey = "bevatel/bridge/customers"

interface Known {
  readonly stored: CustomerStore.StoredCustomer
  /** Where its messages go now; found on its first line of this run. */
  conversationId: number | undefined
}

export const bridge = (options: BridgeOptions) =>
  Effect.gen(function*() {
    const installation = yield* Installation
    const api = yield* ClientApi.ClientApi
    const checkpoints = yield* CheckpointStore.CheckpointStore
    const store = (yield* KeyValueStore.KeyValueStore).forSchema(Index)
    const customers = yield* Customers.make({ checkpoints, concurrency: options.concurrency })
    const signer = Option.isSome(installation.hmacToken)
      ? Option.some(yield* IdentitySigner.make({ hmacToken: installation.hmacToken.value }))
      : Option.none()

    const known = new Map<string, Known>()
    const identifierOf = new Map<string, string>()
    /** Statuses of the conversations, as the stream reports them: a resolved one gets no more messages. */
    const statuses = new Map<number, string>()
    const delivery = yield* Delivery.make()
    const streamFailed = yield* Deferred.make<never, Error>()

    // The index is rewritten whole; one write at a time, the last state always written.
    let saving = false
    let dirty = false
    const saveIndex: Effect.Effect<void> = Effect.suspend(() => {
      if (saving) {
        dirty = true
        return Effect.void
      }
      saving = true
      dirty = false
      return store.set(indexKey, [...known.values()].map((entry) => entry.stored)).pipe(
        Effect.catchAll((error) => Effect.logError(`bridge: could not save the customers' index: ${error.message}`)),
        Effect.ensuring(Effect.sync(() => (saving = false))),
        Effect.zipRight(Effect.suspend(() => dirty ? saveIndex : Effect.void))
      )
    })

    const follow = (stored: CustomerStore.StoredCustomer) =>
      Effect.gen(function*() {
        const identifier = stored.identifier ?? stored.source_id
        known.set(identifier, { stored, conversationId: undefined })
        identifierOf.set(stored.source_id, identifier)
        yield* customers.add({ sourceId: stored.source_id, pubsubToken: stored.pubsub_token }).pipe(
          Effect.tapError(() => Effect.sync(() => known.delete(identifier)))
        )
      })

    const create = (identifier: string) =>
      Effect.gen(function*() {
        const contact = yield* CustomerSession.createIdentified(identifier).pipe(
          Option.isSome(signer) ? Effect.provideService(IdentitySigner.IdentitySigner, signer.value) : (effect) => effect
        )
        const stored: CustomerStore.StoredCustomer = {
          inbox_identifier: installation.inboxIdentifier as CustomerStore.StoredCustomer["inbox_identifier"],
          source_id: contact.source_id,
          pubsub_token: contact.pubsub_token,
          identifier
        }
        yield* follow(stored)
        yield* saveIndex
        return known.get(identifier)!
      }).pipe(Effect.withSpan("bridge.createCustomer"))

    /** The customer of a line: followed already, or created now. */
    const customerFor = (identifier: string) =>
      Effect.suspend(() => {
        const entry = known.get(identifier)
        return entry !== undefined ? Effect.succeed(entry) : create(identifier)
      })

    /** Its latest conversation that is not resolved, or a new one. */
    const conversationFor = (entry: Known) =>
      Effect.gen(function*() {
        const current = entry.conversationId
        if (current !== undefined && statuses.get(current) !== "resolved") return current
        const conversations = yield* api.conversations.list(entry.stored.source_id)
        const open = conversations.filter((c) => c.status !== "resolved").sort((a, b) => b.id - a.id)[0]
        const id = open?.id ?? (yield* api.conversations.create(entry.stored.source_id)).id
        entry.conversationId = id
        return id
      })

    const onEvent = (identifier: string, sourceId: string, conversationId: number, event: ConversationEvent.ConversationEvent) =>
      Effect.gen(function*() {
        if (event._tag === "StatusChanged") statuses.set(conversationId, event.status)
        const line = { customer: identifier, conversation_id: conversationId, ...ConversationEvent.toWire(event) }
        yield* writeLine(JSON.stringify(options.keepCredentials ? line : Credentials.redact(line, { sourceId: true })))
        if (event._tag !== "MessageAdded") return
        // Flushed: only now is the message handed downstream.
        yield* checkpoints.commit({ inboxIdentifier: installation.inboxIdentifier, sourceId, conversationId }, event.message.id)
        yield* delivery.recordWritten(event.message)
      })

    yield* customers.events.pipe(
      Stream.runForEach((item) =>
        Effect.gen(function*() {
          const identifier = identifierOf.get(item.sourceId) ?? item.sourceId
          // A line and its checkpoint go together: stopping waits for the one in hand (only a crash can split them).
          if (item._tag === "Event") {
            return yield* Effect.uninterruptible(onEvent(identifier, item.sourceId, item.conversationId, item.event))
          }
          // The customer is no longer followed; its next line follows it again.
          known.delete(identifier)
          yield* Effect.logError(`bridge: customer ${identifier} is no longer followed: ${item.error.message}`)
          yield* writeLine(JSON.stringify({ customer: identifier, event: "bridge.customer_failed", data: { error: item.error.message } }))
        })
      ),
      Effect.catchAllCause((cause) => Deferred.fail(streamFailed, new Error(`the merged stream ended: ${cause}`))),
      Effect.forkScoped
    )

    // Every customer of the state directory, followed again: each conversation resumes after its checkpoint.
    const remembered = Option.getOrElse(
      yield* store.get(indexKey).pipe(
        Effect.catchAll((error) => Effect.as(Effect.logWarning(`bridge: ignoring an unreadable customers' index: ${error.message}`), Option.none()))
      ),
      () => []
    )
    const restored = remembered.filter((stored) => stored.inbox_identifier === installation.inboxIdentifier)
    if (restored.length > 0) yield* Effect.logInfo(`bridge: following ${restored.length} remembered customer(s) again`)
    yield* Effect.forEach(
      restored,
      (stored) =>
        follow(stored).pipe(
          Effect.catchAll((error: ClientApiError.ClientApiError | Error) =>
            Effect.logWarning(
              `bridge: remembered customer ${stored.identifier ?? "?"} could not be followed (${error.message}); its next line creates it again`
            )
          )
        ),
      { concurrency: options.concurrency, discard: true }
    )

    const lines = yield* stdinLines
    const rejected: Array<number> = []
    let lineNumber = 0
    while (true) {
      const line = yield* Effect.raceFirst(Queue.take(lines), Deferred.await(streamFailed))
      if (Option.isNone(line)) break
      lineNumber += 1
      if (line.value.trim() === "") continue
      const decoded = decodeLine(line.value)
      if (decoded._tag === "Left") {
        rejected.push(lineNumber)
        const issue = decoded.left.message.split("\n").at(-1)?.replace(/^[\s└├─│]+/, "") ?? "not JSON"
        yield* Effect.logError(
          `bridge: line ${lineNumber} skipped: expected {"customer": "<your id>", "content": "…"} (${issue})`
        )
        continue
      }
      const { content, customer } = decoded.right
      const send = Effect.gen(function*() {
        const entry = yield* customerFor(customer)
        const conversationId = yield* conversationFor(entry)
        yield* delivery.sendLine({
          content,
          lineNumber,
          attempts: options.sendAttempts,
          send: (echoId) =>
            Effect.map(
              api.messages.create(entry.stored.source_id, conversationId, { content, echoId }),
              (sent) => sent.message.id
            ),
          conversationMessages: Effect.map(api.conversations.get(entry.stored.source_id, conversationId), (c) => c.messages)
        })
      })
      yield* Effect.raceFirst(send, Deferred.await(streamFailed))
    }

    yield* Effect.raceFirst(delivery.allSeen(options.completionTimeout), Deferred.await(streamFailed))
    if (Duration.greaterThan(options.linger, Duration.zero)) {
      yield* Effect.raceFirst(Effect.sleep(options.linger), Deferred.await(streamFailed))
    }
    if (rejected.length > 0) return yield* new LinesRejected({ lines: rejected })
  })
