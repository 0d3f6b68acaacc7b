import { CableEvent, CableFrame, Decoder, Identifiers } from "@bevatel/schema"
import * as Socket from "@effect/platform/Socket"
import * as Data from "effect/Data"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberHandle from "effect/FiberHandle"
import * as FiberId from "effect/FiberId"
import * as FiberSet from "effect/FiberSet"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as Mailbox from "effect/Mailbox"
import * as Schedule from "effect/Schedule"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as ScheduleIntervals from "effect/ScheduleIntervals"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as SubscriptionRef from "effect/SubscriptionRef"
import * as Inbox from "./inbox.js"
import type * as Cable from "../Cable.js"
import * as CableError from "../CableError.js"
import * as CableMetrics from "../CableMetrics.js"
import * as ConnectionFailure from "../ConnectionFailure.js"
import { ConnectionState } from "../ConnectionState.js"
import * as Reconnect from "../Reconnect.js"
import { SubscriptionMessage } from "../SubscriptionMessage.js"

/** Why one connection attempt ended; the loop reconnects after any of these. */
class AttemptFailed extends Data.TaggedError("AttemptFailed")<{ readonly failure: ConnectionFailure.ConnectionFailure }> {
  get reason() {
    return ConnectionFailure.describe(this.failure)
  }
}

/** Why the whole cable ended; every consumer receives it. */
type Fatal = CableError.ServerDisconnected | CableError.ReconnectExhausted

interface Subscription {
  readonly identifier: string
  readonly consumers: Set<Cable.Consumer>
  /** Confirmed on the current socket. */
  confirmed: boolean
  /** Confirmed at least once: a later confirmation is a resumption. */
  everConfirmed: boolean
  /** Consecutive sockets on which it went unconfirmed. */
  timeouts: number
}

/** A server frame other than a broadcast or a ping: handled by the connection's processor, in frame order. */
type ControlFrame = Exclude<CableFrame.ServerFrame, CableFrame.Broadcast | CableFrame.Ping>

/** The broadcasts of consecutive frames, gathered in the socket's callback and delivered in one go. */
interface Batch {
  /** By subscription identifier: the subscription is looked up when the batch is delivered, as its consumers then are. */
  readonly messages: Map<string, Array<SubscriptionMessage>>
  /** Events per name, for `bevatel_cable_events_total`. */
  readonly counts: Map<string, number>
  readonly undecodable: Array<CableEvent.Undecodable>
  /** Frames that did not decode. */
  malformed: number
}

interface Connection {
  readonly send: (command: CableFrame.ClientCommand) => Effect.Effect<void>
  readonly subscribe: (subscription: Subscription) => void
  readonly unsubscribe: (identifier: string) => void
}

const decoder = new TextDecoder()
const encodeCommand = Schema.encodeSync(CableFrame.ClientCommandFromJson)
const decodeFrame = Schema.decodeUnknownEither(CableFrame.ServerFrame)

/** A broadcast frame, checked by hand: it is almost every frame, and its event is what gets decoded in full. */
const isBroadcast = (frame: unknown): frame is CableFrame.Broadcast =>
  typeof frame === "object" && frame !== null && !("type" in frame) && "message" in frame &&
  typeof (frame as { identifier?: unknown }).identifier === "string"

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
const decodeEvent = Decoder.compile(CableEvent.CableEvent)

/** `SubscriptionMessage.Event`, taken once: the tagged enum makes a new constructor on every property access. */
const makeEventMessage = SubscriptionMessage.Event
const eventMessage = (event: CableEvent.CableEvent, wire: CableEvent.WireEvent | undefined): SubscriptionMessage =>
  makeEventMessage(wire === undefined ? { event } : { event, wire })
const encodeIdentifier = Schema.encodeSync(CableFrame.RoomChannelIdentifier)

const cableUrl = (url: string | URL): string => {
  const parsed = new URL(url)
  if (parsed.protocol === "ws:" || parsed.protocol === "wss:") return parsed.toString()
  parsed.protocol = parsed.protocol === "https:" ? "wss:" : "ws:"
  parsed.pathname = `${parsed.pathname.replace(/\/+$/, "")}/cable`
  return parsed.toString()
}

