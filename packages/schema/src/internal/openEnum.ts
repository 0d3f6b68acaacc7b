import * as Schema from "effect/Schema"

/**
 * A string enum that keeps values it does not know: known values decode to their literal, any other string
 * decodes to itself, branded as unknown, so a newer server never breaks decoding.
 *
 * @internal
 */
export const openStringEnum = <const Literals extends ReadonlyArray<string>>(identifier: string, literals: Literals) =>
  Schema.Union(
    Schema.Literal(...literals),
    Schema.String.pipe(
      Schema.filter((value) => !literals.includes(value)),
      Schema.brand(`Unknown${identifier}`),
      Schema.annotations({ identifier: `Unknown${identifier}` })
    )
  ).annotations({ identifier })
