import { Faults, LocalServer } from "@bevatel/local-server"
import { assert, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { runApp } from "./app.js"

const hmacToken = "doctor-hmac-token-000000"
const serverLayer = LocalServer.layer({
  pingInterval: "1 second",
  inboxes: [{ identifier: "doctor-inbox" }, { identifier: "verified-inbox", hmacToken: Redacted.make(hmacToken), hmacMandatory: true }]
})

const doctor = (env: Record<string, string>) =>
  Effect.gen(function*() {
    const app = yield* runApp(["doctor", "--timeout", "5000"], env)
    const code = yield* app.exit
    return { code, output: app.output(), errors: app.errors() }
  })

layer(serverLayer, { excludeTestServices: true })("bevatel-chat doctor", (it) => {
  it.scoped("passes every check on a healthy installation, identity included", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const anonymous = yield* doctor({ BEVATEL_URL: server.url, BEVATEL_INBOX_IDENTIFIER: "doctor-inbox" })
      assert.strictEqual(anonymous.code, 0, anonymous.output + anonymous.errors)
      for (const check of ["settings", "server", "inbox", "identity", "contact", "cable upgrade", "welcome", "subscription", "ping"]) {
        assert.include(anonymous.output, `✓ ${check}:`)
      }
      assert.include(anonymous.output, "All checks passed.")
      const signed = yield* doctor({
        BEVATEL_URL: server.url,
        BEVATEL_INBOX_IDENTIFIER: "verified-inbox",
        BEVATEL_IDENTIFIER: "user-1",
        BEVATEL_HMAC_TOKEN: hmacToken
      })
      assert.strictEqual(signed.code, 0, signed.output)
      assert.include(signed.output, "identifier user-1 signed")
      assert.notInclude(signed.output + signed.errors, hmacToken)
    }))

  it.scoped("behind a proxy that refuses WebSocket upgrades: fails at the cable upgrade, with the fix", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const faults = yield* Faults.Faults
      yield* faults.refuseUpgrades(404)
      const result = yield* doctor({ BEVATEL_URL: server.url, BEVATEL_INBOX_IDENTIFIER: "doctor-inbox" })
      assert.strictEqual(result.code, 1)
      assert.include(result.output, "✓ contact:")
      assert.match(result.output, /✗ cable upgrade: .*HTTP 404/)
      assert.include(result.output, "Upgrade and Connection headers")
      assert.include(result.output, "- welcome: skipped")
    }).pipe(Effect.ensuring(Effect.flatMap(Faults.Faults, (faults) => faults.reset))))

  it.scoped("a closed port, a wrong inbox, a wrong HMAC token: each fails at its step, with the fix", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const closed = yield* doctor({ BEVATEL_URL: "http://127.0.0.1:9", BEVATEL_INBOX_IDENTIFIER: "doctor-inbox" })
      assert.strictEqual(closed.code, 1)
      assert.match(closed.output, /✗ server: .*ECONNREFUSED/)
      assert.include(closed.output, "- inbox: skipped")

      const wrongInbox = yield* doctor({ BEVATEL_URL: server.url, BEVATEL_INBOX_IDENTIFIER: "no-such-inbox" })
      assert.strictEqual(wrongInbox.code, 1)
      assert.match(wrongInbox.output, /✗ inbox: no API inbox "no-such-inbox"/)

      const wrongToken = yield* doctor({
        BEVATEL_URL: server.url,
        BEVATEL_INBOX_IDENTIFIER: "verified-inbox",
        BEVATEL_IDENTIFIER: "user-1",
        BEVATEL_HMAC_TOKEN: "not-the-inbox-token"
      })
      assert.strictEqual(wrongToken.code, 1)
      assert.match(wrongToken.output, /✗ contact: the server refused the identifier_hash/)
      assert.notInclude(wrongToken.output + wrongToken.errors, "not-the-inbox-token")

      const unset = yield* doctor({})
      assert.strictEqual(unset.code, 1)
      assert.match(unset.output, /✗ settings: BEVATEL_URL and BEVATEL_INBOX_IDENTIFIER must both be set/)
    }))
})
