import { breathe, fuzzBudget } from "@bevatel/golden/fuzz"
import { type Mutation, mutationArbitrary } from "@bevatel/golden/mutations"
import { decoderFuzzScenarios } from "@bevatel/golden/scenarios/schema"
import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { line } from "./line.js"

// Hostile input through every decoder (the shared scenarios, on this line's Effect 3): the golden corpus mutated at
// random with a fixed seed in CI (`pnpm fuzz` runs it for longer, on any seed).
const budget = fuzzBudget("decoders", 8_400)
const mutation: fc.Arbitrary<Mutation> = mutationArbitrary(fc)

describe("decoders under mutated golden input (fast-check, fixed seed)", () => {
  for (const scenario of decoderFuzzScenarios(line, fc, assert, budget, mutation, breathe)) {
    it(scenario.name, scenario.run, budget.timeout(60_000))
  }
})
