/**
 * Many customers on one socket: `@bevatel/client`'s `Customers` beside `@rails/actioncable` holding the same number
 * of subscriptions on one consumer. The local server runs in its own process (heap and CPU are the client's only),
 * with the real server's throttle of 3,000 requests a minute; the SDK runs with a `RequestBudget` of the same.
 *
 * Reports: time until every conversation is live, heap per conversation after GC, CPU per delivered agent reply,
 * recovery time and requests after a server restart, and 429s received.
 */
import { Cable } from "@bevatel/cable"
import { Customers } from "@bevatel/client"
import { ClientApi, RequestBudget } from "@bevatel/http"
import { HttpClient } from "@effect/platform"
import { NodeHttpClient, NodeSocket } from "@effect/platform-node"
import * as ActionCable from "@rails/actioncable"
import { Effect, Exit, Layer, ManagedRuntime, Scope, Stream } from "effect"
import { type ChildProcess, fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import { type Row, waitFor } from "./sections.js"

const requestsPerMinute = Number(process.env.BENCH_REQUESTS_PER_MINUTE ?? 3_000)
const script = fileURLToPath(new URL("./localServerProcess.js", import.meta.url))

interface Opened {
  readonly sourceId: string
  readonly pubsubToken: string
  readonly conversationId: number
}

/** The server process and a call over IPC. */
const startServer = () =>
  new Promise<{ child: ChildProcess; url: string; inbox: string; call: <A>(op: string, extra?: object) => Promise<A> }>((resolve, reject) => {
    const child = fork(script, ["--throttle", String(requestsPerMinute)], { stdio: ["ignore", "ignore", "inherit", "ipc"] })
    const pending = new Map<number, (message: { result?: unknown; error?: string }) => void>()
    let next = 0
    child.on("message", (message: { ready?: string; inbox?: string; id?: number; result?: unknown; error?: string }) => {
      if (message.ready !== undefined) {
        resolve({
          child,
          url: message.ready,
          inbox: message.inbox!,
          call: <A>(op: string, extra: object = {}) =>
            new Promise<A>((done, fail) => {
              const id = next++
              pending.set(id, (answer) => answer.error !== undefined ? fail(new Error(answer.error)) : done(answer.result as A))
              child.send({ id, op, ...extra })
            })
        })
      } else if (message.id !== undefined) {
        pending.get(message.id)?.(message)
        pending.delete(message.id)
      }
    })
    child.once("exit", (code) => reject(new Error(`local server exited with ${code}`)))
  })

const heapMb = () => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error("run the benchmarks with node --expose-gc")
  gc()
  gc()
  return process.memoryUsage().heapUsed / (1024 * 1024)
}
const cpuMicros = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since)
  return used.user + used.system
}

