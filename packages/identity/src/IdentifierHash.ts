/**
 * `identifier_hash = hex(HMAC-SHA256(key = inbox HMAC token, data = identifier))`, with WebCrypto, so it runs in
 * Node ≥ 20, Deno, Bun, workers and browsers alike. Compute it where the token lives: on your server.
 *
 * @since 0.1.0
 */
import { Identifiers } from "@bevatel/schema"
import * as Effect from "effect/Effect"
import * as Encoding from "effect/Encoding"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import { SigningFailed } from "./IdentityError.js"

const encoder = new TextEncoder()

const subtle = Effect.suspend(() =>
  typeof globalThis.crypto?.subtle?.importKey === "function"
    ? Effect.succeed(globalThis.crypto.subtle)
    : Effect.fail(
      new SigningFailed({ reason: "CryptoUnavailable", description: "globalThis.crypto.subtle (WebCrypto) is not available" })
    )
)

/**
 * Imports an HMAC token as a WebCrypto key that can sign and verify. The token is unwrapped here and nowhere else.
 *
 * @since 0.1.0
 * @category keys
 */
export const importKey = (hmacToken: Redacted.Redacted): Effect.Effect<CryptoKey, SigningFailed> =>
  Effect.flatMap(subtle, (crypto) =>
    Effect.tryPromise({
      try: () =>
        crypto.importKey(
          "raw",
          encoder.encode(Redacted.value(hmacToken)),
          { name: "HMAC", hash: "SHA-256" },
          false,
          ["sign", "verify"]
        ),
      catch: () => new SigningFailed({ reason: "CryptoFailure", description: "the HMAC token could not be imported as a key" })
    }))

/**
 * Signs an identifier with an imported key.
 *
 * @since 0.1.0
 * @category signing
 */
export const signWithKey = (key: CryptoKey, identifier: string): Effect.Effect<Identifiers.IdentifierHash, SigningFailed> =>
  Effect.flatMap(subtle, (crypto) =>
    Effect.tryPromise({
      try: () => crypto.sign("HMAC", key, encoder.encode(identifier)),
      catch: () => new SigningFailed({ reason: "CryptoFailure", description: "HMAC signing failed" })
    })).pipe(Effect.map((signature) => Identifiers.IdentifierHash.make(Encoding.encodeHex(new Uint8Array(signature)))))

/**
 * Verifies a hash in constant time (`crypto.subtle.verify`). A malformed hash verifies as `false`.
 *
 * @since 0.1.0
 * @category signing
 */
export const verifyWithKey = (key: CryptoKey, identifier: string, hash: string): Effect.Effect<boolean, SigningFailed> =>
  Either.match(Encoding.decodeHex(hash), {
    onLeft: () => Effect.succeed(false),
    onRight: (signature) =>
      hash.length !== 64
        ? Effect.succeed(false)
        : Effect.flatMap(subtle, (crypto) =>
          Effect.tryPromise({
            try: () => crypto.verify("HMAC", key, signature as Uint8Array<ArrayBuffer>, encoder.encode(identifier)),
            catch: () => new SigningFailed({ reason: "CryptoFailure", description: "HMAC verification failed" })
          }))
  })

/**
 * Computes the `identifier_hash` of an identifier.
 *
 * @example
 * ```ts
 * import { IdentifierHash } from "@bevatel/identity"
 * import { Effect, Redacted } from "effect"
 *
 * const hash = IdentifierHash.sign(Redacted.make(process.env.BEVATEL_HMAC_TOKEN!), "user-42")
 * ```
 *
 * @since 0.1.0
 * @category signing
 */
export const sign = (hmacToken: Redacted.Redacted, identifier: string): Effect.Effect<Identifiers.IdentifierHash, SigningFailed> =>
  Effect.flatMap(importKey(hmacToken), (key) => signWithKey(key, identifier))

/**
 * Verifies an `identifier_hash` in constant time.
 *
 * @since 0.1.0
 * @category signing
 */
export const verify = (hmacToken: Redacted.Redacted, identifier: string, hash: string): Effect.Effect<boolean, SigningFailed> =>
  Effect.flatMap(importKey(hmacToken), (key) => verifyWithKey(key, identifier, hash))
