// Form and query parameters as Rails reads them (Rack's `QueryParser#normalize_params`, rack 3): `a[b]=1` is
// `{ a: { b: "1" } }`, `a[]=1&a[]=2` is `{ a: ["1", "2"] }`, `a[][b]=1&a[][c]=2&a[][b]=3` is
// `{ a: [{ b: "1", c: "2" }, { b: "3" }] }`. A name whose nesting contradicts an earlier one (`a=1&a[b]=2`), or
// nests deeper than Rack allows, is Rack's `ParameterTypeError` / `ParamsTooDeepError`: a 400 there, `undefined` here.

/** Rack's `param_depth_limit` default. */
const depthLimit = 32

type Params = Record<string, unknown>

const isParams = (value: unknown): value is Params =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Sets an own key, `__proto__` included (a plain key in Rails' hash, never the object's prototype). */
const set = (params: Params, key: string, value: unknown) => {
  Object.defineProperty(params, key, { value, enumerable: true, writable: true, configurable: true })
}
const own = (params: Params, key: string): unknown =>
  Object.prototype.hasOwnProperty.call(params, key) ? params[key] : undefined

class Malformed extends Error {}

/** Whether `params` already holds the (possibly nested) `key` (Rack's `params_hash_has_key?`). */
const hasKey = (params: Params, key: string): boolean => {
  if (key.includes("[]")) return false
  let current: unknown = params
  for (const part of key.split(/[[\]]+/)) {
    if (part === "") continue
    if (!isParams(current) || !Object.prototype.hasOwnProperty.call(current, part)) return false
    current = current[part]
  }
  return true
}

const normalize = (params: Params, name: string, value: string, depth: number): unknown => {
  if (depth >= depthLimit) throw new Malformed()
  let key: string
  let after: string
  if (depth === 0) {
    const start = name.indexOf("[", 1)
    ;[key, after] = start > 0 ? [name.slice(0, start), name.slice(start)] : [name, ""]
  } else if (name.startsWith("[]")) {
    ;[key, after] = ["[]", name.slice(2)]
  } else if (name.startsWith("[") && name.indexOf("]", 1) > 0) {
    const end = name.indexOf("]", 1)
    ;[key, after] = [name.slice(1, end), name.slice(end + 1)]
  } else {
    ;[key, after] = [name, ""]
  }
  if (key === "") return params

  if (after === "") {
    if (key === "[]" && depth !== 0) return [value]
    set(params, key, value)
  } else if (after === "[") {
    set(params, name, value)
  } else if (after === "[]") {
    const list = own(params, key) ?? []
    if (!Array.isArray(list)) throw new Malformed()
    list.push(value)
    set(params, key, list)
  } else if (after.startsWith("[]")) {
    // x[][y] (a hash inside an array), or other nesting inside an array.
    const inner = after.slice(3, -1)
    const childKey = after[2] === "[" && after.endsWith("]") && inner !== "" && !inner.includes("[") && !inner.includes("]")
      ? inner
      : after.slice(2)
    const list = own(params, key) ?? []
    if (!Array.isArray(list)) throw new Malformed()
    const last: unknown = list[list.length - 1]
    if (isParams(last) && !hasKey(last, childKey)) normalize(last, childKey, value, depth + 1)
    else list.push(normalize({}, childKey, value, depth + 1))
    set(params, key, list)
  } else {
    const child = own(params, key) ?? {}
    if (!isParams(child)) throw new Malformed()
    set(params, key, normalize(child, after, value, depth + 1))
  }
  return params
}

/** The parameters of `pairs` (a query string's, a form's, a multipart body's fields, in order), or `undefined` when Rack would refuse them. */
export const railsParams = (pairs: Iterable<readonly [string, string]>): Params | undefined => {
  const params: Params = {}
  try {
    for (const [name, value] of pairs) normalize(params, name, value, 0)
  } catch (error) {
    if (error instanceof Malformed) return undefined
    throw error
  }
  return params
}
