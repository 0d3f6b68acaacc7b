// examples/src/conversation-stream.ts — one conversation's lossless stream on Node, from the Client API up: a
// contact, a conversation, a message, and every event until an agent answers (reconnects are survived, and what
// was missed meanwhile is recovered over HTTP, once each).
// Run: BEVATEL_URL=https://chat.example.com BEVATEL_INBOX_IDENTIFIER=<inbox> node conversation-stream.js
import { Cable } from "@bevatel/cable"
import { ConversationStream } from "@bevatel/client"
import { ClientApi } from "@bevatel/http"
import { NodeHttpClient, NodeRuntime, NodeSocket } from "@effect/platform-node"
import { Config, Console, Effect, Layer, Stream } from "effect"

const url = Config.url("BEVATEL_URL")
const Bevatel = Layer.mergeAll(
  ClientApi.layerConfig({ baseUrl: url, inboxIdentifier: Config.nonEmptyString("BEVATEL_INBOX_IDENTIFIER") }),
  Cable.layerConfig({ url })
).pipe(
  Layer.provide(Layer.mergeAll(NodeHttpClient.layerUndici, NodeSocket.layerWebSocketConstructor))
)

const program = Effect.gen(function*() {
  const api = yield* ClientApi.ClientApi
  const contact = yield* api.contacts.create({ name: "Grace" })
  const conversation = yield* api.conversations.create(contact.source_id)
  const { message } = yield* api.messages.create(contact.source_id, conversation.id, { content: "Hi there" })
  yield* ConversationStream.make({
    sourceId: contact.source_id,
    pubsubToken: contact.pubsub_token,
    conversationId: conversation.id
  }).pipe(
    Stream.tap((event) =>
      event._tag === "MessageAdded"
        ? Console.log(`[${event.origin}] #${event.message.id} ${event.message.message_type}: ${event.message.content}`)
        : Console.log(`[${event._tag}]`)
    ),
    Stream.takeUntil((event) =>
      event._tag === "MessageAdded" && event.message.message_type === "outgoing" && event.message.id > message.id
    ),
    Stream.runDrain
  )
}).pipe(Effect.provide(Bevatel))

NodeRuntime.runMain(program)
