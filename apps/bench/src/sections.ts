/**
 * The benchmark sections beyond the cable's CPU and reconnect rows: stale detection, HTTP throughput, memory of
 * the lossless stream, and browser bundle size.
 */
import { Cable } from "@bevatel/cable"
import { ConversationStream } from "@bevatel/client"
import { ClientApi } from "@bevatel/http"
import { FetchHttpClient, HttpClient } from "@effect/platform"
import { NodeHttpClient, NodeSocket } from "@effect/platform-node"
import { Effect, Layer, ManagedRuntime, Stream } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { build } from "esbuild"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import type { BenchClient } from "./clients.js"

/** The numbers a section reports. */
export interface Row {
  readonly section: string
  readonly client: string
  readonly metric: string
  readonly value: number
  readonly unit: string
  readonly ratio?: number | undefined
  readonly reference?: string | undefined
  readonly target?: string | undefined
}

export const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
export const percentile = (values: ReadonlyArray<number>, p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
export const waitFor = async (condition: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) return false
    await sleep(1)
  }
  return true
}

/** Starts a script of this package (or another bin) as its own process; resolves when it prints a match. */
export const startProcess = (script: string, args: ReadonlyArray<string>, ready: RegExp) =>
  new Promise<{ readonly child: ChildProcess; readonly match: RegExpExecArray; readonly at: number }>((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "inherit"] })
    let output = ""
    child.stdout!.on("data", (chunk: Buffer) => {
      output += String(chunk)
      const match = ready.exec(output)
      if (match) resolve({ child, match, at: performance.now() })
    })
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)))
  })

export const stopProcess = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.removeAllListeners("exit")
    child.once("exit", () => resolve())
    child.kill("SIGKILL")
  })

const frameServerScript = fileURLToPath(new URL("./frameServer.js", import.meta.url))
const localServerBin = fileURLToPath(import.meta.resolve("@bevatel/local-server/package.json").replace("package.json", "dist/bin.js"))

export const startFrameServer = async (port = 0) => {
  const started = await startProcess(frameServerScript, [String(port)], /listening (\d+)/)
  return { child: started.child, port: Number(started.match[1]), listeningAt: started.at }
}

const post = (url: string) => fetch(url, { method: "POST" }).then((r) => r.json())

/** 3. Stale detection: from the server going silent (sockets open, no pings) to each client resubscribed. */
export const staleDetection = async (clients: ReadonlyArray<BenchClient>, rows: Array<Row>, reference: string) => {
  const server = await startFrameServer()
  const url = `http://127.0.0.1:${server.port}`
  const rounds = 3
  const state = clients.map((client) => ({ client, confirmations: 0, lastConfirmedAt: 0, latencies: [] as Array<number> }))
  const connections = await Promise.all(state.map((entry) =>
    entry.client.connect(url, `stale-${entry.client.name}`, {
      onEvent: () => {},
      onConfirmed: () => {
        entry.confirmations++
        entry.lastConfirmedAt = performance.now()
      }
    })
  ))
  await waitFor(() => state.every((entry) => entry.confirmations >= 1), 30_000)
  for (let round = 0; round < rounds; round++) {
    const before = state.map((entry) => entry.confirmations)
    const silentAt = performance.now()
    await post(`${url}/half-open`)
    await waitFor(() => state.every((entry, i) => entry.confirmations > before[i]!), 60_000)
    state.forEach((entry, i) => {
      if (entry.confirmations > before[i]!) entry.latencies.push(entry.lastConfirmedAt - silentAt)
    })
  }
  await Promise.all(connections.map((connection) => connection.close()))
  await stopProcess(server.child)
  const referenceValue = median(state.find((entry) => entry.client.name === reference)!.latencies)
  for (const entry of state) {
    const value = median(entry.latencies)
    rows.push({
      section: "stale detection (server goes silent, sockets stay open → resubscribed)",
      client: entry.client.name,
      metric: `median of ${entry.latencies.length} (max ${Math.round(Math.max(...entry.latencies))} ms)`,
      value: Math.round(value),
      unit: "ms",
      ratio: Number((value / referenceValue).toFixed(2)),
      reference,
      target: entry.client.name.startsWith("@bevatel/cable") ? "≤ 2 ping intervals + 1 s = 7000 ms" : undefined
    })
  }
}

