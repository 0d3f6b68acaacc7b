// Keeps the READMEs' TypeScript honest. Every ```ts block of every README is either
// - a complete example, whose first line names its file ("// examples/src/<name>.ts …", or in the Effect 4 line's
//   READMEs "// effect4/packages/<name>/examples/<name>.ts …"): it must be that file, character for character (the
//   file is built, type-checked and run by the examples package, or by its Effect 4 package), or
// - a snippet (Effect 3 line only): it is written to examples/snippets/ so that `tsc` type-checks it with the
//   examples' dependencies.
// Run from anywhere; exits 1 when a README's copy of an example differs from the file.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"

const root = new URL("..", import.meta.url).pathname
const snippets = join(root, "examples", "snippets")
const readmes = [
  join(root, "README.md"),
  join(root, "examples", "README.md"),
  ...["packages", "apps", "effect4/packages"].flatMap((dir) =>
    existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((name) => join(root, dir, name, "README.md")) : []
  )
].filter((file) => existsSync(file))

rmSync(snippets, { recursive: true, force: true })
mkdirSync(snippets, { recursive: true })
const problems = []
let written = 0
let included = 0
for (const readme of readmes) {
  const where = relative(root, readme)
  const blocks = [...readFileSync(readme, "utf8").matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1])
  blocks.forEach((code, index) => {
    const example = /^\/\/ ((?:examples\/src|effect4\/packages\/[\w-]+\/examples)\/[\w.-]+\.ts)/.exec(code)
    if (example) {
      const file = join(root, example[1])
      if (!existsSync(file)) problems.push(`${where}: block ${index + 1} names ${example[1]}, which does not exist`)
      else if (readFileSync(file, "utf8").trimEnd() !== code.trimEnd()) {
        problems.push(`${where}: block ${index + 1} differs from ${example[1]}: copy the file into the README again`)
      } else included += 1
      return
    }
    if (where.startsWith("effect4/")) {
      problems.push(`${where}: block ${index + 1} is not a complete example: name a file of the Effect 4 line in its first line`)
      return
    }
    const name = `${where.replace(/\/?README\.md$/, "").replace(/\//g, "-") || "root"}-${index + 1}.ts`
    writeFileSync(join(snippets, name), `// From ${where}, block ${index + 1}.\n${code}`)
    written += 1
  })
}
for (const problem of problems) console.error(problem)
console.log(`readme-snippets: ${written} snippet(s) to type-check, ${included} example(s) identical to their files`)
process.exit(problems.length === 0 ? 0 : 1)
