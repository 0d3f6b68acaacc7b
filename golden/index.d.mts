/** The folder of the corpus. */
export declare const directory: string

/** One case: its file name and its parsed JSON. */
export interface GoldenCase {
  readonly name: string
  readonly json: any
}

/** Every case of the corpus, by file name. */
export declare const cases: ReadonlyArray<GoldenCase>

/** The cable cases: whole frames, `{ identifier, message: { event, data } }`. */
export declare const cableCases: ReadonlyArray<GoldenCase>

/** The REST cases: `{ request, status, body }`. */
export declare const restCases: ReadonlyArray<GoldenCase>

/** One case's JSON, by file name; throws when there is no such case. */
export declare const golden: (name: string) => any
