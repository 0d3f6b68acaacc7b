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
  hasOwn,
  interpretedBy,
  memoized,
  parseOptions as options,
  primitive,
  recordOf,
  structOf,
  suspended
} from "./internal/compiledNodes.js"
import { lenientSteps, rejected } from "./internal/fastPaths.js"

/** A node encoded by `effect`'s own encoder (anything the compiler does not know). */
const interpreted = (ast: AST.AST): Compiled => interpretedBy(ParseResult.encodeUnknownEither(Schema.make(ast)))

const compileNode = (ast: AST.AST, memo: Map<AST.AST, Compiled>): Compiled => memoized(ast, memo, () => build(ast, memo))

const build = (ast: AST.AST, memo: Map<AST.AST, Compiled>): Compiled => {
  const checked = primitive(ast)
  if (checked !== undefined) return checked
  switch (ast._tag) {
    case "Union": {
      // In the encoder's order: the members a literal property of the type side singles out first, then the others.
      const ordered = [...ast.types.filter(hasTypeLiteralProperty), ...ast.types.filter((member) => !hasTypeLiteralProperty(member))]
      return firstAnswer(ordered.map((member) => compileNode(member, memo)))
    }
    case "Refinement": {
      // The value is of the type side: the refinement's own filter, then what it refines, encoded.
      const from = compileNode(ast.from, memo)
      const refinement = ast
      return (input) => {
        const output = from(input)
        if (output === rejected) return rejected
        return Option.isNone(refinement.filter(input, options, refinement)) ? output : rejected
      }
    }
    case "Suspend":
      return suspended(ast.f, (target) => compileNode(target, memo))
    case "Declaration": {
      const declaration = ast
      const encode = declaration.encodeUnknown(...declaration.typeParameters)
      return declaredBy((input) => encode(input, options, declaration), () => interpreted(declaration))
    }
    case "TupleType":
      return buildArray(ast, memo)
    case "TypeLiteral":
      return buildTypeLiteral(ast, memo)
    case "Transformation":
      return buildTransformation(ast, memo)
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

const buildArray = (ast: AST.TupleType, memo: Map<AST.AST, Compiled>): Compiled => {
  // Plain arrays (`Schema.Array`): no fixed elements, one rest type. Tuples go to the encoder.
  if (ast.elements.length > 0 || ast.rest.length !== 1) return interpreted(ast)
  return arrayOf(compileNode(ast.rest[0]!.type, memo))
}

const buildTypeLiteral = (ast: AST.TypeLiteral, memo: Map<AST.AST, Compiled>): Compiled => {
  const index = ast.indexSignatures
  if (index.length > 1 || (index.length === 1 && (ast.propertySignatures.length > 0 || index[0]!.parameter._tag !== "StringKeyword"))) {
    return interpreted(ast)
  }
  // Records (`Schema.Record({ key: Schema.String, value })`): one index signature over string keys.
  if (index.length === 1) return recordOf(compileNode(index[0]!.type, memo))
  return structOf(ast.propertySignatures.map((property) => ({
    name: property.name,
    isOptional: property.isOptional,
    compiled: compileNode(property.type, memo)
  })))
}

const buildTransformation = (ast: AST.Transformation, memo: Map<AST.AST, Compiled>): Compiled => {
  // Encoding runs a transformation backwards: the type side (`to`) first, then the transformation's `encode`, then
  // the encoded side (`from`).
  const to = compileNode(ast.to, memo)
  const from = compileNode(ast.from, memo)
  const transformation = ast.transformation
  switch (transformation._tag) {
    case "ComposeTransformation":
      return (input) => {
        const middle = to(input)
        return middle === rejected ? rejected : from(middle)
      }
    case "FinalTransformation": {
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
      const moved = new Set<PropertyKey>(steps.map((step) => step.to))
      // A step that reads what another wrote depends on their order: the encoder's own way, step by step, in place.
      if (steps.some((step) => steps.some((other) => other !== step && other.to === step.from))) return interpreted(ast)
      // A lenient key (`internal/fields.ts`) is encoded by its schema straight, or left out when it does not encode.
      const lenient = steps.map((step) => {
        const schema = lenientSteps.get(step.decode)
        return schema === undefined ? undefined : compileNode(schema, memo)
      })
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
 * An encoder for `schema`, compiled once: the same answers as `Schema.encodeEither(schema)` (the encoded value, or
 * the Schema's own `ParseError`), faster on valid values.
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
  schema: Schema.Schema<A, I, R>
): (value: A, options?: AST.ParseOptions) => Either.Either<I, ParseResult.ParseError> => {
  const compiled = compileNode(schema.ast, new Map())
  const full = Schema.encodeEither(schema as Schema.Schema<A, I, never>)
  return (value, parseOptions) => {
    const output = compiled(value)
    return output === rejected ? full(value, parseOptions) : Either.right(output as I)
  }
}
