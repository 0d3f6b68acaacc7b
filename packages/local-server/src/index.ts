/**
 * @since 0.1.0
 */
export * as Agent from "./Agent.js"
/**
 * @since 0.1.0
 */
export * as Faults from "./Faults.js"
/**
 * @since 0.1.0
 */
export * as LocalServer from "./LocalServer.js"
