/**
 * Times as the server writes them: Unix seconds (`created_at` of a message, sometimes with a fraction) or ISO-8601
 * strings (`updated_at`), and `0` or `""` for "never" (a conversation nobody has seen).
 *
 * @example
 * ```ts
 * import { WireTime } from "@bevatel/wire"
 *
 * WireTime.toEpochMillis(1_700_000_000) // 1_700_000_000_000
 * WireTime.toEpochMillis("2023-11-14T22:13:20.000Z") // 1_700_000_000_000
 * WireTime.toEpochMillis("yesterday") // undefined
 * ```
 *
 * @since 0.1.0
 */

/** The range a JavaScript date holds: ±100,000,000 days around 1970. */
const maxMillis = 8.64e15

/**
 * Milliseconds since 1970 of a wire time (seconds as a number, or an ISO-8601 string), or `undefined` when it is
 * neither or lies outside what a JavaScript date holds.
 *
 * @since 0.1.0
 * @category conversions
 */
export const toEpochMillis = (input: unknown): number | undefined => {
  const millis = typeof input === "number" ? Math.round(input * 1000) : typeof input === "string" ? Date.parse(input) : NaN
  return Number.isFinite(millis) && Math.abs(millis) <= maxMillis ? millis : undefined
}

/**
 * Whether a wire time means "never" (`0`, or an empty string).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isNever = (input: unknown): boolean => input === 0 || input === ""

/**
 * Whole Unix seconds of a time in milliseconds, as the server writes `created_at`.
 *
 * @since 0.1.0
 * @category conversions
 */
export const toEpochSeconds = (millis: number): number => Math.floor(millis / 1000)

/**
 * The last second (2100-01-01) of the range generated values cover, so that they survive encoding exactly.
 *
 * @since 0.1.0
 * @category values
 */
export const maxGeneratedSeconds = 4_102_444_800
