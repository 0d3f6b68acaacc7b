import { schemaScenarios } from "@bevatel/golden/scenarios/schema"
import { assert, describe, it } from "@effect/vitest"
import { line } from "./line.js"

// The scenarios both Effect lines pass (golden corpus, frames, events, identifiers, entities), on this line's Effect 4.
describe("@bevatel/schema on Effect 4", () => {
  for (const scenario of schemaScenarios(line, assert)) it(scenario.name, scenario.run)
})
