/**
 * Decoders compiled once from the Schemas, for the hot paths (every cable event, every message list): the Schema stays
 * the single source of truth, and what it accepts, rejects and produces is unchanged.
 *
 * `compile(schema)` walks the schema's AST once and builds plain closures for the nodes these schemas use — structs,
 * records, arrays, literals, unions, refinements (their own filters), transformations whose decoding answers at once
 * (as the project's own and `optionalWith`'s do), declarations whose parser answers at once, suspensions — so that
 * decoding a valid value is straight-line code without the interpreter's per-node overhead. Anything else (a tuple,
 * an asynchronous transformation) is handed to `effect`'s own parser for that node. A value the compiled code rejects is decoded again by
 * `Schema.decodeUnknownEither`, so the error is the Schema's own, path and message alike: only valid values take the
 * fast path. On server runtimes each struct (with its property transformations) gets a generated function of its own
 * (see {@link CompileOptions}).
 *
 * @since 0.2.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import {
  arrayOf,
  type Compiled,
  declaredBy,
  firstAnswer,
  generateFunction,
  hasOwn,
  interpretedBy,
  memoized,
  parseOptions as options,
  primitive,
  recordOf,
  structOf,
  suspended,
  withSchemaAnswers
} from "./internal/compiledNodes.js"
import { compiledDeclarations, directTransformations, lenientSteps, rejected } from "./internal/fastPaths.js"

/** One compilation: the nodes compiled so far, and whether code may be generated. */
interface Context {
  readonly memo: Map<AST.AST, Compiled>
  readonly generate: FunctionConstructor | undefined
}

/** A node decoded by `effect`'s own parser (declarations, and anything the compiler does not know). */
const interpreted = (ast: AST.AST): Compiled => interpretedBy(ParseResult.decodeUnknownEither(Schema.make(ast)))

const compileNode = (ast: AST.AST, context: Context): Compiled =>
  memoized(ast, context.memo, () => build(ast, context))

const build = (ast: AST.AST, context: Context): Compiled => {
  const checked = primitive(ast)
  if (checked !== undefined) return checked
  switch (ast._tag) {
    case "Union": {
      // In the parser's order: the members a literal property singles out first, then the others.
      const ordered = [...ast.types.filter(hasLiteralProperty), ...ast.types.filter((member) => !hasLiteralProperty(member))]
      return firstAnswer(ordered.map((member) => compileNode(member, context)))
    }
    case "Refinement": {
      const from = compileNode(ast.from, context)
      const refinement = ast
      return (input) => {
        const output = from(input)
        if (output === rejected) return rejected
        return Option.isNone(refinement.filter(output, options, refinement)) ? output : rejected
      }
    }
    case "Suspend":
      return suspended(ast.f, (target) => compileNode(target, context))
    case "Declaration": {
      const compiledDeclaration = compiledDeclarations.get(ast)
      if (compiledDeclaration !== undefined) return compiledDeclaration.decode((node) => compileNode(node, context))
      // Its own parser, called directly (`DateTime.Utc` instances, `Option`s, the project's declarations).
      const declaration = ast
      const decode = declaration.decodeUnknown(...declaration.typeParameters)
      return declaredBy((input) => decode(input, options, declaration), () => interpreted(declaration))
    }
    case "TupleType":
      return buildTuple(ast, context)
    case "TypeLiteral":
      return buildTypeLiteral(ast, context)
    case "Transformation":
      return buildTransformation(ast, context)
    default:
      return interpreted(ast)
  }
}

/** Whether the parser can pick this union member by a literal property (`{ event: "message.created", … }`). */
const hasLiteralProperty = (ast: AST.AST): boolean => {
  switch (ast._tag) {
    case "Refinement":
      return hasLiteralProperty(ast.from)
    case "Transformation":
      return hasLiteralProperty(ast.from)
    case "TypeLiteral":
      return ast.propertySignatures.some((property) => !property.isOptional && property.type._tag === "Literal")
    default:
      return false
  }
}

const buildTuple = (ast: AST.TupleType, context: Context): Compiled => {
  // Plain arrays (`Schema.Array`): no fixed elements, one rest type. Tuples go to the parser.
  if (ast.elements.length > 0 || ast.rest.length !== 1) return interpreted(ast)
  return arrayOf(compileNode(ast.rest[0]!.type, context))
}

const buildTypeLiteral = (ast: AST.TypeLiteral, context: Context): Compiled => {
  const properties = ast.propertySignatures.map((property) => ({
    name: property.name,
    isOptional: property.isOptional,
    compiled: compileNode(property.type, context)
  }))
  // Records (`Schema.Record({ key: Schema.String, value })`): one index signature over string keys.
  const index = ast.indexSignatures
  if (index.length > 1 || (index.length === 1 && (properties.length > 0 || index[0]!.parameter._tag !== "StringKeyword"))) {
    return interpreted(ast)
  }
  if (index.length === 1) return recordOf(compileNode(index[0]!.type, context))
  if (context.generate !== undefined && hasPlainKeys(ast)) return generateStruct(context.generate, ast, [], [], context)
  return structOf(properties)
}

/** A struct without index signatures whose keys are all strings: the shape code is generated for. */
const hasPlainKeys = (ast: AST.AST): ast is AST.TypeLiteral =>
  ast._tag === "TypeLiteral" && ast.indexSignatures.length === 0 &&
  ast.propertySignatures.every((signature) => typeof signature.name === "string")

/**
 * A struct's decoder as code of its own, with its property names written in: every struct gets its own function, so
 * V8's property caches stay monomorphic where one shared closure would see every shape. With property
 * transformations (`steps`), they are fused in: the properties are decoded straight from the input into the result
 * (no intermediate object), the steps' keys are kept in locals for their steps. Same answers and key order as the
 * closures.
 */
const generateStruct = (
  generate: FunctionConstructor,
  source: AST.TypeLiteral,
  steps: ReadonlyArray<AST.PropertySignatureTransformation>,
  checks: ReadonlyArray<Compiled | undefined>,
  context: Context
): Compiled => {
  const properties = source.propertySignatures
  const decoders = properties.map((property) => compileNode(property.type, context))
  const readBy = new Map(steps.map((step, j) => [step.from, j]))
  const lines: Array<string> = []
  properties.forEach((property, i) => {
    const key = JSON.stringify(property.name)
    const decode = `value = decoders[${i}](input[${key}]); if (value === rejected) return rejected;`
    const keep = readBy.has(property.name) ? `read${i} = value;` : `output[${key}] = value;`
    lines.push(property.isOptional ? `if (hasOwn.call(input, ${key})) { ${decode} ${keep} }` : `${decode} ${keep}`)
  })
  const lenient = steps.map((step) => lenientDecoder(step, context))
  steps.forEach((step, j) => {
    const i = properties.findIndex((property) => property.name === step.from)
    if (lenient[j] !== undefined) {
      // A key the source does not have is never present: nothing to write.
      if (i !== -1) {
        lines.push(
          `if (read${i} !== absent) { value = lenient[${j}](read${i}); if (value !== rejected) output[${JSON.stringify(step.to)}] = value; }`
        )
      }
      return
    }
    const read = i === -1 ? "none" : `(read${i} === absent ? none : some(read${i}))`
    const check = checks[j] === undefined ? "next.value" : `checks[${j}](next.value)`
    lines.push(
      `next = steps[${j}].decode(${read}); if (next._tag === "Some") { value = ${check}; if (value === rejected) return rejected; output[${
        JSON.stringify(step.to)
      }] = value; }`
    )
  })
  const locals = properties.flatMap((property, i) => readBy.has(property.name) ? [`let read${i} = absent;`] : [])
  const body = `return function decodeStruct(input) {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return rejected;
  const output = {};
  let value, next;
  ${locals.join(" ")}
  ${lines.join("\n  ")}
  return output;
}`
  return generate("decoders", "steps", "checks", "lenient", "rejected", "hasOwn", "absent", "some", "none", body)(
    decoders,
    steps,
    checks,
    lenient,
    rejected,
    hasOwn,
    Symbol("absent"),
    Option.some,
    Option.none()
  )
}

const buildTransformation = (ast: AST.Transformation, context: Context): Compiled => {
  const direct = directTransformations.get(ast)
  if (direct !== undefined) return direct
  const transformation = ast.transformation
  if (transformation._tag === "TypeLiteralTransformation") return buildPropertyTransformations(ast, transformation, context)
  const from = compileNode(ast.from, context)
  const to = compileNode(ast.to, context)
  switch (transformation._tag) {
    case "ComposeTransformation":
      return (input) => {
        const middle = from(input)
        return middle === rejected ? rejected : to(middle)
      }
    case "FinalTransformation": {
      const self = ast
      let fallback: Compiled | undefined
      return (input) => {
        const fromA = from(input)
        if (fromA === rejected) return rejected
        const result = transformation.decode(fromA, options, self, input)
        // Only transformations that answer at once (an Either) are run here; an effectful one goes to the parser.
        if (!Either.isEither(result)) return (fallback ??= interpreted(self))(input)
        return Either.isRight(result) ? to(result.right) : rejected
      }
    }
  }
}

/**
 * A struct's property transformations (`optionalWith`, renamed keys, the project's lenient keys), as the parser runs
 * them — each step reads its key, and writes its result (or nothing) at the end — but into a fresh object instead of
 * deleting keys, which would turn the object into a slow dictionary. The type side is checked for the keys the steps
 * wrote; the others were just decoded by their own schemas, whose transformations already checked their output.
 */
