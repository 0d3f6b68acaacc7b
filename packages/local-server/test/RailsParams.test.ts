// Form bodies and query strings as Rails reads them, from Rack's own examples (rack/test/spec_utils.rb,
// `Rack::Utils.parse_nested_query`) and as Chatwoot's controller specs send them (form-encoded, nested).
import { LocalServer } from "@bevatel/local-server"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect } from "effect"
import { railsParams } from "../src/internal/railsParams.js"
import { isEvent, nextFrame, openCable, request, subscribe } from "./support.js"

const parse = (query: string) => railsParams(new URLSearchParams(query))

describe("railsParams (Rack's parse_nested_query)", () => {
  it("nests bracketed names into hashes and arrays", () => {
    assert.deepStrictEqual(parse("foo=bar&baz=1"), { foo: "bar", baz: "1" })
    assert.deepStrictEqual(parse("x[y][z]=1"), { x: { y: { z: "1" } } })
    assert.deepStrictEqual(parse("x[]=1&x[]=2"), { x: ["1", "2"] })
    assert.deepStrictEqual(parse("x[][y]=1&x[][z]=2&x[][y]=3"), { x: [{ y: "1", z: "2" }, { y: "3" }] })
    assert.deepStrictEqual(parse("x[][y][z]=1&x[][y][w]=2"), { x: [{ y: { z: "1", w: "2" } }] })
    assert.deepStrictEqual(parse("x[y][][z]=1&x[y][][w]=a&x[y][][z]=2"), { x: { y: [{ z: "1", w: "a" }, { z: "2" }] } })
    assert.deepStrictEqual(parse("[a]=1&x[=2"), { "[a]": "1", "x[": "2" })
  })

  it("refuses what Rack refuses: a name nested against an earlier one, and nesting deeper than 32", () => {
    assert.isUndefined(parse("x=1&x[y]=2"))
    assert.isUndefined(parse("x[y]=1&x[]=2"))
    assert.isUndefined(parse("x[]=1&x[y]=2"))
    assert.isUndefined(parse(`x${"[a]".repeat(40)}=1`))
    assert.isDefined(parse(`x${"[a]".repeat(30)}=1`))
  })

  it("keeps __proto__ as a plain key: nothing reaches a prototype", () => {
    const params = parse("__proto__[polluted]=yes&x[__proto__][polluted]=yes")!
    assert.deepStrictEqual(Object.keys(params), ["__proto__", "x"])
    assert.isUndefined(({} as Record<string, unknown>).polluted)
    assert.strictEqual(Object.getPrototypeOf(params.x), Object.prototype)
  })
})

/** A form-encoded request, as a Rails controller spec's `post … params:` sends it. */
const form = (url: string, method: string, body: string) =>
  Effect.promise(async () => {
    const response = await fetch(url, { method, headers: { "content-type": "application/x-www-form-urlencoded" }, body })
    const text = await response.text()
    return { status: response.status, json: text === "" ? undefined : JSON.parse(text) as any }
  })

layer(LocalServer.layer(), { excludeTestServices: true })("form-encoded requests, as Chatwoot's controller specs send them", (it) => {
  it.scoped("conversation create: custom_attributes[test]=test is stored as a hash (the cable's conversation.created carries it)", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const base = `${server.url}/public/api/v1/inboxes/${server.inboxes[0]!.identifier}`
      const contact = (yield* request(`${base}/contacts`, { method: "POST", body: { name: "Form" } })).json
      const cable = yield* openCable(server.cableUrl)
      yield* subscribe(cable, contact.pubsub_token)
      const created = yield* form(`${base}/contacts/${contact.source_id}/conversations`, "POST", "custom_attributes[test]=test")
      assert.strictEqual(created.status, 200)
      const event = yield* nextFrame(cable, isEvent("conversation.created"))
      assert.deepStrictEqual(event.message.data.custom_attributes, { test: "test" })
    }))

  it.scoped("message update: submitted_values[][title]=test lands in content_attributes as an array of hashes", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const base = `${server.url}/public/api/v1/inboxes/${server.inboxes[0]!.identifier}`
      const contact = (yield* request(`${base}/contacts`, { method: "POST", body: { name: "Form" } })).json
      const conversation = (yield* request(`${base}/contacts/${contact.source_id}/conversations`, { method: "POST", body: {} })).json
      const question = yield* server.agent.reply(conversation.id, "Pick one", {
        contentType: "input_select",
        contentAttributes: { items: [{ title: "test", value: "test" }] }
      })
      const url = `${base}/contacts/${contact.source_id}/conversations/${conversation.id}/messages/${question.id}`
      const updated = yield* form(url, "PATCH", "submitted_values[][title]=test&submitted_values[][value]=test")
      assert.strictEqual(updated.status, 200)
      assert.deepStrictEqual(updated.json.content_attributes.submitted_values, [{ title: "test", value: "test" }])
      const contradicting = yield* form(url, "PATCH", "submitted_values=x&submitted_values[][title]=test")
      assert.strictEqual(contradicting.status, 400)
    }))

  it.scoped("message update permits what the controller permits: a numeric value kept, anything else dropped, nothing left a no-op", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.LocalServer
      const base = `${server.url}/public/api/v1/inboxes/${server.inboxes[0]!.identifier}`
      const contact = (yield* request(`${base}/contacts`, { method: "POST", body: { name: "Permit" } })).json
      const conversation = (yield* request(`${base}/contacts/${contact.source_id}/conversations`, { method: "POST", body: {} })).json
      const question = yield* server.agent.reply(conversation.id, "How many?", { contentType: "input_text" })
      const url = `${base}/contacts/${contact.source_id}/conversations/${conversation.id}/messages/${question.id}`
      const numeric = yield* request(url, { method: "PATCH", body: { submitted_values: [{ name: "count", value: 5, extra: "x" }, "stray"] } })
      assert.strictEqual(numeric.status, 200)
      assert.deepStrictEqual(numeric.json.content_attributes.submitted_values, [{ name: "count", value: 5 }])
      for (const body of [{}, { submitted_values: "x" }, { content: "not permitted here" }]) {
        const unchanged = yield* request(url, { method: "PATCH", body })
        assert.strictEqual(unchanged.status, 200, JSON.stringify(body))
        assert.deepStrictEqual(unchanged.json.content_attributes.submitted_values, [{ name: "count", value: 5 }])
      }
    }))
})
