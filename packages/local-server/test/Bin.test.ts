import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { request } from "./support.js"

const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url))

/** Starts the built bin; resolves with its first output lines once it prints its URL. */
const startBin = (args: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.sync(() => spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] })),
    (child) => Effect.sync(() => child.exitCode === null && child.kill("SIGKILL"))
  ).pipe(
    Effect.flatMap((child) =>
      Stream.fromAsyncIterable(child.stdout, (e) => e).pipe(
        Stream.map((chunk) => String(chunk)),
        Stream.scan("", (all, chunk) => all + chunk),
        Stream.find((output) => /ready at (\S+)\n[\s\S]*cable: /.test(output)),
        Stream.runHead,
        Effect.map((output) => ({ child, output: output._tag === "Some" ? output.value : "" })),
        Effect.orDie
      )
    )
  )

describe("bevatel-local-server", () => {
  it.scoped("prints its base URL when ready, serves the configured inbox, and stops cleanly on SIGTERM", () =>
    Effect.gen(function*() {
      const { child, output } = yield* startBin(["--port", "0", "--inbox-identifier", "bin-inbox", "--hmac-token", "secret-token"])
      const url = /ready at (\S+)/.exec(output)![1]!
      assert.notInclude(output, "secret-token")
      const inbox = yield* request(`${url}/public/api/v1/inboxes/bin-inbox`)
      assert.deepStrictEqual([inbox.status, inbox.json.identifier], [200, "bin-inbox"])
      const exit = yield* Effect.async<number | null>((resume) => {
        child.once("exit", (code) => resume(Effect.succeed(code)))
        child.kill("SIGTERM")
      })
      assert.strictEqual(exit, 0)
    }))

  it.scoped("documents its options", () =>
    Effect.gen(function*() {
      const output = yield* Effect.promise(() =>
        new Promise<string>((resolve) => {
          const child = spawn(process.execPath, [bin, "--help"])
          let text = ""
          child.stdout.on("data", (chunk) => (text += chunk))
          child.on("exit", () => resolve(text))
        })
      )
      for (const flag of ["--host", "--port", "--inbox-identifier", "--hmac-token", "--hmac-mandatory", "--auto-reply"]) {
        assert.include(output, flag)
      }
    }))
})
