import type * as Brand from "effect/Brand"
import * as Schema from "effect/Schema"

/**
 * A string enum that stays open: the known values typed as literals, any other string kept as it came (branded
 * `Unknown<Id>`, so that a `switch` over the known ones is still exhaustive).
 */
export const openStringEnum = <const Id extends string, const Literals extends ReadonlyArray<string>>(
  identifier: Id,
  literals: Literals
): Schema.Codec<Literals[number] | (string & Brand.Brand<`Unknown${Id}`>), string> =>
  Schema.String.annotate({
    identifier,
    description: `one of ${literals.map((l) => JSON.stringify(l)).join(", ")}, or a newer value kept as it is`
  }) as never