/** @internal */
export const make = (options: Cable.Options): Effect.Effect<Cable.Service, never, Socket.WebSocketConstructor | Scope.Scope> =>
  Effect.gen(function*() {
    const url = cableUrl(options.url)
    const pingInterval = Duration.decode(options.pingInterval ?? Duration.seconds(3))
    const staleAfter = Duration.decode(options.staleAfter ?? Duration.times(pingInterval, 2))
    const confirmTimeout = Duration.decode(options.confirmTimeout ?? Duration.seconds(5))
    const confirmAttempts = options.confirmAttempts ?? 3
    const stableAfter = Duration.toMillis(options.stableAfter ?? Duration.seconds(5))
    const schedule = options.reconnectSchedule ?? Reconnect.defaultSchedule
    const presenceInterval = options.presenceInterval === false ? undefined : Duration.decode(options.presenceInterval ?? Duration.seconds(20))
    const bufferSize = options.bufferSize ?? 1024
    const keepWire = options.keepWire === true
    const constructor = yield* Socket.WebSocketConstructor
    const clock = yield* Effect.clock

    const state = yield* SubscriptionRef.make<ConnectionState>(ConnectionState.Idle())
    const subscriptions = new Map<string, Subscription>()
    let connection: Connection | undefined
    const loopHandle = yield* FiberHandle.make<void, never>()

    const setState = (next: ConnectionState) => SubscriptionRef.set(state, next)
    const deliver = (subscription: Subscription, messages: Iterable<SubscriptionMessage>) =>
      Effect.forEach(subscription.consumers, (mailbox) => mailbox.offerAll(messages), { discard: true })
    const failSubscription = (subscription: Subscription, error: CableError.CableError) => {
      subscriptions.delete(subscription.identifier)
      return Effect.forEach(subscription.consumers, (mailbox) => mailbox.fail(error), { discard: true })
    }
    const eventCounters = new Map<string, Metric.Metric.Counter<number>>()
    const eventCounter = (name: string) => {
      let counter = eventCounters.get(name)
      if (!counter) eventCounters.set(name, counter = Metric.tagged(CableMetrics.events, "event", name))
      return counter
    }
    const allConfirmed = () => [...subscriptions.values()].every((s) => s.confirmed)
    /** Event names already reported as undecodable: one warning each for the cable's life, not one per frame. */
    const reportedUndecodable = new Set<string>()
    const reportUndecodable = (events: ReadonlyArray<CableEvent.Undecodable>) =>
      Effect.forEach(events, (event) =>
        Effect.zipRight(
          Metric.increment(Metric.tagged(CableMetrics.undecodableEvents, "event", event.event)),
          reportedUndecodable.has(event.event) ? Effect.void : Effect.suspend(() => {
            reportedUndecodable.add(event.event)
            // Paths only: the values may be a customer's data. Consumers get the whole error on the event.
            const paths = event.error.split("; ").map((issue) => issue.split(":")[0]).join(", ")
            return Effect.logWarning(
              `Cable: "${event.event}" events do not match the SDK's schema (at ${paths}); they are delivered as ` +
                `Undecodable and counted in bevatel_cable_undecodable_events_total. The server may be newer than ` +
                `this SDK: please report it with the server's version.`
            )
          })
        ), { discard: true })

    /** One socket, from open to its end; always fails, with why it ended. */
    const connectOnce = (attempt: number, onConfirmed: Effect.Effect<void>) =>
      Effect.gen(function*() {
        const socket = yield* Socket.makeWebSocket(url, {
          protocols: [...CableFrame.protocols],
          closeCodeIsError: () => true,
          ...(options.openTimeout === undefined ? {} : { openTimeout: options.openTimeout })
        }).pipe(Effect.provideService(Socket.WebSocketConstructor, constructor))
        const write = yield* socket.writer
        // Batches of broadcasts and control frames, in frame order, for the processor (see `onFrame`).
        const inbox = Inbox.make<Batch | ControlFrame | { readonly end: AttemptFailed }>()
        const ended = yield* Deferred.make<never, AttemptFailed | Fatal>()
        const runFork = yield* FiberSet.makeRuntime<never, void, never>()
        let lastFrameAt = clock.unsafeCurrentTimeMillis()
        let sawFrame = false
        const timers = new Map<string, ReturnType<typeof runFork>>()

        const send = (command: CableFrame.ClientCommand) => Effect.ignore(write(encodeCommand(command)))
        const current: Connection = {
          send,
          subscribe: (subscription) => {
            runFork(send({ command: "subscribe", identifier: subscription.identifier }))
            timers.get(subscription.identifier)?.unsafeInterruptAsFork(FiberId.none)
            timers.set(
              subscription.identifier,
              runFork(
                Effect.sleep(confirmTimeout).pipe(Effect.zipRight(Effect.suspend(() => confirmationTimedOut(subscription))))
              )
            )
          },
          unsubscribe: (identifier) => {
            runFork(send({ command: "unsubscribe", identifier }))
          }
        }

        const confirmationTimedOut = (subscription: Subscription) =>
          Effect.gen(function*() {
            if (subscription.confirmed || subscriptions.get(subscription.identifier) !== subscription) return
            subscription.timeouts += 1
            if (subscription.timeouts >= confirmAttempts) {
              yield* failSubscription(
                subscription,
                new CableError.SubscriptionTimeout({ attempts: subscription.timeouts, timeout: confirmTimeout })
              )
              if (subscriptions.size === 0 || allConfirmed()) return
            }
            // The server ignores a repeated subscribe on the same socket: retry on a fresh one.
            yield* Deferred.fail(ended, new AttemptFailed({ failure: ConnectionFailure.ConnectionFailure.SubscriptionUnconfirmed() }))
          })

        // The hot path runs in the socket's own callback, frame by frame: a broadcast is parsed, decoded and added to
        // the open batch at once, so nothing but the batch outlives the frame. A batch enters the inbox when it opens;
        // a control frame closes it and follows it, so the processor sees everything in frame order.
        let open: Batch | undefined
        const openBatch = (): Batch => {
          if (open === undefined) {
            open = { messages: new Map(), counts: new Map(), undecodable: [], malformed: 0 }
            inbox.offer(open)
          }
          return open
        }
        const onFrame = (text: string) => {
          const json = parseJson(text)
          if (isBroadcast(json)) {
            if (!subscriptions.has(json.identifier)) return
            const batch = openBatch()
            const decoded = decodeEvent(json.message)
            if (Either.isLeft(decoded)) {
              batch.malformed += 1
              return
            }
            const event = decoded.right
            batch.counts.set(event.event, (batch.counts.get(event.event) ?? 0) + 1)
            if (event._tag === "Undecodable") batch.undecodable.push(event)
            const messages = batch.messages.get(json.identifier)
            // The event as it came, when asked (`keepWire`): it decoded, so it is `{event: string, data}` at least.
            const wire = keepWire ? json.message as CableEvent.WireEvent : undefined
            if (messages === undefined) batch.messages.set(json.identifier, [eventMessage(event, wire)])
            else messages.push(eventMessage(event, wire))
            return
          }
          const decoded = decodeFrame(json)
          if (Either.isLeft(decoded) || !("type" in decoded.right)) {
            openBatch().malformed += 1
            return
          }
          const frame = decoded.right
          if (frame.type === "ping") return
          open = undefined
          inbox.offer(frame)
        }

        const deliverBatch = (batch: Batch) =>
          Effect.all([
            Effect.forEach(batch.messages, ([identifier, messages]) => {
              const subscription = subscriptions.get(identifier)
              return subscription === undefined ? Effect.void : deliver(subscription, messages)
            }, { discard: true }),
            Effect.forEach(batch.counts, ([name, count]) => Metric.incrementBy(eventCounter(name), count), { discard: true }),
            reportUndecodable(batch.undecodable),
            batch.malformed === 0 ? Effect.void : Effect.zipRight(
              Metric.incrementBy(CableMetrics.malformedFrames, batch.malformed),
              Effect.logWarning(`Cable: ignored ${batch.malformed} frame(s) that did not decode`)
            )
          ], { discard: true })

        /** What a control frame asks for. */
        const control = (frame: ControlFrame): Effect.Effect<void, AttemptFailed | Fatal> => {
          switch (frame.type) {
            case "welcome":
              return Effect.sync(() => {
                connection = current
                for (const subscription of subscriptions.values()) current.subscribe(subscription)
                if (presenceInterval !== undefined) {
                  const updatePresence = Effect.suspend(() =>
                    Effect.forEach(
                      [...subscriptions.values()].filter((s) => s.confirmed),
                      (s) => send({ command: "message", identifier: s.identifier, data: { action: "update_presence" } }),
                      { discard: true }
                    )
                  )
                  runFork(
                    updatePresence.pipe(
                      Effect.repeat(Schedule.spaced(presenceInterval)),
                      Effect.delay(presenceInterval),
                      Effect.asVoid
                    )
                  )
                }
              })
            case "confirm_subscription":
              return Effect.suspend(() => {
                const subscription = subscriptions.get(frame.identifier)
                if (!subscription) return Effect.void
                timers.get(frame.identifier)?.unsafeInterruptAsFork(FiberId.none)
                subscription.confirmed = true
                subscription.timeouts = 0
                const resumed = subscription.everConfirmed
                subscription.everConfirmed = true
                return Effect.zipRight(
                  deliver(subscription, [SubscriptionMessage.Confirmed({ resumed })]),
                  Effect.suspend(() => {
                    if (!allConfirmed()) return Effect.void
                    return Effect.zipRight(onConfirmed, setState(ConnectionState.Connected()))
                  })
                )
              })
            case "reject_subscription":
              return Effect.suspend(() => {
                const subscription = subscriptions.get(frame.identifier)
                return subscription ? failSubscription(subscription, new CableError.SubscriptionRejected()) : Effect.void
              })
            case "disconnect": {
              const reason = frame.reason ?? "unspecified"
              return frame.reconnect === false
                ? Effect.fail(new CableError.ServerDisconnected({ reason }))
                : Effect.fail(new AttemptFailed({ failure: ConnectionFailure.ConnectionFailure.ServerAsked({ reason }) }))
            }
          }
        }

        const processor = Effect.gen(function*() {
          while (true) {
            const items = yield* inbox.takeAll
            // Every batch taken is closed: frames from now on go to a new one, behind whatever comes next.
            open = undefined
            for (const item of items) {
              if ("messages" in item) yield* deliverBatch(item)
              else if ("end" in item) return yield* Effect.fail(item.end)
              else yield* control(item)
            }
          }
        })

        // Any frame counts as liveness. The watchdog sleeps until the moment the connection would turn stale and
        // checks again, so silence is noticed `staleAfter` after the last frame, on the Clock (exact under the
        // TestClock, and immune to a timer that fired late).
        const staleMillis = Duration.toMillis(staleAfter)
        const watchdog = Effect.gen(function*() {
          while (true) {
            const silentFor = clock.unsafeCurrentTimeMillis() - lastFrameAt
            if (silentFor >= staleMillis) {
              yield* Metric.increment(CableMetrics.staleConnections)
              return yield* Effect.fail(
                new AttemptFailed({
                  failure: sawFrame
                    ? ConnectionFailure.ConnectionFailure.Stale({ silentFor: Duration.millis(silentFor) })
                    : ConnectionFailure.ConnectionFailure.NoWelcome({ url, waited: Duration.millis(silentFor) })
                })
              )
            }
            yield* Effect.sleep(Duration.millis(staleMillis - silentFor))
          }
        })

        const run = socket.runRaw((data) => {
          sawFrame = true
          lastFrameAt = clock.unsafeCurrentTimeMillis()
          onFrame(typeof data === "string" ? data : decoder.decode(data))
        }).pipe(
          Effect.matchEffect({
            onFailure: (error) =>
              Effect.sync(() => inbox.offer({ end: new AttemptFailed({ failure: ConnectionFailure.fromSocketError(url, error) }) })),
            onSuccess: () =>
              Effect.sync(() =>
                inbox.offer({ end: new AttemptFailed({ failure: ConnectionFailure.ConnectionFailure.Closed({ code: 1000 }) }) })
              )
          })
        )

        yield* Effect.forkScoped(run)
        yield* Effect.forkScoped(Effect.catchAll(watchdog, (error) => Deferred.fail(ended, error)))
        return yield* Effect.raceFirst(processor, Deferred.await(ended))
      }).pipe(
        Effect.scoped,
        Effect.ensuring(Effect.sync(() => {
          connection = undefined
          for (const subscription of subscriptions.values()) subscription.confirmed = false
        })),
        Effect.withSpan("Cable.connect", { attributes: { attempt } })
      )

    /**
     * The outage under way, for logs that stay readable: a warning when it starts and when its cause changes, debug
     * lines for repeated attempts, and one info line when the cable is live again.
     */
    let outage: { readonly since: number; kind: string; attempts: number } | undefined
    const reportFailure = (failure: ConnectionFailure.ConnectionFailure, delay: Duration.Duration) =>
      Effect.suspend(() => {
        const kind = ConnectionFailure.kind(failure)
        const text = `Cable: ${ConnectionFailure.describe(failure)}; reconnecting in ${Duration.format(delay)}`
        if (outage === undefined) {
          outage = { since: clock.unsafeCurrentTimeMillis(), kind, attempts: 1 }
          return Effect.logWarning(text)
        }
        outage.attempts += 1
        if (outage.kind === kind) return Effect.logDebug(`${text} (attempt ${outage.attempts})`)
        outage.kind = kind
        return Effect.logWarning(`${text} (the cause changed, attempt ${outage.attempts})`)
      })
    const reportLive = Effect.suspend(() => {
      if (outage === undefined) return Effect.void
      const { attempts, since } = outage
      outage = undefined
      return Effect.logInfo(
        `Cable: live again after ${Duration.format(Duration.millis(clock.unsafeCurrentTimeMillis() - since))} ` +
          `(${attempts} failed attempt(s))`
      )
    })

    /** Connects, and reconnects on the schedule, until no subscription is left or a fatal error. */
    const loop = Effect.gen(function*() {
      let scheduleState = schedule.initial
      let attempt = 0
      let confirmedAt: number | undefined
      while (true) {
        attempt += 1
        if (attempt > 1) yield* Metric.increment(CableMetrics.reconnects)
        yield* setState(ConnectionState.Connecting({ attempt }))
        confirmedAt = undefined
        const failure = yield* Effect.flip(connectOnce(
          attempt,
          Effect.zipRight(Effect.sync(() => (confirmedAt = clock.unsafeCurrentTimeMillis())), reportLive)
        ))
        if (failure._tag !== "AttemptFailed") return yield* Effect.fail(failure)
        const now = clock.unsafeCurrentTimeMillis()
        if (confirmedAt !== undefined && now - confirmedAt >= stableAfter) {
          // A stable connection just ended: count and back off as if it had been the first attempt.
          scheduleState = schedule.initial
          attempt = 1
        }
        const [nextState, , decision] = yield* schedule.step(now, failure, scheduleState)
        if (ScheduleDecision.isDone(decision)) {
          return yield* Effect.fail(new CableError.ReconnectExhausted({ attempts: attempt, lastFailure: failure.reason }))
        }
        scheduleState = nextState
        const delay = Duration.millis(Math.max(0, Math.round(ScheduleIntervals.start(decision.intervals) - now)))
        yield* reportFailure(failure.failure, delay)
        yield* setState(ConnectionState.Reconnecting({ attempt, delay, failure: failure.failure, reason: failure.reason }))
        yield* Effect.sleep(delay)
      }
    }).pipe(
      Effect.catchAll((fatal: Fatal) =>
        Effect.gen(function*() {
          yield* Effect.logWarning(`Cable: closed for good: ${fatal.message}`)
          for (const subscription of [...subscriptions.values()]) yield* failSubscription(subscription, fatal)
          yield* setState(ConnectionState.Closed({ reason: fatal.message }))
        })
      ),
      Effect.interruptible
    )

    const ensureConnected = FiberHandle.run(loopHandle, loop, { onlyIfMissing: true })

    const identifierOf = (subscriber: Cable.Subscriber): Either.Either<string, CableError.InvalidToken> => {
      const token = typeof subscriber === "string" ? subscriber : subscriber.pubsub_token
      return Either.mapBoth(Schema.decodeUnknownEither(Identifiers.PubsubToken)(token), {
        onLeft: () => new CableError.InvalidToken({ description: "it is empty" }),
        onRight: (pubsub_token) => encodeIdentifier({ channel: "RoomChannel", pubsub_token })
      })
    }

    /** Adds a consumer to the subscription (created on first use) until the scope closes. */
    const attach = (identifier: string, consumer: Cable.Consumer) =>
      Effect.acquireRelease(
        Effect.gen(function*() {
          const existing = subscriptions.get(identifier)
          if (existing) {
            existing.consumers.add(consumer)
            // A late consumer of a confirmed subscription learns it is live.
            if (existing.confirmed) yield* consumer.offerAll([SubscriptionMessage.Confirmed({ resumed: false })])
          } else {
            const subscription: Subscription = {
              identifier,
              consumers: new Set([consumer]),
              confirmed: false,
              everConfirmed: false,
              timeouts: 0
            }
            subscriptions.set(identifier, subscription)
            connection?.subscribe(subscription)
          }
          yield* ensureConnected
        }),
        () =>
          Effect.gen(function*() {
            const subscription = subscriptions.get(identifier)
            if (subscription) {
              subscription.consumers.delete(consumer)
              if (subscription.consumers.size === 0) {
                subscriptions.delete(identifier)
                connection?.unsubscribe(identifier)
              }
            }
            // After a fatal error the loop has ended and the state stays Closed.
            if (subscriptions.size === 0 && Option.isSome(FiberHandle.unsafeGet(loopHandle))) {
              yield* FiberHandle.clear(loopHandle)
              yield* setState(ConnectionState.Idle())
            }
          })
      )

    const acquire = (identifier: string) =>
      Effect.gen(function*() {
        const mailbox = yield* Effect.acquireRelease(
          Mailbox.make<SubscriptionMessage, CableError.CableError>({ capacity: bufferSize, strategy: "suspend" }),
          (mailbox) => mailbox.shutdown
        )
        yield* attach(identifier, mailbox)
        return mailbox
      })

    const subscribe = (subscriber: Cable.Subscriber): Stream.Stream<SubscriptionMessage, CableError.CableError> =>
      Either.match(identifierOf(subscriber), {
        onLeft: (error): Stream.Stream<SubscriptionMessage, CableError.CableError> => Stream.fail(error),
        onRight: (identifier) =>
          Stream.unwrapScoped(Effect.map(acquire(identifier), Mailbox.toStream))
      })

    const service: Cable.Service = {
      subscribe,
      deliverTo: (subscriber, consumer) =>
        Either.match(identifierOf(subscriber), {
          onLeft: (error): Effect.Effect<void, CableError.CableError, Scope.Scope> => Effect.fail(error),
          onRight: (identifier) => attach(identifier, consumer)
        }),
      events: (subscriber) =>
        subscribe(subscriber).pipe(
          Stream.filterMap((message) => message._tag === "Event" ? Option.some(message.event) : Option.none())
        ),
      perform: (subscriber, action, data = {}) =>
        Effect.gen(function*() {
          const identifier = yield* identifierOf(subscriber)
          const subscription = subscriptions.get(identifier)
          if (!subscription) return yield* new CableError.NotSubscribed({ action })
          yield* state.changes.pipe(
            Stream.filter(() => subscription.confirmed && connection !== undefined),
            Stream.take(1),
            Stream.runDrain
          )
          yield* connection!.send({ command: "message", identifier, data: { ...data, action } })
        }),
      state: state.changes,
      currentState: SubscriptionRef.get(state)
    }
    return service
  })

