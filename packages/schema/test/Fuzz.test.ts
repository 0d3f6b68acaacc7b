import { CableEvent, CableFrame } from "@bevatel/schema"
import { assert, describe, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import { breathe, fuzzBudget } from "@bevatel/golden/fuzz"
import { type Mutation, mutate, mutationArbitrary } from "@bevatel/golden/mutations"
import { cableCases, restCases, restSchemas } from "./goldenCorpus.js"

// Hostile input through every decoder: the golden corpus (payloads as the real server sends them), mutated at random
// with a fixed seed in CI (`pnpm fuzz` runs it for longer, on any seed). A decoder answers with a value or a typed
// error — never an exception — and nothing it reads can pollute a prototype.
const budget = fuzzBudget("decoders", 8_400)
// Four fifths of the budget on mutated golden payloads, a fifth on random JSON and text.
const runsPerCase = Math.ceil((budget.cases * 0.8) / (cableCases.length + restCases.length))
const randomRuns = Math.ceil(budget.cases * 0.2)
const mutation: fc.Arbitrary<Mutation> = mutationArbitrary(fc)

const neverThrows = (decode: (input: unknown) => Either.Either<unknown, unknown>, input: unknown, context: string) => {
  let result: Either.Either<unknown, unknown> | undefined
  try {
    result = decode(input)
  } catch (error) {
    assert.fail(`${context}: the decoder threw ${String(error).slice(0, 200)}`)
  }
  assert.isTrue(Either.isEither(result), context)
  return result!
}

const assertNoPollution = () => {
  assert.isUndefined(({} as Record<string, unknown>).polluted, "Object.prototype was polluted")
  assert.isFalse(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted"))
}

const decodeFrame = Schema.decodeUnknownEither(CableFrame.ServerFrameFromJson)
const decodeEvent = Schema.decodeUnknownEither(CableEvent.CableEvent)
const encodeEvent = Schema.encodeEither(CableEvent.CableEvent)

describe("decoders under mutated golden input (fast-check, fixed seed)", () => {
  let tried = 0

  for (const { json, name } of cableCases) {
    it(`${name}: every mutated frame decodes to a frame, an event (Unknown/Undecodable included) or a typed error`, async () => {
      for (const chunk of budget.chunks(runsPerCase)) {
        fc.assert(
          fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
            tried++
            const text = mutate(json, mutations)
            const frame = neverThrows(decodeFrame, text, `${name} frame`)
            if (Either.isRight(frame) && typeof frame.right === "object" && frame.right !== null && "message" in frame.right) {
              const event = neverThrows(decodeEvent, (frame.right as CableFrame.Broadcast).message, `${name} event`)
              // What decodes encodes back without throwing (the pipe writes the wire form).
              if (Either.isRight(event)) neverThrows(() => encodeEvent(event.right as CableEvent.CableEvent), undefined, `${name} encode`)
            }
            assertNoPollution()
          }),
          chunk
        )
        await breathe()
      }
    }, budget.timeout(60_000))
  }

  for (const { json, name } of restCases) {
    it(`${name}: every mutated body decodes or fails with a typed error`, async () => {
      const decode = Schema.decodeUnknownEither(restSchemas[name]!)
      for (const chunk of budget.chunks(runsPerCase)) {
        fc.assert(
          fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
            tried++
            const text = mutate((json as { body: unknown }).body, mutations)
            neverThrows(decode, JSON.parse(text), name)
            assertNoPollution()
          }),
          chunk
        )
        await breathe()
      }
    }, budget.timeout(60_000))
  }

  it("random JSON and random text as frames: a frame, or a typed error", async () => {
    for (const chunk of budget.chunks(randomRuns)) {
      fc.assert(
        fc.property(fc.oneof(fc.json({ maxDepth: 4 }), fc.string({ maxLength: 300 }), fc.fullUnicodeString({ maxLength: 100 })), (text) => {
          tried++
          neverThrows(decodeFrame, text, "random frame")
          assertNoPollution()
        }),
        chunk
      )
      await breathe()
    }
  }, budget.timeout(60_000))

  it("a frame nested 100,000 levels deep: a frame and an event, or a typed error, without exhausting the stack", () => {
    const deep = "[".repeat(100_000) + "1" + "]".repeat(100_000)
    for (const data of [deep, `{"id":1,"content_attributes":{"x":${deep}}}`]) {
      const frame = neverThrows(decodeFrame, `{"identifier":"x","message":{"event":"message.created","data":${data}}}`, "deep frame")
      if (Either.isRight(frame)) neverThrows(decodeEvent, (frame.right as CableFrame.Broadcast).message, "deep event")
      tried++
    }
  })

  it("reports how many cases were tried", () => {
    // Runs last in this file: the counter holds every case above.
    assert.isAtLeast(tried, (cableCases.length + restCases.length) * runsPerCase + randomRuns)
    budget.report({ cases: tried })
  })
})
