// Decodes a frame as it arrives on /cable, then the event it carries, and prints what a pipeline would see.
// Run with `npx -y pnpm@10.34.9 demo` (builds first) or `node examples/decode-frame.mjs` after a build.
import { CableEvent, CableFrame } from "@bevatel/schema"
import { Either, ParseResult, Schema } from "effect"

const identifier = JSON.stringify({ channel: "RoomChannel", pubsub_token: "Qm7vXc2PnR8sTy4wZa6bKd9e" })
const frames = [
  JSON.stringify({ type: "welcome" }),
  JSON.stringify({ type: "ping", message: 1770976800 }),
  JSON.stringify({ identifier, type: "confirm_subscription" }),
  JSON.stringify({
    identifier,
    message: {
      event: "message.created",
      data: {
        id: 101, content: "Hello, how can I help?", account_id: 1, inbox_id: 2, conversation_id: 3,
        message_type: 1, created_at: 1770976800, private: false, status: "sent", content_type: "text",
        content_attributes: {}, sender: { id: 7, name: "Grace", type: "user" }
      }
    }
  }),
  JSON.stringify({ identifier, message: { event: "copilot.thinking", data: { step: 1 } } }),
  "{\"type\":\"ping\",\"message\":"
]

for (const text of frames) {
  const frame = Schema.decodeUnknownEither(CableFrame.ServerFrameFromJson)(text)
  if (Either.isLeft(frame)) {
    console.log(`malformed frame: ${ParseResult.TreeFormatter.formatErrorSync(frame.left).replace(/\s+/g, " ")}`)
    continue
  }
  if (!("message" in frame.right) || !("identifier" in frame.right)) {
    console.log(`control frame: ${frame.right.type}`)
    continue
  }
  const event = Schema.decodeUnknownEither(CableEvent.CableEvent)(frame.right.message)
  if (Either.isRight(event)) {
    const summary = event.right._tag === "MessageCreated"
      ? `${event.right.data.message_type} message #${event.right.data.id}: ${event.right.data.content}`
      : event.right.event
    console.log(`event ${event.right._tag}: ${summary}`)
  } else {
    console.log(`undecodable event: ${ParseResult.TreeFormatter.formatErrorSync(event.left)}`)
  }
}
