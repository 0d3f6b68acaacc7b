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
 * fast path.
 *
 * @since 0.2.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"

/** What a compiled node answers: the decoded value, or {@link rejected}. */
type Compiled = (input: unknown) => unknown

/** The compiled code could not decode the input: the Schema's own parser says why. */
const rejected: unique symbol = Symbol.for("@bevatel/schema/Decoder/rejected")

const options: AST.ParseOptions = {}

/** A node decoded by `effect`'s own parser (declarations, and anything the compiler does not know). */
const interpreted = (ast: AST.AST): Compiled => {
  const decode = ParseResult.decodeUnknownEither(Schema.make(ast))
  return (input) => {
    const result = decode(input, options)
    return Either.isRight(result) ? result.right : rejected
  }
}

const compileNode = (ast: AST.AST, memo: Map<AST.AST, Compiled>): Compiled => {
  const known = memo.get(ast)
  if (known !== undefined) return known
  let compiled: Compiled
  // Registered before its children, so that a recursive schema (through a Suspend) refers to itself.
  memo.set(ast, (input) => compiled(input))
  compiled = build(ast, memo)
  memo.set(ast, compiled)
  return compiled
}

const build = (ast: AST.AST, memo: Map<AST.AST, Compiled>): Compiled => {
  switch (ast._tag) {
    case "StringKeyword":
      return (input) => typeof input === "string" ? input : rejected
    case "NumberKeyword":
      return (input) => typeof input === "number" ? input : rejected
    case "BooleanKeyword":
      return (input) => typeof input === "boolean" ? input : rejected
    case "UnknownKeyword":
    case "AnyKeyword":
      return (input) => input
    case "UndefinedKeyword":
    case "VoidKeyword":
      return (input) => input === undefined ? input : rejected
    case "Literal": {
      const literal = ast.literal
      return (input) => input === literal ? input : rejected
    }
    case "Union": {
      // In the parser's order: the members a literal property singles out first, then the others.
      const ordered = [...ast.types.filter(hasLiteralProperty), ...ast.types.filter((member) => !hasLiteralProperty(member))]
      const members = ordered.map((member) => compileNode(member, memo))
      return (input) => {
        for (const member of members) {
          const output = member(input)
          if (output !== rejected) return output
        }
        return rejected
      }
    }
    case "Refinement": {
      const from = compileNode(ast.from, memo)
      const refinement = ast
      return (input) => {
        const output = from(input)
        if (output === rejected) return rejected
        return Option.isNone(refinement.filter(output, options, refinement)) ? output : rejected
      }
    }
    case "Suspend": {
      let target: Compiled | undefined
      const suspend = ast
      return (input) => (target ??= compileNode(suspend.f(), memo))(input)
    }
    case "Declaration": {
      // Its own parser, called directly (`DateTime.Utc` instances, `Option`s, the project's declarations).
      const declaration = ast
      const decode = declaration.decodeUnknown(...declaration.typeParameters)
      let fallback: Compiled | undefined
      return (input) => {
        const result = decode(input, options, declaration)
        if (!Either.isEither(result)) return (fallback ??= interpreted(declaration))(input)
        return Either.isRight(result) ? result.right : rejected
      }
    }
    case "TupleType":
      return buildTuple(ast, memo)
    case "TypeLiteral":
      return buildTypeLiteral(ast, memo)
    case "Transformation":
      return buildTransformation(ast, memo)
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

const buildTuple = (ast: AST.TupleType, memo: Map<AST.AST, Compiled>): Compiled => {
  // Plain arrays (`Schema.Array`): no fixed elements, one rest type. Tuples go to the parser.
  if (ast.elements.length > 0 || ast.rest.length !== 1) return interpreted(ast)
  const item = compileNode(ast.rest[0]!.type, memo)
  return (input) => {
    if (!Array.isArray(input)) return rejected
    const output = new Array(input.length)
    for (let i = 0; i < input.length; i++) {
      const value = item(input[i])
      if (value === rejected) return rejected
      output[i] = value
    }
    return output
  }
}

const isRecord = (input: unknown): input is Record<PropertyKey, unknown> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

const hasOwn = Object.prototype.hasOwnProperty

const buildTypeLiteral = (ast: AST.TypeLiteral, memo: Map<AST.AST, Compiled>): Compiled => {
  const properties = ast.propertySignatures.map((property) => ({
    name: property.name,
    isOptional: property.isOptional,
    decode: compileNode(property.type, memo)
  }))
  // Records (`Schema.Record({ key: Schema.String, value })`): one index signature over string keys.
  const index = ast.indexSignatures
  if (index.length > 1 || (index.length === 1 && (properties.length > 0 || index[0]!.parameter._tag !== "StringKeyword"))) {
    return interpreted(ast)
  }
  if (index.length === 1) {
    const value = compileNode(index[0]!.type, memo)
    return (input) => {
      if (!isRecord(input)) return rejected
      const output: Record<string, unknown> = {}
      for (const key of Object.keys(input)) {
        const decoded = value(input[key])
        if (decoded === rejected) return rejected
        output[key] = decoded
      }
      return output
    }
  }
  return (input) => {
    if (!isRecord(input)) return rejected
    const output: Record<PropertyKey, unknown> = {}
    for (const property of properties) {
      const present = hasOwn.call(input, property.name)
      if (!present && property.isOptional) continue
      // As the parser does: a required key that is missing is decoded as `undefined` (and fails unless allowed).
      const decoded = property.decode(input[property.name])
      if (decoded === rejected) return rejected
      output[property.name] = decoded
    }
    return output
  }
}

const buildTransformation = (ast: AST.Transformation, memo: Map<AST.AST, Compiled>): Compiled => {
  const from = compileNode(ast.from, memo)
  const to = compileNode(ast.to, memo)
  const transformation = ast.transformation
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
    case "TypeLiteralTransformation": {
      const steps = transformation.propertySignatureTransformations
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
  }
}

/** The compiled code for valid input; the Schema's own parser (`full`) for the rest, so errors are its own. */
const withFallback = <A, E>(
  ast: AST.AST,
  full: (input: unknown, options?: AST.ParseOptions) => Either.Either<A, E>
): (input: unknown, options?: AST.ParseOptions) => Either.Either<A, E> => {
  const compiled = compileNode(ast, new Map())
  return (input, parseOptions) => {
    const output = compiled(input)
    return output === rejected ? full(input, parseOptions) : Either.right(output as A)
  }
}

/**
 * A decoder for `schema`, compiled once: the same answers as `Schema.decodeUnknownEither(schema)` (value, or the
 * Schema's own `ParseError`), faster on valid values.
 *
 * @example
 * ```ts
 * import { CableEvent, Decoder } from "@bevatel/schema"
 *
 * const decodeEvent = Decoder.compile(CableEvent.CableEvent)
 * const event = decodeEvent({ event: "conversation.typing_off", data: { conversation: { id: 7 } } })
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const compile = <A, I, R>(
  schema: Schema.Schema<A, I, R>
): (input: unknown, options?: AST.ParseOptions) => Either.Either<A, ParseResult.ParseError> =>
  withFallback(schema.ast, Schema.decodeUnknownEither(schema as Schema.Schema<A, I, never>))

/**
 * The same for a parser inside a declaration or transformation: the value, or the Schema's own `ParseIssue`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const compileParser = <A, I, R>(
  schema: Schema.Schema<A, I, R>
): (input: unknown, options?: AST.ParseOptions) => Either.Either<A, ParseResult.ParseIssue> =>
  withFallback(schema.ast, ParseResult.decodeUnknownEither(schema as Schema.Schema<A, I, never>))
