/**
 * @since 0.1.0
 */
export * as CustomerStore from "./CustomerStore.js"
/**
 * @since 0.1.0
 */
export * as IdentifierHash from "./IdentifierHash.js"
/**
 * @since 0.1.0
 */
export * as IdentitySigner from "./IdentitySigner.js"
/**
 * @since 0.1.0
 */
export * as IdentityError from "./IdentityError.js"
/**
 * @since 0.2.0
 */
export * as PrivateKeyValueStore from "./PrivateKeyValueStore.js"
