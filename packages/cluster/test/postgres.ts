/**
 * A real, throwaway PostgreSQL server for tests: Debian's `postgresql` (`.ci/run` installs it), a new data directory
 * in the temporary directory, a free loopback port below 32768 (another one when something took it meanwhile),
 * stopped and deleted when the scope closes.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Redacted } from "effect"

const binaries = () => {
  const root = "/usr/lib/postgresql"
  const version = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined
  return version === undefined || !existsSync(join(root, version, "bin", "initdb")) ? undefined : join(root, version, "bin")
}

const installed = () => {
  const bin = binaries()
  if (bin === undefined) {
    throw new Error("PostgreSQL is missing: install Debian's postgresql package (apt-get install -y postgresql), as .ci/run does")
  }
  return bin
}

/** A free TCP port on loopback below 32768 (higher ones may collide with outgoing sockets). */
export const freeLowPort: Effect.Effect<number> = Effect.promise(() =>
  new Promise<number>((resolve) => {
    const port = 20_000 + Math.floor(Math.random() * 12_000)
    const server = createServer()
    server.once("error", () => resolve(-1))
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(port)))
  })
).pipe(Effect.repeat({ until: (port) => port > 0 }))

/** As the `postgres` user when running as root (initdb refuses root). */
const asPostgres = (command: string, args: ReadonlyArray<string>) =>
  process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] as const : [command, args] as const

const run = (command: string, args: ReadonlyArray<string>) => {
  const [program, programArgs] = asPostgres(command, args)
  const result = spawnSync(program, programArgs, { encoding: "utf8", timeout: 120_000 })
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`)
}

/** Starts the server on a free port; when another process took the port between the look and the start, another. */
const start = (bin: string, dir: string, data: string) =>
  Effect.gen(function*() {
    for (let attempt = 1;; attempt++) {
      const port = yield* freeLowPort
      const log = join(dir, `server-${attempt}.log`)
      const started = yield* Effect.try(() =>
        run(join(bin, "pg_ctl"), [
          "-D", data, "-w", "-l", log,
          "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`,
          "start"
        ])
      ).pipe(Effect.either)
      if (started._tag === "Right") return port
      const taken = existsSync(log) && /could not (bind|create listen socket)|Address already in use/.test(readFileSync(log, "utf8"))
      if (!taken || attempt >= 5) return yield* Effect.die(started.left)
    }
  })

/** A PostgreSQL server for the scope's lifetime, with an empty database `bevatel`. */
export const postgres = Effect.acquireRelease(
  Effect.gen(function*() {
    const bin = installed()
    const dir = mkdtempSync(join(tmpdir(), "bevatel-pg-"))
    chmodSync(dir, 0o700)
    if (process.getuid?.() === 0) {
      const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim())
      chownSync(dir, id("-u"), id("-g"))
    }
    const data = join(dir, "data")
    yield* Effect.sync(() => run(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]))
    const port = yield* start(bin, dir, data)
    yield* Effect.sync(() =>
      run(join(bin, "psql"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-c", "CREATE DATABASE bevatel"])
    )
    return { dir, data, bin, port, url: Redacted.make(`postgres://postgres@127.0.0.1:${port}/bevatel`) }
  }),
  (server) =>
    Effect.sync(() => {
      spawnSync(...asPostgres(join(server.bin, "pg_ctl"), ["-D", server.data, "-m", "immediate", "-w", "stop"]), { timeout: 60_000 })
      rmSync(server.dir, { recursive: true, force: true })
    })
)
