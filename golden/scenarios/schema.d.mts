/** What a line of the SDK hands the shared scenarios: its `@bevatel/schema`, and what differs between Effect lines. */
export interface SchemaLine {
  /** The line's `@bevatel/schema` module (`import * as Bevatel from "@bevatel/schema"`). */
  readonly module: any
  /** Decodes `input` with `schema`; throws when it does not decode. */
  readonly decode: (schema: any, input: unknown) => any
  /** Encodes a value of `schema`'s type; throws when it does not encode. */
  readonly encode: (schema: any, value: unknown) => any
  /** What did not decode, as the line's `DecodeIssues` lists it; empty when `input` decodes. */
  readonly issues: (schema: any, input: unknown) => ReadonlyArray<{ readonly path: ReadonlyArray<PropertyKey>; readonly message: string }>
  /** Checks a value of `schema`'s type (already decoded) and gives it back; throws when it is not one. */
  readonly validate: (schema: any, value: unknown) => any
  /** Whether `value` is a value of `schema`'s type. */
  readonly is: (schema: any, value: unknown) => boolean
  /** The schema of an array of `schema`. */
  readonly array: (schema: any) => any
  /** Milliseconds since 1970 of a decoded `DateTime`. */
  readonly epochMillis: (dateTime: any) => number
  /** Whether a decoded `Option` is empty. */
  readonly isNone: (option: any) => boolean
  /** Decodes `input` with `schema`, as the line's `Result` or `Either` says (throwing only if the decoder threw). */
  readonly answer: (schema: any, input: unknown) => { readonly success: true; readonly value: any } | { readonly success: false }
}

/** One scenario: a test's name and body. */
export interface Scenario {
  readonly name: string
  readonly run: () => void
}

/** Every scenario of `@bevatel/schema`, for one line, asserting with `assert` (vitest's, chai's). */
export declare const schemaScenarios: (line: SchemaLine, assert: any) => ReadonlyArray<Scenario>

/** The schema of each REST case's body, of a line's `@bevatel/schema` (`array`: the line's `Schema.Array`). */
export declare const restSchemas: (S: any, line: Pick<SchemaLine, "array">) => Record<string, any>

/** The schemas whose generated values must survive `decode ∘ encode`, by name, of a line's `@bevatel/schema`. */
export declare const roundTripSchemas: (S: any) => Record<string, any>

/** A scenario that may wait (it lets the event loop run between chunks of a long property). */
export interface AsyncScenario {
  readonly name: string
  readonly run: () => Promise<void>
}

/**
 * The decoders under hostile input, for one line: the golden corpus mutated with `mutation` (fast-check's `fc`, on
 * the suite's `budget` from `@bevatel/golden/fuzz`), random JSON and text, a frame nested 100,000 levels deep; the
 * last scenario reports the cases tried.
 */
export declare const decoderFuzzScenarios: (
  line: SchemaLine,
  fc: any,
  assert: any,
  budget: import("../fuzz.mjs").FuzzBudget,
  mutation: any,
  breathe: () => Promise<void>
) => ReadonlyArray<AsyncScenario>
