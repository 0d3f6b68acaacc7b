// Runs every check and test of the workspace in dependency order, then prints one plain summary line
// ("N passed, N failed") counted from each package's vitest JSON report.
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { join } from "node:path"

const root = new URL("..", import.meta.url).pathname
const workspaces = [
  ...["packages", "apps"].flatMap((dir) =>
    existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((name) => join(root, dir, name)) : []
  ),
  join(root, "examples")
]
const reportOf = (workspace) => join(workspace, ".reports", "vitest.json")
for (const workspace of workspaces) rmSync(reportOf(workspace), { force: true })

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", NODE_VERSION_MAJOR: process.versions.node.split(".")[0] }
const run = (command, args) => spawnSync(command, args, { cwd: root, env, stdio: "inherit" }).status ?? 1

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

let passed = 0
let failed = 0
for (const workspace of workspaces) {
  if (!existsSync(reportOf(workspace))) continue
  const report = JSON.parse(readFileSync(reportOf(workspace), "utf8"))
  passed += report.numPassedTests
  failed += report.numFailedTests
}
const exitCode = turbo !== 0 || lint !== 0 || failed > 0 ? 1 : 0
if (exitCode !== 0 && failed === 0) failed = 1 // a build, type or lint failure counts as one failure
console.log(`${passed} passed, ${failed} failed`)
process.exit(exitCode)
