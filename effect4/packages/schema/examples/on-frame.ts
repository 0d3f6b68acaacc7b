// effect4/packages/schema/examples/on-frame.ts — a frame as it arrives on /cable, then the event it carries.
import { CableEvent, CableFrame } from "@bevatel/schema"
import { Schema } from "effect"

/** Called with the text of each WebSocket message of `/cable`: what an agent said, or `undefined`. */
export const onFrame = (text: string): string | undefined => {
  const frame = Schema.decodeUnknownSync(CableFrame.ServerFrameFromJson)(text)
  if (!("message" in frame)) return undefined
  const event = Schema.decodeUnknownSync(CableEvent.CableEvent)(frame.message)
  return event._tag === "MessageCreated" && event.data.message_type === "outgoing"
    ? `agent: ${event.data.content}`
    : undefined
}
