/**
 * The time formats the server emits, each decoded to a `DateTime.Utc`.
 *
 * The server mixes integer Unix seconds (jbuilder views and push data), float Unix seconds (conversation
 * `updated_at` in events) and ISO-8601 strings (raw model serialisations). The `DateTime` schemas here accept any
 * of these forms when decoding, and encode back to the one form their field has on the wire; float seconds stay
 * a number, since their microseconds do not fit a `DateTime`.
 *
 * @example
 * ```ts
 * import { Timestamp } from "@bevatel/schema"
 * import { Schema } from "effect"
 *
 * const createdAt = Schema.decodeUnknownSync(Timestamp.EpochSeconds)(1_700_000_000)
 * const never = Schema.decodeUnknownSync(Timestamp.EpochSecondsOrNever)(0) // Option.none()
 * ```
 *
 * @since 1.0.0
 */
import { WireTime } from "@bevatel/wire"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import * as SchemaIssue from "effect/SchemaIssue"

/** Unix seconds or an ISO-8601 string, as the wire has them. */
const WireTimeInput = Schema.Union([Schema.Number, Schema.String]).annotate({ identifier: "UnixSecondsOrIsoString" })

const decodeWireTime = (input: number | string): Effect.Effect<DateTime.Utc, SchemaIssue.Issue> => {
  const millis = WireTime.toEpochMillis(input)
  return millis !== undefined
    ? Effect.succeed(DateTime.makeUnsafe(millis))
    : Effect.fail(
      new SchemaIssue.InvalidValue({
        message: `Expected Unix seconds or an ISO-8601 time, got ${JSON.stringify(input)?.slice(0, 60)}`
      }, input)
    )
}

const encodeSeconds = (dateTime: DateTime.Utc) => WireTime.toEpochSeconds(DateTime.toEpochMillis(dateTime))

/**
 * A `DateTime.Utc`, generated (for property tests) as whole seconds or milliseconds of 1970..2100 (from `minimum`
 * units on), so that a generated value survives the wire form exactly.
 */
const utcIn = (unitMillis: number, minimum = 0) =>
  Schema.declare((u): u is DateTime.Utc => DateTime.isDateTime(u) && DateTime.isUtc(u), {
    identifier: "DateTime.Utc",
    toCodecArbitrary: () =>
      Schema.link<DateTime.Utc>()(
        Schema.Int.check(Schema.isBetween({ minimum, maximum: WireTime.maxGeneratedSeconds * 1000 / unitMillis })),
        {
          decode: SchemaGetter.transform((units: number) => DateTime.makeUnsafe(units * unitMillis)),
          encode: SchemaGetter.transform((dateTime: DateTime.Utc) => Math.floor(DateTime.toEpochMillis(dateTime) / unitMillis))
        }
      )
  })

/**
 * Integer Unix seconds on the wire (message `created_at`, conversation `last_activity_at`, …).
 *
 * @since 1.0.0
 * @category schemas
 */
export const EpochSeconds: Schema.Codec<DateTime.Utc, number | string> = WireTimeInput.pipe(
  Schema.decodeTo(utcIn(1000), {
    decode: SchemaGetter.transformEffect(decodeWireTime),
    encode: SchemaGetter.transform(encodeSeconds)
  })
).annotate({ identifier: "EpochSeconds" })

/**
 * Integer Unix seconds where `0` means "never" (`contact_last_seen_at`, `agent_last_seen_at`, `waiting_since`):
 * decoded as `Option.none()`.
 *
 * @since 1.0.0
 * @category schemas
 */
export const EpochSecondsOrNever: Schema.Codec<Option.Option<DateTime.Utc>, number | string> = WireTimeInput.pipe(
  Schema.decodeTo(Schema.Option(utcIn(1000, 1)), {
    decode: SchemaGetter.transformEffect((input: number | string) =>
      WireTime.isNever(input) ? Effect.succeed(Option.none()) : Effect.map(decodeWireTime(input), Option.some)
    ),
    encode: SchemaGetter.transform(Option.match({ onNone: () => 0, onSome: encodeSeconds }))
  })
).annotate({ identifier: "EpochSecondsOrNever" })

/**
 * Fractional Unix seconds on the wire (conversation `updated_at` in cable events: Ruby's `Time#to_f`, with
 * microseconds). Kept as the number it is, so that nothing is rounded away: `DateTime.makeUnsafe(seconds * 1000)`
 * gives a `DateTime.Utc` to the millisecond.
 *
 * @since 1.0.0
 * @category schemas
 */
export const FractionalEpochSeconds: Schema.Codec<number> = Schema.Number.check(
  Schema.makeFilter((seconds: number) => Number.isFinite(seconds) && seconds >= 0)
).annotate({
  identifier: "FractionalEpochSeconds",
  description: "Unix seconds with a fraction (microseconds on the wire), kept exactly as sent"
})

/**
 * An ISO-8601 UTC string with milliseconds on the wire (`"2026-02-13T10:00:00.000Z"`), as Rails serialises
 * model timestamps.
 *
 * @since 1.0.0
 * @category schemas
 */
export const IsoTimestamp: Schema.Codec<DateTime.Utc, string | number> = WireTimeInput.pipe(
  Schema.decodeTo(utcIn(1), {
    decode: SchemaGetter.transformEffect(decodeWireTime),
    encode: SchemaGetter.transform(DateTime.formatIso)
  })
).annotate({ identifier: "IsoTimestamp" })
