/**
 * @since 0.1.0
 */
export * as Cable from "./Cable.js"
/**
 * @since 0.1.0
 */
export * as CableError from "./CableError.js"
/**
 * @since 0.1.0
 */
export * as CableMetrics from "./CableMetrics.js"
/**
 * @since 0.2.0
 */
export * as ConnectionFailure from "./ConnectionFailure.js"
/**
 * @since 0.1.0
 */
export * as ConnectionState from "./ConnectionState.js"
/**
 * @since 0.1.0
 */
export * as Reconnect from "./Reconnect.js"
/**
 * @since 0.1.0
 */
export * as SubscriptionMessage from "./SubscriptionMessage.js"
