import { restSchemas as restSchemasOf } from "@bevatel/golden/scenarios/schema"
import * as Bevatel from "@bevatel/schema"
import type { Schema } from "effect"
import { line } from "./line.js"

// The golden corpus (/golden): payloads written from the real server's source, not from these schemas.
export { cableCases, cases, restCases } from "@bevatel/golden"

/** The schema of each REST case's body. */
export const restSchemas: Record<string, Schema.Schema<any, any>> = restSchemasOf(Bevatel, line)