/** 4. HTTP: create-message and list-messages through ClientApi, beside plain fetch, against the local server. */
export const httpThroughput = async (rows: Array<Row>) => {
  const started = await startProcess(localServerBin, ["--port", "0", "--inbox-identifier", "bench-inbox"], /ready at (\S+)/)
  const baseUrl = started.match[1]!
  const inboxUrl = `${baseUrl}/public/api/v1/inboxes/bench-inbox`
  const runtime = ManagedRuntime.make(
    ClientApi.layer({ baseUrl, inboxIdentifier: "bench-inbox" }).pipe(Layer.provide(FetchHttpClient.layer))
  )
  const api = await runtime.runPromise(ClientApi.ClientApi)
  // The same service over `@effect/platform-node`'s undici client, what a Node pipeline would use.
  const undiciRuntime = ManagedRuntime.make(
    ClientApi.layer({ baseUrl, inboxIdentifier: "bench-inbox" }).pipe(Layer.provide(NodeHttpClient.layerUndici))
  )
  const undiciApi = await undiciRuntime.runPromise(ClientApi.ClientApi)
  // The platform's fetch client alone (a GET and JSON.parse, no SDK): what any Effect program pays for the transport.
  const platformRuntime = ManagedRuntime.make(FetchHttpClient.layer)
  const platformClient = await platformRuntime.runPromise(HttpClient.HttpClient)
  const contact = await runtime.runPromise(api.contacts.create({ name: "bench" }))
  const requests = 2_000
  const concurrency = 8
  const rounds = 3
  // The server refuses a 200th message per conversation within a minute: spread the writes (two writers, every round).
  const conversations = await Promise.all(
    Array.from({ length: Math.ceil((2 * rounds * (requests + 100)) / 150) }, () =>
      runtime.runPromise(api.conversations.create(contact.source_id)))
  )
  const messagesUrl = (i: number) =>
    `${inboxUrl}/contacts/${contact.source_id}/conversations/${conversations[i % conversations.length]!.id}/messages`

  const measure = async (operation: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 100; i++) await operation(i) // warm-up
    const latencies: Array<number> = []
    let next = 0
    const startedAt = performance.now()
    // This process is only the client (the server has its own): its CPU time is what the client costs.
    const cpuBefore = process.cpuUsage()
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++
        const t = performance.now()
        await operation(i)
        latencies.push(performance.now() - t)
      }
    }))
    const cpu = process.cpuUsage(cpuBefore)
    const seconds = (performance.now() - startedAt) / 1000
    return { perSecond: requests / seconds, cpuPerRequest: (cpu.user + cpu.system) / requests, latencies }
  }

  const clients: ReadonlyArray<readonly [name: string, operation: (i: number) => Promise<unknown>]> = [
    ["fetch: create message", (i) =>
      fetch(messagesUrl(i), {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ content: `hello ${i}`, echo_id: crypto.randomUUID() })
      }).then((r) => r.json())],
    ["ClientApi: create message", (i) =>
      runtime.runPromise(api.messages.create(contact.source_id, conversations[i % conversations.length]!.id, { content: `hello ${i}` }))],
    ["fetch: list messages", (i) => fetch(messagesUrl(i), { headers: { accept: "application/json" } }).then((r) => r.json())],
    ["ClientApi: list messages", (i) =>
      runtime.runPromise(api.messages.list(contact.source_id, conversations[i % conversations.length]!.id))],
    ["HttpClient: list messages", (i) =>
      platformRuntime.runPromise(
        Effect.flatMap(platformClient.get(messagesUrl(i), { headers: { accept: "application/json" } }), (r) => r.json)
      )],
    ["ClientApi over undici: list messages", (i) =>
      undiciRuntime.runPromise(undiciApi.messages.list(contact.source_id, conversations[i % conversations.length]!.id))]
  ]
  // Rounds interleave the clients, so that a slower moment of this shared machine does not fall on one of them.
  const perRound = new Map(
    clients.map(([name]) => [name, [] as Array<{ perSecond: number; cpuPerRequest: number; latencies: Array<number> }>])
  )
  for (let round = 0; round < rounds; round++) {
    for (const [name, operation] of clients) perRound.get(name)!.push(await measure(operation))
  }
  const results = clients.map(([name]) => {
    const runs = perRound.get(name)!
    const latencies = runs.flatMap((run) => run.latencies)
    return {
      name,
      perSecond: median(runs.map((run) => run.perSecond)),
      cpuPerRequest: median(runs.map((run) => run.cpuPerRequest)),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99)
    }
  })
  await runtime.dispose()
  await undiciRuntime.dispose()
  await platformRuntime.dispose()
  await stopProcess(started.child)
  for (const result of results) {
    const [client, operation] = result.name.split(": ") as [string, string]
    const reference = results.find((r) => r.name === `fetch: ${operation}`)!
    rows.push({
      section: `HTTP ${operation} (median of ${rounds} interleaved rounds of ${requests} requests, ${concurrency} at a time)`,
      client: client === "fetch"
        ? "plain fetch"
        : client === "HttpClient"
        ? "@effect/platform alone (fetch)"
        : client === "ClientApi"
        ? "@bevatel/http (fetch)"
        : "@bevatel/http (undici)",
      metric: `requests/s (p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms; client CPU ${
        Math.round(result.cpuPerRequest)
      } µs per request, ${(result.cpuPerRequest / reference.cpuPerRequest).toFixed(2)}×)`,
      value: Math.round(result.perSecond),
      unit: "/s",
      ratio: Number((result.perSecond / reference.perSecond).toFixed(2)),
      reference: "plain fetch",
      target: client === "fetch" || client === "HttpClient"
        ? undefined
        : operation === "list messages"
        ? "≥ 0.9× plain fetch"
        : "≥ 0.8× plain fetch"
    })
  }
}

