/**
 * The clients compared, behind one small interface: connect to `url` (the installation), subscribe to
 * `RoomChannel` with a token, and report each event and each (re)confirmation.
 */
import { createCable } from "@anycable/core"
import { Cable, type SubscriptionMessage } from "@bevatel/cable"
import { NodeSocket } from "@effect/platform-node"
import * as ActionCable from "@rails/actioncable"
import { Effect, Fiber, Layer, ManagedRuntime, Stream } from "effect"
import WebSocket from "ws"

export interface Handlers {
  readonly onEvent: () => void
  readonly onConfirmed: () => void
}

export interface BenchClient {
  readonly name: string
  readonly connect: (url: string, token: string, handlers: Handlers) => Promise<{ readonly close: () => Promise<void> }>
}

const cableUrl = (url: string) => `${url.replace(/^http/, "ws")}/cable`
const identifierOf = (token: string) => JSON.stringify({ channel: "RoomChannel", pubsub_token: token })

/** Runs `consume` on a cable of its own (its own runtime and socket) until the connection is closed. */
const onOwnCable = (url: string, consume: (cable: Cable.Service) => Effect.Effect<unknown, unknown>) => {
  const runtime = ManagedRuntime.make(
    Cable.layer({ url, presenceInterval: false }).pipe(Layer.provide(NodeSocket.layerWebSocketConstructor))
  )
  const fiber = runtime.runFork(Effect.flatMap(Cable.Cable, consume))
  return {
    close: async () => {
      await runtime.runPromise(Fiber.interrupt(fiber))
      await runtime.dispose()
    }
  }
}

/** Reports a subscription message to the bench's handlers. */
const report = (handlers: Handlers, message: SubscriptionMessage.SubscriptionMessage) =>
  message._tag === "Event" ? handlers.onEvent() : handlers.onConfirmed()

/** Ours, the stream most code uses: full decoding of every frame and event through @bevatel/schema. */
export const bevatelCable: BenchClient = {
  name: "@bevatel/cable subscribe",
  connect: async (url, token, handlers) =>
    onOwnCable(url, (cable) =>
      cable.subscribe(token).pipe(
        Stream.runForEach((message) => Effect.sync(() => report(handlers, message)))
      ))
}

/**
 * Ours, the same stream pulled a chunk at a time (`Stream.toPull`) instead of run into a sink: Effect's
 * `Stream.runForEach` keeps each chunk reachable across young-generation collections (see the README).
 */
export const bevatelCablePulled: BenchClient = {
  name: "@bevatel/cable subscribe, pulled",
  connect: async (url, token, handlers) =>
    onOwnCable(url, (cable) =>
      Effect.scoped(Effect.gen(function*() {
        const pull = yield* Stream.toPull(cable.subscribe(token))
        while (true) {
          for (const message of yield* pull) report(handlers, message)
        }
      })))
}

/** Ours, the batch path: every event decoded, delivered in batches straight to a consumer, no stream in between. */
export const bevatelCableBatches: BenchClient = {
  name: "@bevatel/cable deliverTo",
  connect: async (url, token, handlers) =>
    onOwnCable(url, (cable) =>
      cable.deliverTo(token, {
        offerAll: (messages) =>
          Effect.sync(() => {
            for (const message of messages) report(handlers, message)
          }),
        fail: () => Effect.void
      }).pipe(Effect.zipRight(Effect.never), Effect.scoped))
}

// @rails/actioncable expects a browser.
ActionCable.adapters.WebSocket = WebSocket as never
const globals = globalThis as Record<string, unknown>
globals.addEventListener ??= () => {}
globals.removeEventListener ??= () => {}
globals.document ??= { visibilityState: "visible", addEventListener: () => {}, removeEventListener: () => {} }

/** The official client: JSON.parse per frame, callbacks per subscription, no decoding. */
export const railsActionCable: BenchClient = {
  name: "@rails/actioncable",
  connect: async (url, token, handlers) => {
    const consumer = ActionCable.createConsumer(cableUrl(url))
    consumer.subscriptions.create({ channel: "RoomChannel", pubsub_token: token }, {
      connected: () => handlers.onConfirmed(),
      received: () => handlers.onEvent()
    })
    return { close: async () => consumer.disconnect() }
  }
}

/** AnyCable's client, speaking plain ActionCable JSON. */
export const anyCable: BenchClient = {
  name: "@anycable/core",
  connect: async (url, token, handlers) => {
    const cable = createCable(cableUrl(url), {
      protocol: "actioncable-v1-json",
      websocketImplementation: WebSocket,
      logLevel: "error"
    })
    const channel = cable.subscribeTo("RoomChannel", { pubsub_token: token })
    channel.on("connect", () => handlers.onConfirmed())
    channel.on("message", () => handlers.onEvent())
    return { close: async () => cable.disconnect() }
  }
}

/** The floor: a raw `ws` socket and JSON.parse, no reconnection, no dispatch. */
export const rawWebSocket: BenchClient = {
  name: "ws + JSON.parse",
  connect: async (url, token, handlers) => {
    const socket = new WebSocket(cableUrl(url), ["actioncable-v1-json"])
    const identifier = identifierOf(token)
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as { type?: string; message?: unknown }
      if (frame.type === "welcome") socket.send(JSON.stringify({ command: "subscribe", identifier }))
      else if (frame.type === "confirm_subscription") handlers.onConfirmed()
      else if (frame.message !== undefined) handlers.onEvent()
    })
    return {
      close: async () => {
        socket.terminate()
      }
    }
  }
}
