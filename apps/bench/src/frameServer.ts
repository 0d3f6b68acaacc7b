/**
 * A minimal ActionCable server for benchmarks, run as its own process so that its CPU never counts as a
 * client's: it welcomes, pings every 3 s, confirms every `RoomChannel` subscription, and on `POST /burst?count=N`
 * sends N realistic `message.created` frames to every subscriber. Prints `listening <port>` when ready.
 */
import { createServer } from "node:http"
import { WebSocketServer, type WebSocket } from "ws"
import { messageCreatedFrame } from "./frames.js"

const port = Number(process.argv[2] ?? 0)
const subscribers = new Map<WebSocket, Set<string>>()

const http = createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://bench")
  if (request.method === "POST" && url.pathname === "/burst") {
    const count = Number(url.searchParams.get("count") ?? "1")
    let sent = 0
    for (const [socket, identifiers] of subscribers) {
      for (const identifier of identifiers) {
        for (let i = 0; i < count; i++) socket.send(messageCreatedFrame(identifier, i + 1))
        sent += count
      }
    }
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ sent }))
    return
  }
  response.writeHead(404).end()
})

const wss = new WebSocketServer({ server: http, path: "/cable" })
wss.on("connection", (socket) => {
  subscribers.set(socket, new Set())
  socket.send(JSON.stringify({ type: "welcome" }))
  socket.on("message", (data) => {
    const command = JSON.parse(String(data)) as { command: string; identifier: string }
    if (command.command === "subscribe") {
      subscribers.get(socket)?.add(command.identifier)
      socket.send(JSON.stringify({ identifier: command.identifier, type: "confirm_subscription" }))
    } else if (command.command === "unsubscribe") {
      subscribers.get(socket)?.delete(command.identifier)
    }
  })
  socket.on("close", () => subscribers.delete(socket))
})
setInterval(() => {
  const ping = JSON.stringify({ type: "ping", message: Math.floor(Date.now() / 1000) })
  for (const socket of subscribers.keys()) socket.send(ping)
}, 3000).unref()

http.listen(port, "127.0.0.1", () => {
  const address = http.address()
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : port}\n`)
})
