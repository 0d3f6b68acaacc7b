import { CableEvent, CableFrame, Contact, Conversation, Encoder, Message } from "@bevatel/schema"
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck as fc, Schema, type SchemaAST } from "effect"
import { cases, restSchemas } from "./goldenCorpus.js"

// The compiled encoders answer as `Schema.encodeEither` does: the same JSON (keys in the same order) for a valid value,
// and the same error for one that is not — on values generated from the schemas, on those values with one part
// replaced at random (fixed seed), and on the golden corpus decoded.
const seed = 20261201

const schemas: ReadonlyArray<readonly [string, Schema.Schema<any, any>]> = [
  ["Message", Message.Message],
  ["Message list", Schema.Array(Message.Message)],
  ["MessagePayload", Message.MessagePayload],
  ["Conversation", Conversation.Conversation],
  ["ContactSession", Contact.ContactSession],
  ["CableEvent", CableEvent.CableEvent]
]

/** Both answers, compared: same side, same JSON text or same error message. */
const assertSameAnswer = (
  compiled: (value: any) => Either.Either<unknown, { readonly message: string }>,
  reference: (value: any) => Either.Either<unknown, { readonly message: string }>,
  value: unknown,
  context: string
) => {
  const [fast, slow] = [compiled(value), reference(value)]
  assert.strictEqual(fast._tag, slow._tag, context)
  if (Either.isRight(fast) && Either.isRight(slow)) assert.strictEqual(JSON.stringify(fast.right), JSON.stringify(slow.right), context)
  if (Either.isLeft(fast) && Either.isLeft(slow)) assert.strictEqual(fast.left.message, slow.left.message, context)
  return fast
}

/** Every path to a part of a value: through arrays and plain objects (not `DateTime`s or other instances). */
const pathsOf = (value: unknown, path: ReadonlyArray<string | number> = []): Array<ReadonlyArray<string | number>> => {
  const here = [path]
  if (Array.isArray(value)) return here.concat(value.flatMap((item, i) => pathsOf(item, [...path, i])))
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return here.concat(Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...path, key])))
  }
  return here
}

/** A copy of `value` with the part at `path` replaced (or deleted), the rest shared, prototypes kept. */
const replaced = (value: unknown, path: ReadonlyArray<string | number>, replacement: unknown, remove: boolean): unknown => {
  if (path.length === 0) return replacement
  const [head, ...rest] = path
  const copy = Array.isArray(value) ? [...value] : Object.assign(Object.create(Object.getPrototypeOf(value)), value)
  if (remove && rest.length === 0) {
    if (Array.isArray(copy)) copy.splice(Number(head), 1)
    else delete copy[head!]
  } else {
    copy[head!] = replaced((value as any)[head!], rest, replacement, remove)
  }
  return copy
}

const part = fc.record({
  at: fc.nat(),
  remove: fc.boolean(),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(undefined, NaN, -1, 1.5, "", new Date(0)))
})

// Both ways of compiling: generated code (the default on Node) and closures (browsers, or `generatedCode: false`).
const modes = [["generated code", { generatedCode: true }], ["closures", { generatedCode: false }]] as const

describe("Encoder.compile", () => {
  for (const [name, schema] of schemas) for (const [mode, options] of modes) {
    it(`${name}, ${mode}: generated values encode to the same JSON`, () => {
      const [compiled, reference] = [Encoder.compile(schema, options), Schema.encodeEither(schema)]
      let encoded = 0
      fc.assert(
        fc.property(Arbitrary.make(schema), (value) => {
          if (Either.isRight(assertSameAnswer(compiled, reference, value, name))) encoded++
        }),
        { seed, numRuns: 300 }
      )
      // The values are valid: every one encoded.
      assert.strictEqual(encoded, 300)
    })

    it(`${name}, ${mode}: generated values with a part replaced or removed get the same answer`, () => {
      const [compiled, reference] = [Encoder.compile(schema, options), Schema.encodeEither(schema)]
      let rejected = 0
      fc.assert(
        fc.property(Arbitrary.make(schema), part, (value, change) => {
          const paths = pathsOf(value)
          const changed = replaced(value, paths[change.at % paths.length]!, change.value, change.remove)
          if (Either.isLeft(assertSameAnswer(compiled, reference, changed, name))) rejected++
        }),
        { seed, numRuns: 300 }
      )
      // Some changes break the value: both sides were compared on failures too.
      assert.isAbove(rejected, 0)
    })
  }

  for (const { json, name } of cases.filter((c) => c.name.startsWith("rest."))) {
    it(`${name}: the decoded body encodes back to the same JSON`, () => {
      const schema = restSchemas[name]!
      const decoded = Either.getOrThrow(Schema.decodeUnknownEither(schema)((json as { body: unknown }).body))
      const encoded = assertSameAnswer(Encoder.compile(schema), Schema.encodeEither(schema), decoded, name)
      assert.isTrue(Either.isRight(encoded))
    })
  }

  const decodeFrame = Schema.decodeUnknownSync(CableFrame.ServerFrameFromJson)
  for (const { json, name } of cases.filter((c) => c.name.startsWith("cable."))) for (const [mode, options] of modes) {
    const frame = decodeFrame(JSON.stringify(json)) as CableFrame.Broadcast
    const event = Either.getOrThrow(Schema.decodeUnknownEither(CableEvent.CableEvent)(frame.message))
    const [compiled, reference] = [Encoder.compile(CableEvent.CableEvent, options), Schema.encodeEither(CableEvent.CableEvent)]

    it(`${name}, ${mode}: the decoded event encodes back to the same JSON`, () => {
      assert.isTrue(Either.isRight(assertSameAnswer(compiled, reference, event, name)))
    })

    it(`${name}, ${mode}: the decoded event with a part replaced or removed gets the same answer`, () => {
      const paths = pathsOf(event)
      let rejected = 0
      fc.assert(
        fc.property(part, (change) => {
          const changed = replaced(event, paths[change.at % paths.length]!, change.value, change.remove)
          if (Either.isLeft(assertSameAnswer(compiled, reference, changed, name))) rejected++
        }),
        { seed, numRuns: 300 }
      )
      assert.isAbove(rejected, 0)
    })
  }
})

describe("Encoder.compile under every parse option", () => {
  const options: ReadonlyArray<SchemaAST.ParseOptions | undefined> = [
    undefined,
    { errors: "all" },
    { onExcessProperty: "error" },
    { onExcessProperty: "preserve" },
    { exact: true },
    { propertyOrder: "original" }
  ]
  for (const parseOptions of options) for (const [mode, compileOptions] of modes) {
    it(`${JSON.stringify(parseOptions) ?? "no options"}, ${mode}: the golden bodies, decoded (and with a key the schema does not know), encode as the Schema encodes them`, () => {
      for (const { json, name } of cases.filter((c) => c.name.startsWith("rest."))) {
        const schema = restSchemas[name]!
        const decoded = Either.getOrThrow(Schema.decodeUnknownEither(schema)((json as { body: unknown }).body))
        const [compiled, reference] = [Encoder.compile(schema, compileOptions), Schema.encodeEither(schema)]
        const extra = Array.isArray(decoded) ? decoded : { ...decoded, not_in_the_schema: 1 }
        for (const value of [decoded, extra]) {
          assertSameAnswer((v) => compiled(v, parseOptions), (v) => reference(v, parseOptions), value, `${name} ${JSON.stringify(parseOptions)}`)
        }
      }
    })
  }
})
