import type { SchemaLine } from "@bevatel/golden/scenarios/schema"
import * as Bevatel from "@bevatel/schema"
import { DateTime, Option, Result, Schema } from "effect"

/** This line (Effect 4) as the shared scenarios (`@bevatel/golden/scenarios/schema`) take it. */
export const line: SchemaLine = {
  module: Bevatel,
  decode: (schema: Schema.Codec<any, any>, input) => Schema.decodeUnknownSync(schema)(input),
  encode: (schema: Schema.Codec<any, any>, value) => Schema.encodeUnknownSync(schema)(value),
  issues: (schema: Schema.Codec<any, any>, input) =>
    Result.match(Schema.decodeUnknownResult(schema)(input), {
      onFailure: (error) => Bevatel.DecodeIssues.fromIssue(error),
      onSuccess: () => []
    }),
  answer: (schema: Schema.Codec<any, any>, input) => {
    const result = Schema.decodeUnknownResult(schema)(input)
    if (!Result.isResult(result)) throw new Error(`the decoder answered ${String(result)}, not a Result`)
    return Result.isSuccess(result) ? { success: true, value: result.success } : { success: false }
  },
  validate: (schema: Schema.Codec<any, any>, value) => Schema.decodeUnknownSync(Schema.toType(schema))(value),
  is: (schema: Schema.Codec<any, any>, value) => Schema.is(schema)(value),
  array: (schema: Schema.Codec<any, any>) => Schema.Array(schema),
  epochMillis: (dateTime: DateTime.DateTime) => DateTime.toEpochMillis(dateTime),
  isNone: (option: Option.Option<unknown>) => Option.isNone(option)
}
