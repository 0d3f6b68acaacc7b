import { CustomerStore } from "@bevatel/identity"
import { NodeKeyValueStore } from "@effect/platform-node"
import { KeyValueStore } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** A Web Storage (as `localStorage`) backed by a Map: the same code path as BrowserKeyValueStore.layerLocalStorage. */
class MapStorage implements Storage {
  private readonly items = new Map<string, string>()
  get length() {
    return this.items.size
  }
  clear() {
    this.items.clear()
  }
  getItem(key: string) {
    return this.items.get(key) ?? null
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null
  }
  removeItem(key: string) {
    this.items.delete(key)
  }
  setItem(key: string, value: string) {
    this.items.set(key, value)
  }
}

const directory = mkdtempSync(join(tmpdir(), "bevatel-store-"))
const backends: Record<string, Layer.Layer<KeyValueStore.KeyValueStore>> = {
  memory: KeyValueStore.layerMemory,
  "file (Node)": NodeKeyValueStore.layerFileSystem(directory).pipe(Layer.orDie),
  "Web Storage": KeyValueStore.layerStorage(() => new MapStorage())
}

const customer = {
  inbox_identifier: "inbox-a",
  source_id: "source-1",
  pubsub_token: "token-1",
  identifier: "user-1",
  conversation_id: 3
} as unknown as CustomerStore.StoredCustomer

for (const [name, backend] of Object.entries(backends)) {
  describe(`CustomerStore on ${name}`, () => {
    const layer = CustomerStore.layer.pipe(Layer.provideMerge(backend))

    it.effect("round-trips a customer per inbox and forgets it on remove", () =>
      Effect.gen(function*() {
        const store = yield* CustomerStore.CustomerStore
        assert.isTrue(Option.isNone(yield* store.get("inbox-a")))
        yield* store.set(customer)
        yield* store.set({ ...customer, inbox_identifier: "inbox-b", source_id: "source-2" } as never)
        assert.deepStrictEqual(yield* store.get("inbox-a"), Option.some(customer))
        assert.strictEqual(Option.getOrThrow(yield* store.get("inbox-b")).source_id, "source-2")
        yield* store.remove("inbox-a")
        assert.isTrue(Option.isNone(yield* store.get("inbox-a")))
        yield* store.remove("inbox-b")
      }).pipe(Effect.provide(layer)))

    it.effect("treats a corrupt entry as absent", () =>
      Effect.gen(function*() {
        const kv = yield* KeyValueStore.KeyValueStore
        const store = yield* CustomerStore.CustomerStore
        yield* kv.set("bevatel/customer/inbox-c", "{not json")
        assert.isTrue(Option.isNone(yield* store.get("inbox-c")))
        yield* kv.set("bevatel/customer/inbox-c", JSON.stringify({ inbox_identifier: "inbox-c", source_id: "" }))
        assert.isTrue(Option.isNone(yield* store.get("inbox-c")))
        yield* store.remove("inbox-c")
      }).pipe(Effect.provide(layer)))
  })
}

describe("CustomerStore on a file", () => {
  it.effect("survives a new store over the same directory (a process restart)", () =>
    Effect.gen(function*() {
      const fresh = () => CustomerStore.layer.pipe(Layer.provide(NodeKeyValueStore.layerFileSystem(directory)), Layer.orDie)
      yield* Effect.flatMap(CustomerStore.CustomerStore, (store) => store.set(customer)).pipe(Effect.provide(fresh()))
      const restored = yield* Effect.flatMap(CustomerStore.CustomerStore, (store) => store.get("inbox-a")).pipe(
        Effect.provide(fresh())
      )
      assert.deepStrictEqual(restored, Option.some(customer))
      rmSync(directory, { recursive: true, force: true })
    }))
})
