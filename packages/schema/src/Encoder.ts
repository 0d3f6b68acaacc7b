/**
 * Encoders compiled once from the Schemas, for what a pipeline writes (every message and event as JSON in its wire
 * form): the Schema stays the single source of truth, and what it accepts, rejects and produces is unchanged.
 *
 * The mirror of {@link Decoder}: `compile(schema)` walks the schema's AST once and builds plain closures that encode a
 * value of the type side as `Schema.encodeEither` does — structs, records, arrays, literals, unions, refinements (their
 * own filters), transformations whose encoding answers at once, declarations whose encoder answers at once,
 * suspensions. Anything else is handed to `effect`'s own encoder for that node. A value the compiled code rejects is
 * encoded again by `Schema.encodeEither`, so the error is the Schema's own: only valid values take the fast path.
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
  isRecord,
  memoized,
  parseOptions as options,
  primitive,
  recordOf,
  suspended,
  withSchemaAnswers
} from "./internal/compiledNodes.js"
import type { CompileOptions } from "./Decoder.js"
import { compiledDeclarations, lenientSteps, rejected } from "./internal/fastPaths.js"

/** One compilation: the nodes compiled so far, and whether code may be generated (see `Decoder.CompileOptions`). */
interface Context {
  readonly memo: Map<AST.AST, Compiled>
  readonly generate: FunctionConstructor | undefined
}

/** A node encoded by `effect`'s own encoder (anything the compiler does not know). */
const interpreted = (ast: AST.AST): Compiled => interpretedBy(ParseResult.encodeUnknownEither(Schema.make(ast)))

const compileNode = (ast: AST.AST, context: Context): Compiled => memoized(ast, context.memo, () => build(ast, context))

const build = (ast: AST.AST, context: Context): Compiled => {
  const checked = primitive(ast)
  if (checked !== undefined) return checked
  switch (ast._tag) {
    case "Union": {
      // In the encoder's order: the members a literal property of the type side singles out first, then the others.
      const ordered = [...ast.types.filter(hasTypeLiteralProperty), ...ast.types.filter((member) => !hasTypeLiteralProperty(member))]
      return firstAnswer(ordered.map((member) => compileNode(member, context)))
    }
    case "Refinement": {
      // The value is of the type side: the refinement's own filter, then what it refines, encoded.
      const from = compileNode(ast.from, context)
      const refinement = ast
      return (input) => {
        const output = from(input)
        if (output === rejected) return rejected
        return Option.isNone(refinement.filter(input, options, refinement)) ? output : rejected
      }
    }
    case "Suspend":
      return suspended(ast.f, (target) => compileNode(target, context))
    case "Declaration": {
      const compiledDeclaration = compiledDeclarations.get(ast)
      if (compiledDeclaration !== undefined) return compiledDeclaration.encode((node) => compileNode(node, context))
      const declaration = ast
      const encode = declaration.encodeUnknown(...declaration.typeParameters)
      return declaredBy((input) => encode(input, options, declaration), () => interpreted(declaration))
    }
    case "TupleType":
      return buildArray(ast, context)
    case "TypeLiteral":
      return buildTypeLiteral(ast, context)
    case "Transformation":
      return buildTransformation(ast, context)
    default:
      return interpreted(ast)
  }
}

/** Whether the encoder can pick this union member by a literal property of its type side (`_tag`, `event` …). */
const hasTypeLiteralProperty = (ast: AST.AST): boolean => {
  switch (ast._tag) {
    case "Declaration":
      return Option.match(AST.getSurrogateAnnotation(ast), { onNone: () => false, onSome: hasTypeLiteralProperty })
    case "Refinement":
      return hasTypeLiteralProperty(ast.from)
    case "Suspend":
      return hasTypeLiteralProperty(ast.f())
    case "Transformation":
      return hasTypeLiteralProperty(ast.to)
    case "TypeLiteral":
      return ast.propertySignatures.some((property) =>
        !property.isOptional && AST.typeAST(property.type)._tag === "Literal"
      )
    default:
      return false
  }
}

const buildArray = (ast: AST.TupleType, context: Context): Compiled => {
  // Plain arrays (`Schema.Array`): no fixed elements, one rest type. Tuples go to the encoder.
  if (ast.elements.length > 0 || ast.rest.length !== 1) return interpreted(ast)
  return arrayOf(compileNode(ast.rest[0]!.type, context))
}

