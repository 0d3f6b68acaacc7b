/**
 * The `CheckpointStore` of `@bevatel/client` in a SQL database (PostgreSQL; SQLite too), so that whichever runner
 * follows a customer next resumes each of its conversations after the last message handed downstream.
 *
 * One row per conversation in `bevatel_checkpoints`. A commit only moves a checkpoint forward, in one statement
 * (`GREATEST`), so two runners that briefly both follow a customer (a frozen runner waking after its shards moved)
 * cannot move it back.
 *
 * @since 0.1.0
 */
import { CheckpointStore } from "@bevatel/client"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"

/**
 * Creates the table when it is missing. Run once per database before the runners start (the runner layers do).
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrate: Effect.Effect<void, SqlError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE IF NOT EXISTS bevatel_checkpoints (
    inbox_identifier TEXT NOT NULL,
    source_id TEXT NOT NULL,
    conversation_id BIGINT NOT NULL,
    message_id BIGINT NOT NULL,
    PRIMARY KEY (inbox_identifier, source_id, conversation_id)
  )`
}).pipe(Effect.withSpan("SqlCheckpointStore.migrate"))

/**
 * The store over the `SqlClient` in context; the table must exist ({@link migrate}).
 *
 * @example
 * ```ts
 * import { SqlCheckpointStore } from "@bevatel/cluster"
 * import { Effect } from "effect"
 *
 * // Needs a SqlClient in context.
 * const store = Effect.map(SqlCheckpointStore.make, (checkpoints) => checkpoints)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<CheckpointStore.Service, never, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const greatest = sql.onDialectOrElse({ sqlite: () => "MAX", orElse: () => "GREATEST" })
  return {
    get: (conversation) =>
      sql<{ readonly message_id: number | string }>`SELECT message_id FROM bevatel_checkpoints
        WHERE inbox_identifier = ${conversation.inboxIdentifier} AND source_id = ${conversation.sourceId}
        AND conversation_id = ${conversation.conversationId}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (row) => Number(row.message_id))),
        Effect.mapError((cause) =>
          new CheckpointStore.CheckpointError({ operation: "get", conversationId: conversation.conversationId, cause })
        ),
        Effect.withSpan("SqlCheckpointStore.get", { attributes: { conversationId: conversation.conversationId } })
      ),
    commit: (conversation, messageId) =>
      sql`INSERT INTO bevatel_checkpoints (inbox_identifier, source_id, conversation_id, message_id)
        VALUES (${conversation.inboxIdentifier}, ${conversation.sourceId}, ${conversation.conversationId}, ${messageId})
        ON CONFLICT (inbox_identifier, source_id, conversation_id)
        DO UPDATE SET message_id = ${sql.literal(greatest)}(bevatel_checkpoints.message_id, excluded.message_id)`.pipe(
        Effect.zipRight(Metric.increment(CheckpointStore.commits)),
        Effect.mapError((cause) =>
          new CheckpointStore.CheckpointError({ operation: "commit", conversationId: conversation.conversationId, cause })
        ),
        Effect.withSpan("SqlCheckpointStore.commit", {
          attributes: { conversationId: conversation.conversationId, messageId }
        })
      )
  }
})

/**
 * The store as the `CheckpointStore` service, the table created when missing.
 *
 * @example
 * ```ts
 * import { SqlCheckpointStore } from "@bevatel/cluster"
 *
 * // Provide a SqlClient (PgClient.layer); it creates its table when missing.
 * const Checkpoints = SqlCheckpointStore.layer
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<CheckpointStore.CheckpointStore, SqlError, SqlClient.SqlClient> = Layer.effect(
  CheckpointStore.CheckpointStore,
  Effect.zipRight(migrate, make)
)
