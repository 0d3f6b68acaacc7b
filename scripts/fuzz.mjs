// `pnpm fuzz [--cases N] [--seed S] [--only name,name]`: runs every fuzz target for a long budget (N cases each,
// default 100,000) on a seed (default: a random one, printed), each in its own vitest process, and reports per target
// the cases tried, crashes, hangs and unexpected 5xx. CI runs the same suites with their small fixed-seed budgets;
// a finding becomes a fixed-seed regression test there. Writes `fuzz-results/latest.json` and exits 1 on any finding.
import { spawn, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { parseArgs } from "node:util"

const root = new URL("..", import.meta.url).pathname
const { values } = parseArgs({
  options: { cases: { type: "string", default: "100000" }, seed: { type: "string" }, only: { type: "string" } }
})
const cases = Number(values.cases)
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed)

/** Each target: the suite that fuzzes it, and the tests of that suite that do (by name). */
const targets = [
  { name: "decoders", workspace: "packages/schema", file: "test/Fuzz.test.ts" },
  // The Effect 4 line's vitest needs Node 22.12 or later (effect4/ installed: `pnpm install` in effect4/).
  { name: "decoders-effect4", workspace: "effect4/packages/schema", file: "test/Fuzz.test.ts", node: [22, 12] },
  { name: "cable client", workspace: "packages/cable", file: "test/Fuzz.test.ts" },
  { name: "local-server routes", workspace: "packages/local-server", file: "test/Fuzz.test.ts", test: "every Client API route" },
  { name: "local-server cable", workspace: "packages/local-server", file: "test/Fuzz.test.ts", test: "random frames at the cable" },
  { name: "pipe stdin", workspace: "apps/chat", file: "test/Fuzz.test.ts", test: "pipe: every non-empty line" },
  { name: "bridge stdin", workspace: "apps/chat", file: "test/Fuzz.test.ts", test: "bridge: each line it takes" }
].filter((target) => values.only === undefined || values.only.split(",").includes(target.name))
  .filter((target) => {
    const [major, minor] = process.versions.node.split(".").map(Number)
    const runs = target.node === undefined || major > target.node[0] || (major === target.node[0] && minor >= target.node[1])
    if (!runs) console.log(`fuzz: ${target.name} skipped: it needs Node ${target.node.join(".")} or later`)
    return runs
  })

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", BEVATEL_FUZZ_CASES: String(cases), BEVATEL_FUZZ_SEED: String(seed) }
console.log(`fuzz: ${cases} cases per target, seed ${seed}, ${targets.length} target(s)`)
// The apps' suites run the built processes.
const build = spawnSync("pnpm", ["exec", "turbo", "run", "build", "--filter=bevatel-chat...", "--output-logs=errors-only"], {
  cwd: root, env, stdio: "inherit"
})
if (build.status !== 0) {
  console.error(`fuzz: the build failed${build.error ? ` (${build.error.message}: run it as \`npx -y pnpm@10.34.9 fuzz\`)` : ""}`)
  process.exit(1)
}

/** A failure's kind, from its message. */
const kindOf = (message) =>
  /timed? ?out|no exit after/i.test(message) ? "hang" : /\b5\d\d from\b|status 5\d\d|expected 5\d\d/i.test(message) ? "unexpected 5xx" : "crash"

/** Runs one target's suite in a fresh vitest process; a process that outlives `limit` is killed and counts as a hang. */
const runTarget = (target) =>
  new Promise((resolve) => {
    const workspace = join(root, target.workspace)
    const report = join(workspace, ".reports", `fuzz-${target.name.replace(/\W+/g, "-")}.json`)
    rmSync(report, { force: true })
    const args = ["exec", "vitest", "run", target.file, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`]
    if (target.test) args.push("-t", target.test)
    const started = Date.now()
    const child = spawn("pnpm", args, { cwd: workspace, env, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout.on("data", (chunk) => (output += chunk))
    child.stderr.on("data", (chunk) => (output += chunk))
    // Generous: a minute per 2,000 cases, and ten minutes more.
    const limit = 600_000 + Math.ceil(cases / 2_000) * 60_000
    const watchdog = setTimeout(() => child.kill("SIGKILL"), limit)
    child.on("exit", (code, signal) => {
      clearTimeout(watchdog)
      const reports = [...output.matchAll(/^fuzz-report (\{.*\})$/gm)].map((m) => JSON.parse(m[1])).filter((r) => r.target === target.name)
      const failures = existsSync(report)
        ? JSON.parse(readFileSync(report, "utf8")).testResults.flatMap((file) =>
          file.assertionResults.filter((a) => a.status === "failed").map((a) => ({ test: a.title, message: a.failureMessages.join("\n").slice(0, 4000) }))
        )
        : []
      const findings = failures.map((failure) => ({ kind: kindOf(failure.message), ...failure }))
      if (signal === "SIGKILL") findings.push({ kind: "hang", test: target.file, message: `killed after ${limit} ms without an end` })
      else if (code !== 0 && findings.length === 0) findings.push({ kind: "crash", test: target.file, message: output.slice(-4000) })
      resolve({
        target: target.name,
        cases: reports.reduce((sum, r) => sum + r.cases, 0),
        crashes: findings.filter((f) => f.kind === "crash").length,
        hangs: findings.filter((f) => f.kind === "hang").length,
        unexpected5xx: findings.filter((f) => f.kind === "unexpected 5xx").length,
        seconds: Math.round((Date.now() - started) / 1000),
        details: reports.map(({ target: _target, seed: _seed, cases: _cases, ...rest }) => rest).filter((rest) => Object.keys(rest).length > 0),
        findings
      })
    })
  })

const results = []
for (const target of targets) {
  const result = await runTarget(target)
  results.push(result)
  console.log(
    `fuzz: ${result.target}: ${result.cases} cases, ${result.crashes} crash(es), ${result.hangs} hang(s), ` +
      `${result.unexpected5xx} unexpected 5xx, ${result.seconds} s`
  )
  for (const finding of result.findings) console.log(`  ${finding.kind} in "${finding.test}":\n${finding.message}`)
}

const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).stdout.trim()
const summary = { date: new Date().toISOString(), commit, node: process.version, seed, casesPerTarget: cases, results }
mkdirSync(join(root, "fuzz-results"), { recursive: true })
writeFileSync(join(root, "fuzz-results", "latest.json"), `${JSON.stringify(summary, null, 2)}\n`)
const short = results.filter((r) => r.cases < cases)
for (const r of short) console.log(`fuzz: ${r.target} tried ${r.cases} of the ${cases} cases asked`)
const clean = results.every((r) => r.findings.length === 0) && short.length === 0
console.log(`fuzz: ${clean ? "nothing found" : "findings above"}; fuzz-results/latest.json (commit ${commit}, seed ${seed})`)
process.exit(clean ? 0 : 1)
