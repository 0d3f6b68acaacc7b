import { Duration, Effect, Option, Queue, Scope } from "effect"
import WebSocket from "ws"

/** A JSON request to the server, answered as status, headers and body. */
export const request = (
  url: string,
  init: { readonly method?: string; readonly body?: unknown; readonly headers?: Record<string, string> } = {}
) =>
  Effect.promise(async () => {
    const response = await fetch(url, {
      method: init.method ?? "GET",
      headers: { ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) })
    })
    const text = await response.text()
    let json: any = undefined
    try {
      json = text === "" ? undefined : JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: response.status, headers: response.headers, text, json }
  })

/** An open WebSocket to `/cable` whose frames queue up, parsed, and which closes with the scope. */
export interface CableClient {
  readonly frames: Queue.Queue<any>
  readonly closed: Effect.Effect<{ readonly code: number }>
  readonly send: (frame: unknown) => Effect.Effect<void>
  readonly socket: WebSocket
}

export const openCable = (url: string): Effect.Effect<CableClient, never, Scope.Scope> =>
  Effect.gen(function*() {
    const frames = yield* Queue.unbounded<any>()
    const socket = yield* Effect.acquireRelease(
      Effect.sync(() => new WebSocket(url, ["actioncable-v1-json"])),
      (socket) => Effect.sync(() => socket.terminate())
    )
    let closeCode: { code: number } | undefined
    const closedWaiters: Array<(value: { code: number }) => void> = []
    socket.on("message", (data) => {
      const text = data.toString()
      try {
        Queue.unsafeOffer(frames, JSON.parse(text))
      } catch {
        Queue.unsafeOffer(frames, { raw: text })
      }
    })
    socket.on("close", (code) => {
      closeCode = { code }
      for (const waiter of closedWaiters) waiter(closeCode)
    })
    yield* Effect.async<void>((resume) => {
      socket.once("open", () => resume(Effect.void))
      socket.once("error", () => resume(Effect.void))
    })
    return {
      frames,
      socket,
      closed: Effect.async<{ code: number }>((resume) => {
        if (closeCode) return resume(Effect.succeed(closeCode))
        closedWaiters.push((value) => resume(Effect.succeed(value)))
      }),
      send: (frame) => Effect.sync(() => socket.send(typeof frame === "string" ? frame : JSON.stringify(frame)))
    }
  })

/** The next frame that matches, skipping others; fails the test after a generous timeout. */
export const nextFrame = (cable: CableClient, predicate: (frame: any) => boolean, timeout: Duration.DurationInput = "10 seconds") =>
  Queue.take(cable.frames).pipe(
    Effect.repeat({ until: predicate }),
    Effect.timeoutFail({ duration: timeout, onTimeout: () => new Error("no matching frame arrived") }),
    Effect.orDie
  )

/** Whether a matching frame arrives within a window (used only to show that something never comes). */
export const frameWithin = (cable: CableClient, predicate: (frame: any) => boolean, window: Duration.DurationInput) =>
  Queue.take(cable.frames).pipe(Effect.repeat({ until: predicate }), Effect.timeoutOption(window), Effect.map(Option.isSome))

export const isEvent = (name: string) => (frame: any) => frame?.message?.event === name

export const roomIdentifier = (token: string) => JSON.stringify({ channel: "RoomChannel", pubsub_token: token })

export const subscribe = (cable: CableClient, token: string) =>
  Effect.gen(function*() {
    const identifier = roomIdentifier(token)
    yield* cable.send({ command: "subscribe", identifier })
    yield* nextFrame(cable, (frame) => frame.type === "confirm_subscription" && frame.identifier === identifier)
    return identifier
  })
