import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import type * as AST from "effect/SchemaAST"
import { rejected } from "./fastPaths.js"

/**
 * The pieces the compiled decoders (`Decoder`) and encoders (`Encoder`) share: the nodes that read the same both ways
 * (keywords, literals, arrays, records, structs, the first union member that answers), given their children compiled
 * in either direction.
 */

/** What a compiled node answers: its output, or {@link rejected}. @internal */
export type Compiled = (input: unknown) => unknown

/** The parse options every compiled node passes on: the defaults. @internal */
export const parseOptions: AST.ParseOptions = {}

/**
 * Whether compiled code answers as the Schema does under the caller's `options`: it was compiled for the defaults,
 * and `errors` changes nothing on its path (whatever it rejects goes to the Schema, with the options). Any other option
 * (`onExcessProperty`, `exact`, `propertyOrder`) may change a valid value's answer. @internal
 */
const answersAsCompiled = (options: AST.ParseOptions | undefined): boolean =>
  options === undefined ||
  (options.onExcessProperty === undefined && options.exact === undefined && options.propertyOrder === undefined)

/**
 * A compiled decoder or encoder with the Schema's answers: the compiled code for what it takes under the default
 * options, the Schema's own parser (`full`) for what it rejects and for every call with options it was not compiled
 * for. @internal
 */
export const withSchemaAnswers = <A, E>(
  compiled: Compiled,
  full: (input: unknown, options?: AST.ParseOptions) => Either.Either<A, E>
) =>
(input: unknown, options?: AST.ParseOptions): Either.Either<A, E> => {
  if (!answersAsCompiled(options)) return full(input, options)
  const output = compiled(input)
  return output === rejected ? full(input, options) : Either.right(output as A)
}

/** @internal */
export const hasOwn = Object.prototype.hasOwnProperty

/** @internal */
export const isRecord = (input: unknown): input is Record<PropertyKey, unknown> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

/** `ast` compiled once per compilation; registered before its children, so that a recursive schema refers to itself. @internal */
export const memoized = (ast: AST.AST, memo: Map<AST.AST, Compiled>, build: () => Compiled): Compiled => {
  const known = memo.get(ast)
  if (known !== undefined) return known
  let compiled: Compiled
  memo.set(ast, (input) => compiled(input))
  compiled = build()
  memo.set(ast, compiled)
  return compiled
}

/** A keyword or literal, checked as the Schema's parser checks it (the same both ways); `undefined` for other nodes. @internal */
export const primitive = (ast: AST.AST): Compiled | undefined => {
  switch (ast._tag) {
    case "StringKeyword":
      return (input) => typeof input === "string" ? input : rejected
    case "NumberKeyword":
      return (input) => typeof input === "number" ? input : rejected
    case "BooleanKeyword":
      return (input) => typeof input === "boolean" ? input : rejected
    case "UnknownKeyword":
    case "AnyKeyword":
    case "VoidKeyword":
      return (input) => input
    case "UndefinedKeyword":
      return (input) => input === undefined ? input : rejected
    case "Literal": {
      const literal = ast.literal
      return (input) => input === literal ? input : rejected
    }
    default:
      return undefined
  }
}

/** A union: the first member, in the given order, that answers. @internal */
export const firstAnswer = (members: ReadonlyArray<Compiled>): Compiled => (input) => {
  for (const member of members) {
    const output = member(input)
    if (output !== rejected) return output
  }
  return rejected
}

/** A suspended schema, compiled on first use. @internal */
export const suspended = (target: () => AST.AST, compile: (ast: AST.AST) => Compiled): Compiled => {
  let compiled: Compiled | undefined
  return (input) => (compiled ??= compile(target()))(input)
}

/** A node answered by `effect`'s own parser, in the direction `parse` goes (decoding or encoding). @internal */
export const interpretedBy = (
  parse: (input: unknown, options: AST.ParseOptions) => Either.Either<unknown, ParseResult.ParseIssue>
): Compiled =>
(input) => {
  const result = parse(input, parseOptions)
  return Either.isRight(result) ? result.right : rejected
}

/**
 * A declaration's own parser, called directly: its value when it answers at once (an `Either`), {@link rejected} on a
 * failure; an effectful answer goes to `fallback`, built on first need. @internal
 */
export const declaredBy = (
  parse: (input: unknown) => Either.Either<unknown, ParseResult.ParseIssue> | unknown,
  fallback: () => Compiled
): Compiled => {
  let effectful: Compiled | undefined
  return (input) => {
    const result = parse(input)
    if (!Either.isEither(result)) return (effectful ??= fallback())(input)
    return Either.isRight(result) ? result.right : rejected
  }
}

/** A plain array (`Schema.Array`): every item through `item`. @internal */
export const arrayOf = (item: Compiled): Compiled => (input) => {
  if (!Array.isArray(input)) return rejected
  const output = new Array(input.length)
  for (let i = 0; i < input.length; i++) {
    const value = item(input[i])
    if (value === rejected) return rejected
    output[i] = value
  }
  return output
}

/** A record over string keys (`Schema.Record({ key: Schema.String, value })`): every value through `value`. @internal */
export const recordOf = (value: Compiled): Compiled => (input) => {
  if (!isRecord(input)) return rejected
  const output: Record<string, unknown> = {}
  for (const key of Object.keys(input)) {
    const answer = value(input[key])
    if (answer === rejected) return rejected
    // A `__proto__` key (JSON.parse makes it an own property) would set the result's prototype: it is dropped,
    // as the Schema's own parser drops it wherever the record is inside a struct.
    if (key !== "__proto__") output[key] = answer
  }
  return output
}

/** A struct: its properties, in order, each through its own compiled type; other keys left out. @internal */
export const structOf = (
  properties: ReadonlyArray<{ readonly name: PropertyKey; readonly isOptional: boolean; readonly compiled: Compiled }>
): Compiled =>
(input) => {
  if (!isRecord(input)) return rejected
  const output: Record<PropertyKey, unknown> = {}
  for (const property of properties) {
    if (!hasOwn.call(input, property.name) && property.isOptional) continue
    // As the parser does: a required key that is missing is read as `undefined` (and fails unless allowed).
    const answer = property.compiled(input[property.name])
    if (answer === rejected) return rejected
    output[property.name] = answer
  }
  return output
}

/**
 * `Function`, on server runtimes (Node, Deno, Bun), where generated code is allowed; `undefined` in browsers, where a
 * page's Content-Security-Policy may refuse it (and would report even a probe), so the closures serve there.
 *
 * @internal
 */
export const generateFunction: FunctionConstructor | undefined = (() => {
  const runtime = globalThis as { process?: { versions?: { node?: string } }; Deno?: unknown; Bun?: unknown }
  if (runtime.process?.versions?.node === undefined && runtime.Deno === undefined && runtime.Bun === undefined) return undefined
  try {
    return new Function("return 1")() === 1 ? Function : undefined
  } catch {
    return undefined
  }
})()