const bevatel = async (count: number, rows: Array<Row>, section: string) => {
  const server = await startServer()
  const opened = await server.call<ReadonlyArray<Opened>>("seed", { count })
  let requests = 0
  let tooMany = 0
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(
      ClientApi.layer({
        baseUrl: server.url,
        inboxIdentifier: server.inbox,
        transformClient: (client) =>
          client.pipe(
            HttpClient.tapRequest(() => Effect.sync(() => requests++)),
            HttpClient.tap((response) => Effect.sync(() => response.status === 429 && tooMany++))
          )
      }).pipe(Layer.provide(RequestBudget.layer({ requestsPerMinute }))),
      Cable.layer({ url: server.url, presenceInterval: false })
    ).pipe(Layer.provide(Layer.mergeAll(NodeHttpClient.layerUndici, NodeSocket.layerWebSocketConstructor)))
  )
  const before = heapMb()
  let replies = 0
  let resumed = 0
  // The service lives as long as this scope, closed with the runtime.
  const scope = await runtime.runPromise(Scope.make())
  const customers = await runtime.runPromise(Scope.extend(Customers.make({ concurrency: 16 }), scope))
  runtime.runFork(customers.events.pipe(Stream.runForEach((item) =>
    Effect.sync(() => {
      if (item._tag !== "Event") return
      if (item.event._tag === "MessageAdded" && item.event.origin === "live") replies++
      if (item.event._tag === "Resumed") resumed++
    })
  )))
  const started = performance.now()
  await runtime.runPromise(Effect.forEach(opened, (o) => customers.add({ sourceId: o.sourceId, pubsubToken: o.pubsubToken }), {
    concurrency: 200,
    discard: true
  }))
  const live = performance.now() - started
  const after = heapMb()
  const cpuBefore = process.cpuUsage()
  await server.call("replyAll")
  await waitFor(() => replies >= count, 600_000)
  const cpu = cpuMicros(cpuBefore) / count
  const requestsBefore = requests
  const restartAt = performance.now()
  await server.call("restart", { downForMs: 1000 })
  await waitFor(() => resumed >= count, 900_000)
  const recovery = performance.now() - restartAt
  const throttled = await server.call<number>("throttled")
  await runtime.runPromise(Scope.close(scope, Exit.void))
  await runtime.dispose()
  server.child.kill("SIGKILL")
  rows.push(
    { section, client: "@bevatel/client", metric: `time until ${count} conversations live (budget ${requestsPerMinute}/min)`, value: Math.round(live), unit: "ms" },
    { section, client: "@bevatel/client", metric: "heap per conversation after GC", value: Number((((after - before) * 1024) / count).toFixed(1)), unit: "KB", target: "≤ 16 KB" },
    { section, client: "@bevatel/client", metric: "cpu per agent reply (all events of it)", value: Number(cpu.toFixed(1)), unit: "µs" },
    { section, client: "@bevatel/client", metric: "recovery after a server restart (1 s down)", value: Math.round(recovery), unit: "ms" },
    { section, client: "@bevatel/client", metric: "requests per recovered conversation", value: Number(((requests - requestsBefore) / count).toFixed(2)), unit: "" },
    { section, client: "@bevatel/client", metric: "429s received (server count)", value: Math.max(throttled, tooMany), unit: "", target: "0" }
  )
  return { heapPerConversation: ((after - before) * 1024) / count, cpu }
}

const rails = async (count: number, rows: Array<Row>, section: string, reference: { heapPerConversation: number; cpu: number }) => {
  const server = await startServer()
  const opened = await server.call<ReadonlyArray<Opened>>("seed", { count })
  const before = heapMb()
  let confirmed = 0
  let replies = 0
  const consumer = ActionCable.createConsumer(`${server.url.replace(/^http/, "ws")}/cable`)
  const started = performance.now()
  for (const o of opened) {
    consumer.subscriptions.create({ channel: "RoomChannel", pubsub_token: o.pubsubToken }, {
      connected: () => confirmed++,
      received: (data: { event?: string; data?: { message_type?: number } }) => {
        if (data.event === "message.created") replies++
      }
    })
  }
  await waitFor(() => confirmed >= count, 600_000)
  const live = performance.now() - started
  const after = heapMb()
  const cpuBefore = process.cpuUsage()
  await server.call("replyAll")
  await waitFor(() => replies >= count, 600_000)
  const cpu = cpuMicros(cpuBefore) / count
  consumer.disconnect()
  server.child.kill("SIGKILL")
  const heap = ((after - before) * 1024) / count
  rows.push(
    { section, client: "@rails/actioncable", metric: `time until ${count} subscriptions confirmed (no history, no recovery)`, value: Math.round(live), unit: "ms" },
    { section, client: "@rails/actioncable", metric: "heap per subscription after GC", value: Number(heap.toFixed(1)), unit: "KB" },
    { section, client: "@rails/actioncable", metric: "cpu per agent reply (all events of it)", value: Number(cpu.toFixed(1)), unit: "µs" },
    { section, client: "@bevatel/client", metric: "heap per conversation, beside", value: Number(reference.heapPerConversation.toFixed(1)), unit: "KB", ratio: Number((reference.heapPerConversation / heap).toFixed(2)), reference: "@rails/actioncable" },
    { section, client: "@bevatel/client", metric: "cpu per agent reply, beside", value: Number(reference.cpu.toFixed(1)), unit: "µs", ratio: Number((reference.cpu / cpu).toFixed(2)), reference: "@rails/actioncable" }
  )
}

/** 7. Many customers on one socket, for each count (default 1,000 and 10,000; `BENCH_MANY=1000` for one). */
export const manyCustomers = async (rows: Array<Row>) => {
  const counts = (process.env.BENCH_MANY ?? "1000,10000").split(",").map(Number)
  for (const count of counts) {
    const section = `many customers on one socket: ${count} conversations (throttle ${requestsPerMinute}/min)`
    const ours = await bevatel(count, rows, section)
    await rails(count, rows, section, ours)
  }
}
