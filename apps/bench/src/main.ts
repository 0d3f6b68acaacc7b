/**
 * `pnpm bench`: measures the SDK beside the alternatives in one run, on loopback, and prints each figure with its
 * ratio to the reference client. Writes the table as JSON to `apps/bench/results/latest.json` for comparison
 * across commits. Not a test: nothing here passes or fails.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { decodeLines } from "./decodeLines.js"
import { manyCustomers } from "./manyCustomers.js"
import { pipelineLines } from "./pipelineLines.js"
import { streamConsumers } from "./streamConsumers.js"
import {
  anyCable,
  type BenchClient,
  bevatelCable,
  bevatelCableBatches,
  bevatelCablePulled,
  railsActionCable,
  rawWebSocket
} from "./clients.js"
import {
  bundleSizes,
  httpThroughput,
  median,
  type Row,
  sleep,
  staleDetection,
  startFrameServer,
  stopProcess,
  streamMemory,
  waitFor
} from "./sections.js"

const rows: Array<Row> = []

/** The two frame sets: the bench's ~1 KB `message.created`, and the golden corpus's frames in turn. */
type FrameSet = "bench" | "golden"

const burst = (port: number, count: number, set: FrameSet = "bench", token?: string) =>
  fetch(`http://127.0.0.1:${port}/burst?count=${count}&set=${set}${token === undefined ? "" : `&token=${encodeURIComponent(token)}`}`, {
    method: "POST"
  }).then((r) => r.json())

/**
 * 1. Client CPU per event: every client connected at once, each on its own subscription; in each round, each client
 * in turn receives the same frames (the server in its own process) while the others are idle. Rounds interleave the
 * clients, so that a noisy neighbour on the machine weighs on all of them alike.
 */
const cpuPerEvent = async (clients: ReadonlyArray<BenchClient>, set: FrameSet) => {
  const { child, port } = await startFrameServer()
  const url = `http://127.0.0.1:${port}`
  const events = 20_000
  const rounds = 5
  const entries = clients.map((client) => ({ client, token: `cpu-${client.name}`, received: 0, confirmed: false, perEvent: [] as Array<number> }))
  const connections = await Promise.all(entries.map((entry) =>
    entry.client.connect(url, entry.token, {
      onEvent: () => entry.received++,
      onConfirmed: () => (entry.confirmed = true)
    })
  ))
  await waitFor(() => entries.every((entry) => entry.confirmed), 30_000)
  for (const entry of entries) {
    entry.received = 0
    await burst(port, 2_000, set, entry.token) // warm-up
    await waitFor(() => entry.received >= 2_000, 60_000)
  }
  for (let round = 0; round < rounds; round++) {
    for (const entry of entries) {
      entry.received = 0
      const before = process.cpuUsage()
      await burst(port, events, set, entry.token)
      await waitFor(() => entry.received >= events, 120_000)
      const used = process.cpuUsage(before)
      entry.perEvent.push((used.user + used.system) / events)
    }
  }
  await Promise.all(connections.map((connection) => connection.close()))
  await stopProcess(child)
  const results = new Map(entries.map((entry) => [entry.client.name, median(entry.perEvent)]))
  const reference = results.get(railsActionCable.name)!
  for (const [client, value] of results) {
    rows.push({
      section: set === "bench"
        ? "cable CPU per event (full decoding for @bevatel/cable), ~1 KB message.created frames"
        : "cable CPU per event (full decoding for @bevatel/cable), the golden corpus's frames in turn",
      client,
      metric: "cpu per event (median of 5 interleaved rounds × 20k)",
      value: Number(value.toFixed(2)),
      unit: "µs",
      ratio: Number((value / reference).toFixed(2)),
      reference: railsActionCable.name,
      target: client === bevatelCableBatches.name || client === bevatelCablePulled.name ? "≤ 1.5× @rails/actioncable" : undefined
    })
  }
}

/** 2. Reconnect: from the restarted server listening again to each client resubscribed (and receiving). */
const reconnectLatency = async (clients: ReadonlyArray<BenchClient>) => {
  let server = await startFrameServer()
  const url = `http://127.0.0.1:${server.port}`
  const restarts = 5
  const state = clients.map((client) => ({ client, confirmations: 0, received: 0, latencies: [] as Array<number> }))
  const connections = await Promise.all(state.map((entry) =>
    entry.client.connect(url, `reconnect-${entry.client.name}`, {
      onEvent: () => entry.received++,
      onConfirmed: () => {
        entry.confirmations++
        entry.latencies.push(performance.now())
      }
    })
  ))
  await waitFor(() => state.every((entry) => entry.confirmations >= 1), 30_000)
  const latencies = new Map<string, Array<number>>(clients.map((client) => [client.name, []]))
  for (let restart = 0; restart < restarts; restart++) {
    const before = state.map((entry) => entry.confirmations)
    await stopProcess(server.child)
    await sleep(300)
    server = await startFrameServer(server.port)
    await waitFor(() => state.every((entry, i) => entry.confirmations > before[i]!), 60_000)
    for (const entry of state) {
      const at = entry.latencies.at(-1)!
      if (entry.confirmations > before[state.indexOf(entry)]!) latencies.get(entry.client.name)!.push(at - server.listeningAt)
    }
    const receivedBefore = state.map((entry) => entry.received)
    await burst(server.port, 1)
    await waitFor(() => state.every((entry, i) => entry.received > receivedBefore[i]!), 10_000)
  }
  await Promise.all(connections.map((connection) => connection.close()))
  await stopProcess(server.child)
  const reference = median(latencies.get(railsActionCable.name)!)
  for (const [client, values] of latencies) {
    const value = median(values)
    rows.push({
      section: "reconnect after a server restart (server listening → resubscribed)",
      client,
      metric: `median of ${values.length} restarts (max ${Math.round(Math.max(...values))} ms)`,
      value: Math.round(value),
      unit: "ms",
      ratio: Number((value / reference).toFixed(2)),
      reference: railsActionCable.name,
      target: client === bevatelCable.name ? "median ≤ 500 ms" : undefined
    })
  }
}

const print = () => {
  let section = ""
  for (const row of rows) {
    if (row.section !== section) {
      section = row.section
      process.stdout.write(`\n${section}\n`)
    }
    const ratio = row.ratio === undefined ? "" : `  ${row.ratio.toFixed(2)}× ${row.reference}`
    const target = row.target ? `  (target ${row.target})` : ""
    process.stdout.write(
      `  ${row.client.padEnd(22)} ${String(row.value).padStart(9)} ${row.unit.padEnd(3)} ${row.metric}${ratio}${target}\n`
    )
  }
}

const main = async () => {
  process.stdout.write(`Bevatel SDK benchmarks on Node ${process.version} (${new Date().toISOString()})\n`)
  // `pnpm bench` runs every section; `node dist/main.js cpu http` runs some.
  const wanted = new Set(process.argv.slice(2))
  const run = (name: string) => wanted.size === 0 || wanted.has(name)
  if (run("cpu")) {
    const clients = [bevatelCableBatches, bevatelCable, bevatelCablePulled, railsActionCable, anyCable, rawWebSocket]
    await cpuPerEvent(clients, "bench")
    await cpuPerEvent(clients, "golden")
  }
  if (run("reconnect")) await reconnectLatency([bevatelCable, railsActionCable, anyCable])
  if (run("stale")) await staleDetection([bevatelCable, railsActionCable, anyCable], rows, railsActionCable.name)
  if (run("http")) await httpThroughput(rows)
  if (run("memory")) await streamMemory(rows)
  if (run("bundle")) await bundleSizes(rows)
  if (run("many")) await manyCustomers(rows)
  if (run("streams")) await streamConsumers(rows)
  if (run("lines")) await pipelineLines(rows)
  if (run("decode")) await decodeLines(rows)
  print()
  const directory = fileURLToPath(new URL("../results/", import.meta.url))
  mkdirSync(directory, { recursive: true })
  writeFileSync(`${directory}latest.json`, JSON.stringify({ node: process.version, at: new Date().toISOString(), rows }, null, 2))
  process.stdout.write(`\nWritten to apps/bench/results/latest.json\n`)
  process.exit(0)
}

main().catch((error) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
