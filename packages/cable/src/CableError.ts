/**
 * The errors that end a cable stream. Everything else — dropped sockets, stale connections, restarts, malformed
 * frames — is handled inside the cable and never reaches a consumer.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The server never confirmed the subscription, on `attempts` fresh sockets. Bevatel's `RoomChannel` answers an
 * unknown `pubsub_token` with silence, so this almost always means the token is invalid (or the contact was
 * deleted or merged): create or restore the customer again to get a current token.
 *
 * @since 0.1.0
 * @category errors
 */
export class SubscriptionTimeout extends Schema.TaggedError<SubscriptionTimeout>("@bevatel/cable/CableError/SubscriptionTimeout")(
  "SubscriptionTimeout",
  { attempts: Schema.Int, timeout: Schema.DurationFromMillis }
) {
  /**
   * @since 0.1.0
   */
  override get message() {
    return `The cable never confirmed the subscription (${this.attempts} attempts on fresh sockets): ` +
      `the pubsub token looks invalid. Restore or create the customer again to get a current token.`
  }
}

/**
 * The server rejected the subscription (`reject_subscription`).
 *
 * @since 0.1.0
 * @category errors
 */
export class SubscriptionRejected extends Schema.TaggedError<SubscriptionRejected>(
  "@bevatel/cable/CableError/SubscriptionRejected"
)("SubscriptionRejected", {}) {
  /**
   * @since 0.1.0
   */
  override get message() {
    return "The server rejected the subscription: the pubsub token is not accepted."
  }
}

/**
 * The server closed the connection and asked not to reconnect (`disconnect` with `reconnect: false`).
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerDisconnected extends Schema.TaggedError<ServerDisconnected>("@bevatel/cable/CableError/ServerDisconnected")(
  "ServerDisconnected",
  { reason: Schema.String }
) {
  /**
   * @since 0.1.0
   */
  override get message() {
    return `The server disconnected the cable and asked not to reconnect (reason: ${this.reason}).`
  }
}

/**
 * The reconnect schedule gave up; `lastFailure` says why the last connection attempt failed.
 *
 * @since 0.1.0
 * @category errors
 */
export class ReconnectExhausted extends Schema.TaggedError<ReconnectExhausted>("@bevatel/cable/CableError/ReconnectExhausted")(
  "ReconnectExhausted",
  { attempts: Schema.Int, lastFailure: Schema.String }
) {
  /**
   * @since 0.1.0
   */
  override get message() {
    return `The cable gave up reconnecting after ${this.attempts} attempts; last failure: ${this.lastFailure}`
  }
}

/**
 * The pubsub token is not a token (empty); nothing was sent.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidToken extends Schema.TaggedError<InvalidToken>("@bevatel/cable/CableError/InvalidToken")(
  "InvalidToken",
  { description: Schema.String }
) {
  /**
   * @since 0.1.0
   */
  override get message() {
    return `Invalid pubsub token: ${this.description}`
  }
}

/**
 * `perform` named a subscription that is not open.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotSubscribed extends Schema.TaggedError<NotSubscribed>("@bevatel/cable/CableError/NotSubscribed")(
  "NotSubscribed",
  { action: Schema.String }
) {
  /**
   * @since 0.1.0
   */
  override get message() {
    return `Cannot perform "${this.action}": there is no open subscription for this token.`
  }
}

/**
 * Any error that ends a cable stream.
 *
 * @since 0.1.0
 * @category errors
 */
export const CableError = Schema.Union(
  SubscriptionTimeout,
  SubscriptionRejected,
  ServerDisconnected,
  ReconnectExhausted,
  InvalidToken,
  NotSubscribed
)

/**
 * @since 0.1.0
 * @category errors
 */
export type CableError = typeof CableError.Type

/**
 * @since 0.1.0
 * @category guards
 */
export const isCableError: (u: unknown) => u is CableError = Schema.is(CableError)
