/**
 * A minimal ActionCable server for benchmarks, run as its own process so that its CPU never counts as a
 * client's: it welcomes, pings every 3 s and confirms every `RoomChannel` subscription.
 * - `POST /burst?count=N&start=S&conversation=C` sends N realistic `message.created` frames (ids S+1…S+N, in
 *   conversation C) to every subscriber; with `&set=golden`, N frames of the golden corpus in turn instead; with
 *   `&token=T`, only to the subscription of that `pubsub_token`;
 * - `POST /half-open` makes every open socket silent (no pings, no frames, input ignored) while it stays open.
 * Prints `listening <port>` when ready.
 */
import { createServer } from "node:http"
import { WebSocketServer, type WebSocket } from "ws"
import { goldenFrame, messageCreatedFrame } from "./frames.js"

const port = Number(process.argv[2] ?? 0)
const subscribers = new Map<WebSocket, Set<string>>()
const silent = new Set<WebSocket>()

const http = createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://bench")
  if (request.method === "POST" && url.pathname === "/burst") {
    const count = Number(url.searchParams.get("count") ?? "1")
    const start = Number(url.searchParams.get("start") ?? "0")
    const conversation = Number(url.searchParams.get("conversation") ?? "3")
    const golden = url.searchParams.get("set") === "golden"
    const token = url.searchParams.get("token")
    let sent = 0
    for (const [socket, identifiers] of subscribers) {
      if (silent.has(socket)) continue
      for (const identifier of identifiers) {
        if (token !== null && (JSON.parse(identifier) as { pubsub_token?: string }).pubsub_token !== token) continue
        for (let i = 1; i <= count; i++) {
          socket.send(golden ? goldenFrame(identifier, start + i) : messageCreatedFrame(identifier, start + i, conversation))
        }
        sent += count
      }
    }
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ sent }))
    return
  }
  if (request.method === "POST" && url.pathname === "/half-open") {
    for (const socket of subscribers.keys()) silent.add(socket)
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ sockets: silent.size }))
    return
  }
  response.writeHead(404).end()
})

const wss = new WebSocketServer({ server: http, path: "/cable" })
wss.on("connection", (socket) => {
  subscribers.set(socket, new Set())
  socket.send(JSON.stringify({ type: "welcome" }))
  socket.on("message", (data) => {
    if (silent.has(socket)) return
    const command = JSON.parse(String(data)) as { command: string; identifier: string }
    if (command.command === "subscribe") {
      subscribers.get(socket)?.add(command.identifier)
      socket.send(JSON.stringify({ identifier: command.identifier, type: "confirm_subscription" }))
    } else if (command.command === "unsubscribe") {
      subscribers.get(socket)?.delete(command.identifier)
    }
  })
  socket.on("close", () => {
    subscribers.delete(socket)
    silent.delete(socket)
  })
})
setInterval(() => {
  const ping = JSON.stringify({ type: "ping", message: Math.floor(Date.now() / 1000) })
  for (const socket of subscribers.keys()) if (!silent.has(socket)) socket.send(ping)
}, 3000).unref()

http.listen(port, "127.0.0.1", () => {
  const address = http.address()
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : port}\n`)
})
