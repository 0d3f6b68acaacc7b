import { IdentifierHash, IdentitySigner } from "@bevatel/identity"
import { assert, describe, it } from "@effect/vitest"
import { Config, ConfigProvider, Effect, Layer, Redacted } from "effect"
import { createHmac } from "node:crypto"

describe("IdentifierHash", () => {
  it.effect("matches RFC 4231 test case 2 (HMAC-SHA256 of 'what do ya want for nothing?' keyed 'Jefe')", () =>
    Effect.gen(function*() {
      const hash = yield* IdentifierHash.sign(Redacted.make("Jefe"), "what do ya want for nothing?")
      assert.strictEqual(hash, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }))

  it.effect("matches Node's createHmac on identifiers of every kind", () =>
    Effect.gen(function*() {
      const token = "Xk3jW9pQrT5vYb2nLm8cDf4h"
      for (const identifier of ["user-42", "", "ünïcødé ✓", "a".repeat(1000), "42"]) {
        const expected = createHmac("sha256", token).update(identifier).digest("hex")
        assert.strictEqual(yield* IdentifierHash.sign(Redacted.make(token), identifier), expected)
      }
    }))

  it.effect("verifies the right hash and rejects a wrong, malformed or differently-keyed one", () =>
    Effect.gen(function*() {
      const token = Redacted.make("secret")
      const hash = yield* IdentifierHash.sign(token, "user-1")
      assert.isTrue(yield* IdentifierHash.verify(token, "user-1", hash))
      assert.isFalse(yield* IdentifierHash.verify(token, "user-2", hash))
      assert.isFalse(yield* IdentifierHash.verify(Redacted.make("other"), "user-1", hash))
      assert.isFalse(yield* IdentifierHash.verify(token, "user-1", "zz"))
      assert.isFalse(yield* IdentifierHash.verify(token, "user-1", hash.slice(0, 62)))
    }))
})

describe("IdentitySigner", () => {
  it.effect("signs with the token from BEVATEL_HMAC_TOKEN and never shows the token", () =>
    Effect.gen(function*() {
      const signer = yield* IdentitySigner.IdentitySigner
      const signed = yield* signer.sign("user-7")
      assert.strictEqual(signed.identifier_hash, createHmac("sha256", "from-env").update("user-7").digest("hex"))
      assert.isTrue(yield* signer.verify("user-7", signed.identifier_hash))
      assert.notInclude(JSON.stringify(signer), "from-env")
      assert.notInclude(String(Redacted.make("from-env")), "from-env")
    }).pipe(
      Effect.provide(
        IdentitySigner.layerConfig({ hmacToken: Config.redacted("BEVATEL_HMAC_TOKEN") }).pipe(
          Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["BEVATEL_HMAC_TOKEN", "from-env"]]))))
        )
      )
    ))

  it.effect("fails with a ConfigError naming the variable when the token is missing", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Effect.provide(
          IdentitySigner.IdentitySigner,
          IdentitySigner.layerConfig({ hmacToken: Config.redacted("BEVATEL_HMAC_TOKEN") }).pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map()))))
        )
      )
      assert.include(String(error), "BEVATEL_HMAC_TOKEN")
    }))
})
