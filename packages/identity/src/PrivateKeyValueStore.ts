/**
 * A `KeyValueStore` on the file system for what must stay private — stored customers (`source_id`,
 * `pubsub_token`), checkpoints — readable by their owner only: the folder is created `0700`, every file is written
 * `0600`, and a write replaces its file atomically (a new file, then a rename), so a process killed mid-write
 * leaves the old value, never a truncated one. An existing folder that other users can read gets a warning.
 *
 * It runs wherever `@effect/platform`'s `FileSystem` does (`NodeContext.layer` / `NodeFileSystem.layer` on Node). In
 * browsers use `BrowserKeyValueStore.layerLocalStorage`: `localStorage` is readable by any script of the page's
 * origin — as Chatwoot's own widget keeps its session cookie — so the customer's credentials are only as safe as
 * the page that embeds the chat.
 *
 * @since 0.2.0
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as KeyValueStore from "@effect/platform/KeyValueStore"
import * as Path from "@effect/platform/Path"
import type * as PlatformError from "@effect/platform/Error"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

const notFound = (error: PlatformError.PlatformError) => error._tag === "SystemError" && error.reason === "NotFound"

/**
 * The store in `directory` (created `0700` when missing). Keys are file names (URI-encoded, as
 * `NodeKeyValueStore.layerFileSystem` names them, so an existing folder keeps working).
 *
 * @example
 * ```ts
 * import { CustomerStore, PrivateKeyValueStore } from "@bevatel/identity"
 * import { NodeContext } from "@effect/platform-node"
 * import { Layer } from "effect"
 *
 * // Customers' credentials in ./.bevatel/customers: a 0700 folder of 0600 files.
 * const Store = CustomerStore.layer.pipe(
 *   Layer.provide(PrivateKeyValueStore.layerFileSystem(".bevatel/customers")),
 *   Layer.provide(NodeContext.layer)
 * )
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layerFileSystem = (
  directory: string
): Layer.Layer<KeyValueStore.KeyValueStore, PlatformError.PlatformError, FileSystem.FileSystem | Path.Path> =>
  Layer.effect(
    KeyValueStore.KeyValueStore,
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      if (yield* fs.exists(directory)) {
        const mode = (yield* fs.stat(directory)).mode & 0o777
        if ((mode & 0o077) !== 0) {
          yield* Effect.logWarning(
            `${directory} can be read by other users (mode ${mode.toString(8).padStart(4, "0")}), and it holds ` +
              `customers' credentials: run chmod 700 on it`
          )
        }
      } else {
        yield* fs.makeDirectory(directory, { recursive: true, mode: 0o700 })
      }
      const fileOf = (key: string) => path.join(directory, encodeURIComponent(key))
      const isEntry = (name: string) => !name.endsWith(".tmp")
      const write = (key: string, data: Uint8Array) =>
        Effect.gen(function*() {
          const target = fileOf(key)
          const temporary = `${target}.${crypto.randomUUID()}.tmp`
          yield* fs.writeFile(temporary, data, { mode: 0o600 })
          yield* fs.rename(temporary, target).pipe(Effect.tapError(() => Effect.ignore(fs.remove(temporary))))
        })
      const orNone = <A>(read: Effect.Effect<A, PlatformError.PlatformError>) =>
        read.pipe(
          Effect.map(Option.some),
          Effect.catchIf(notFound, () => Effect.succeedNone)
        )
      const entries = Effect.map(fs.readDirectory(directory), (names) => names.filter(isEntry))
      return KeyValueStore.make({
        get: (key) => orNone(fs.readFileString(fileOf(key))),
        getUint8Array: (key) => orNone(fs.readFile(fileOf(key))),
        set: (key, value) => write(key, typeof value === "string" ? new TextEncoder().encode(value) : value),
        remove: (key) => fs.remove(fileOf(key)).pipe(Effect.catchIf(notFound, () => Effect.void)),
        clear: Effect.flatMap(entries, (names) =>
          Effect.forEach(names, (name) => fs.remove(path.join(directory, name)), { discard: true })),
        size: Effect.map(entries, (names) => names.length)
      })
    })
  )
