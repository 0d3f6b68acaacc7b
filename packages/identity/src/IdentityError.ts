/**
 * Errors of customer identity.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Signing or verifying an identifier failed: WebCrypto is missing (Node < 20, an insecure browser context) or
 * refused the key. Never carries the token.
 *
 * @since 0.1.0
 * @category errors
 */
export class SigningFailed extends Schema.TaggedError<SigningFailed>("@bevatel/identity/IdentityError/SigningFailed")(
  "SigningFailed",
  { reason: Schema.Literal("CryptoUnavailable", "CryptoFailure", "InvalidIdentifier"), description: Schema.String }
) {
  /**
   * @since 0.1.0
   */
  override get message() {
    return `Could not sign the customer identifier (${this.reason}): ${this.description}`
  }
}

/**
 * The customer store could not be read or written.
 *
 * @since 0.1.0
 * @category errors
 */
export class CustomerStoreError extends Schema.TaggedError<CustomerStoreError>(
  "@bevatel/identity/IdentityError/CustomerStoreError"
)("CustomerStoreError", {
  operation: Schema.Literal("get", "set", "remove"),
  description: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {
  /**
   * @since 0.1.0
   */
  override get message() {
    return `The customer store failed to ${this.operation}: ${this.description}`
  }
}
