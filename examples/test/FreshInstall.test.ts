/**
 * The README's first step on a fresh clone: `pnpm install` prints no warning (no bin that cannot be linked before a
 * build, no unmet peer, no ignored build script). A clone of the committed tree, installed from pnpm's store and the
 * registry; one Node version runs it in CI.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { execFile } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../../", import.meta.url))

/** The environment of a user's shell: without the `npm_config_*` settings of the package manager running this test. */
const userEnvironment = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)))

const run = (command: string, args: ReadonlyArray<string>, cwd: string) =>
  Effect.async<string, Error>((resume) => {
    execFile(command, args, { cwd, env: userEnvironment, maxBuffer: 16 * 1024 * 1024, timeout: 300_000 }, (error, stdout, stderr) => {
      resume(error ? Effect.fail(new Error(`${command} ${args.join(" ")} failed: ${error.message}\n${stdout}\n${stderr}`)) : Effect.succeed(`${stdout}${stderr}`))
    })
  })

describe("a fresh clone", () => {
  it.scoped.skipIf(process.env.BEVATEL_SKIP_HEAVY_TESTS === "1")("installs without a warning, as the README's first command runs it", () =>
    Effect.gen(function*() {
      const clone = yield* Effect.acquireRelease(
        Effect.sync(() => join(mkdtempSync(join(tmpdir(), "bevatel-clone-")), "sdk")),
        (directory) => Effect.sync(() => rmSync(join(directory, ".."), { recursive: true, force: true }))
      )
      yield* run("git", ["clone", "--quiet", root, clone], root)
      const output = yield* run("npx", ["-y", "pnpm@10.34.9", "install"], clone)
      assert.match(output, /Done in/)
      assert.notMatch(output, /WARN|warn|unmet peer|Failed to create bin/, output)
    }), { timeout: 360_000 })
})
