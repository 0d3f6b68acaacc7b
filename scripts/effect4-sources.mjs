// Builds the Effect 4 line's shared modules: for each effect4/packages/<name>/shared-sources.json, copies the listed
// modules of the Effect 3 package's sources into the Effect 4 package's src/, where they compile against that line's
// own internal/ modules (the Schema constructs the two lines spell differently). Their @since tags become the Effect 4
// line's first version. The copies are build output: git ignores them (src/.gitignore, written here), so each module
// has one source. Run before a build, a type check or a test of effect4/ (its scripts do).
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"

const root = new URL("..", import.meta.url).pathname
const packagesDir = join(root, "effect4", "packages")
let copied = 0
for (const name of readdirSync(packagesDir)) {
  const manifestPath = join(packagesDir, name, "shared-sources.json")
  if (!existsSync(manifestPath)) continue
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"))
  const from = join(packagesDir, name, manifest.from)
  const src = join(packagesDir, name, "src")
  const since = JSON.parse(readFileSync(join(packagesDir, name, "package.json"), "utf8")).version
  for (const module of manifest.modules) {
    const source = readFileSync(join(from, module), "utf8")
    const header = `// Built from ${relative(root, join(from, module))} by scripts/effect4-sources.mjs: edit that file.\n`
    writeFileSync(join(src, module), header + source.replace(/@since \d+\.\d+\.\d+/g, `@since ${since}`))
    copied++
  }
  writeFileSync(
    join(src, ".gitignore"),
    `# Built from ${relative(root, from)} by scripts/effect4-sources.mjs (see ../shared-sources.json).\n` +
      manifest.modules.map((module) => `/${module}\n`).join("")
  )
}
console.log(`effect4-sources: ${copied} shared module(s) copied`)
