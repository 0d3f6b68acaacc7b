import type * as SchemaAST from "effect/SchemaAST"
import * as SchemaJITCompiler from "effect/schema/SchemaJITCompiler"

/** Options of `Decoder.compile` and `Encoder.compile`. */
export interface CompileOptions {
  /**
   * Let `effect`'s JIT compiler generate code for the schema (`new Function`). Default: on server runtimes (Node,
   * Deno, Bun); never in browsers, where a page's Content-Security-Policy may refuse it and report the attempt.
   * `false` keeps to the interpreter everywhere. Where code generation is refused, the interpreter answers.
   */
  readonly generatedCode?: boolean | undefined
}

const serverRuntime = typeof (globalThis as { readonly process?: { readonly versions?: { readonly node?: string } } })
  .process?.versions?.node === "string" || "Deno" in globalThis || "Bun" in globalThis

/** The schema, with the JIT compiler enabled for it (and what it parses) where the options and runtime allow. */
export const compiledFor = <S extends { readonly ast: SchemaAST.AST }>(schema: S, options: CompileOptions | undefined): S => {
  if (options?.generatedCode ?? serverRuntime) SchemaJITCompiler.enable(schema.ast)
  return schema
}
