/** One mutation of a JSON value: where (`at`, modulo the value's paths), what, and with which value. */
export interface Mutation {
  readonly at: number
  readonly kind: "delete" | "replace" | "hostile" | "proto-key"
  readonly value: unknown
  readonly pick: number
}

/**
 * Mutations as an arbitrary of the fast-check module given (`FastCheck` from `effect`, or `fast-check`); type it where
 * it is used: `const mutation: fc.Arbitrary<Mutation> = mutationArbitrary(fc)`.
 */
export declare const mutationArbitrary: (fc: object) => any

/** A copy of `json` with the mutations applied, as JSON text (as a socket or a body would carry it). */
export declare const mutate: (json: unknown, mutations: ReadonlyArray<Mutation>) => string
