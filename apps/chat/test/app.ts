import { Agent, Faults } from "@bevatel/local-server"
import { Effect, Queue, Stream } from "effect"
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url))

export interface App {
  readonly child: ChildProcessWithoutNullStreams
  /** stdout, line by line, as it comes. */
  readonly lines: Queue.Queue<string>
  readonly output: () => string
  readonly errors: () => string
  readonly write: (line: string) => Effect.Effect<void>
  readonly endInput: Effect.Effect<void>
  readonly exit: Effect.Effect<number | null>
}

const withoutBevatelSettings = (env: NodeJS.ProcessEnv) =>
  Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith("BEVATEL_")))

/** A fresh state directory. */
export const newStateDir = () => mkdtempSync(join(tmpdir(), "bevatel-chat-"))

/** Runs the built app as a process with a state directory (its own by default); killed with the scope if still running. */
export const runApp = (args: ReadonlyArray<string>, env: Record<string, string> = {}, stateDir = newStateDir()) =>
  Effect.gen(function*() {
    const child = yield* Effect.acquireRelease(
      Effect.sync(() =>
        spawn(process.execPath, [main, ...args, "--state-dir", stateDir], {
          env: { ...withoutBevatelSettings(process.env), ...env },
          stdio: ["pipe", "pipe", "pipe"]
        })
      ),
      (child) => Effect.sync(() => child.exitCode === null && child.kill("SIGKILL"))
    )
    const lines = yield* Queue.unbounded<string>()
    let stdout = ""
    let stderr = ""
    let pending = ""
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk
      pending += chunk
      const parts = pending.split("\n")
      pending = parts.pop()!
      for (const line of parts) Queue.unsafeOffer(lines, line)
    })
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
    const app: App = {
      child,
      lines,
      output: () => stdout,
      errors: () => stderr,
      write: (line) => Effect.sync(() => child.stdin.write(`${line}\n`)),
      endInput: Effect.sync(() => child.stdin.end()),
      exit: Effect.promise(() => exited)
    }
    return app
  })

/** The next stdout line that matches. */
export const nextLine = (app: App, predicate: (line: string) => boolean) =>
  Queue.take(app.lines).pipe(Effect.repeat({ until: predicate }))

/** Pipe mode's JSON lines, parsed. */
export const jsonLines = (output: string) =>
  output.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as { event: string; data: any })

/** Drops every cable socket after every `n`-th customer message, for as long as the scope lasts. */
export const dropSocketsEvery = (n: number) =>
  Effect.gen(function*() {
    const agent = yield* Agent.Agent
    const faults = yield* Faults.Faults
    let received = 0
    yield* agent.activity.pipe(
      Stream.filter((activity) => activity._tag === "MessageReceived"),
      Stream.runForEach(() => (++received % n === 0 ? Effect.asVoid(faults.dropSockets) : Effect.void)),
      Effect.forkScoped
    )
  })
