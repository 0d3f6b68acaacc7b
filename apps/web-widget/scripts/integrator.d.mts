import type { SigningFailed } from "@bevatel/identity/IdentityError"
import type { Effect, Redacted, Scope } from "effect"

/** Where `vite build` wrote the widget. */
export declare const distDirectory: string

/** Serves the built widget and signs identifiers at `/integrator/identity`; closes with the scope. */
export declare const startIntegrator: (
  hmacToken: Redacted.Redacted,
  port?: number
) => Effect.Effect<{ readonly url: string }, SigningFailed, Scope.Scope>
