/**
 * The release rehearsal: a throwaway copy of the repository runs `changeset version` and `changeset publish` against
 * a private registry on loopback (Verdaccio, installed here when missing, with temporary storage); then, outside the
 * workspace, each package is installed **alone** from that registry by its README's install lines, run verbatim (its
 * peers from npm; any npm warning fails), and its example in
 * `examples/release/` runs. A snapshot release (`changeset version --snapshot`, published under a dist-tag) is
 * rehearsed the same way. It catches a missing `files` entry, a `workspace:` range left behind, a dependency that
 * should be a peer, an export that points nowhere and a bin that does not start.
 *
 * Minutes of installs: one Node version runs it in CI.
 */
import { LocalServer } from "@bevatel/local-server"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import { type ChildProcess, execFile, spawn } from "node:child_process"
import { createHmac } from "node:crypto"
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../../", import.meta.url))
const examples = fileURLToPath(new URL("../release/", import.meta.url))
const verdaccioVersion = "6.8.0"

/**
 * The environment of a user's shell: without the `npm_config_*` settings that the package manager running this test
 * exports to its children (npm warns about pnpm's, and they are not a fresh project's).
 */
const userEnvironment = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key))
) as Record<string, string>

/** Runs a command to its end: its stdout (and its stderr after it); fails with both when it exits non-zero. */
const run = (command: string, args: ReadonlyArray<string>, cwd: string, env: Record<string, string> = {}) =>
  Effect.async<{ readonly stdout: string; readonly all: string }, Error>((resume) => {
    execFile(command, args, { cwd, env: { ...userEnvironment, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 }, (error, stdout, stderr) => {
      resume(
        error
          ? Effect.fail(new Error(`${command} ${args.join(" ")} (in ${cwd}) failed: ${error.message}\n${stdout}\n${stderr}`.slice(0, 4000)))
          : Effect.succeed({ stdout, all: `${stdout}${stderr}` })
      )
    })
  })

/** pnpm as the test was started with it (`npm_execpath`), or the project's pinned version through npx. */
const pnpm = (args: ReadonlyArray<string>, cwd: string, env: Record<string, string> = {}) =>
  process.env.npm_execpath?.includes("pnpm")
    ? run(process.execPath, [process.env.npm_execpath, ...args], cwd, env)
    : run("npx", ["-y", "pnpm@10.34.9", ...args], cwd, env)

/** A fresh temporary directory, removed with the scope. */
const temporaryDirectory = (prefix: string) =>
  Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), prefix))),
    (directory) => Effect.sync(() => rmSync(directory, { recursive: true, force: true }))
  )

const freePort = Effect.async<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as { port: number }
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** Verdaccio, installed once per machine into the temporary directory (it needs `node-fetch` pinned to install). */
const verdaccioScript = Effect.gen(function*() {
  const directory = join(tmpdir(), `bevatel-verdaccio-${verdaccioVersion}`)
  const script = join(directory, "node_modules", "verdaccio", "bin", "verdaccio")
  if (!existsSync(script)) {
    mkdirSync(directory, { recursive: true })
    writeFileSync(join(directory, "package.json"), JSON.stringify({
      name: "bevatel-verdaccio",
      private: true,
      dependencies: { verdaccio: verdaccioVersion },
      overrides: { "node-fetch": "2.7.0" }
    }))
    yield* run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], directory)
  }
  return script
})

/** A registry on a free loopback port with a temporary storage, stopped with the scope; answers its URL and a token. */
const registry = Effect.gen(function*() {
  const script = yield* verdaccioScript
  const directory = yield* temporaryDirectory("bevatel-registry-")
  const port = yield* freePort
  const url = `http://127.0.0.1:${port}`
  writeFileSync(join(directory, "config.yaml"), [
    `storage: ${join(directory, "storage")}`,
    "auth:",
    "  htpasswd:",
    `    file: ${join(directory, "htpasswd")}`,
    "    max_users: 10",
    "uplinks: {}",
    "packages:",
    "  '@bevatel/*':",
    "    access: $all",
    "    publish: $authenticated",
    "  '**':",
    "    access: $all",
    "log: { type: stdout, format: pretty, level: error }",
    ""
  ].join("\n"))
  yield* Effect.acquireRelease(
    Effect.sync((): ChildProcess =>
      spawn(process.execPath, [script, "--config", join(directory, "config.yaml"), "--listen", `127.0.0.1:${port}`], {
        stdio: "ignore"
      })
    ),
    (child) => Effect.sync(() => child.kill("SIGKILL"))
  )
  yield* Effect.tryPromise(() => fetch(`${url}/-/ping`).then((r) => r.ok ? r : Promise.reject(new Error(String(r.status))))).pipe(
    Effect.retry(Schedule.spaced("100 millis").pipe(Schedule.upTo("60 seconds")))
  )
  // npm and pnpm publish only with a token, even where anonymous publishing is allowed: a user gives one.
  const { token } = yield* Effect.promise(() =>
    fetch(`${url}/-/user/org.couchdb.user:rehearsal`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "rehearsal", password: "rehearsal-password" })
    }).then((r) => r.json() as Promise<{ token: string }>)
  )
  // Only the project's scope goes to the registry: pnpm itself and the peers still come from npm.
  const userconfig = join(directory, "publish.npmrc")
  writeFileSync(userconfig, `@bevatel:registry=${url}/\n//127.0.0.1:${port}/:_authToken=${token}\n`)
  return { url, userconfig }
})

