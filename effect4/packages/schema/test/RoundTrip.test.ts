import { roundTripSchemas } from "@bevatel/golden/scenarios/schema"
import * as Bevatel from "@bevatel/schema"
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Effect, Schema } from "effect"

const schemas: Record<string, Schema.Codec<any, any>> = roundTripSchemas(Bevatel)

// A fixed seed, as the other property tests: the same values on every run.
const seed = 20261201

describe("decode ∘ encode is the identity (Effect 4's own arbitraries)", () => {
  for (const [name, schema] of Object.entries(schemas)) {
    it.effect(name, () =>
      Effect.gen(function*() {
        // An Undecodable is found by decoding, not generated: its `error` says what its data failed, which a generated
        // value does not (the Effect 3 line's arbitrary leaves it out).
        const values = (yield* Arbitrary.sampleEffect(Arbitrary.schema(schema), { count: 50, seed }))
          .filter((value) => (value as { readonly _tag?: unknown } | undefined)?._tag !== "Undecodable")
        assert.isAtLeast(values.length, 40)
        const [encode, decode] = [Schema.encodeSync(schema), Schema.decodeUnknownSync(schema)]
        for (const value of values) assert.deepStrictEqual(decode(encode(value)), value)
      }))
  }
})
