import { CableEvent, CableFrame, Conversation, Decoder, Message } from "@bevatel/schema"
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck as fc, Schema, type SchemaAST as AST } from "effect"
import { type Mutation, mutate, mutationArbitrary } from "@bevatel/golden/mutations"
import { cases, restSchemas } from "./goldenCorpus.js"

const mutation: fc.Arbitrary<Mutation> = mutationArbitrary(fc)

// The compiled decoders answer as `Schema.decodeUnknownEither` does: the same value for what decodes, and the same
// error (message and path) for what does not — on values generated from the schemas, and on the golden corpus
// mutated at random (fixed seed).
const seed = 20261201

/** Both answers, compared: same side, same value or same error message. */
const assertSameAnswer = <A>(
  compiled: (input: unknown) => Either.Either<A, { readonly message: string }>,
  reference: (input: unknown) => Either.Either<A, { readonly message: string }>,
  input: unknown,
  context: string
) => {
  const [fast, slow] = [compiled(input), reference(input)]
  assert.strictEqual(fast._tag, slow._tag, `${context}: ${JSON.stringify(input)?.slice(0, 300)}`)
  if (Either.isRight(fast) && Either.isRight(slow)) assert.deepStrictEqual(fast.right, slow.right, context)
  if (Either.isLeft(fast) && Either.isLeft(slow)) assert.strictEqual(fast.left.message, slow.left.message, context)
  return fast
}

const generated: ReadonlyArray<readonly [string, Schema.Schema<any, any>]> = [
  ["Message", Message.Message],
  ["Message list", Schema.Array(Message.Message)],
  ["MessagePayload", Message.MessagePayload],
  ["Conversation", Conversation.Conversation],
  ["CableEvent", CableEvent.CableEvent]
]

// Both ways of compiling: generated code (the default on Node) and closures (browsers, or `generatedCode: false`).
const modes = [["generated code", { generatedCode: true }], ["closures", { generatedCode: false }]] as const

describe("Decoder.compile", () => {
  for (const [name, schema] of generated) for (const [mode, options] of modes) {
    it(`${name}, ${mode}: generated valid values decode to the same value`, () => {
      const compiled = Decoder.compile(schema, options)
      const reference = Schema.decodeUnknownEither(schema)
      const encode = Schema.encodeSync(schema)
      let decoded = 0
      fc.assert(
        fc.property(Arbitrary.make(schema), (value) => {
          const input = JSON.parse(JSON.stringify(encode(value)))
          if (Either.isRight(assertSameAnswer(compiled, reference, input, name))) decoded++
        }),
        { seed, numRuns: 300 }
      )
      // The generated values are valid: the fast path was taken, not only the fallback.
      assert.isAtLeast(decoded, 250)
    })
  }

  // The cable's events: the event union inside `CableEvent` is compiled once, the default way for this runtime.
  const decodeFrame = Schema.decodeUnknownEither(CableFrame.ServerFrameFromJson)
  const compiledEvent = Decoder.compile(CableEvent.CableEvent)
  const referenceEvent = Schema.decodeUnknownEither(CableEvent.CableEvent)
  for (const { json, name } of cases.filter((c) => c.name.startsWith("cable."))) {
    it(`${name}: the event, mutated, gets the same answer (value, Undecodable or error)`, () => {
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 0, maxLength: 3 }), (mutations) => {
          const frame = decodeFrame(mutate(json, mutations))
          if (Either.isRight(frame) && "message" in frame.right) {
            assertSameAnswer(compiledEvent, referenceEvent, (frame.right as CableFrame.Broadcast).message, name)
          }
        }),
        { seed, numRuns: 300 }
      )
    })
  }

  for (const { json, name } of cases.filter((c) => c.name.startsWith("rest."))) for (const [mode, options] of modes) {
    it(`${name}, ${mode}: the body, mutated, gets the same answer`, () => {
      const schema = restSchemas[name]!
      const [compiled, reference] = [Decoder.compile(schema, options), Schema.decodeUnknownEither(schema)]
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 0, maxLength: 3 }), (mutations) => {
          assertSameAnswer(compiled, reference, JSON.parse(mutate((json as { body: unknown }).body, mutations)), name)
        }),
        { seed, numRuns: 300 }
      )
    })
  }
})

