import { CustomerStore, PrivateKeyValueStore } from "@bevatel/identity"
import { KeyValueStore } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Logger, Option } from "effect"
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const modeOf = (path: string) => statSync(path).mode & 0o777
const storeIn = (directory: string) => PrivateKeyValueStore.layerFileSystem(directory).pipe(Layer.provide(NodeContext.layer))

describe("PrivateKeyValueStore", () => {
  it.effect("creates its folder 0700 and every file 0600; reads, removes, counts and clears", () =>
    Effect.gen(function*() {
      const directory = join(mkdtempSync(join(tmpdir(), "bevatel-private-")), "state")
      const kv = yield* KeyValueStore.KeyValueStore.pipe(Effect.provide(storeIn(directory)))
      yield* kv.set("bevatel/customer/inbox", "{\"pubsub_token\":\"secret\"}")
      yield* kv.set("bevatel/checkpoint/a", "41")
      yield* kv.set("bevatel/checkpoint/a", "42")
      assert.strictEqual(modeOf(directory), 0o700)
      for (const file of readdirSync(directory)) assert.strictEqual(modeOf(join(directory, file)), 0o600, file)
      assert.deepStrictEqual(yield* kv.get("bevatel/checkpoint/a"), Option.some("42"))
      assert.isTrue(Option.isNone(yield* kv.get("missing")))
      assert.strictEqual(yield* kv.size, 2)
      assert.isFalse(readdirSync(directory).some((name) => name.endsWith(".tmp")), "no temporary file left")
      yield* kv.remove("bevatel/checkpoint/a")
      yield* kv.remove("bevatel/checkpoint/a")
      assert.strictEqual(yield* kv.size, 1)
      yield* kv.clear
      assert.strictEqual(yield* kv.size, 0)
    }))

  it.effect("warns about an existing folder that other users can read, and still writes 0600 files", () => {
    const warnings: Array<string> = []
    const logger = Logger.make(({ logLevel, message }) => {
      if (logLevel._tag === "Warning") warnings.push(String(message))
    })
    return Effect.gen(function*() {
      const directory = mkdtempSync(join(tmpdir(), "bevatel-wide-"))
      mkdirSync(directory, { recursive: true })
      chmodSync(directory, 0o755)
      const store = yield* CustomerStore.make.pipe(Effect.provide(storeIn(directory)))
      yield* store.set({ inbox_identifier: "inbox" as never, source_id: "s" as never, pubsub_token: "p" as never })
      assert.strictEqual(warnings.length, 1)
      assert.include(warnings[0], "chmod 700")
      for (const file of readdirSync(directory)) assert.strictEqual(modeOf(join(directory, file)), 0o600, file)
    }).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
  })
})
