import { Cable } from "@bevatel/cable"
import { cableCases } from "@bevatel/golden"
import { breathe, fuzzBudget } from "@bevatel/golden/fuzz"
import { Faults, LocalServer } from "@bevatel/local-server"
import { NodeSocket } from "@effect/platform-node"
import { assert, layer } from "@effect/vitest"
import { Effect, FastCheck as fc, Layer } from "effect"
import { awaitState, collect, isMessage, newCustomer, next } from "./support.js"

// Hostile frames through a live cable: the golden frames (as the real server sends them) with their event data
// replaced at random, random JSON and random text, all on the customer's own subscription. The cable delivers what
// decodes (Undecodable included), counts what does not, never fails the subscription, and the next real event
// still arrives. A fixed seed and a bounded budget in CI; `pnpm fuzz` runs it for longer, on any seed.
const budget = fuzzBudget("cable client", 500)
const { seed } = budget
const golden = cableCases.map(({ json }) => json as { message: { event: string; data: unknown } })

layer(Layer.mergeAll(LocalServer.layer({ pingInterval: "500 millis" }), NodeSocket.layerWebSocketConstructor), { excludeTestServices: true })(
  "the cable under hostile frames (fast-check, fixed seed)",
  (it) => {
    it.scoped("mutated golden frames, random JSON and text: the subscription survives and the next real event arrives", () =>
      Effect.gen(function*() {
        const { conversation, server, token } = yield* newCustomer
        const faults = yield* Faults.Faults
        // Staleness is not under test: a long storm keeps this one process (server and client) too busy to read its
        // socket for two ping intervals at times, and a stale reconnect drops what the old socket still held.
        const cable = yield* Cable.make({ url: server.url, pingInterval: "500 millis", staleAfter: "60 seconds" })
        const { fiber, queue } = yield* collect(cable.events(token))
        yield* awaitState(cable, "Connected")
        const identifier = JSON.stringify({ channel: "RoomChannel", pubsub_token: token })
        const frames: Array<string> = []
        fc.assert(
          fc.property(
            fc.oneof(
              fc.record({ base: fc.constantFrom(...golden), data: fc.jsonValue({ maxDepth: 4 }) }).map(({ base, data }) =>
                JSON.stringify({ identifier, message: { event: base.message.event, data } })
              ),
              fc.record({ base: fc.constantFrom(...golden), key: fc.string({ maxLength: 12 }), value: fc.jsonValue({ maxDepth: 2 }) }).map(
                ({ base, key, value }) =>
                  JSON.stringify({ identifier, message: { event: base.message.event, data: { ...(base.message.data as object), [key]: value } } })
              ),
              fc.json({ maxDepth: 3 }),
              fc.string({ maxLength: 200 })
            ),
            (frame) => {
              frames.push(frame)
            }
          ),
          { seed, numRuns: budget.cases }
        )
        for (const [index, frame] of frames.entries()) {
          yield* faults.sendRaw(frame)
          if (index % 2_000 === 1_999) yield* Effect.promise(breathe)
        }
        // From the server's side: the customer's HTTP connection, idle through a long storm, is not what is tested.
        yield* server.agent.reply(conversation.id, "after the storm")
        let undecodable = 0
        yield* next(queue, (event) => {
          if (event._tag === "Undecodable") undecodable++
          return isMessage("after the storm")(event)
        })
        assert.isNull(fiber.unsafePoll(), "the subscription is still running")
        assert.strictEqual((yield* cable.currentState)._tag, "Connected")
        // Known events with data that does not fit were delivered as Undecodable, not dropped.
        assert.isAtLeast(undecodable, 1)
        budget.report({ cases: frames.length, undecodable })
      }), { timeout: budget.timeout(60_000) })
  }
)