describe("Decoder.compile, the cable's payloads both ways", () => {
  // The payloads of the golden cable events, mutated, through both ways of compiling their schemas.
  for (const { json, name } of cases.filter((c) => c.name.startsWith("cable.message."))) for (const [mode, options] of modes) {
    it(`${name}, ${mode}: the message payload, mutated, gets the same answer`, () => {
      const [compiled, reference] = [Decoder.compile(Message.MessagePayload, options), Schema.decodeUnknownEither(Message.MessagePayload)]
      const payload = (json as { message: { data: unknown } }).message.data
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 0, maxLength: 3 }), (mutations) => {
          assertSameAnswer(compiled, reference, JSON.parse(mutate(payload, mutations)), name)
        }),
        { seed, numRuns: 300 }
      )
    })
  }
})

describe("Decoder.compile and __proto__", () => {
  for (const [mode, options] of modes) {
    it(`${mode}: a "__proto__" key of a record inside a struct is dropped, as the Schema's parser drops it`, () => {
      const json = cases.find((c) => c.name === "cable.message.created.agent-reply.json")!.json as { message: { data: object } }
      const text = JSON.stringify({ ...json.message.data, content_attributes: "here" })
      const input = JSON.parse(text.replace(`"here"`, `{"__proto__":{"polluted":"yes"},"kept":1}`))
      const decoded = Either.getOrThrow(Decoder.compile(Message.MessagePayload, options)(input))
      assert.strictEqual(Object.getPrototypeOf(decoded.content_attributes), Object.prototype)
      assert.isUndefined((decoded.content_attributes as { polluted?: unknown }).polluted)
      assert.deepStrictEqual(decoded.content_attributes, { kept: 1 })
      assert.deepStrictEqual(decoded, Either.getOrThrow(Schema.decodeUnknownEither(Message.MessagePayload)(input)))
    })
  }
})

// Every parse option a caller may give: the compiled decoder answers as the Schema does under each, on the golden
// REST bodies (and the cable's events) with a key the schemas do not know added at every level.
const parseOptionsCases: ReadonlyArray<AST.ParseOptions | undefined> = [
  undefined,
  { errors: "all" },
  { onExcessProperty: "ignore" },
  { onExcessProperty: "error" },
  { onExcessProperty: "preserve" },
  { exact: true },
  { propertyOrder: "original" },
  { errors: "all", onExcessProperty: "error" }
]

/** `json` with an extra key in every object. */
const withExtraKeys = (json: unknown): unknown =>
  Array.isArray(json)
    ? json.map(withExtraKeys)
    : typeof json === "object" && json !== null
    ? { ...Object.fromEntries(Object.entries(json).map(([key, value]) => [key, withExtraKeys(value)])), not_in_the_schema: 1 }
    : json

describe("Decoder.compile under every parse option", () => {
  const bodies = cases.filter((c) => c.name.startsWith("rest.")).map((c) => [c.name, restSchemas[c.name]!, (c.json as { body: unknown }).body] as const)
  const events = cases.filter((c) => c.name.startsWith("cable.")).map((c) => [c.name, CableEvent.CableEvent, (c.json as { message: unknown }).message] as const)
  for (const options of parseOptionsCases) for (const [mode, compileOptions] of modes) {
    it(`${JSON.stringify(options) ?? "no options"}, ${mode}: the same answers as the Schema, with and without unknown keys`, () => {
      for (const [name, schema, json] of [...bodies, ...events] as ReadonlyArray<readonly [string, Schema.Schema<any, any>, unknown]>) {
        const compiled = Decoder.compile(schema, compileOptions)
        const reference = Schema.decodeUnknownEither(schema)
        for (const input of [json, withExtraKeys(json)]) {
          assertSameAnswer((i) => compiled(i, options), (i) => reference(i, options), input, `${name} ${JSON.stringify(options)}`)
        }
      }
    })
  }
})
