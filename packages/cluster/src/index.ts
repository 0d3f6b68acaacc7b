/**
 * @since 0.1.0
 */
export * as BridgeClient from "./BridgeClient.js"
/**
 * @since 0.1.0
 */
export * as BridgeMetrics from "./BridgeMetrics.js"
/**
 * @since 0.1.0
 */
export * as BridgeRunner from "./BridgeRunner.js"
/**
 * @since 0.1.0
 */
export * as CustomerDirectory from "./CustomerDirectory.js"
/**
 * @since 0.1.0
 */
export * as CustomerEntity from "./CustomerEntity.js"
/**
 * @since 0.1.0
 */
export * as EventSink from "./EventSink.js"
/**
 * @since 0.1.0
 */
export * as SqlCheckpointStore from "./SqlCheckpointStore.js"
