import * as Schema from "effect/Schema"
import * as SchemaTransformation from "effect/SchemaTransformation"
import type { JsonObject } from "../Json.js"

// The Schema constructs whose spelling differs between Effect 3 and Effect 4, under one name per construct: the
// Effect 4 spelling of `packages/schema/src/internal/dialect.ts`. The modules written with these (and `fields.ts`)
// are the Effect 3 package's own sources, built here against this file (see `shared-sources.json`).

/** `schema`, named `identifier` (in error messages, JSON Schemas and docs). */
export const named = <S extends Schema.Top>(identifier: string, schema: S): S["Rebuild"] => schema.annotate({ identifier })

/** A non-empty string, branded `brand`. */
export const nonEmptyString = <const B extends string>(brand: B, description: string) =>
  Schema.String.check(Schema.isMinLength(1, { message: `${brand} must not be empty` })).pipe(
    Schema.brand<B>(brand as never),
    Schema.annotate({ identifier: brand, description })
  )

/** A positive integer, branded `brand`. */
export const positiveInt = <const B extends string>(brand: B, description: string) =>
  Schema.Int.check(Schema.isGreaterThan(0, { message: `${brand} must be a positive integer` })).pipe(
    Schema.brand<B>(brand as never),
    Schema.annotate({ identifier: brand, description })
  )

/** A string matching `pattern` (else failing with `message`), branded `brand`. */
export const patternString = <const B extends string>(brand: B, description: string, pattern: RegExp, message: string) =>
  Schema.String.check(Schema.isPattern(pattern, { message })).pipe(
    Schema.brand<B>(brand as never),
    Schema.annotate({ identifier: brand, description })
  )

/** One of `values`. */
export const literals = <const Values extends ReadonlyArray<string>>(...values: Values) => Schema.Literals(values)

/**
 * An integer on the wire that decodes to the name at its index in `names`; an integer past them (a newer server's
 * value) is kept as the number.
 */
export const indexedNames = <const Names extends ReadonlyArray<string>>(
  identifier: string,
  names: Names
): Schema.Codec<Names[number] | number, number> =>
  Schema.Int.pipe(
    Schema.decodeTo(
      Schema.Union([
        Schema.Literals(names),
        Schema.Int.check(Schema.isGreaterThanOrEqualTo(names.length)),
        Schema.Int.check(Schema.isLessThan(0))
      ]).annotate({ identifier: `${identifier}Name` }),
      SchemaTransformation.transform<Names[number] | number, number>({
        decode: (n) => names[n] ?? n,
        encode: (name) => typeof name === "number" ? name : names.indexOf(name)
      })
    )
  ).annotate({ identifier })

/** The union of `members`, tried in order. */
export const oneOf = <const Members extends ReadonlyArray<Schema.Top>>(...members: Members) => Schema.Union(members)

/** An integer from `minimum` to `maximum`, both included. */
export const intBetween = (minimum: number, maximum: number) => Schema.Int.check(Schema.isBetween({ minimum, maximum }))

/** A string of at least `minimum` characters. */
export const stringAtLeast = (minimum: number) => Schema.String.check(Schema.isMinLength(minimum))

/** A string of at most `maximum` characters. */
export const stringAtMost = (maximum: number) => Schema.String.check(Schema.isMaxLength(maximum))

/** A string that is none of `values`. */
export const stringOtherThan = (values: ReadonlyArray<string>) =>
  Schema.String.check(Schema.makeFilter((value: string) => !values.includes(value)))

/** A number written as a string (a query parameter), decoded on through `to`. */
export const numberFromString = <To extends Schema.Codec<any, number>>(to: To) =>
  Schema.NumberFromString.pipe(Schema.decodeTo(to))

/** JSON text, parsed and decoded through `schema`. */
export const fromJson = <S extends Schema.Top>(schema: S) => Schema.fromJsonString(schema)

/** An object with the struct's `fields` and, for any other key, a value of `rest`. */
export const withRest = <const Fields extends Schema.Struct.Fields>(fields: Fields, rest: typeof JsonObject) =>
  Schema.StructWithRest(Schema.Struct(fields), [rest])

/** One value or an array of them (some server versions answer with the array), decoded to the first or `undefined`. */
export const oneOrFirst = <S extends Schema.Top>(schema: S) =>
  Schema.Union([schema, Schema.Array(schema)]).pipe(
    Schema.decodeTo(
      Schema.UndefinedOr(Schema.toType(schema)),
      SchemaTransformation.transform({
        decode: (answer): S["Type"] | undefined => Array.isArray(answer) ? answer[0] : answer,
        encode: (value) => value === undefined ? [] : value
      })
    )
  )

/** An object of string keys, each with a value of `value`. */
export const recordOf = <V extends Schema.Top>(value: V) => Schema.Record(Schema.String, value)

/** The encoded side of a schema, as a type. */
export type Encoded<S> = S extends { readonly Encoded: infer E } ? E : never
