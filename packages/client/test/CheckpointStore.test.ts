import { CheckpointStore } from "@bevatel/client"
import { KeyValueStore } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Metric, Option } from "effect"

const conversation = { inboxIdentifier: "inbox", sourceId: "source", conversationId: 7 }
const stores = Layer.provideMerge(CheckpointStore.layer, KeyValueStore.layerMemory)

describe("CheckpointStore", () => {
  it.effect("starts empty, remembers the last message handed downstream, and only moves forward", () =>
    Effect.gen(function*() {
      const store = yield* CheckpointStore.CheckpointStore
      const commitsBefore = (yield* Metric.value(CheckpointStore.commits)).count
      assert.isTrue(Option.isNone(yield* store.get(conversation)))
      yield* store.commit(conversation, 41)
      yield* store.commit(conversation, 40)
      assert.deepStrictEqual(yield* store.get(conversation), Option.some(41))
      yield* store.commit(conversation, 42)
      assert.deepStrictEqual(yield* store.get(conversation), Option.some(42))
      // Two checkpoints written; the commit that would have gone back wrote nothing.
      assert.strictEqual((yield* Metric.value(CheckpointStore.commits)).count - commitsBefore, 2)
      assert.isTrue(Option.isNone(yield* store.get({ ...conversation, conversationId: 8 })))
    }).pipe(Effect.provide(stores)))

  it.effect("falls back to the copy when the entry was cut short, and to none when both are unreadable", () =>
    Effect.gen(function*() {
      const kv = yield* KeyValueStore.KeyValueStore
      const store = yield* CheckpointStore.CheckpointStore
      yield* store.commit(conversation, 12)
      // A process killed between truncating the file and writing it.
      yield* kv.set("bevatel/checkpoint/inbox/source/7", "")
      assert.deepStrictEqual(yield* store.get(conversation), Option.some(12))
      yield* kv.set("bevatel/checkpoint/inbox/source/7.copy", "not a number")
      assert.isTrue(Option.isNone(yield* store.get(conversation)))
      yield* store.commit(conversation, 3)
      assert.deepStrictEqual(yield* store.get(conversation), Option.some(3))
    }).pipe(Effect.provide(stores)))
})