/** 5. Memory: heap after 100 k and after 1 M events through the lossless conversation stream. */
export const streamMemory = async (rows: Array<Row>) => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error("run the benchmarks with node --expose-gc")
  const api = await startProcess(localServerBin, ["--port", "0", "--inbox-identifier", "memory-inbox"], /ready at (\S+)/)
  const frames = await startFrameServer()
  const baseUrl = api.match[1]!
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(
      ClientApi.layer({ baseUrl, inboxIdentifier: "memory-inbox" }),
      Cable.layer({ url: `http://127.0.0.1:${frames.port}`, presenceInterval: false })
    ).pipe(Layer.provide(Layer.mergeAll(FetchHttpClient.layer, NodeSocket.layerWebSocketConstructor)))
  )
  const client = await runtime.runPromise(ClientApi.ClientApi)
  const contact = await runtime.runPromise(client.contacts.create({ name: "memory" }))
  const conversation = await runtime.runPromise(client.conversations.create(contact.source_id))
  let received = 0
  runtime.runFork(
    ConversationStream.make({
      sourceId: contact.source_id,
      pubsubToken: "memory-token",
      conversationId: conversation.id
    }).pipe(Stream.runForEach((event) => Effect.sync(() => (event._tag === "MessageAdded" ? received++ : undefined))))
  )
  await sleep(500)
  const burstSize = 50_000
  let sent = 0
  const feedTo = async (total: number) => {
    while (sent < total) {
      await post(`http://127.0.0.1:${frames.port}/burst?count=${burstSize}&start=${1_000 + sent}&conversation=${conversation.id}`)
      sent += burstSize
      await waitFor(() => received >= sent, 300_000)
    }
  }
  const heap = () => {
    gc()
    gc()
    return process.memoryUsage().heapUsed / (1024 * 1024)
  }
  await feedTo(100_000)
  const after100k = heap()
  await feedTo(1_000_000)
  const after1m = heap()
  await runtime.dispose()
  await stopProcess(frames.child)
  await stopProcess(api.child)
  rows.push(
    {
      section: "memory of the lossless conversation stream (heap after GC)",
      client: "after 100 k events",
      metric: "heap used",
      value: Number(after100k.toFixed(1)),
      unit: "MB"
    },
    {
      section: "memory of the lossless conversation stream (heap after GC)",
      client: "after 1 M events",
      metric: "heap used",
      value: Number(after1m.toFixed(1)),
      unit: "MB",
      ratio: Number((after1m / after100k).toFixed(2)),
      reference: "after 100 k events",
      target: "flat (≈ 1.0×)"
    }
  )
}

