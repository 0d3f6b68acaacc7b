/**
 * Decoding on both Effect lines: the golden corpus's cable events (the `message` of each frame, in turn), decoded by
 * each line's `Decoder.compile(CableEvent.CableEvent)` — compiled (the Effect 3 line's own generated code; Effect 4's
 * JIT compiler) and with `generatedCode: false` (Effect 3's closures; Effect 4's interpreter) — each way alone in a
 * fresh process, 5 rounds. Client CPU per event, `JSON.parse` of the frame included, against `JSON.parse` alone.
 * The Effect 4 line is read from `effect4/packages/schema/dist` (build it with `pnpm run build` in `effect4/`).
 */
import { execFileSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { fileURLToPath, pathToFileURL } from "node:url"
import { median, type Row } from "./sections.js"

const thisFile = fileURLToPath(import.meta.url)
const root = fileURLToPath(new URL("../../../", import.meta.url))
const lines = {
  "Effect 3": `${root}packages/schema/dist/index.js`,
  "Effect 4": `${root}effect4/packages/schema/dist/index.js`
} as const
const ways = [
  ["JSON.parse alone", undefined, undefined],
  ["Effect 3, compiled", "Effect 3", true],
  ["Effect 3, closures", "Effect 3", false],
  ["Effect 4, JIT", "Effect 4", true],
  ["Effect 4, interpreter", "Effect 4", false]
] as const
const events = 40_000

/** One way, in this process: CPU per event over `events` golden frames, after as many to warm up. */
const measureOne = async (way: string): Promise<number> => {
  const [, line, generatedCode] = ways.find(([name]) => name === way)!
  const directory = `${root}golden/`
  const texts = readdirSync(directory).filter((name) => name.startsWith("cable.")).sort()
    .map((name) => readFileSync(`${directory}${name}`, "utf8"))
  let decode: ((message: unknown) => unknown) | undefined
  if (line !== undefined) {
    const schema = await import(pathToFileURL(lines[line]).href)
    decode = schema.Decoder.compile(schema.CableEvent.CableEvent, { generatedCode })
  }
  let failures = 0
  const run = (count: number) => {
    for (let i = 0; i < count; i++) {
      const frame = JSON.parse(texts[i % texts.length]!)
      if (decode !== undefined) {
        const answer = decode(frame.message) as { readonly _tag: string }
        if (answer._tag !== "Right" && answer._tag !== "Success") failures++
      }
    }
  }
  run(events)
  const before = process.cpuUsage()
  run(events)
  const used = process.cpuUsage(before)
  if (failures > 0) throw new Error(`${way}: ${failures} golden events did not decode`)
  return (used.user + used.system) / events
}

export const decodeLines = async (rows: Array<Row>) => {
  if (!existsSync(lines["Effect 4"])) {
    process.stdout.write(`decode: ${lines["Effect 4"]} is missing: run \`npx -y pnpm@10.34.9 install && npx -y pnpm@10.34.9 run build\` in effect4/\n`)
    return
  }
  const rounds = 5
  const perEvent = new Map<string, Array<number>>(ways.map(([name]) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    for (const [way] of ways) {
      perEvent.get(way)!.push(Number(execFileSync(process.execPath, [thisFile, way], { encoding: "utf8" })))
    }
  }
  const reference = median(perEvent.get("JSON.parse alone")!)
  for (const [way, values] of perEvent) {
    const value = median(values)
    rows.push({
      section: "decode: golden cable events, each way alone in a fresh process",
      client: way,
      metric: `cpu per event, JSON.parse included (median of ${rounds} rounds × ${events / 1000}k)`,
      value: Number(value.toFixed(2)),
      unit: "µs",
      ratio: Number((value / reference).toFixed(2)),
      reference: "JSON.parse alone"
    })
  }
}

if (process.argv[1] === thisFile) {
  measureOne(process.argv[2]!).then((perEvent) => process.stdout.write(String(perEvent)))
}
