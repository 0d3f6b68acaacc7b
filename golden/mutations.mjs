// Mutations of JSON values for fuzzing: deleted or replaced values, values an attacker would send, prototype keys.

/** Every path to a value inside a JSON value, the root included. */
const pathsOf = (value, path = []) => {
  const here = [path]
  if (Array.isArray(value)) return here.concat(value.flatMap((item, i) => pathsOf(item, [...path, i])))
  if (typeof value === "object" && value !== null) {
    return here.concat(Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...path, key])))
  }
  return here
}

let nested = "deep"
for (let i = 0; i < 100; i++) nested = [nested]
/** Values an attacker or a broken server would send. */
const hostile = [
  null,
  "",
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER + 2,
  "x".repeat(200_000),
  "<script>alert(1)</script>",
  "\u0000\uFFFF\uD800",
  "1e309",
  [],
  {},
  nested,
  JSON.parse(`{"__proto__": {"polluted": "yes"}}`),
  JSON.parse(`{"constructor": {"prototype": {"polluted": "yes"}}}`),
  JSON.parse(`{"__proto__": {"polluted": "yes"}, "id": 1, "event": "message.created"}`)
]

/**
 * Mutations as a fast-check arbitrary, built with the `fc` you pass (`FastCheck` of the `effect` line under test, or
 * `fast-check` itself): this module depends on no Effect line.
 */
export const mutationArbitrary = (fc) =>
  fc.record({
    at: fc.nat(),
    kind: fc.constantFrom("delete", "replace", "hostile", "proto-key"),
    value: fc.jsonValue({ maxDepth: 3 }),
    pick: fc.nat()
  })

/** A copy of `json` with the mutations applied, through JSON text (as a socket or a body would carry it). */
export const mutate = (json, mutations) => {
  let value = structuredClone(json)
  for (const m of mutations) {
    const paths = pathsOf(value)
    const path = paths[m.at % paths.length]
    const replacement = m.kind === "hostile" ? hostile[m.pick % hostile.length] : m.value
    if (path.length === 0) {
      value = m.kind === "delete" ? undefined : structuredClone(replacement)
      continue
    }
    let parent = value
    for (const key of path.slice(0, -1)) parent = parent[key]
    const last = path.at(-1)
    if (m.kind === "delete") {
      if (Array.isArray(parent)) parent.splice(Number(last), 1)
      else delete parent[last]
    } else if (m.kind === "proto-key" && typeof parent === "object" && parent !== null && !Array.isArray(parent)) {
      Object.defineProperty(parent, "__proto__", { value: { polluted: "yes" }, enumerable: true, configurable: true, writable: true })
    } else {
      parent[last] = structuredClone(replacement)
    }
  }
  return JSON.stringify(value) ?? "null"
}
