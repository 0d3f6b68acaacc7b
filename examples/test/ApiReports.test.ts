/**
 * The API reports (`scripts/api-report.mjs`, run by `pnpm lint` in CI) on throwaway copies: a changed exported
 * signature without an updated report fails, and a report changed since the last release needs a changeset whose bump
 * matches (removing an export is breaking: a minor in 0.x).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { execFile, spawnSync } from "node:child_process"
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../../", import.meta.url))

/**
 * Runs the report check (or update) on the workspace at `dir`: its exit code and everything it printed. In a child
 * process, waited for without blocking the test worker (API Extractor takes seconds).
 */
const apiReport = (dir: string, ...args: Array<string>) =>
  Effect.async<{ readonly status: number | null; readonly output: string }>((resume) => {
    execFile(process.execPath, [join(root, "scripts", "api-report.mjs"), "--root", dir, ...args], (error, stdout, stderr) =>
      resume(Effect.succeed({ status: error === null ? 0 : typeof error.code === "number" ? error.code : null, output: `${stdout}${stderr}` })))
  })

/** A temporary directory, removed when the test's scope closes. */
const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "bevatel-api-test-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

const git = (dir: string, ...args: Array<string>) => {
  const run = spawnSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], {
    cwd: dir,
    encoding: "utf8"
  })
  assert.strictEqual(run.status, 0, run.stderr)
}

// API Extractor runs a TypeScript program per package: seconds on an idle machine, a minute or more on a loaded
// 2-core one (CI runs other suites beside this one), so the tests allow five.
describe("API reports", () => {
  it.scoped("a changed exported signature fails the check until the report is updated", () =>
    Effect.gen(function*() {
      // A throwaway copy of @bevatel/identity as built, with its committed report and its dependencies.
      const dir = yield* tempDir
      const copy = join(dir, "packages", "identity")
      const original = join(root, "packages", "identity")
      mkdirSync(copy, { recursive: true })
      cpSync(join(root, "tsconfig.base.json"), join(dir, "tsconfig.base.json"))
      for (const entry of ["package.json", "dist", "api"]) cpSync(join(original, entry), join(copy, entry), { recursive: true })
      writeFileSync(join(copy, "tsconfig.build.json"), JSON.stringify({ extends: "../../tsconfig.base.json" }))
      symlinkSync(join(original, "node_modules"), join(copy, "node_modules"))

      const unchanged = yield* apiReport(dir)
      assert.strictEqual(unchanged.status, 0, unchanged.output)
      assert.include(unchanged.output, "every report is current")

      // The deliberate change: the HMAC key of `IdentifierHash.compute` becomes a plain string.
      const declarations = join(copy, "dist", "IdentifierHash.d.ts")
      const before = readFileSync(declarations, "utf8")
      const changed = before.replace(/(export declare const sign: \(\w+: )Redacted\.Redacted/, "$1string")
      assert.notStrictEqual(changed, before, "the declaration to change was not found")
      writeFileSync(declarations, changed)

      const failed = yield* apiReport(dir)
      assert.strictEqual(failed.status, 1)
      assert.include(failed.output, "@bevatel/identity: its public API differs from packages/identity/api/identity.api.md")
      assert.match(failed.output, /\+ const sign: \(\w+: string/)
      assert.include(failed.output, "pnpm@10.34.9 api")

      const updated = yield* apiReport(dir, "--update")
      assert.strictEqual(updated.status, 0, updated.output)
      assert.include(updated.output, "@bevatel/identity: report updated")
      assert.strictEqual((yield* apiReport(dir)).status, 0)
    }), { timeout: 300_000 })

  it.scoped("a report changed since the last release needs a changeset with a matching bump", () =>
    Effect.gen(function*() {
      // A one-package workspace in git, released at 0.3.0 with two exports.
      const dir = yield* tempDir
      const pkg = join(dir, "packages", "tiny")
      mkdirSync(join(pkg, "dist"), { recursive: true })
      mkdirSync(join(dir, ".changeset"))
      writeFileSync(join(dir, "tsconfig.base.json"), JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext" } }))
      writeFileSync(join(pkg, "tsconfig.build.json"), JSON.stringify({ extends: "../../tsconfig.base.json" }))
      writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "@bevatel/tiny", version: "0.3.0", types: "./dist/index.d.ts" }))
      const exports = (...names: Array<string>) =>
        writeFileSync(join(pkg, "dist", "index.d.ts"), names.map((name) => `/** @since 0.1.0 */\nexport declare const ${name}: number\n`).join(""))
      const changeset = (bump: string) =>
        writeFileSync(join(dir, ".changeset", "change.md"), `---\n"@bevatel/tiny": ${bump}\n---\n\nChanged.\n`)
      exports("kept", "dropped")
      assert.strictEqual((yield* apiReport(dir, "--update")).status, 0)
      git(dir, "init", "-q")
      git(dir, "add", ".")
      git(dir, "commit", "-qm", "Release 0.3.0")

      // An export added: any changeset will do in 0.x, none will not.
      exports("kept", "dropped", "added")
      assert.strictEqual((yield* apiReport(dir, "--update")).status, 0)
      const unannounced = yield* apiReport(dir)
      assert.strictEqual(unannounced.status, 1, unannounced.output)
      assert.include(unannounced.output, "@bevatel/tiny: its API changed since 0.3.0 (it adds `export const added: number;`)")
      assert.include(unannounced.output, "needs a patch bump, but the changesets do not name it")
      changeset("patch")
      assert.strictEqual((yield* apiReport(dir)).status, 0)

      // An export removed: breaking, so a patch is refused and a minor accepted.
      exports("kept", "added")
      assert.strictEqual((yield* apiReport(dir, "--update")).status, 0)
      const breaking = yield* apiReport(dir)
      assert.strictEqual(breaking.status, 1)
      assert.include(breaking.output, "breaking: it removes or changes `export const dropped: number;`")
      assert.include(breaking.output, "needs a minor bump, but the changesets give it a patch")
      changeset("minor")
      const accepted = yield* apiReport(dir)
      assert.strictEqual(accepted.status, 0, accepted.output)
    }), { timeout: 300_000 })
})
