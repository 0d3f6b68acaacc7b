/**
 * One customer of a clustered bridge as an `@effect/cluster` entity: its entity id is your customer identifier, and
 * the runner that owns the entity's shard follows the customer (its cable subscription and its catch-ups) until the
 * shard moves or the runner dies; then the next owner follows it, from the checkpoints in SQL.
 *
 * **Why one entity per customer, not per conversation:** a customer's conversations share one cable subscription
 * (its `pubsub_token`) and one catch-up request (the conversations list embeds them all); splitting them across
 * runners would subscribe the same token several times and multiply the requests.
 *
 * @since 0.1.0
 */
import * as Entity from "@effect/cluster/Entity"
import * as Rpc from "@effect/rpc/Rpc"
import * as Schema from "effect/Schema"

/**
 * The customer could not be followed: it is not in the `CustomerDirectory` (register it first), or its follow keeps
 * failing (the reason says why; the owner keeps retrying).
 *
 * @since 0.1.0
 * @category errors
 */
export class FollowFailed extends Schema.TaggedError<FollowFailed>("@bevatel/cluster/FollowFailed")("FollowFailed", {
  identifier: Schema.String,
  reason: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message() {
    return `customer ${this.identifier} is not followed: ${this.reason}`
  }
}

/**
 * The entity's protocol.
 *
 * - `Follow`: completes once the owner follows the customer (its conversations loaded, their events flowing to the
 *   sink). The entity then stays alive by itself (`Entity.keepAlive`), and restarts on the next owner after a
 *   failover or a rebalance, without another `Follow`.
 * - `Unfollow`: stops following the customer and forgets it.
 *
 * @since 0.1.0
 * @category entities
 */
export const CustomerEntity = Entity.make("BevatelCustomer", [
  Rpc.make("Follow", { error: FollowFailed }),
  Rpc.make("Unfollow")
])
