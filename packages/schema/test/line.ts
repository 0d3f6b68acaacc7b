import type { SchemaLine } from "@bevatel/golden/scenarios/schema"
import * as Bevatel from "@bevatel/schema"
import { DateTime, Either, Option, Schema } from "effect"

/** This line (Effect 3) as the shared scenarios (`@bevatel/golden/scenarios/schema`) take it. */
export const line: SchemaLine = {
  module: Bevatel,
  decode: (schema: Schema.Schema<any, any>, input) => Schema.decodeUnknownSync(schema)(input),
  encode: (schema: Schema.Schema<any, any>, value) => Schema.encodeSync(schema)(value),
  issues: (schema: Schema.Schema<any, any>, input) =>
    Either.match(Schema.decodeUnknownEither(schema)(input), {
      onLeft: (error) => Bevatel.DecodeIssues.fromError(error),
      onRight: () => []
    }),
  answer: (schema: Schema.Schema<any, any>, input) => {
    const result = Schema.decodeUnknownEither(schema)(input)
    if (!Either.isEither(result)) throw new Error(`the decoder answered ${String(result)}, not an Either`)
    return Either.isRight(result) ? { success: true, value: result.right } : { success: false }
  },
  validate: (schema: Schema.Schema<any, any>, value) => Schema.validateSync(schema)(value),
  is: (schema: Schema.Schema<any, any>, value) => Schema.is(schema)(value),
  array: (schema: Schema.Schema<any, any>) => Schema.Array(schema),
  epochMillis: (dateTime: DateTime.DateTime) => DateTime.toEpochMillis(dateTime),
  isNone: (option: Option.Option<unknown>) => Option.isNone(option)
}
