import { CableEvent, Conversation, Decoder, Encoder, Message } from "@bevatel/schema"
import { cableCases, restCases } from "@bevatel/golden"
import { type Mutation, mutate, mutationArbitrary } from "@bevatel/golden/mutations"
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Effect, Result, Schema } from "effect"
import fc from "fast-check"

// `Decoder.compile` and `Encoder.compile` switch on effect's JIT compiler for a schema; their answers must be the
// interpreter's own: the same value for what decodes, the same message for what does not. The JIT compiler is
// switched on per schema, globally and for good, so every interpreted answer is taken first, at collection time,
// before any schema here is compiled.
const seed = 20261201

const generated: ReadonlyArray<readonly [string, Schema.Codec<any, any>]> = [
  ["Message", Message.Message],
  ["Message list", Schema.Array(Message.Message)],
  ["MessagePayload", Message.MessagePayload],
  ["Conversation", Conversation.Conversation],
  ["CableEvent", CableEvent.CableEvent]
]

type Answer = Result.Result<unknown, string>
const answerOf = (result: Result.Result<unknown, Schema.SchemaError>): Answer =>
  Result.mapError(result, (error) => error.message)

interface Case {
  readonly name: string
  readonly schema: Schema.Codec<any, any>
  readonly inputs: ReadonlyArray<unknown>
  readonly interpreted: ReadonlyArray<Answer>
  /** For generated values: each value and its interpreted encoding. */
  readonly values?: ReadonlyArray<readonly [unknown, Answer]>
}

const interpretedCase = (name: string, schema: Schema.Codec<any, any>, inputs: ReadonlyArray<unknown>, values?: ReadonlyArray<unknown>): Case => {
  const decode = Schema.decodeUnknownResult(schema)
  const encode = Schema.encodeUnknownResult(schema)
  return {
    name,
    schema,
    inputs,
    interpreted: inputs.map((input) => answerOf(decode(input))),
    ...(values === undefined ? {} : { values: values.map((value) => [value, answerOf(encode(value))] as const) })
  }
}

const mutation: fc.Arbitrary<Mutation> = mutationArbitrary(fc)

const mutatedInputs = (json: unknown, runs: number): ReadonlyArray<unknown> =>
  fc.sample(fc.array(mutation, { minLength: 0, maxLength: 3 }), { seed, numRuns: runs })
    .map((mutations) => JSON.parse(mutate(json, mutations)))

const cases: ReadonlyArray<Case> = [
  ...generated.map(([name, schema]) => {
    // An Undecodable is found by decoding, not generated (see RoundTrip.test.ts).
    const values = Effect.runSync(Arbitrary.sampleEffect(Arbitrary.schema(schema), { count: 200, seed }))
      .filter((value) => (value as { readonly _tag?: unknown } | undefined)?._tag !== "Undecodable")
    const encode = Schema.encodeUnknownSync(schema)
    return interpretedCase(`${name}: generated values`, schema, values.map((value) => JSON.parse(JSON.stringify(encode(value)))), values)
  }),
  ...cableCases.map(({ json, name }) =>
    interpretedCase(`${name}: the event, mutated`, CableEvent.CableEvent, mutatedInputs(json.message, 300))
  ),
  ...restCases.filter(({ name }) => name.startsWith("rest.messages.")).map(({ json, name }) =>
    interpretedCase(`${name}: the body, mutated`, name.endsWith("index.json") ? Schema.Array(Message.Message) : Message.Message, mutatedInputs(json.body, 300))
  )
]

describe("Decoder.compile and Encoder.compile (JIT) answer as the interpreter", () => {
  for (const { inputs, interpreted, name, schema, values } of cases) {
    it(name, () => {
      const decode = Decoder.compile(schema)
      let decoded = 0
      inputs.forEach((input, i) => {
        const answer = answerOf(decode(input))
        assert.deepStrictEqual(answer, interpreted[i], `${name}: ${JSON.stringify(input)?.slice(0, 300)}`)
        if (Result.isSuccess(answer)) decoded++
      })
      // Enough of them decode that the compiled path was taken, not only the failures.
      assert.isAtLeast(decoded, inputs.length / 10)
      if (values === undefined) return
      const encode = Encoder.compile(schema)
      for (const [value, encoded] of values) assert.deepStrictEqual(answerOf(encode(value)), encoded, name)
    })
  }
})
