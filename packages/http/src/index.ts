/**
 * @since 0.1.0
 */
export * as ClientApi from "./ClientApi.js"
/**
 * @since 0.1.0
 */
export * as ClientApiError from "./ClientApiError.js"
/**
 * @since 0.2.0
 */
export * as ClientApiMetrics from "./ClientApiMetrics.js"
/**
 * @since 0.1.0
 */
export * as RetryPolicy from "./RetryPolicy.js"
/**
 * @since 0.2.0
 */
export * as RequestBudget from "./RequestBudget.js"
