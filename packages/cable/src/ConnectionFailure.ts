/**
 * Why a connection attempt ended, typed, with what a person needs to fix it: the cable's URL (it holds no
 * secret: the `pubsub_token` travels in the subscribe command), the HTTP status of a refused upgrade, the error
 * code of an unreachable host, a TLS failure, a close code, silence.
 *
 * @since 0.2.0
 */
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"

/**
 * - `UpgradeRefused`: the server answered the WebSocket upgrade with an HTTP `status` instead of `101`.
 * - `Unreachable`: no connection at all (`code`: `ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT`, …).
 * - `TlsFailed`: the TLS handshake failed (a certificate, or TLS spoken to a plain port).
 * - `SocketError`: the socket failed for a reason the platform does not tell (browsers never say more).
 * - `Closed`: the socket closed (`1006`: dropped without a close frame).
 * - `NoWelcome`: the socket opened but the server never said `welcome`: not an ActionCable endpoint.
 * - `Stale`: no frame (not even a ping) for `silentFor`.
 * - `ServerAsked`: the server sent `disconnect` with `reconnect: true` (e.g. `server_restart`).
 * - `SubscriptionUnconfirmed`: a subscription was not confirmed in time; retried on a fresh socket.
 *
 * @since 0.2.0
 * @category models
 */
export type ConnectionFailure = Data.TaggedEnum<{
  UpgradeRefused: { readonly url: string; readonly status: number }
  Unreachable: { readonly url: string; readonly code: string; readonly description: string }
  TlsFailed: { readonly url: string; readonly description: string }
  SocketError: { readonly url: string; readonly description: string }
  Closed: { readonly code: number }
  NoWelcome: { readonly url: string; readonly waited: Duration.Duration }
  Stale: { readonly silentFor: Duration.Duration }
  ServerAsked: { readonly reason: string }
  SubscriptionUnconfirmed: {}
}>

/**
 * Constructors and `$is`/`$match` for {@link ConnectionFailure}.
 *
 * @example
 * ```ts
 * import { ConnectionFailure } from "@bevatel/cable"
 *
 * const refused = ConnectionFailure.ConnectionFailure.UpgradeRefused({ url: "wss://chat.example.com/cable", status: 404 })
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const ConnectionFailure = Data.taggedEnum<ConnectionFailure>()

const unreachableHints: Record<string, string> = {
  ECONNREFUSED: "nothing accepts connections there: is the server running, and is the port right?",
  ENOTFOUND: "the host name does not resolve: check the installation URL",
  EAI_AGAIN: "the host name could not be resolved right now (DNS)",
  ETIMEDOUT: "the host did not answer: a firewall, or the wrong address",
  ECONNRESET: "the connection was reset while opening",
  EHOSTUNREACH: "the host is unreachable from here"
}

/**
 * What happened, in a sentence, with the likely fix where one is known.
 *
 * @since 0.2.0
 * @category formatting
 */
export const describe: (failure: ConnectionFailure) => string = ConnectionFailure.$match({
  UpgradeRefused: ({ status, url }) =>
    `${url} answered the WebSocket upgrade with HTTP ${status}` +
    (status === 400 || status === 404 || status === 426
      ? ". If the Client API works over HTTP, a proxy in front of the server is not forwarding WebSocket upgrades: " +
        "it must pass /cable with the Upgrade and Connection headers (nginx: proxy_http_version 1.1; " +
        "proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection \"upgrade\")"
      : status === 401 || status === 403
      ? ". Something in front of the server refuses the connection (an authenticating proxy, or an origin check)"
      : status >= 500
      ? ". The server or a proxy failed; it may be restarting"
      : ""),
  Unreachable: ({ code, description, url }) =>
    `cannot connect to ${url} (${code}): ${unreachableHints[code] ?? description}`,
  TlsFailed: ({ description, url }) =>
    `the TLS handshake with ${url} failed: ${description}. Check the certificate, and that wss:// (https) is ` +
    `served on that port`,
  SocketError: ({ description, url }) => `the WebSocket to ${url} failed: ${description}`,
  Closed: ({ code }) => `socket closed with code ${code}${code === 1006 ? " (dropped without a close frame)" : ""}`,
  NoWelcome: ({ url, waited }) =>
    `${url} accepted the WebSocket but sent no ActionCable welcome within ${Duration.format(waited)}: is this the ` +
    `installation's /cable endpoint?`,
  Stale: ({ silentFor }) => `stale: no frame for ${Duration.toMillis(silentFor)} ms`,
  ServerAsked: ({ reason }) => `server asked to reconnect (${reason})`,
  SubscriptionUnconfirmed: () => "subscription not confirmed in time"
})

/**
 * A key that changes when the cause changes (not when only timings do): logs report a cause once, then its changes.
 *
 * @since 0.2.0
 * @category formatting
 */
export const kind = (failure: ConnectionFailure): string => {
  switch (failure._tag) {
    case "UpgradeRefused":
      return `UpgradeRefused:${failure.status}`
    case "Unreachable":
      return `Unreachable:${failure.code}`
    case "Closed":
      return `Closed:${failure.code}`
    default:
      return failure._tag
  }
}

/**
 * Reads a socket error's cause (Node's `ws` says the status or the error code in its message) as a failure.
 *
 * @example
 * ```ts
 * import { ConnectionFailure } from "@bevatel/cable"
 *
 * const failure = ConnectionFailure.fromSocketError("wss://chat.example.com/cable", { reason: "Close", code: 1006 })
 * console.log(failure._tag) // "Closed"
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const fromSocketError = (url: string, error: { readonly reason: string; readonly cause?: unknown; readonly code?: number }): ConnectionFailure => {
  if (error.reason === "Close" && typeof error.code === "number") return ConnectionFailure.Closed({ code: error.code })
  const cause = error.cause as { readonly message?: unknown; readonly error?: { readonly code?: unknown } } | undefined
  const message = typeof cause?.message === "string" ? cause.message.trim() : ""
  const status = /Unexpected server response: (\d{3})/.exec(message)
  if (status) return ConnectionFailure.UpgradeRefused({ url, status: Number(status[1]) })
  if (/SSL|TLS|certificate|EPROTO/i.test(message)) {
    return ConnectionFailure.TlsFailed({ url, description: message.split("\n")[0]!.slice(0, 200) })
  }
  const code = typeof cause?.error?.code === "string" ? cause.error.code : /\b(E[A-Z_]{3,})\b/.exec(message)?.[1]
  if (code) return ConnectionFailure.Unreachable({ url, code, description: message.slice(0, 200) })
  return ConnectionFailure.SocketError({
    url,
    description: message === "" ? `${error.reason} (the platform gives no detail; browsers never do)` : message.slice(0, 200)
  })
}
