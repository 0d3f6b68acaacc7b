/**
 * Which Bevatel installation the app talks to: a real one from the environment (`BEVATEL_URL`,
 * `BEVATEL_INBOX_IDENTIFIER`, optional `BEVATEL_IDENTIFIER` + `BEVATEL_HMAC_TOKEN`), or — with no settings — a local
 * server started in-process with an auto-replying agent.
 */
import { Cable } from "@bevatel/cable"
import { CheckpointStore } from "@bevatel/client"
import { ClientApi, RequestBudget } from "@bevatel/http"
import { CustomerSession } from "@bevatel/client"
import { CustomerStore, type IdentityError, IdentitySigner, PrivateKeyValueStore } from "@bevatel/identity"
import { LocalServer } from "@bevatel/local-server"
import { NodeContext, NodeHttpClient } from "@effect/platform-node"
import type { HttpServerError } from "@effect/platform"
import { Config, type ConfigError, Effect, Layer, Option, type Redacted, type Scope } from "effect"
import * as NodeWebSocket from "./NodeWebSocket.js"

/** The inbox of the embedded server keeps one identifier, so a customer stored by an earlier run is looked up. */
const embeddedInbox = "bevatel-demo-inbox"

interface Settings {
  /** Whether the app runs its own local server. */
  readonly embedded: boolean
  readonly baseUrl: string
  readonly inboxIdentifier: string
  readonly identity: CustomerSession.Identity | undefined
  /** `BEVATEL_HMAC_TOKEN`, to sign the identifiers of the bridge's customers; never printed. */
  readonly hmacToken: Option.Option<Redacted.Redacted>
}

export class Installation extends Effect.Service<Installation>()("bevatel-chat/Installation", {
  scoped: Effect.gen(function*(): Effect.fn.Return<Settings, Error | ConfigError.ConfigError | IdentityError.SigningFailed | HttpServerError.ServeError, Scope.Scope> {
    const url = yield* Config.option(Config.url("BEVATEL_URL"))
    if (Option.isNone(url)) {
      const server = yield* LocalServer.make({
        inboxes: [{ identifier: embeddedInbox }],
        autoReply: {
          reply: (content) => `Thanks for your message${content ? ` ("${content}")` : ""}! This is the embedded demo agent.`
        }
      })
      return { embedded: true, baseUrl: server.url, inboxIdentifier: embeddedInbox, identity: undefined, hmacToken: Option.none() }
    }
    const inboxIdentifier = yield* Config.nonEmptyString("BEVATEL_INBOX_IDENTIFIER")
    const identifier = yield* Config.option(Config.nonEmptyString("BEVATEL_IDENTIFIER"))
    const hmacToken = yield* Config.option(Config.redacted("BEVATEL_HMAC_TOKEN"))
    if (Option.isSome(identifier) && Option.isNone(hmacToken)) {
      return yield* Effect.fail(new Error("BEVATEL_IDENTIFIER needs BEVATEL_HMAC_TOKEN to sign it"))
    }
    // The app signs the identifier as an integrator's server would; the token stays Redacted and is never printed.
    const identity: CustomerSession.Identity | undefined = Option.isSome(identifier) && Option.isSome(hmacToken)
      ? yield* Effect.map(
        Effect.flatMap(IdentitySigner.make({ hmacToken: hmacToken.value }), (signer) => signer.sign(identifier.value)),
        (signed): CustomerSession.Identity => ({ identifier: signed.identifier, identifierHash: signed.identifier_hash })
      )
      : undefined
    return { embedded: false, baseUrl: url.value.toString(), inboxIdentifier, identity, hmacToken }
  })
}) {}

/**
 * The SDK's services for the chosen installation, on Node's platform layers; the customer and the pipe's
 * checkpoints are stored in `stateDir`. With `requestsPerMinute`, every request takes a permit of one budget.
 */
export const layer = (
  stateDir: string,
  options: {
    readonly requestsPerMinute?: number | undefined
    /** Send `update_presence` for every customer (the default); a bridge turns it off. */
    readonly presence?: boolean | undefined
    /** Keep each cable event as it came (`pipe` and `bridge` write live events as the server sent them). */
    readonly keepWire?: boolean | undefined
  } = {}
) =>
  Layer.unwrapEffect(
    Effect.map(Installation, (installation) =>
      Layer.mergeAll(
        ClientApi.layer({ baseUrl: installation.baseUrl, inboxIdentifier: installation.inboxIdentifier }).pipe(
          Layer.provide(
            options.requestsPerMinute === undefined ? Layer.empty : RequestBudget.layer({ requestsPerMinute: options.requestsPerMinute })
          )
        ),
        Cable.layer({
          url: installation.baseUrl,
          keepWire: options.keepWire,
          ...(options.presence === false ? { presenceInterval: false } : {})
        }),
        CustomerStore.layer,
        CheckpointStore.layer
      ).pipe(
        Layer.provideMerge(
          Layer.mergeAll(
            NodeHttpClient.layerUndici,
            NodeWebSocket.layerWebSocketConstructor,
            // Credentials at rest: a 0700 folder of 0600 files, written atomically.
            PrivateKeyValueStore.layerFileSystem(stateDir).pipe(Layer.provide(NodeContext.layer))
          )
        )
      ))
  ).pipe(Layer.provideMerge(Installation.Default))
