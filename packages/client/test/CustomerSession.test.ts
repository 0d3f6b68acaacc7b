import { ClientApi } from "@bevatel/http"
import { CustomerSession } from "@bevatel/client"
import { CustomerStore, IdentitySigner } from "@bevatel/identity"
import { LocalServer } from "@bevatel/local-server"
import { FetchHttpClient } from "@effect/platform"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer, Option, Redacted } from "effect"

const hmacToken = Redacted.make("session-test-token")

const serverLayer = LocalServer.layer({ inboxes: [{}, { hmacToken, hmacMandatory: true }] })
const apiFor = (inbox: number) =>
  Layer.unwrapEffect(
    Effect.map(LocalServer.LocalServer, (server) =>
      ClientApi.layer({ baseUrl: server.url, inboxIdentifier: server.inboxes[inbox]!.identifier }))
  )
const base = Layer.mergeAll(serverLayer, FetchHttpClient.layer, CustomerStore.layerMemory, IdentitySigner.layer({ hmacToken }))

layer(base, { excludeTestServices: true })("CustomerSession.restoreOrCreate", (it) => {
  describe("anonymous customers", () => {
    it.effect("creates a customer on the first visit and restores the same one on the next", () =>
      Effect.gen(function*() {
        const first = yield* CustomerSession.restoreOrCreate({ contact: { name: "Visitor" } })
        const second = yield* CustomerSession.restoreOrCreate()
        assert.deepStrictEqual([first.origin, second.origin], ["created", "restored"])
        assert.strictEqual(second.session.source_id, first.session.source_id)
        assert.strictEqual(second.session.name, "Visitor")
        const stored = yield* Effect.flatMap(CustomerStore.CustomerStore, (s) => s.get(first.stored.inbox_identifier))
        assert.strictEqual(Option.getOrThrow(stored).pubsub_token, first.session.pubsub_token)
      }).pipe(Effect.provide(apiFor(0))))

    it.effect("creates the customer again when the server forgot the stored one", () =>
      Effect.gen(function*() {
        const store = yield* CustomerStore.CustomerStore
        const api = yield* ClientApi.ClientApi
        yield* store.set({ inbox_identifier: api.inboxIdentifier, source_id: "forgotten", pubsub_token: "gone" } as never)
        const customer = yield* CustomerSession.restoreOrCreate()
        assert.strictEqual(customer.origin, "created")
        assert.notStrictEqual(customer.session.source_id, "forgotten")
        assert.strictEqual(Option.getOrThrow(yield* store.get(api.inboxIdentifier)).source_id, customer.session.source_id)
      }).pipe(Effect.provide(apiFor(0))))
  })

  describe("identified customers", () => {
    it.effect("signs the identifier, creates, verifies, and restores only for the same user", () =>
      Effect.gen(function*() {
        const signer = yield* IdentitySigner.IdentitySigner
        const store = yield* CustomerStore.CustomerStore
        const api = yield* ClientApi.ClientApi
        yield* store.remove(api.inboxIdentifier)
        const identityOf = (identifier: string) => ({
          identifier,
          identifierHash: Effect.map(signer.sign(identifier), (signed) => signed.identifier_hash)
        })
        const alice = yield* CustomerSession.restoreOrCreate({ identity: identityOf("alice") })
        const aliceAgain = yield* CustomerSession.restoreOrCreate({ identity: identityOf("alice") })
        const bob = yield* CustomerSession.restoreOrCreate({ identity: identityOf("bob") })
        assert.deepStrictEqual([alice.origin, aliceAgain.origin, bob.origin], ["created", "restored", "created"])
        assert.strictEqual(aliceAgain.session.source_id, alice.session.source_id)
        assert.notStrictEqual(bob.session.source_id, alice.session.source_id)
        // Verified sessions see all of the contact's conversations: a second session of alice sees the first's.
        const conversation = yield* api.conversations.create(alice.session.source_id)
        yield* store.remove(api.inboxIdentifier)
        const aliceElsewhere = yield* CustomerSession.restoreOrCreate({ identity: identityOf("alice") })
        const visible = yield* api.conversations.list(aliceElsewhere.session.source_id)
        assert.include(visible.map((c) => c.id), conversation.id)
      }).pipe(Effect.provide(apiFor(1))))

    it.effect("fails with IdentityRejected for a wrong hash on an inbox that enforces identity", () =>
      Effect.gen(function*() {
        const store = yield* CustomerStore.CustomerStore
        const api = yield* ClientApi.ClientApi
        yield* store.remove(api.inboxIdentifier)
        const error = yield* Effect.flip(
          CustomerSession.restoreOrCreate({ identity: { identifier: "mallory", identifierHash: "0".repeat(64) as never } })
        )
        assert.strictEqual(error._tag, "IdentityRejected")
      }).pipe(Effect.provide(apiFor(1))))
  })

  describe("CustomerSession.createIdentified", () => {
    it.effect("a contact per identifier, signed and verified on an inbox that demands it", () =>
      Effect.gen(function*() {
        const first = yield* CustomerSession.createIdentified("bridge-user-1")
        const second = yield* CustomerSession.createIdentified("bridge-user-2", { name: "Second" })
        assert.notStrictEqual(first.source_id, second.source_id)
        assert.strictEqual(first.name, "bridge-user-1")
        assert.strictEqual(second.name, "Second")
        // Its session reads back with the identifier's hash, as the server checks it.
        const signed = yield* Effect.flatMap(IdentitySigner.IdentitySigner, (signer) => signer.sign("bridge-user-1"))
        const api = yield* ClientApi.ClientApi
        assert.strictEqual((yield* api.contacts.get(first.source_id, signed)).source_id, first.source_id)
      }).pipe(Effect.provide(apiFor(1))))
  })
})
