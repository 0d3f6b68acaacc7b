import * as Schema from "effect/Schema"
import type { JsonObject } from "../Json.js"

// The Schema constructs whose spelling differs between Effect 3 and Effect 4, under one name per construct. The
// modules written with these (and `fields.ts`) compile on both lines: the Effect 4 line builds them from this
// package's sources (`effect4/packages/schema/shared-sources.json`) against its own `internal/dialect.ts`.

/** `schema`, named `identifier` (in error messages, JSON Schemas and docs). */
export const named = <S extends Schema.Schema.Any>(identifier: string, schema: S): S =>
  schema.annotations({ identifier }) as S

/** A non-empty string, branded `brand`. */
export const nonEmptyString = <const B extends string>(brand: B, description: string) =>
  Schema.String.pipe(
    Schema.minLength(1, { message: () => `${brand} must not be empty` }),
    Schema.brand(brand),
    Schema.annotations({ identifier: brand, description })
  )

/** A positive integer, branded `brand`. */
export const positiveInt = <const B extends string>(brand: B, description: string) =>
  Schema.Int.pipe(
    Schema.positive({ message: (issue) => `${brand} must be a positive integer, got ${String(issue.actual)}` }),
    Schema.brand(brand),
    Schema.annotations({ identifier: brand, description })
  )

/** A string matching `pattern` (else failing with `message`), branded `brand`. */
export const patternString = <const B extends string>(brand: B, description: string, pattern: RegExp, message: string) =>
  Schema.String.pipe(
    Schema.pattern(pattern, { message: () => message }),
    Schema.brand(brand),
    Schema.annotations({ identifier: brand, description })
  )

/** One of `values`. */
export const literals = <const Values extends ReadonlyArray<string>>(...values: Values) => Schema.Literal(...values)

/**
 * An integer on the wire that decodes to the name at its index in `names`; an integer past them (a newer server's
 * value) is kept as the number.
 */
export const indexedNames = <const Names extends ReadonlyArray<string>>(
  identifier: string,
  names: Names
): Schema.Schema<Names[number] | number, number> =>
  Schema.transform(
    Schema.Int,
    Schema.declare<Names[number] | number>(
      (u): u is Names[number] | number =>
        typeof u === "number" ? Number.isInteger(u) && (u < 0 || u >= names.length) : names.includes(u as never),
      {
        identifier: `${identifier}Name`,
        arbitrary: () => (fc) => fc.oneof(fc.constantFrom(...names), fc.integer({ min: names.length }))
      }
    ),
    {
      strict: true,
      decode: (n) => names[n] ?? n,
      encode: (name) => typeof name === "number" ? name : names.indexOf(name)
    }
  ).annotations({ identifier })

/** The union of `members`, tried in order. */
export const oneOf = <const Members extends ReadonlyArray<Schema.Schema.Any>>(...members: Members) =>
  Schema.Union(...members)

/** An integer from `minimum` to `maximum`, both included. */
export const intBetween = (minimum: number, maximum: number) => Schema.Int.pipe(Schema.between(minimum, maximum))

/** A string of at least `minimum` characters. */
export const stringAtLeast = (minimum: number) => Schema.String.pipe(Schema.minLength(minimum))

/** A string of at most `maximum` characters. */
export const stringAtMost = (maximum: number) => Schema.String.pipe(Schema.maxLength(maximum))

/** A string that is none of `values`. */
export const stringOtherThan = (values: ReadonlyArray<string>) =>
  Schema.String.pipe(Schema.filter((value) => !values.includes(value)))

/** A number written as a string (a query parameter), decoded on through `to`. */
export const numberFromString = <A, R>(to: Schema.Schema<A, number, R>) => Schema.compose(Schema.NumberFromString, to)

/** JSON text, parsed and decoded through `schema`. */
export const fromJson = <S extends Schema.Schema.Any>(schema: S) => Schema.parseJson(schema)

/** An object with the struct's `fields` and, for any other key, a value of `rest`. */
export const withRest = <Fields extends Schema.Struct.Fields>(fields: Fields, rest: typeof JsonObject) =>
  Schema.Struct(fields, rest)

/** One value or an array of them (some server versions answer with the array), decoded to the first or `undefined`. */
export const oneOrFirst = <A, I>(schema: Schema.Schema<A, I>) =>
  Schema.transform(Schema.Union(schema, Schema.Array(schema)), Schema.UndefinedOr(Schema.typeSchema(schema)), {
    strict: true,
    decode: (answer) => Array.isArray(answer) ? (answer as ReadonlyArray<A>)[0] : answer as A,
    encode: (value) => value === undefined ? [] : value
  })

/** An object of string keys, each with a value of `value`. */
export const recordOf = <V extends Schema.Schema.Any>(value: V) => Schema.Record({ key: Schema.String, value })

/** The encoded side of a schema, as a type. */
export type Encoded<S> = S extends { readonly Encoded: infer E } ? E : never
