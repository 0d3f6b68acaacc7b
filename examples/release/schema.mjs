// @bevatel/schema alone: decode a frame as it arrives on /cable, then its event.
import { CableEvent, CableFrame } from "@bevatel/schema"
import { Schema } from "effect"

const text = JSON.stringify({
  identifier: JSON.stringify({ channel: "RoomChannel", pubsub_token: "Qm7vXc2PnR8sTy4wZa6bKd9e" }),
  message: {
    event: "message.created",
    data: {
      id: 101, content: "Hello, how can I help?", account_id: 1, inbox_id: 2, conversation_id: 3, message_type: 1,
      created_at: 1770976800, private: false, status: "sent", content_type: "text", content_attributes: {},
      sender: { id: 7, name: "Grace", type: "user" }
    }
  }
})
const frame = Schema.decodeUnknownSync(CableFrame.ServerFrameFromJson)(text)
const event = Schema.decodeUnknownSync(CableEvent.CableEvent)(frame.message)
console.log(`${event._tag}: ${event.data.content}`)
