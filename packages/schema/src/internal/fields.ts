import * as Schema from "effect/Schema"

/**
 * An optional key that is either absent or holds a value (never `undefined`), so that encoding reproduces the
 * wire object exactly.
 *
 * @internal
 */
export const optionalKey = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })
