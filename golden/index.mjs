// The golden corpus: every `*.json` case of this folder, parsed. Cable cases hold the whole frame as it goes on the
// wire; REST cases hold `{ request, status, body }` (see README.md).
import { readdirSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

export const directory = fileURLToPath(new URL("./", import.meta.url))

export const cases = readdirSync(directory)
  .filter((name) => name.endsWith(".json") && name !== "package.json")
  .sort()
  .map((name) => ({ name, json: JSON.parse(readFileSync(new URL(name, import.meta.url), "utf8")) }))

export const cableCases = cases.filter((c) => c.name.startsWith("cable."))

export const restCases = cases.filter((c) => c.name.startsWith("rest."))

export const golden = (name) => {
  const found = cases.find((c) => c.name === name)
  if (found === undefined) throw new Error(`no golden case ${name} in ${directory}`)
  return found.json
}
