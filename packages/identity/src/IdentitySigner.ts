/**
 * The integrator-side signer: holds the inbox HMAC token (as `Redacted`) and signs customer identifiers.
 * Use it on your server only — in the endpoint that hands a signed-in user's `identifier_hash` to your chat UI.
 *
 * **Sign only the user your own system authenticated** (your session, your database, your pipeline's own records),
 * never an identifier a request or an end user chose: with identity validation on, the hash is the only proof of
 * who the customer is, so an endpoint that signs what it is sent is a signing oracle — anyone could fetch a hash
 * for any user and open that user's conversations. The same holds for every signer in the SDK (the chat app's
 * `BEVATEL_IDENTIFIER`, the bridge's stdin `customer`, the cluster's `BridgeClient.follow`).
 *
 * @since 0.1.0
 */
import type { Identifiers } from "@bevatel/schema"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import * as IdentifierHash from "./IdentifierHash.js"
import type { SigningFailed } from "./IdentityError.js"

/**
 * An identifier with its hash, ready to send as `identifier` + `identifier_hash`.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignedIdentifier {
  readonly identifier: string
  readonly identifier_hash: Identifiers.IdentifierHash
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Signs `identifier`: pass only the id of a user your own system authenticated, never one a request names. */
  readonly sign: (identifier: string) => Effect.Effect<SignedIdentifier, SigningFailed>
  /** Constant-time check of a hash someone presents for an identifier. */
  readonly verify: (identifier: string, hash: string) => Effect.Effect<boolean, SigningFailed>
}

/**
 * The signer service: signs and verifies customer identifiers with the inbox's HMAC token.
 *
 * @example
 * ```ts
 * import { IdentitySigner } from "@bevatel/identity"
 * import { Effect } from "effect"
 *
 * // `userId`: whoever your own sign-in authenticated, never an id a request names.
 * const identityOf = (userId: string) => Effect.flatMap(IdentitySigner.IdentitySigner, (signer) => signer.sign(userId))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class IdentitySigner extends Context.Tag("@bevatel/identity/IdentitySigner")<IdentitySigner, Service>() {}

/**
 * Imports the token once and signs with it.
 *
 * @example
 * ```ts
 * import { IdentitySigner } from "@bevatel/identity"
 * import { Effect, Redacted } from "effect"
 *
 * const signed = Effect.flatMap(
 *   IdentitySigner.make({ hmacToken: Redacted.make("the inbox's hmac token") }),
 *   (signer) => signer.sign("user-42")
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: { readonly hmacToken: Redacted.Redacted }): Effect.Effect<Service, SigningFailed> =>
  Effect.map(IdentifierHash.importKey(options.hmacToken), (key) =>
    IdentitySigner.of({
      sign: (identifier) =>
        IdentifierHash.signWithKey(key, identifier).pipe(
          Effect.map((identifier_hash) => ({ identifier, identifier_hash })),
          Effect.withSpan("IdentitySigner.sign")
        ),
      verify: (identifier, hash) => IdentifierHash.verifyWithKey(key, identifier, hash)
    }))

/**
 * The signer as a layer, from the token you pass.
 *
 * @example
 * ```ts
 * import { IdentitySigner } from "@bevatel/identity"
 * import { Redacted } from "effect"
 *
 * const Signer = IdentitySigner.layer({ hmacToken: Redacted.make("the inbox's hmac token") })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: { readonly hmacToken: Redacted.Redacted }): Layer.Layer<IdentitySigner, SigningFailed> =>
  Layer.effect(IdentitySigner, make(options))

/**
 * The signer, its token read from your `Config` (keep it `Config.redacted`, so that it never reaches a log).
 *
 * @example
 * ```ts
 * import { IdentitySigner } from "@bevatel/identity"
 * import { Config } from "effect"
 *
 * const Signer = IdentitySigner.layerConfig({ hmacToken: Config.redacted("BEVATEL_HMAC_TOKEN") })
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<{ readonly hmacToken: Redacted.Redacted }>
): Layer.Layer<IdentitySigner, SigningFailed | ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(Config.unwrap(config), layer))
