import { roundTripSchemas } from "@bevatel/golden/scenarios/schema"
import * as Bevatel from "@bevatel/schema"
import { assert, describe, it } from "@effect/vitest"
import { FastCheck, Schema } from "effect"

const schemas: Record<string, Schema.Schema<any, any>> = roundTripSchemas(Bevatel)

// A fixed seed, as the other property tests: the same values on every run.
const seed = 20261201

/** Whether a value holds a `__proto__` key: the Schema's parser drops it from records (on purpose), so it cannot return. */
const hasProtoKey = (value: unknown): boolean =>
  typeof value === "object" && value !== null &&
  (Object.prototype.hasOwnProperty.call(value, "__proto__") || Object.values(value).some(hasProtoKey))

describe("decode ∘ encode is the identity", () => {
  for (const [name, schema] of Object.entries(schemas)) {
    it.prop(name, [schema], ([value]) => {
      const encoded = Schema.encodeSync(schema)(value)
      FastCheck.pre(!hasProtoKey(value))
      assert.deepStrictEqual(Schema.decodeUnknownSync(schema)(encoded), value)
    }, { fastCheck: { numRuns: 50, seed } })
  }
})
