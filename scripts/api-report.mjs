// The public API of every published package, as an API Extractor report checked in at packages/<name>/api/<name>.api.md.
//
//   node scripts/api-report.mjs            check: fails when a package's API differs from its report, or when the
//                                          reports changed since the last release without a changeset of the right bump
//   node scripts/api-report.mjs --update   rewrite the reports from the built declarations (run `pnpm api`)
//   --root DIR                             the workspace to check (default: this one)
//
// The report is made from dist/*.d.ts, so the packages must be built first — from clean: an incremental build may
// print the members of a union in another order (`pnpm api` rebuilds the packages from clean; so does CI).
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, dirname, join, resolve } from "node:path"
import { checkBumps } from "./api-bumps.mjs"

/** The report's path of a package: `<dir>/api/<unscoped name>.api.md`. */
export const reportPathOf = (packageDir) => {
  const { name } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"))
  return join(packageDir, "api", `${name.replace(/^@[^/]+\//, "")}.api.md`)
}

/**
 * Runs API Extractor on one package. With `update`, rewrites its report; otherwise compares. Returns
 * `{ name, changed, removed, added, errors }`: the report lines the package's declarations no longer have and the
 * ones they now add.
 */
export const checkReport = (packageDir, { update = false } = {}) => {
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"))
  const reportPath = reportPathOf(packageDir)
  const temp = mkdtempSync(join(tmpdir(), "bevatel-api-"))
  const silent = { logLevel: "none", addToApiReportFile: false }
  try {
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: packageDir,
        mainEntryPointFilePath: "<projectFolder>/dist/index.d.ts",
        compiler: { tsconfigFilePath: "<projectFolder>/tsconfig.build.json" },
        apiReport: {
          enabled: true,
          reportFileName: "<unscopedPackageName>",
          reportFolder: "<projectFolder>/api/",
          reportTempFolder: temp,
          // The `_base` constants of classes (a TaggedError's fields, a Tag's service) are API too.
          includeForgottenExports: true
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        // The report is the point; the doc comments are checked by docgen (@since, @example), not by TSDoc.
        messages: {
          compilerMessageReporting: { default: { logLevel: "error" } },
          extractorMessageReporting: { default: silent },
          tsdocMessageReporting: { default: silent }
        }
      },
      configObjectFullPath: join(packageDir, "api-extractor.json"),
      packageJsonFullPath: join(packageDir, "package.json")
    })
    const errors = []
    const before = existsSync(reportPath) ? readFileSync(reportPath, "utf8") : ""
    if (update) mkdirSync(dirname(reportPath), { recursive: true })
    const result = Extractor.invoke(config, {
      localBuild: update,
      messageCallback: (message) => {
        if (message.logLevel === "error") errors.push(message.formatMessageWithLocation(packageDir))
        message.handled = true
      }
    })
    const after = readFileSync(update ? reportPath : join(temp, basename(reportPath)), "utf8")
    const linesOf = (text) => new Set(text.split("\n"))
    const [beforeLines, afterLines] = [linesOf(before), linesOf(after)]
    return {
      name: manifest.name,
      changed: result.apiReportChanged,
      removed: [...beforeLines].filter((line) => line.trim() !== "" && !afterLines.has(line)),
      added: [...afterLines].filter((line) => line.trim() !== "" && !beforeLines.has(line)),
      errors
    }
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}

/** The published packages of the workspace: every packages/<dir> whose package.json is not private. */
export const publishedPackages = (root) =>
  readdirSync(join(root, "packages"))
    .map((dir) => join(root, "packages", dir))
    .filter((dir) => existsSync(join(dir, "package.json")))
    .filter((dir) => !JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).private)

const main = () => {
  const rootOption = process.argv.indexOf("--root")
  const root = rootOption > 0 ? resolve(process.argv[rootOption + 1]) + "/" : new URL("..", import.meta.url).pathname
  const update = process.argv.includes("--update")
  const problems = []
  for (const dir of publishedPackages(root)) {
    const report = checkReport(dir, { update })
    problems.push(...report.errors)
    if (update) {
      console.log(`${report.name}: ${report.changed ? "report updated" : "report unchanged"}`)
    } else if (report.changed) {
      problems.push([
        `${report.name}: its public API differs from ${reportPathOf(dir).slice(root.length)}.`,
        ...report.removed.slice(0, 20).map((line) => `  - ${line}`),
        ...report.added.slice(0, 20).map((line) => `  + ${line}`),
        "  If the change is intended, run `npx -y pnpm@10.34.9 api` and commit the report with a changeset",
        "  (removing or changing an export is breaking: a minor bump in 0.x). If only the order of a union changed, the",
        "  declarations came from an incremental build: `pnpm api` and CI build from clean."
      ].join("\n"))
    }
  }
  if (!update) problems.push(...checkBumps(root, publishedPackages(root), reportPathOf))
  for (const problem of problems) console.error(problem)
  console.log(problems.length === 0 ? "api: every report is current" : `api: ${problems.length} problem(s)`)
  process.exit(problems.length === 0 ? 0 : 1)
}

if (import.meta.url === `file://${process.argv[1]}`) main()