const buildTypeLiteral = (ast: AST.TypeLiteral, context: Context): Compiled => {
  const index = ast.indexSignatures
  if (index.length > 1 || (index.length === 1 && (ast.propertySignatures.length > 0 || index[0]!.parameter._tag !== "StringKeyword"))) {
    return interpreted(ast)
  }
  // Records (`Schema.Record({ key: Schema.String, value })`): one index signature over string keys.
  if (index.length === 1) return recordOf(compileNode(index[0]!.type, context))
  return encodeStruct(
    ast.propertySignatures.map((property) => ({
      name: property.name,
      read: property.name,
      isOptional: property.isOptional,
      ownOnly: false,
      encode: compileNode(property.type, context)
    })),
    context
  )
}

/** A property of a struct's encoded side: encoded from the type side's `read` key with `encode`. */
interface EncodedProperty {
  readonly name: PropertyKey
  readonly read: PropertyKey
  readonly isOptional: boolean
  /** A required key the input does not own is read as `undefined` (not from its prototype). */
  readonly ownOnly: boolean
  readonly encode: Compiled
}

/**
 * A struct encoder: each property, in the encoded side's order, encoded from its type-side key; other keys left out.
 * Generated as code of its own where allowed (property names written in, so V8's property caches stay monomorphic, as
 * in `Decoder`); closures elsewhere.
 */
const encodeStruct = (properties: ReadonlyArray<EncodedProperty>, context: Context): Compiled => {
  const encoders = properties.map((property) => property.encode)
  if (context.generate !== undefined && properties.every((property) => typeof property.name === "string" && typeof property.read === "string")) {
    const lines = properties.map((property, i) => {
      const [name, read] = [JSON.stringify(property.name), JSON.stringify(property.read)]
      const value = property.ownOnly && !property.isOptional ? `(hasOwn.call(input, ${read}) ? input[${read}] : undefined)` : `input[${read}]`
      const encode = `value = encoders[${i}](${value}); if (value === rejected) return rejected; output[${name}] = value;`
      return property.isOptional ? `if (hasOwn.call(input, ${read})) { ${encode} }` : encode
    })
    const body = `return function encodeStruct(input) {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return rejected;
  const output = {};
  let value;
  ${lines.join("\n  ")}
  return output;
}`
    return context.generate("encoders", "rejected", "hasOwn", body)(encoders, rejected, hasOwn)
  }
  return (input) => {
    if (!isRecord(input)) return rejected
    const output: Record<PropertyKey, unknown> = {}
    for (let i = 0; i < properties.length; i++) {
      const property = properties[i]!
      const owned = hasOwn.call(input, property.read)
      if (!owned && property.isOptional) continue
      const value = encoders[i]!(owned || !property.ownOnly ? input[property.read] : undefined)
      if (value === rejected) return rejected
      output[property.name] = value
    }
    return output
  }
}

const buildTransformation = (ast: AST.Transformation, context: Context): Compiled => {
  // Encoding runs a transformation backwards: the type side (`to`) first, then the transformation's `encode`, then
  // the encoded side (`from`). Each is compiled where it is used: a struct of lenient keys needs neither.
  const transformation = ast.transformation
  switch (transformation._tag) {
    case "ComposeTransformation": {
      const [to, from] = [compileNode(ast.to, context), compileNode(ast.from, context)]
      return (input) => {
        const middle = to(input)
        return middle === rejected ? rejected : from(middle)
      }
    }
    case "FinalTransformation": {
      const [to, from] = [compileNode(ast.to, context), compileNode(ast.from, context)]
      let fallback: Compiled | undefined
      return (input) => {
        const toI = to(input)
        if (toI === rejected) return rejected
        const result = transformation.encode(toI, options, ast, input)
        // Only transformations that answer at once (an Either) are run here; an effectful one goes to the encoder.
        if (!Either.isEither(result)) return (fallback ??= interpreted(ast))(input)
        return Either.isRight(result) ? from(result.right) : rejected
      }
    }
    case "TypeLiteralTransformation": {
      // Each step reads its type-side key and writes its encoded-side key (or nothing), as the encoder runs them; the
      // struct encoded next (`from`) puts the keys in its own order.
      const steps = transformation.propertySignatureTransformations
      // A step that reads what another wrote depends on their order: the encoder's own way, step by step, in place.
      if (steps.some((step) => steps.some((other) => other !== step && other.to === step.from))) return interpreted(ast)
      // A lenient key (`internal/fields.ts`) is encoded by its schema straight, or left out when it does not encode.
      const lenient = steps.map((step) => {
        const schema = lenientSteps.get(step.decode)
        return schema === undefined ? undefined : compileNode(schema, context)
      })
      const fused = lenientStruct(ast.from, steps, lenient, context)
      if (fused !== undefined) return fused
      const [to, from] = [compileNode(ast.to, context), compileNode(ast.from, context)]
      const moved = new Set<PropertyKey>(steps.map((step) => step.to))
      return (input) => {
        const toI = to(input)
        if (toI === rejected) return rejected
        const middle = toI as Record<PropertyKey, unknown>
        const output: Record<PropertyKey, unknown> = {}
        for (const key in middle) {
          if (!moved.has(key)) output[key] = middle[key]
        }
        for (let i = 0; i < steps.length; i++) {
          const step = steps[i]!
          const encodeLeniently = lenient[i]
          if (encodeLeniently !== undefined) {
            const value = hasOwn.call(middle, step.to) ? encodeLeniently(middle[step.to]) : rejected
            if (value !== rejected) output[step.from] = value
            continue
          }
          const next = step.encode(hasOwn.call(middle, step.to) ? Option.some(middle[step.to]) : Option.none())
          if (Option.isSome(next)) output[step.from] = next.value
        }
        return from(output)
      }
    }
  }
}

