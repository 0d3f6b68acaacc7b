// @bevatel/identity alone: sign an identifier on the integrator's server.
import { IdentitySigner } from "@bevatel/identity"
import { Effect, Redacted } from "effect"

const program = Effect.gen(function*() {
  const signer = yield* IdentitySigner.make({ hmacToken: Redacted.make("rehearsal-hmac-token") })
  const signed = yield* signer.sign("user-42")
  console.log(`identifier_hash: ${signed.identifier_hash}`)
})
Effect.runPromise(program)
