import type * as AST from "effect/SchemaAST"

/**
 * What the compiled decoders answer when a value does not decode (the Schema's own parser then says why).
 *
 * @internal
 */
export const rejected: unique symbol = Symbol.for("@bevatel/schema/Decoder/rejected")

/**
 * The project's own transformations that decode at once, by their AST: the decoded value (already of the type side,
 * so not checked again), or {@link rejected}. The transformation's own `decode` calls the same function, so the two
 * cannot drift apart; the Decoder's property tests compare them with the Schema's parser.
 *
 * @internal
 */
export const directTransformations = new WeakMap<AST.AST, (input: unknown) => unknown>()

/**
 * Lenient keys (`internal/fields.ts`), by their step's `decode` function: the schema the value is decoded with. A value
 * that decodes is of the step's type side by construction, and one that does not makes the key absent.
 *
 * @internal
 */
export const lenientSteps = new WeakMap<Function, AST.AST>()

/**
 * The project's own declarations that have a compiled form, by their AST, in both directions: given the compiler (an
 * AST to its compiled decoder, or to its compiled encoder), the declaration's compiled decoder or encoder. Its own
 * parser stays the Schema's reference.
 *
 * @internal
 */
export const compiledDeclarations = new WeakMap<AST.AST, {
  readonly decode: (compile: (ast: AST.AST) => (input: unknown) => unknown) => (input: unknown) => unknown
  readonly encode: (compile: (ast: AST.AST) => (input: unknown) => unknown) => (input: unknown) => unknown
}>()
