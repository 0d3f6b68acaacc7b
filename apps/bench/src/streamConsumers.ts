/**
 * Ways to consume an Effect `Stream`, without the SDK: the same chunks (50 fresh ~0.5 KB objects each) run into
 * `Stream.runForEachChunk`, pulled with `Stream.toPull`, or drained after a pure `mapChunks`. What the README's
 * advice on hot loops rests on: the sink keeps chunks reachable across young-generation collections, which shows as
 * old-space growth and CPU per item. Each run is a fresh process: V8's allocation-site feedback (whether to allocate
 * straight in the old generation) carries over from one way to the next within a process.
 */
import { Chunk, Effect, Option, Stream } from "effect"
import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { getHeapSpaceStatistics } from "node:v8"
import { median, type Row } from "./sections.js"

const chunkSize = 50
const chunks = 40_000

const freshChunk = () => {
  const items = new Array(chunkSize)
  for (let i = 0; i < chunkSize; i++) {
    items[i] = { id: i, content: `message ${i}`, sender: { id: i, name: `agent ${i}` }, attachments: new Array(20).fill(i) }
  }
  return Chunk.unsafeFromArray(items)
}

/** A stream of `chunks` fresh chunks, ended by a `None` failure as a pull-based source ends. */
const source = () => {
  let made = 0
  return Stream.repeatEffectChunkOption(
    Effect.suspend(() => made++ < chunks ? Effect.succeed(freshChunk()) : Effect.fail(Option.none()))
  )
}

const consumers: ReadonlyArray<readonly [string, (count: (n: number) => void) => Effect.Effect<void>]> = [
  ["Stream.toPull", (count) =>
    Effect.scoped(Effect.gen(function*() {
      const pull = yield* Stream.toPull(source())
      while (true) {
        const next = yield* Effect.option(pull)
        if (Option.isNone(next)) return
        count(next.value.length)
      }
    }))],
  ["Stream.runForEachChunk", (count) => Stream.runForEachChunk(source(), (chunk) => Effect.sync(() => count(chunk.length)))],
  ["Stream.runDrain after mapChunks", (count) =>
    Stream.runDrain(Stream.mapChunks(source(), (chunk) => {
      count(chunk.length)
      return chunk
    }))]
]

const oldSpaceUsed = () => getHeapSpaceStatistics().find((space) => space.space_name === "old_space")!.space_used_size

/** Runs one consumer in this process: CPU per item and old-space growth per item. */
const measureOne = async (name: string) => {
  const consume = consumers.find(([candidate]) => candidate === name)![1]
  let items = 0
  const before = process.cpuUsage()
  const oldBefore = oldSpaceUsed()
  await Effect.runPromise(consume((n) => (items += n)))
  const used = process.cpuUsage(before)
  return { cpu: (used.user + used.system) / items, promoted: Math.max(0, oldSpaceUsed() - oldBefore) / items }
}

const thisFile = fileURLToPath(import.meta.url)

/** 6. Stream consumers: CPU per item and old-space growth, each run in a fresh process, rounds interleaved. */
export const streamConsumers = async (rows: Array<Row>) => {
  const results = new Map<string, { cpu: Array<number>; promoted: Array<number> }>(
    consumers.map(([name]) => [name, { cpu: [], promoted: [] }])
  )
  for (let round = 0; round < 3; round++) {
    for (const [name] of consumers) {
      const measured = JSON.parse(execFileSync(process.execPath, [thisFile, name], { encoding: "utf8" })) as {
        cpu: number
        promoted: number
      }
      results.get(name)!.cpu.push(measured.cpu)
      results.get(name)!.promoted.push(measured.promoted)
    }
  }
  const reference = median(results.get("Stream.toPull")!.cpu)
  for (const [name, result] of results) {
    const cpu = median(result.cpu)
    rows.push({
      section: `Effect Stream consumers, no SDK (${chunks} chunks of ${chunkSize} fresh objects, each in a fresh process)`,
      client: name,
      metric: `cpu per item (old space grew ${median(result.promoted).toFixed(0)} B per item)`,
      value: Number(cpu.toFixed(3)),
      unit: "µs",
      ratio: Number((cpu / reference).toFixed(2)),
      reference: "Stream.toPull"
    })
  }
}

if (process.argv[1] === thisFile) {
  measureOne(process.argv[2]!).then((measured) => process.stdout.write(JSON.stringify(measured)))
}