/** The files of the working tree (tracked, and new ones not ignored), copied into a fresh directory. */
const copyOfTheRepository = Effect.gen(function*() {
  const copy = yield* temporaryDirectory("bevatel-release-")
  const files = (yield* run("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], root)).stdout.split("\0")
  for (const file of files.filter((f) => f !== "" && existsSync(join(root, f)))) {
    mkdirSync(dirname(join(copy, file)), { recursive: true })
    copyFileSync(join(root, file), join(copy, file))
  }
  return copy
})

const packages = ["schema", "http", "cable", "identity", "client", "cluster", "local-server"] as const

/**
 * A package README's install commands, exactly as a user copies them: its first `sh` block that runs `npm install`
 * (comments and line continuations included: the block runs as one shell script).
 */
const readmeInstallCommands = (name: string): string => {
  const readme = readFileSync(join(root, "packages", name, "README.md"), "utf8")
  const block = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!).find((text) => text.includes("npm install"))
  if (block === undefined) throw new Error(`packages/${name}/README.md has no sh block with npm install`)
  return block
}

describe("release rehearsal", () => {
  it.scopedLive.skipIf(process.env.BEVATEL_SKIP_HEAVY_TESTS === "1")(
    "changeset version + publish to a loopback registry, then each package alone from a fresh install runs its example",
    () =>
      Effect.gen(function*() {
        const { url, userconfig } = yield* registry
        const copy = yield* copyOfTheRepository
        yield* pnpm(["install", "--frozen-lockfile", "--prefer-offline"], copy)

        // A snapshot release first, from a copy of the copy (a snapshot consumes the changesets too).
        const snapshot = yield* temporaryDirectory("bevatel-snapshot-")
        yield* run("cp", ["-a", `${copy}/.`, snapshot], root)
        yield* pnpm(["exec", "changeset", "version", "--snapshot", "rehearsal"], snapshot)
        yield* pnpm(["exec", "turbo", "run", "build", "--filter=./packages/*", "--output-logs=errors-only"], snapshot)
        yield* pnpm(["exec", "changeset", "publish", "--tag", "rehearsal", "--no-git-tag"], snapshot, { NPM_CONFIG_USERCONFIG: userconfig })

        yield* pnpm(["exec", "changeset", "version"], copy)
        yield* pnpm(["exec", "turbo", "run", "build", "--filter=./packages/*", "--output-logs=errors-only"], copy)
        const published = (yield* pnpm(["exec", "changeset", "publish", "--no-git-tag"], copy, { NPM_CONFIG_USERCONFIG: userconfig })).all
        const versions = Object.fromEntries(packages.map((name) => [
          name,
          (JSON.parse(readFileSync(join(copy, "packages", name, "package.json"), "utf8")) as { version: string }).version
        ]))
        for (const name of packages) assert.include(published, `@bevatel/${name}@${versions[name]}`, published)
        // @bevatel/wire (no Effect) is published too: @bevatel/schema depends on it, and each install below pulls it in.
        const wireVersion = (JSON.parse(readFileSync(join(copy, "packages", "wire", "package.json"), "utf8")) as { version: string }).version
        assert.include(published, `@bevatel/wire@${wireVersion}`, published)

        // The examples' installation: a local server with an agent that answers.
        const server = yield* LocalServer.make({
          inboxes: [{ identifier: "rehearsal-inbox" }],
          autoReply: { delay: "10 millis", typingFor: "10 millis", reply: (content) => `got ${content}` }
        })
        const env = { BEVATEL_URL: server.url, BEVATEL_INBOX_IDENTIFIER: "rehearsal-inbox" }

        for (const name of packages) {
          const project = yield* temporaryDirectory(`bevatel-consumer-${name}-`)
          writeFileSync(join(project, "package.json"), JSON.stringify({ name: `consumer-${name}`, private: true, type: "module" }))
          writeFileSync(join(project, ".npmrc"), `@bevatel:registry=${url}/\n`)
          // The README's lines, verbatim: no warning, the version just published, one copy of effect.
          const installOutput = (yield* run("bash", ["-e", "-c", readmeInstallCommands(name)], project)).all
          assert.notMatch(installOutput, /\bwarn/i, `${name}: the README's install lines warned:\n${installOutput}`)
          const installedVersion = (JSON.parse(readFileSync(join(project, "node_modules", "@bevatel", name, "package.json"), "utf8")) as { version: string }).version
          assert.strictEqual(installedVersion, versions[name])
          const installed = readdirSync(join(project, "node_modules", "@bevatel"))
          for (const dependency of installed) {
            const manifest = readFileSync(join(project, "node_modules", "@bevatel", dependency, "package.json"), "utf8")
            assert.notInclude(manifest, "workspace:", `@bevatel/${dependency} was published with a workspace: range`)
          }
          // One copy of effect, whatever the package pulled in.
          const effects = (yield* run("npm", ["ls", "effect", "--all", "--parseable"], project)).stdout.split("\n").filter((line) => line.trim() !== "")
          assert.strictEqual(new Set(effects).size, 1, `${name}: ${effects.join(", ")}`)
          copyFileSync(join(examples, `${name}.mjs`), join(project, "example.mjs"))

          if (name === "cable") {
            // Subscribed first, then the agent speaks.
            const customer = yield* server.agent.openConversation({ name: "cable" })
            const child = spawn(process.execPath, ["example.mjs"], {
              cwd: project,
              env: { ...userEnvironment, ...env, BEVATEL_PUBSUB_TOKEN: customer.pubsubToken }
            })
            let output = ""
            const done = new Promise<number | null>((resolve) => child.once("exit", resolve))
            child.stdout.on("data", (chunk: Buffer) => (output += chunk))
            child.stderr.on("data", (chunk: Buffer) => (output += chunk))
            yield* Effect.sleep("20 millis").pipe(
              Effect.repeat({ until: () => output.includes("subscribed") }),
              Effect.timeoutFail({ duration: "60 seconds", onTimeout: () => new Error(`never subscribed: ${output}`) })
            )
            yield* server.agent.reply(customer.conversationId, "from the agent")
            assert.strictEqual(yield* Effect.promise(() => done), 0, output)
            assert.include(output, "received: from the agent")
            continue
          }
          const output = (yield* run(process.execPath, ["example.mjs"], project, env)).all
          const expected: Record<string, string> = {
            schema: "MessageCreated: Hello, how can I help?",
            http: "sent: hello from the registry",
            identity: `identifier_hash: ${createHmac("sha256", "rehearsal-hmac-token").update("user-42").digest("hex")}`,
            client: "agent: got Hello!",
            cluster: "received: POST /events Idempotency-Key message/1",
            "local-server": "inbox: Rehearsal"
          }
          assert.include(output, expected[name]!, `${name}: ${output}`)
          if (name === "local-server") {
            const help = (yield* run("npx", ["--no-install", "bevatel-local-server", "--help"], project)).all
            assert.include(help, "--throttle")
          }
        }
        // The snapshot, as a user trying a fix before the release installs it: by its dist-tag.
        const tryout = yield* temporaryDirectory("bevatel-consumer-snapshot-")
        writeFileSync(join(tryout, "package.json"), JSON.stringify({ name: "consumer-snapshot", private: true, type: "module" }))
        writeFileSync(join(tryout, ".npmrc"), `@bevatel:registry=${url}/\n`)
        yield* run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "@bevatel/schema@rehearsal", "effect@^3.22"], tryout)
        const snapshotVersion = (JSON.parse(readFileSync(join(tryout, "node_modules", "@bevatel", "schema", "package.json"), "utf8")) as { version: string }).version
        // Calculated from the changesets (`snapshot.useCalculatedVersion`), not 0.0.0.
        assert.match(snapshotVersion, /^0\.[1-9]\d*\.\d+-rehearsal-\d+$/)
        copyFileSync(join(examples, "schema.mjs"), join(tryout, "example.mjs"))
        assert.include((yield* run(process.execPath, ["example.mjs"], tryout)).all, "MessageCreated: Hello, how can I help?")

        yield* Effect.logInfo(`release rehearsal: snapshot ${snapshotVersion}; published ${packages.map((name) => `@bevatel/${name}@${versions[name]}`).join(", ")}`)
      }),
    { timeout: 1_200_000 }
  )
})
