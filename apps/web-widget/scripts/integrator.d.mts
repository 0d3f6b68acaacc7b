import type { SigningFailed } from "@bevatel/identity/IdentityError"
import type { Effect, Redacted, Scope } from "effect"

/** Where `vite build` wrote the widget. */
export declare const distDirectory: string

/** A strict Content-Security-Policy (`script-src 'self'`, no inline script or style, no eval) for a page using `installation`. */
export declare const strictCsp: (installation: string) => string

/** The widget settings the site's pages carry on their script tag. */
export interface WidgetSettings {
  readonly url: string
  readonly inbox: string
  readonly preChatForm?: boolean | undefined
  readonly locale?: string | undefined
  readonly color?: string | undefined
  readonly position?: "left" | "right" | undefined
  /** The largest attachment, in bytes (default 40 MB). */
  readonly maxFileSize?: number | undefined
}

/**
 * Serves a site embedding the widget (`/` and `/pricing`, with `widget`'s settings), the built widget, a sample
 * sign-in (`/signin?user=ID&name=…`, a session cookie) and `/signout`, and `/integrator/identity`, which signs the
 * session's user only (401 without a session, 403 when a request names an identifier); closes with the scope. With
 * `csp`, every answer carries that Content-Security-Policy.
 */
export declare const startIntegrator: (
  hmacToken: Redacted.Redacted,
  port?: number,
  options?: { readonly csp?: string | undefined; readonly widget?: WidgetSettings | undefined }
) => Effect.Effect<{ readonly url: string }, SigningFailed, Scope.Scope>
