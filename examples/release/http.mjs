// @bevatel/http alone: a customer, a conversation and a message, at BEVATEL_URL / BEVATEL_INBOX_IDENTIFIER.
import { ClientApi } from "@bevatel/http"
import { FetchHttpClient } from "@effect/platform"
import { Config, Effect } from "effect"

const program = Effect.gen(function*() {
  const api = yield* ClientApi.ClientApi
  const contact = yield* api.contacts.create({ name: "Release rehearsal" })
  const conversation = yield* api.conversations.create(contact.source_id)
  const sent = yield* api.messages.create(contact.source_id, conversation.id, { content: "hello from the registry" })
  console.log(`sent: ${sent.message.content}`)
}).pipe(
  Effect.provide(ClientApi.layerConfig({
    baseUrl: Config.url("BEVATEL_URL"),
    inboxIdentifier: Config.nonEmptyString("BEVATEL_INBOX_IDENTIFIER")
  })),
  Effect.provide(FetchHttpClient.layer)
)

Effect.runPromise(program).catch((error) => {
  console.error(String(error))
  process.exit(1)
})
