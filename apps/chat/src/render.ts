/**
 * How events look in the terminal chat (pipe and bridge write `ConversationEvent.toWire`).
 */
import type { ConnectionState } from "@bevatel/cable"
import type { ConversationEvent } from "@bevatel/client"
import { Duration } from "effect"

const senderName = (message: ConversationEvent.ConversationMessage) => {
  const sender = message.sender
  if (!sender) return "Agent"
  if (sender.type === "user") return sender.available_name ?? sender.name ?? "Agent"
  return "name" in sender && typeof sender.name === "string" ? sender.name : "Agent"
}

const text = (message: ConversationEvent.ConversationMessage) => {
  const attachments = (message.attachments ?? []).flatMap((a) => (a ? [`[${a.file_type}: ${a.data_url ?? ""}]`] : []))
  return [message.content ?? "", ...attachments].filter((part) => part !== "").join(" ")
}

/**
 * A line for the terminal, or nothing; the customer's own live messages are already on screen. `shown` remembers
 * the text shown for each message, so that a change of delivery status (a read receipt) is not shown as an edit.
 */
export const toLine = (
  event: ConversationEvent.ConversationEvent,
  ownEchoIds: ReadonlySet<string>,
  shown: Map<number, string>
): string | undefined => {
  switch (event._tag) {
    case "MessageAdded": {
      const { message, origin } = event
      shown.set(message.id, text(message))
      if (message.message_type === "incoming") {
        if (origin === "live" && message.echo_id !== undefined && ownEchoIds.has(message.echo_id)) return undefined
        return `you: ${text(message)}`
      }
      if (message.message_type === "activity") return `· ${text(message)}`
      return `${senderName(message)}: ${text(message)}`
    }
    case "MessageChanged": {
      const now = text(event.message)
      if (shown.get(event.message.id) === now) return undefined
      shown.set(event.message.id, now)
      return `${senderName(event.message)} (edited): ${now}`
    }
    case "StatusChanged":
      return `[the conversation is ${event.status}]`
    case "Resumed":
      return event.missed === 0 ? "[back online]" : `[back online — recovered ${event.missed} missed message(s)]`
    case "Live": {
      const live = event.event
      if (live._tag === "TypingOn" && live.data.is_private !== true) {
        return `[${live.data.user?.type === "contact" ? "you are" : "the agent is"} typing…]`
      }
      return undefined
    }
  }
}

/** A line about the connection, when it says something a person should know. */
export const connectionLine = (state: ConnectionState.ConnectionState): string | undefined => {
  switch (state._tag) {
    case "Reconnecting":
      return `[connection lost (${state.reason}) — reconnecting in ${Duration.format(state.delay)}]`
    case "Closed":
      return `[disconnected: ${state.reason}]`
    default:
      return undefined
  }
}
