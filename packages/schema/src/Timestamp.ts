/**
 * The time formats the server emits, each decoded to a `DateTime.Utc`.
 *
 * The server mixes integer Unix seconds (jbuilder views and push data), float Unix seconds (conversation
 * `updated_at` in events) and ISO-8601 strings (raw model serialisations). The `DateTime` schemas here accept any
 * of these forms when decoding, and encode back to the one form their field has on the wire; float seconds stay
 * a number, since their microseconds do not fit a `DateTime`.
 *
 * @since 0.1.0
 */
import { WireTime } from "@bevatel/wire"
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import { directTransformations, rejected } from "./internal/fastPaths.js"

// One type check rather than a union: this runs for every time field of every cable event.
const WireTimeInput = Schema.declare((u): u is number | string => typeof u === "number" || typeof u === "string", {
  identifier: "UnixSecondsOrIsoString",
  arbitrary: () => (fc) => fc.oneof(fc.integer(), fc.string())
})

/** Unix seconds or an ISO-8601 string as a `DateTime.Utc`, or `undefined` for anything else. */
const toDateTime = (input: unknown): DateTime.Utc | undefined => {
  const millis = WireTime.toEpochMillis(input)
  return millis === undefined ? undefined : DateTime.unsafeMake(millis)
}

const decodeWireTime = (input: number | string, ast: SchemaAST.AST) => {
  const dateTime = toDateTime(input)
  return dateTime !== undefined
    ? ParseResult.succeed(dateTime)
    : ParseResult.fail(
      new ParseResult.Type(ast, input, `Expected Unix seconds or an ISO-8601 time, got ${JSON.stringify(input)?.slice(0, 60)}`)
    )
}

/** What the compiled decoders run for a `DateTime` field: the same conversion, without the parser's `Either`s. */
const decodeDirectly = (input: unknown) => toDateTime(input) ?? rejected

const maxSeconds = WireTime.maxGeneratedSeconds

/**
 * Integer Unix seconds on the wire (message `created_at`, conversation `last_activity_at`, …).
 *
 * @since 0.1.0
 * @category time
 */
export const EpochSeconds: Schema.Schema<DateTime.Utc, number | string> = Schema.transformOrFail(
  WireTimeInput,
  Schema.DateTimeUtcFromSelf,
  {
    strict: true,
    decode: (input, _, ast) => decodeWireTime(input, ast),
    encode: (dateTime) => ParseResult.succeed(WireTime.toEpochSeconds(DateTime.toEpochMillis(dateTime)))
  }
).annotations({
  identifier: "EpochSeconds",
  arbitrary: () => (fc) => fc.integer({ min: 0, max: maxSeconds }).map((s) => DateTime.unsafeMake(s * 1000))
})
directTransformations.set(EpochSeconds.ast, decodeDirectly)

/**
 * Integer Unix seconds where `0` means "never" (`contact_last_seen_at`, `agent_last_seen_at`, `waiting_since`):
 * decoded as `Option.none()`.
 *
 * @since 0.1.0
 * @category time
 */
export const EpochSecondsOrNever: Schema.Schema<Option.Option<DateTime.Utc>, number | string> = Schema
  .transformOrFail(
    WireTimeInput,
    Schema.OptionFromSelf(Schema.DateTimeUtcFromSelf),
    {
      strict: true,
      decode: (input, _, ast) =>
        WireTime.isNever(input) ? ParseResult.succeed(Option.none()) : ParseResult.map(decodeWireTime(input, ast), Option.some),
      encode: (option) =>
        ParseResult.succeed(Option.match(option, {
          onNone: () => 0,
          onSome: (dateTime) => WireTime.toEpochSeconds(DateTime.toEpochMillis(dateTime))
        }))
    }
  ).annotations({
    identifier: "EpochSecondsOrNever",
    arbitrary: () => (fc) =>
      fc.option(fc.integer({ min: 1, max: maxSeconds }), { nil: undefined }).map((s) =>
        s === undefined ? Option.none() : Option.some(DateTime.unsafeMake(s * 1000))
      )
  })
directTransformations.set(EpochSecondsOrNever.ast, (input) => {
  if (WireTime.isNever(input)) return Option.none()
  const dateTime = toDateTime(input)
  return dateTime === undefined ? rejected : Option.some(dateTime)
})

/**
 * Fractional Unix seconds on the wire (conversation `updated_at` in cable events: Ruby's `Time#to_f`, with
 * microseconds). Kept as the number it is, so that nothing is rounded away: `DateTime.unsafeMake(seconds * 1000)`
 * gives a `DateTime.Utc` to the millisecond.
 *
 * @since 0.1.0
 * @category time
 */
export const FractionalEpochSeconds: Schema.Schema<number, number> = Schema.Number.pipe(
  Schema.filter((seconds) => Number.isFinite(seconds) && seconds >= 0)
).annotations({
  identifier: "FractionalEpochSeconds",
  description: "Unix seconds with a fraction (microseconds on the wire), kept exactly as sent",
  arbitrary: () => (fc) => fc.integer({ min: 0, max: maxSeconds * 1000 }).map((ms) => ms / 1000)
})

/**
 * An ISO-8601 UTC string with milliseconds on the wire (`"2026-02-13T10:00:00.000Z"`), as Rails serialises
 * model timestamps.
 *
 * @since 0.1.0
 * @category time
 */
export const IsoTimestamp: Schema.Schema<DateTime.Utc, string | number> = Schema.transformOrFail(
  WireTimeInput,
  Schema.DateTimeUtcFromSelf,
  {
    strict: true,
    decode: (input, _, ast) => decodeWireTime(input, ast),
    encode: (dateTime) => ParseResult.succeed(DateTime.formatIso(dateTime))
  }
).annotations({
  identifier: "IsoTimestamp",
  arbitrary: () => (fc) => fc.integer({ min: 0, max: maxSeconds * 1000 }).map((ms) => DateTime.unsafeMake(ms))
})
directTransformations.set(IsoTimestamp.ast, decodeDirectly)
