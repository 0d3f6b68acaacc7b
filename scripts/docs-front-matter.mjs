// After `docgen`: its module pages open with `***` and a blank line where Jekyll-style front matter needs `---`, so
// the front matter rendered as a heading. Rewrites the opening of every page under docs/ (run in a package folder)
// and fails if a page still does not open with front matter.
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const docs = join(process.cwd(), "docs")
const pages = readdirSync(docs, { recursive: true }).filter((file) => String(file).endsWith(".md")).map((file) => join(docs, String(file)))
const broken = []
for (const page of pages) {
  const text = readFileSync(page, "utf8").replace(/^\*\*\*\n\n(?=title: )/, "---\n")
  writeFileSync(page, text)
  if (!/^---\n(?:[\w_]+: .*\n)+---\n/.test(text)) broken.push(page)
}
if (broken.length > 0) {
  console.error(`docs: no front matter at the top of ${broken.join(", ")}`)
  process.exit(1)
}
