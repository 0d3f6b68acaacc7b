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
 * @since 0.2.0
 */
export * as Customers from "./Customers.js"
/**
 * @since 0.2.0
 */
export * as CustomersMetrics from "./CustomersMetrics.js"
