/**
 * The customers a clustered bridge speaks for, by your identifier, in a SQL database (`bevatel_customers`): their
 * sessions in the inbox (`source_id`, `pubsub_token`), so that any runner can follow any customer.
 *
 * The `pubsub_token` is a credential (whoever holds it reads the customer's conversations): the table deserves the
 * access rules of any table of secrets.
 *
 * @since 0.1.0
 */
import { ClientApi, type ClientApiError } from "@bevatel/http"
import { CustomerSession } from "@bevatel/client"
import { type CustomerStore, IdentitySigner, type IdentityError } from "@bevatel/identity"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * The customer with this identifier: the stored one, or a contact created now (with `identifier_hash` when an
   * `IdentitySigner` was given) and stored. Two runners registering one identifier at once both get the stored one.
   */
  readonly register: (
    identifier: string
  ) => Effect.Effect<CustomerStore.StoredCustomer, ClientApiError.ClientApiError | IdentityError.SigningFailed | SqlError>
  /** The stored customer with this identifier, if any. */
  readonly get: (identifier: string) => Effect.Effect<Option.Option<CustomerStore.StoredCustomer>, SqlError>
  /** The identifiers of every customer in the directory. */
  readonly identifiers: Effect.Effect<ReadonlyArray<string>, SqlError>
  /** Forgets the customer (its contact stays on the server). */
  readonly remove: (identifier: string) => Effect.Effect<void, SqlError>
}

/**
 * The directory service: the customers the bridge follows, in SQL.
 *
 * @example
 * ```ts
 * import { CustomerDirectory } from "@bevatel/cluster"
 * import { Effect } from "effect"
 *
 * const followed = Effect.flatMap(CustomerDirectory.CustomerDirectory, (directory) => directory.identifiers)
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class CustomerDirectory extends Context.Tag("@bevatel/cluster/CustomerDirectory")<CustomerDirectory, Service>() {}

/**
 * Creates the table when it is missing (the runner layers do).
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrate: Effect.Effect<void, SqlError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE IF NOT EXISTS bevatel_customers (
    inbox_identifier TEXT NOT NULL,
    identifier TEXT NOT NULL,
    source_id TEXT NOT NULL,
    pubsub_token TEXT NOT NULL,
    PRIMARY KEY (inbox_identifier, identifier)
  )`
}).pipe(Effect.withSpan("CustomerDirectory.migrate"))

const Row = Schema.Struct({ source_id: Schema.String, pubsub_token: Schema.String })

/**
 * The directory of the `ClientApi`'s inbox; the table must exist ({@link migrate}).
 *
 * @example
 * ```ts
 * import { CustomerDirectory } from "@bevatel/cluster"
 * import { Effect } from "effect"
 *
 * // Needs SqlClient and ClientApi in context (an IdentitySigner too, to sign the customers it creates).
 * const count = Effect.flatMap(CustomerDirectory.make, (directory) => Effect.map(directory.identifiers, (ids) => ids.length))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, SqlClient.SqlClient | ClientApi.ClientApi> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const api = yield* ClientApi.ClientApi
  const signer = yield* Effect.serviceOption(IdentitySigner.IdentitySigner)
  const inbox = api.inboxIdentifier
  const decodeRow = Schema.decodeUnknown(Row)

  const get = (identifier: string) =>
    sql`SELECT source_id, pubsub_token FROM bevatel_customers
      WHERE inbox_identifier = ${inbox} AND identifier = ${identifier}`.pipe(
      Effect.flatMap((rows) => rows.length === 0 ? Effect.succeed(Option.none()) : Effect.asSome(Effect.orDie(decodeRow(rows[0])))),
      Effect.map(Option.map((row): CustomerStore.StoredCustomer => ({
        inbox_identifier: inbox,
        source_id: row.source_id as CustomerStore.StoredCustomer["source_id"],
        pubsub_token: row.pubsub_token as CustomerStore.StoredCustomer["pubsub_token"],
        identifier
      }))),
      Effect.withSpan("CustomerDirectory.get")
    )

  const create = (identifier: string) =>
    Effect.gen(function*() {
      const contact = yield* CustomerSession.createIdentified(identifier).pipe(
        Option.isSome(signer) ? Effect.provideService(IdentitySigner.IdentitySigner, signer.value) : (effect) => effect,
        Effect.provideService(ClientApi.ClientApi, api)
      )
      yield* sql`INSERT INTO bevatel_customers (inbox_identifier, identifier, source_id, pubsub_token)
        VALUES (${inbox}, ${identifier}, ${contact.source_id}, ${contact.pubsub_token})
        ON CONFLICT (inbox_identifier, identifier) DO NOTHING`
      // Whoever inserted first wins; everyone uses that session.
      return Option.getOrThrow(yield* get(identifier))
    }).pipe(Effect.withSpan("CustomerDirectory.create"))

  return CustomerDirectory.of({
    register: (identifier) =>
      Effect.flatMap(get(identifier), Option.match({ onNone: () => create(identifier), onSome: Effect.succeed })).pipe(
        Effect.withSpan("CustomerDirectory.register")
      ),
    get,
    identifiers: sql<{ readonly identifier: string }>`SELECT identifier FROM bevatel_customers
      WHERE inbox_identifier = ${inbox}`.pipe(
      Effect.map((rows) => rows.map((row) => row.identifier)),
      Effect.withSpan("CustomerDirectory.identifiers")
    ),
    remove: (identifier) =>
      sql`DELETE FROM bevatel_customers WHERE inbox_identifier = ${inbox} AND identifier = ${identifier}`.pipe(
        Effect.asVoid,
        Effect.withSpan("CustomerDirectory.remove")
      )
  })
})

/**
 * The directory as a service, the table created when missing. Provide an `IdentitySigner` to sign identifiers
 * (inboxes with identity validation).
 *
 * @example
 * ```ts
 * import { CustomerDirectory } from "@bevatel/cluster"
 *
 * // Provide SqlClient (PgClient.layer) and ClientApi to it; it creates its table when missing.
 * const Directory = CustomerDirectory.layer
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<CustomerDirectory, SqlError, SqlClient.SqlClient | ClientApi.ClientApi> = Layer.effect(
  CustomerDirectory,
  Effect.zipRight(migrate, make)
)
