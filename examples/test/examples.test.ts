import { LocalServer } from "@bevatel/local-server"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect } from "effect"
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

// The examples as users run them: built JavaScript, in a process of its own, configured by the environment.
const built = (name: string) => fileURLToPath(new URL(`../dist/${name}.js`, import.meta.url))

const run = (name: string, env: Record<string, string> = {}) =>
  Effect.gen(function*() {
    const child = yield* Effect.acquireRelease(
      Effect.sync(() =>
        spawn(process.execPath, [built(name)], {
          cwd: mkdtempSync(join(tmpdir(), "bevatel-example-")),
          env: { ...process.env, ...env },
          stdio: ["pipe", "pipe", "pipe"]
        })
      ),
      (child) => Effect.sync(() => child.exitCode === null && child.kill("SIGKILL"))
    )
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
    return {
      child: child as ChildProcessWithoutNullStreams,
      stdout: () => stdout,
      stderr: () => stderr,
      exit: Effect.promise(() => exited)
    }
  })

describe("local-server example", () => {
  it.scoped("prints the settings of a running server, which answers, and stops on SIGINT", () =>
    Effect.gen(function*() {
      const example = yield* run("local-server")
      const url = yield* Effect.promise(() =>
        new Promise<string>((resolve) => {
          const look = () => {
            const match = /BEVATEL_URL=(\S+)/.exec(example.stdout())
            if (match && example.stdout().includes("BEVATEL_INBOX_IDENTIFIER=demo-inbox")) resolve(match[1]!)
            else setTimeout(look, 50)
          }
          look()
        })
      )
      const inbox = yield* Effect.promise(() => fetch(`${url}/public/api/v1/inboxes/demo-inbox`).then((r) => r.json()))
      assert.strictEqual((inbox as { identifier: string }).identifier, "demo-inbox")
      example.child.kill("SIGINT")
      assert.strictEqual(yield* example.exit, 0, example.stderr())
    }))
})

const serverLayer = LocalServer.layer({
  autoReply: { delay: "20 millis", typingFor: "20 millis", reply: (content) => `agent here: ${content}` }
})

layer(serverLayer, { excludeTestServices: true })("examples against the local server", (it) => {
  const envOf = (server: LocalServer.Service) => ({
    BEVATEL_URL: server.url,
    BEVATEL_INBOX_IDENTIFIER: server.inboxes[0]!.identifier
  })

  it.scoped("customer-chat: sends a message and prints the agent's answer, then exits 0", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const example = yield* run("customer-chat", envOf(server))
      assert.strictEqual(yield* example.exit, 0, example.stderr())
      assert.include(example.stdout(), "you: Hello! Where is my order?")
      assert.include(example.stdout(), "agent: agent here: Hello! Where is my order?")
    }))

  it.scoped("conversation-stream: streams the conversation until the agent answers, then exits 0", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const example = yield* run("conversation-stream", envOf(server))
      assert.strictEqual(yield* example.exit, 0, example.stderr())
      assert.match(example.stdout(), /\[StatusChanged\]/)
      assert.match(example.stdout(), /outgoing: agent here: Hi there/)
    }))
})
