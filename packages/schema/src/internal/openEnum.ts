import type * as Brand from "effect/Brand"
import * as Schema from "effect/Schema"

/**
 * A string enum that keeps values it does not know. Its type is the known literals or an unknown value (the raw
 * string, branded as unknown), so a newer server never breaks decoding; at run time it is one string check, which
 * matters on the hot path of every cable event.
 *
 * @internal
 */
export const openStringEnum = <const Id extends string, const Literals extends ReadonlyArray<string>>(
  identifier: Id,
  literals: Literals
): Schema.Schema<Literals[number] | (string & Brand.Brand<`Unknown${Id}`>), string> =>
  Schema.String.annotations({
    identifier,
    description: `one of ${literals.map((l) => JSON.stringify(l)).join(", ")}, or a newer value kept as it is`,
    arbitrary: () => (fc) => fc.oneof(fc.constantFrom(...literals), fc.string())
  }) as never
