import { LocalServer } from "@bevatel/local-server"
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { request } from "./support.js"

const minute = () => Math.floor(Date.now() / 60_000)

layer(LocalServer.layer({ throttle: { requestsPerMinute: 10 } }), { excludeTestServices: true })("the throttle", (it) => {
  describe("Rack::Attack req/ip", () => {
    it.effect("answers 429 text/plain \"Retry later\" without Retry-After past N requests in the minute", () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.LocalServer
        const url = `${server.url}/public/api/v1/inboxes/${server.inboxes[0]!.identifier}`
        // Twelve requests inside one fixed minute (tried again if the minute turned meanwhile).
        for (let attempt = 0; attempt < 3; attempt++) {
          while (Date.now() % 60_000 > 55_000) yield* Effect.sleep("1 second")
          const before = minute()
          const throttledBefore = yield* server.throttledRequests
          const answers = yield* Effect.forEach(Array.from({ length: 12 }), () => request(url))
          if (minute() !== before) continue
          const refused = answers.filter((a) => a.status === 429)
          assert.isAtLeast(refused.length, 2)
          assert.strictEqual(refused[0]!.text, "Retry later\n")
          assert.strictEqual(refused[0]!.headers.get("content-type")?.split(";")[0], "text/plain")
          assert.isNull(refused[0]!.headers.get("retry-after"))
          assert.strictEqual((yield* server.throttledRequests) - throttledBefore, refused.length)
          return
        }
        assert.fail("the minute kept turning")
      }))
  })
})
