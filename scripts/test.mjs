// Runs every check and test of the workspace in dependency order — the Effect 3 line, then the Effect 4 line
// (effect4/, its own workspace; on Node 22.12 and later, which its vitest needs) — then prints one plain summary line
// ("N passed, N failed") counted from each package's vitest JSON report.
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { join } from "node:path"

const root = new URL("..", import.meta.url).pathname
const workspaces = [
  ...["packages", "apps"].flatMap((dir) =>
    existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((name) => join(root, dir, name)) : []
  ),
  join(root, "examples"),
  ...(existsSync(join(root, "effect4", "packages")) ? readdirSync(join(root, "effect4", "packages")).map((name) => join(root, "effect4", "packages", name)) : [])
]
const reportOf = (workspace) => join(workspace, ".reports", "vitest.json")
for (const workspace of workspaces) rmSync(reportOf(workspace), { force: true })

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", NODE_VERSION_MAJOR: process.versions.node.split(".")[0] }
const run = (command, args, cwd = root) => spawnSync(command, args, { cwd, env, stdio: "inherit" }).status ?? 1

console.log(`Testing on Node ${process.version}`)
// The clustered bridge's tests run a throwaway PostgreSQL server (Debian's): installed here when missing, so that the
// README's test command works on a fresh machine; the tests themselves install nothing.
const postgresInstalled = () => existsSync("/usr/lib/postgresql") && readdirSync("/usr/lib/postgresql").some((v) => existsSync(join("/usr/lib/postgresql", v, "bin", "initdb")))
if (!postgresInstalled()) {
  if (process.getuid?.() === 0) {
    console.log("Installing Debian's postgresql for the cluster's tests")
    spawnSync("bash", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null"], { stdio: "inherit" })
  } else {
    console.log("PostgreSQL is missing: the cluster's tests will fail until `apt-get install -y postgresql` is run")
  }
}
// The API docs (docgen type-checks every @example) are built once, with the heavy tests: not on every Node version.
const docs = process.env.BEVATEL_SKIP_HEAVY_TESTS === "1" ? [] : ["docs"]
const turbo = run("pnpm", ["exec", "turbo", "run", "build", "check", "test", ...docs, "--concurrency=2", ...process.argv.slice(2)])
const lint = turbo === 0 ? run("node", ["scripts/lint.mjs"]) : 1

// The Effect 4 line: installed from its own lockfile, built, type-checked and tested package by package.
const [major, minor] = process.versions.node.split(".").map(Number)
let effect4 = 0
if (major > 22 || (major === 22 && minor >= 12)) {
  const pnpm = (args) => run("pnpm", args, join(root, "effect4"))
  effect4 = pnpm(["install", "--frozen-lockfile"]) || pnpm(["run", "build"]) || pnpm(["run", "check"])
  if (effect4 === 0) effect4 = pnpm(["run", "test"])
} else {
  console.log(`The Effect 4 line (effect4/) is not tested on Node ${process.version}: its vitest needs Node 22.12 or later`)
}

let passed = 0
let failed = 0
for (const workspace of workspaces) {
  if (!existsSync(reportOf(workspace))) continue
  const report = JSON.parse(readFileSync(reportOf(workspace), "utf8"))
  passed += report.numPassedTests
  failed += report.numFailedTests
}
const exitCode = turbo !== 0 || lint !== 0 || effect4 !== 0 || failed > 0 ? 1 : 0
if (exitCode !== 0 && failed === 0) failed = 1 // a build, type or lint failure counts as one failure
console.log(`${passed} passed, ${failed} failed`)
process.exit(exitCode)
