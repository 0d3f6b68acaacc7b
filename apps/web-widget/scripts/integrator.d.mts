import type { SigningFailed } from "@bevatel/identity/IdentityError"
import type { Effect, Redacted, Scope } from "effect"

/** Where `vite build` wrote the widget. */
export declare const distDirectory: string

/** A strict Content-Security-Policy (`script-src 'self'`, no inline script, no eval) for a page using `installation`. */
export declare const strictCsp: (installation: string) => string

/**
 * Serves the built widget and signs identifiers at `/integrator/identity`; closes with the scope. With `csp`, every
 * file is served with that Content-Security-Policy.
 */
export declare const startIntegrator: (
  hmacToken: Redacted.Redacted,
  port?: number,
  options?: { readonly csp?: string | undefined }
) => Effect.Effect<{ readonly url: string }, SigningFailed, Scope.Scope>
