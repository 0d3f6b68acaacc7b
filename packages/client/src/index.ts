/**
 * @since 0.2.0
 */
export * as CheckpointStore from "./CheckpointStore.js"
/**
 * @since 0.1.0
 */
export * as ConversationEvent from "./ConversationEvent.js"
/**
 * @since 0.1.0
 */
export * as ConversationStream from "./ConversationStream.js"
/**
 * @since 0.1.0
 */
export * as CustomerChat from "./CustomerChat.js"
/**
 * The visit flow: restore the stored customer, create it again if the server forgot it, identify it (moved here from
 * `@bevatel/identity`, which no longer depends on `@bevatel/http`).
 *
 * @since 0.3.0
 */
export * as CustomerSession from "./CustomerSession.js"
/**
 * @since 0.2.0
 */
export * as Customers from "./Customers.js"
/**
 * @since 0.2.0
 */
export * as CustomersMetrics from "./CustomersMetrics.js"
