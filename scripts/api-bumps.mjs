// Does each package's pending changeset bump match how its API report changed since its last release?
// Removing or changing a line of the report is breaking (a minor in 0.x, a major from 1.0); only adding lines is a
// feature (any bump in 0.x, a minor from 1.0). The last release of a package is the last commit that changed the
// "version" of its package.json (`changeset version` does, and consumes the changesets in the same commit).
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"

const order = ["none", "patch", "minor", "major"]

/** The bump each package gets from the changesets waiting in `.changeset/`: the largest one that names it. */
export const pendingBumps = (root) => {
  const bumps = new Map()
  const dir = join(root, ".changeset")
  for (const file of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".md") && f !== "README.md") : []) {
    const frontMatter = readFileSync(join(dir, file), "utf8").match(/^---\n([\s\S]*?)\n---/)?.[1] ?? ""
    for (const [, name, bump] of frontMatter.matchAll(/^\s*["']?([^"':\s]+)["']?\s*:\s*(patch|minor|major)\s*$/gm)) {
      if (order.indexOf(bump) > order.indexOf(bumps.get(name) ?? "none")) bumps.set(name, bump)
    }
  }
  return bumps
}

// Imports and comments of a report follow from its declarations; they are not API of their own.
const isDeclaration = (line) => {
  const trimmed = line.trim()
  return trimmed !== "" && !trimmed.startsWith("//") && !trimmed.startsWith("import ") && !trimmed.startsWith("```")
}

/**
 * The smallest bump a change from the `before` report to the `after` report needs for a package at `version`, with
 * the reason: "none" when no declaration changed.
 */
export const requiredBump = (version, before, after) => {
  const [beforeLines, afterLines] = [before, after].map((text) => new Set(text.split("\n").filter(isDeclaration)))
  const removed = [...beforeLines].filter((line) => !afterLines.has(line))
  const added = [...afterLines].filter((line) => !beforeLines.has(line))
  const initial = version.startsWith("0.")
  if (removed.length > 0) {
    return { bump: initial ? "minor" : "major", reason: `breaking: it removes or changes \`${removed[0].trim()}\`` }
  }
  if (added.length > 0) return { bump: initial ? "patch" : "minor", reason: `it adds \`${added[0].trim()}\`` }
  return { bump: "none", reason: "" }
}

const git = (root, args) => spawnSync("git", args, { cwd: root, encoding: "utf8" })

/** The package's report as of its last release, or undefined when there is no such release or report in git. */
export const releasedReport = (root, packageDir, reportPath) => {
  const manifest = relative(root, join(packageDir, "package.json"))
  const release = git(root, ["log", "-1", "--format=%H", "-G", "\"version\"", "--", manifest])
  const commit = release.status === 0 ? release.stdout.trim() : ""
  if (commit === "") return undefined
  const report = git(root, ["show", `${commit}:${relative(root, reportPath)}`])
  return report.status === 0 ? report.stdout : undefined
}

/** The problems with the pending changesets: one per package whose report changed more than its bump says. */
export const checkBumps = (root, packageDirs, reportPathOf) => {
  const bumps = pendingBumps(root)
  const problems = []
  for (const dir of packageDirs) {
    const { name, version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
    const reportPath = reportPathOf(dir)
    const released = releasedReport(root, dir, reportPath)
    if (released === undefined || !existsSync(reportPath)) continue
    const { bump, reason } = requiredBump(version, released, readFileSync(reportPath, "utf8"))
    const pending = bumps.get(name) ?? "none"
    if (order.indexOf(pending) < order.indexOf(bump)) {
      problems.push(
        `${name}: its API changed since ${version} (${reason}), which needs a ${bump} bump, but the changesets ` +
          (pending === "none" ? "do not name it" : `give it a ${pending}`) +
          `. Run \`npx -y pnpm@10.34.9 changeset\` and choose ${bump} for ${name}.`
      )
    }
  }
  return problems
}