/** 6. Browser bundle: a minimal chat import, minified and gzipped by esbuild for the browser. */
export const bundleSizes = async (rows: Array<Row>) => {
  // The same minimal chat twice: importing each module (as Effect recommends for browsers) and through barrels.
  const chatProgram = `
      const Platform = Layer.mergeAll(FetchHttpClient.layer, Socket.layerWebSocketConstructorGlobal, BrowserKeyValueStore.layerLocalStorage)
      const program = Effect.gen(function*() {
        const { session } = yield* CustomerSession.restoreOrCreate()
        const cable = yield* Cable.Cable
        yield* cable.events(session).pipe(Stream.runForEach((event) => Effect.log(event._tag)))
      })
      Effect.runFork(program.pipe(
        Effect.provide(Layer.mergeAll(ClientApi.layer({ baseUrl: location.origin, inboxIdentifier: "x" }), Cable.layer({ url: location.origin }), CustomerStore.layer)),
        Effect.provide(Platform)
      ))`
  const entries: Record<string, string> = {
    "@bevatel, per-module imports": `
      import * as Cable from "@bevatel/cable/Cable"
      import * as ClientApi from "@bevatel/http/ClientApi"
      import * as CustomerSession from "@bevatel/client/CustomerSession"
      import * as CustomerStore from "@bevatel/identity/CustomerStore"
      import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
      import * as Socket from "@effect/platform/Socket"
      import * as BrowserKeyValueStore from "@effect/platform-browser/BrowserKeyValueStore"
      import * as Effect from "effect/Effect"
      import * as Layer from "effect/Layer"
      import * as Stream from "effect/Stream"
      ${chatProgram}`,
    "@bevatel, barrel imports": `
      import { Cable } from "@bevatel/cable"
      import { ClientApi } from "@bevatel/http"
      import { CustomerSession } from "@bevatel/client"
      import { CustomerStore } from "@bevatel/identity"
      import { FetchHttpClient, Socket } from "@effect/platform"
      import { BrowserKeyValueStore } from "@effect/platform-browser"
      import { Effect, Layer, Stream } from "effect"
      ${chatProgram}`,
    "@rails/actioncable": `
      import { createConsumer } from "@rails/actioncable"
      createConsumer("/cable").subscriptions.create({ channel: "RoomChannel", pubsub_token: "x" }, { received: (d) => console.log(d) })`,
    "@anycable/web": `
      import { createCable } from "@anycable/web"
      createCable("/cable").subscribeTo("RoomChannel", { pubsub_token: "x" }).on("message", (m) => console.log(m))`
  }
  const sizes = new Map<string, number>()
  for (const [name, contents] of Object.entries(entries)) {
    const result = await build({
      stdin: { contents, resolveDir: fileURLToPath(new URL("..", import.meta.url)), loader: "js" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      write: false,
      logLevel: "silent"
    })
    sizes.set(name, gzipSync(result.outputFiles[0]!.contents, { level: 9 }).byteLength / 1024)
  }
  // The built chat widget (apps/web-widget): the whole page a customer downloads, as Vite built it.
  const widgetAssets = fileURLToPath(new URL("../../web-widget/dist/assets/", import.meta.url))
  if (existsSync(widgetAssets)) {
    const scripts = readdirSync(widgetAssets).filter((file) => file.endsWith(".js"))
    sizes.set(
      "the built web widget (apps/web-widget)",
      scripts.reduce((total, file) => total + gzipSync(readFileSync(join(widgetAssets, file)), { level: 9 }).byteLength, 0) / 1024
    )
  }
  const reference = sizes.get("@rails/actioncable")!
  for (const [name, kb] of sizes) {
    rows.push({
      section: "browser bundle (esbuild, minified + gzipped)",
      client: name,
      metric: "gzipped size",
      value: Number(kb.toFixed(1)),
      unit: "KB",
      ratio: Number((kb / reference).toFixed(2)),
      reference: "@rails/actioncable",
      target: name.startsWith("@bevatel") || name.includes("widget") ? "≤ 120 KB" : undefined
    })
  }
}