/**
 * A struct whose only property transformations are lenient keys, encoded in one pass, or `undefined` for any other.
 * The type side is not walked first: every other property is encoded by its own schema, which checks its value, and a
 * lenient value is encoded by its schema straight. A lenient value that does not encode rejects the whole value (the
 * Schema's encoder then says whether it was invalid, or is to be left out), where checking the type side first would
 * walk every nested struct once per level above it (a conversation event's messages and senders, four times).
 */
const lenientStruct = (
  encoded: AST.AST,
  steps: ReadonlyArray<AST.PropertySignatureTransformation>,
  lenient: ReadonlyArray<Compiled | undefined>,
  context: Context
): Compiled | undefined => {
  if (encoded._tag !== "TypeLiteral" || encoded.indexSignatures.length > 0) return undefined
  const stepOf = new Map(steps.map((step, i) => [step.from, i]))
  const properties: Array<EncodedProperty> = []
  for (const property of encoded.propertySignatures) {
    const i = stepOf.get(property.name)
    if (i === undefined) {
      properties.push({
        name: property.name,
        read: property.name,
        isOptional: property.isOptional,
        ownOnly: true,
        encode: compileNode(property.type, context)
      })
      continue
    }
    // A lenient key's encoded side is an optional `unknown`: what its schema encodes is written as it is.
    const encode = lenient[i]
    if (encode === undefined || !property.isOptional || property.type._tag !== "UnknownKeyword") return undefined
    properties.push({ name: property.name, read: steps[i]!.to, isOptional: true, ownOnly: true, encode })
  }
  // Every step reads a key of its own and writes one the encoded side has.
  if (stepOf.size !== steps.length || new Set(steps.map((step) => step.to)).size !== steps.length) return undefined
  if (steps.some((step) => !encoded.propertySignatures.some((property) => property.name === step.from))) return undefined
  return encodeStruct(properties, context)
}

/**
 * An encoder for `schema`, compiled once: the same answers as `Schema.encodeEither(schema)` (the encoded value, or
 * the Schema's own `ParseError`), faster on valid values; a call with parse options the compiled code does not
 * follow is the Schema's own call. `compileOptions` as for `Decoder.compile` (generated code per struct on server
 * runtimes, closures in browsers).
 *
 * @example
 * ```ts
 * import { Encoder, Message } from "@bevatel/schema"
 *
 * const encodeMessage = Encoder.compile(Message.Message)
 * // encodeMessage(message): Either<the message as JSON in its wire form, ParseError>
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const compile = <A, I, R>(
  schema: Schema.Schema<A, I, R>,
  compileOptions?: CompileOptions
): (value: A, options?: AST.ParseOptions) => Either.Either<I, ParseResult.ParseError> => {
  const generate = compileOptions?.generatedCode === false ? undefined : generateFunction
  const full = Schema.encodeEither(schema as Schema.Schema<A, I, never>)
  return withSchemaAnswers(compileNode(schema.ast, { memo: new Map(), generate }), (value, options) => full(value as A, options))
}
