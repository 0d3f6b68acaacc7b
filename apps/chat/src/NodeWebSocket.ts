/**
 * The WebSocket the app opens on Node: the `ws` package, whatever Node's version. Node 22+ has a built-in
 * WebSocket (undici), which `NodeSocket.layerWebSocketConstructor` prefers, but its failures say only "network
 * error or non-101 status code"; `ws` says which status a proxy answered, or which error code the connection
 * failed with — what the cable's `ConnectionFailure` and `bevatel-chat doctor` tell the user.
 */
import { Socket } from "@effect/platform"
import { Layer } from "effect"
import { WebSocket } from "ws"

export const layerWebSocketConstructor: Layer.Layer<Socket.WebSocketConstructor> = Layer.succeed(
  Socket.WebSocketConstructor,
  (url, protocols) => new WebSocket(url, protocols) as unknown as globalThis.WebSocket
)