const buildPropertyTransformations = (
  ast: AST.Transformation,
  transformation: AST.TypeLiteralTransformation,
  context: Context
): Compiled => {
  const steps = transformation.propertySignatureTransformations
  const chained = steps.some((step) => steps.some((other) => other !== step && other.from === step.to))
  const target = ast.to
  const source = ast.from
  if (chained || !hasPlainKeys(source) || target._tag !== "TypeLiteral" || target.indexSignatures.length > 0) {
    const from = compileNode(source, context)
    const to = compileNode(target, context)
    return (input) => {
      const decoded = from(input)
      if (decoded === rejected) return rejected
      const output = { ...(decoded as Record<PropertyKey, unknown>) }
      for (const step of steps) {
        const value: Option.Option<unknown> = hasOwn.call(output, step.from) ? Option.some(output[step.from]) : Option.none()
        delete output[step.from]
        const next = step.decode(value)
        if (Option.isSome(next)) output[step.to] = next.value
      }
      return to(output)
    }
  }
  const checks = steps.map((step) => {
    if (lenientSteps.has(step.decode)) return undefined
    const property = target.propertySignatures.find((signature) => signature.name === step.to)
    return property === undefined ? undefined : compileNode(property.type, context)
  })
  if (context.generate !== undefined && steps.every((step) => typeof step.to === "string")) {
    return generateStruct(context.generate, source, steps, checks, context)
  }
  const from = compileNode(source, context)
  const read = new Set<PropertyKey>(steps.map((step) => step.from))
  const lenient = steps.map((step) => lenientDecoder(step, context))
  return (input) => {
    const decoded = from(input) as Record<PropertyKey, unknown> | typeof rejected
    if (decoded === rejected) return rejected
    const output: Record<PropertyKey, unknown> = {}
    for (const key in decoded) {
      if (!read.has(key)) output[key] = decoded[key]
    }
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!
      const decodeLeniently = lenient[i]
      if (decodeLeniently !== undefined) {
        const value = hasOwn.call(decoded, step.from) ? decodeLeniently(decoded[step.from]) : rejected
        if (value !== rejected) output[step.to] = value
        continue
      }
      const next = step.decode(hasOwn.call(decoded, step.from) ? Option.some(decoded[step.from]) : Option.none())
      if (Option.isNone(next)) continue
      const check = checks[i]
      const value = check === undefined ? next.value : check(next.value)
      if (value === rejected) return rejected
      output[step.to] = value
    }
    return output
  }
}

/**
 * A lenient key's step, decoded straight: its value decoded by its schema, or the key left out. No `Option` per key, and
 * no second check of the value (decoding by the schema already gave a value of its type side).
 */
const lenientDecoder = (step: AST.PropertySignatureTransformation, context: Context): Compiled | undefined => {
  const schema = lenientSteps.get(step.decode)
  return schema === undefined ? undefined : compileNode(schema, context)
}

/** `ast` compiled as `compileOptions` say. */
const compileAst = (ast: AST.AST, compileOptions: CompileOptions | undefined): Compiled =>
  compileNode(ast, { memo: new Map(), generate: compileOptions?.generatedCode === false ? undefined : generateFunction })

/**
 * How a decoder is compiled.
 *
 * @since 0.2.0
 * @category models
 */
export interface CompileOptions {
  /**
   * Generate a function per struct (`new Function`), so that V8's property caches stay monomorphic: about twice as
   * fast on the cable's events. Default: on server runtimes (Node, Deno, Bun) unless code generation is disallowed
   * there (`--disallow-code-generation-from-strings`); never in browsers, where a page's Content-Security-Policy may
   * refuse it. `false` keeps to closures everywhere.
   */
  readonly generatedCode?: boolean | undefined
}

/**
 * A decoder for `schema`, compiled once: the same answers as `Schema.decodeUnknownEither(schema)` (value, or the
 * Schema's own `ParseError`), faster on valid values. A call with parse options the compiled code does not follow
 * (`onExcessProperty`, `exact`, `propertyOrder`) is the Schema's own call.
 *
 * @example
 * ```ts
 * import { CableEvent, Decoder } from "@bevatel/schema"
 *
 * const decodeEvent = Decoder.compile(CableEvent.CableEvent)
 * const event = decodeEvent({ event: "conversation.typing_off", data: { conversation: { id: 7 } } })
 * const strict = decodeEvent({ event: "conversation.typing_off", data: { conversation: { id: 7 } } }, { onExcessProperty: "error" })
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const compile = <A, I, R>(
  schema: Schema.Schema<A, I, R>,
  options?: CompileOptions
): (input: unknown, options?: AST.ParseOptions) => Either.Either<A, ParseResult.ParseError> =>
  withSchemaAnswers(compileAst(schema.ast, options), Schema.decodeUnknownEither(schema as Schema.Schema<A, I, never>))
