/**
 * Remembers who the customer is between visits — `source_id`, `pubsub_token`, identifier and the conversation in
 * use — through `@effect/platform`'s `KeyValueStore`, so the backend is a layer: memory, a file on Node
 * (`NodeKeyValueStore.layerFileSystem`), or `localStorage` in browsers (`BrowserKeyValueStore.layerLocalStorage`).
 *
 * @since 0.1.0
 */
import { Identifiers } from "@bevatel/schema"
import * as KeyValueStore from "@effect/platform/KeyValueStore"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { CustomerStoreError } from "./IdentityError.js"

/**
 * What is stored for one inbox. The `pubsub_token` grants read access to the customer's events: the store is as
 * sensitive as a session cookie.
 *
 * @since 0.1.0
 * @category models
 */
export const StoredCustomer = Schema.Struct({
  inbox_identifier: Identifiers.InboxIdentifier,
  source_id: Identifiers.SourceId,
  pubsub_token: Identifiers.PubsubToken,
  identifier: Schema.optionalWith(Schema.String, { exact: true }),
  conversation_id: Schema.optionalWith(Identifiers.ConversationId, { exact: true })
}).annotations({ identifier: "StoredCustomer" })
/**
 * @since 0.1.0
 * @category models
 */
export interface StoredCustomer extends Schema.Schema.Type<typeof StoredCustomer> {}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The stored customer of an inbox; a missing or unreadable entry is `None` (a corrupt one is logged). */
  readonly get: (inboxIdentifier: string) => Effect.Effect<Option.Option<StoredCustomer>, CustomerStoreError>
  readonly set: (customer: StoredCustomer) => Effect.Effect<void, CustomerStoreError>
  /** Forgets the customer of an inbox (e.g. on logout). */
  readonly remove: (inboxIdentifier: string) => Effect.Effect<void, CustomerStoreError>
}

/**
 * The customer store service: the stored customer of each inbox.
 *
 * @example
 * ```ts
 * import { CustomerStore } from "@bevatel/identity"
 * import { Effect } from "effect"
 *
 * const forget = (inboxIdentifier: string) =>
 *   Effect.flatMap(CustomerStore.CustomerStore, (store) => store.remove(inboxIdentifier))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class CustomerStore extends Context.Tag("@bevatel/identity/CustomerStore")<CustomerStore, Service>() {}

const keyOf = (inboxIdentifier: string) => `bevatel/customer/${inboxIdentifier}`

/**
 * The store over the `KeyValueStore` in context.
 *
 * @example
 * ```ts
 * import { CustomerStore } from "@bevatel/identity"
 * import { KeyValueStore } from "@effect/platform"
 * import { Effect } from "effect"
 *
 * const store = CustomerStore.make.pipe(Effect.provide(KeyValueStore.layerMemory))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, KeyValueStore.KeyValueStore> = Effect.map(
  KeyValueStore.KeyValueStore,
  (kv) => {
    const store = kv.forSchema(Schema.parseJson(StoredCustomer))
    const failure = (operation: "get" | "set" | "remove") => (cause: unknown) =>
      new CustomerStoreError({ operation, description: "the key-value store failed", cause })
    return CustomerStore.of({
      get: (inboxIdentifier) =>
        store.get(keyOf(inboxIdentifier)).pipe(
          Effect.catchTag("ParseError", () =>
            Effect.as(Effect.logWarning("CustomerStore: ignoring an unreadable stored customer"), Option.none())),
          Effect.mapError(failure("get"))
        ),
      set: (customer) => Effect.mapError(store.set(keyOf(customer.inbox_identifier), customer), failure("set")),
      remove: (inboxIdentifier) => Effect.mapError(kv.remove(keyOf(inboxIdentifier)), failure("remove"))
    })
  }
)

/**
 * The customer store in the `KeyValueStore` of the context.
 *
 * @example
 * ```ts
 * import { CustomerStore } from "@bevatel/identity"
 * import { KeyValueStore } from "@effect/platform"
 * import { Layer } from "effect"
 *
 * // Any KeyValueStore: BrowserKeyValueStore.layerLocalStorage in a browser, PrivateKeyValueStore on a server.
 * const Store = CustomerStore.layer.pipe(Layer.provide(KeyValueStore.layerMemory))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<CustomerStore, never, KeyValueStore.KeyValueStore> = Layer.effect(CustomerStore, make)

/**
 * A store that forgets on exit, for tests and server pipelines.
 *
 * @example
 * ```ts
 * import { CustomerStore } from "@bevatel/identity"
 * import { Effect } from "effect"
 *
 * const stored = Effect.flatMap(CustomerStore.CustomerStore, (store) => store.get("your-inbox")).pipe(
 *   Effect.provide(CustomerStore.layerMemory)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<CustomerStore> = Layer.provide(layer, KeyValueStore.layerMemory)
