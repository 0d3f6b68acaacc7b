// Workspace rules that no compiler checks:
// 1. library packages (no @effect/platform-node dependency) import only effect, @effect/platform, the
//    platform-independent @effect/cluster, @effect/rpc and @effect/sql, and @bevatel/* — nothing Node-only — and
//    never from a barrel ("effect", "@effect/platform", …);
// 2. every src/<Module>.ts is exported from src/index.ts (executables, which start with "#!", are not modules);
// 3. no import cycle inside a package;
// 4. every published package passes publint;
// 5. every CI workflow in .github/workflows is valid (action-validator);
// 6. every exported constructor, layer and service tag has an @example in its JSDoc (docgen type-checks them);
// 7. every package's public API matches its API report, and a change since the last release has a matching changeset
//    (scripts/api-report.mjs).
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { publint } from "publint"
import { formatMessage } from "publint/utils"

const root = new URL("..", import.meta.url).pathname
const problems = []
// Both lines' packages: the Effect 4 line's shared modules are built first (scripts/effect4-sources.mjs).
const effect4Dir = join(root, "effect4", "packages")
if (existsSync(effect4Dir)) spawnSync("node", [join(root, "scripts", "effect4-sources.mjs")], { stdio: "inherit" })
const packageDirs = [join(root, "packages"), effect4Dir].filter(existsSync)
  .flatMap((dir) => readdirSync(dir).map((name) => join(dir, name)))
const universalEffectPackages = ["@effect/platform", "@effect/cluster", "@effect/rpc", "@effect/sql"]

const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []
  )
const importsOf = (file) =>
  [...readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)\b[^"']*?from\s+["']([^"']+)["']/gm)].map((m) => m[1])

for (const dir of packageDirs) {
  const name = relative(root, dir)
  const manifestPath = join(dir, "package.json")
  if (!existsSync(manifestPath)) continue
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"))
  const dependencies = { ...manifest.dependencies, ...manifest.peerDependencies }
  const universal = !("@effect/platform-node" in dependencies)
  const sources = walk(join(dir, "src"))

  for (const file of sources) {
    for (const specifier of importsOf(file)) {
      const where = relative(root, file)
      if (["effect", ...universalEffectPackages].includes(specifier)) {
        problems.push(`${where}: import "${specifier}/<Module>" rather than the barrel "${specifier}"`)
      }
      const allowed = specifier.startsWith(".") || specifier.startsWith("effect/") ||
        universalEffectPackages.some((name) => specifier.startsWith(`${name}/`)) || specifier.startsWith("@bevatel/")
      if (universal && !allowed) {
        problems.push(`${where}: library packages must run in browsers, but this imports "${specifier}"`)
      }
    }
  }

  const index = readFileSync(join(dir, "src", "index.ts"), "utf8")
  for (const file of readdirSync(join(dir, "src"))) {
    const module = file.replace(/\.ts$/, "")
    const isEntryPoint = file.endsWith(".ts") && readFileSync(join(dir, "src", file), "utf8").startsWith("#!")
    if (file.endsWith(".ts") && module !== "index" && !isEntryPoint && !index.includes(`export * as ${module} from "./${module}.js"`)) {
      problems.push(`${name}/src/index.ts does not export ${module}`)
    }
  }

  for (const file of sources.filter((f) => !f.includes("/internal/"))) {
    const text = readFileSync(file, "utf8")
    for (const match of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*?)\*\/\s*\nexport (?:declare )?(?:const|class|function) (\w+)/g)) {
      const category = /@category (\w+)/.exec(match[1])?.[1]
      if (["constructors", "layers", "tags"].includes(category) && !match[1].includes("@example")) {
        problems.push(`${relative(root, file)}: ${match[2]} (${category}) has no @example`)
      }
    }
  }

  // Type-only imports vanish at runtime, so they cannot form a cycle.
  const runtimeImportsOf = (file) =>
    [...readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)(?!\s+type\b)\b[^"']*?from\s+["']([^"']+)["']/gm)]
      .map((m) => m[1])
  const graph = new Map(sources.map((file) => [
    file,
    runtimeImportsOf(file).filter((s) => s.startsWith(".")).map((s) => resolve(dirname(file), s.replace(/\.js$/, ".ts")))
  ]))
  const state = new Map()
  const visit = (file, path) => {
    if (state.get(file) === "done") return
    if (state.get(file) === "open") {
      problems.push(`import cycle: ${[...path.slice(path.indexOf(file)), file].map((f) => relative(root, f)).join(" -> ")}`)
      return
    }
    state.set(file, "open")
    for (const next of graph.get(file) ?? []) visit(next, [...path, file])
    state.set(file, "done")
  }
  for (const file of sources) visit(file, [])

  if (!manifest.private) {
    const { messages, pkg } = await publint({ pkgDir: dir, level: "warning", strict: true, pack: "pnpm" })
    for (const message of messages) problems.push(`${manifest.name}: ${formatMessage(message, pkg)}`)
  }
}

// 5. the CI workflows are valid GitHub Actions workflows (they cannot run here, so they are at least linted).
const workflows = join(root, ".github", "workflows")
for (const file of existsSync(workflows) ? readdirSync(workflows).filter((f) => /\.ya?ml$/.test(f)) : []) {
  const validator = spawnSync(join(root, "node_modules", ".bin", "action-validator"), [join(workflows, file)], { encoding: "utf8" })
  if (validator.status !== 0) problems.push(`.github/workflows/${file} is not a valid workflow:\n${validator.stdout}${validator.stderr}`)
}

// 6. the API reports (they print their own problems).
const apiReport = spawnSync(process.execPath, [join(root, "scripts", "api-report.mjs")], { stdio: "inherit" })
if (apiReport.status !== 0) problems.push("the API reports: see above")

for (const problem of problems) console.error(problem)
console.log(problems.length === 0 ? "lint: workspace rules hold" : `lint: ${problems.length} problem(s)`)
process.exit(problems.length === 0 ? 0 : 1)
