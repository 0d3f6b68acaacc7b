import type { CableEvent, Conversation, Enums, Message } from "@bevatel/schema"
import type * as DateTime from "effect/DateTime"
import * as ConversationEvent from "../ConversationEvent.js"

/**
 * The events are built from values their schemas decoded: their constructors are told not to check them again (a
 * typing event's conversation took ~0.9 ms to check, a message ~35 µs — more than decoding them). @internal
 */
export const unvalidated = true

/** A `Live` event of the cable, with the event as it came (`wire`) when the cable kept it. @internal */
export const liveEvent = (event: CableEvent.CableEvent, wire: CableEvent.WireEvent | undefined): ConversationEvent.Live =>
  new ConversationEvent.Live(wire === undefined ? { event } : { event, wire }, unvalidated)

/** Insertion-ordered ids, forgetting the oldest past a bound. */
class RecentIds {
  private readonly ids = new Set<number>()
  constructor(private readonly bound: number) {}
  has(id: number) {
    return this.ids.has(id)
  }
  add(id: number) {
    this.ids.add(id)
    if (this.ids.size > this.bound) this.ids.delete(this.ids.values().next().value!)
  }
}

/**
 * The conversation an event is about: its id when the event names one, `undefined` when it concerns every
 * conversation of the customer (presence, unknown events, an undecodable event whose data names none).
 */
export const conversationOf = (event: CableEvent.CableEvent): number | undefined => {
  switch (event._tag) {
    case "MessageCreated":
    case "MessageUpdated":
      return event.data.conversation_id
    case "ConversationCreated":
    case "ConversationUpdated":
    case "ConversationStatusChanged":
      return event.data.id
    case "TypingOn":
    case "TypingOff":
      return event.data.conversation.id
    case "PresenceUpdate":
    case "Unknown":
      return undefined
    case "Undecodable": {
      // Only the raw data is known: a message or conversation event may still name its conversation.
      const data = event.data as { readonly conversation_id?: unknown; readonly id?: unknown } | null
      const named = event.event.startsWith("message.") ? data?.conversation_id : data?.id
      return typeof named === "number" ? named : undefined
    }
  }
}

/**
 * What one conversation's lossless stream knows: the last message handed on, the ids seen recently and the status.
 * Live events and the REST conversation (history, backfills) both go through it, so each message is emitted once
 * and in order. Plain state, no fiber: thousands of conversations cost a few hundred bytes each when idle.
 */
export class ConversationState {
  private readonly seen: RecentIds
  private lastId: number
  private status: Enums.ConversationStatus | undefined
  /** Epoch milliseconds of the latest message known: backfills serve the most recently active conversations first. */
  lastActivity = 0

  constructor(readonly conversationId: number, after: number | undefined, dedupeWindow: number) {
    this.seen = new RecentIds(dedupeWindow)
    this.lastId = after ?? 0
    this.resumes = after !== undefined
  }

  /** Started after a message (a checkpoint): its first catch-up emits everything later, not the history. */
  readonly resumes: boolean

  /** The status of a conversation just created, as its stream starts with. */
  startWith(status: Enums.ConversationStatus): ReadonlyArray<ConversationEvent.StatusChanged> {
    this.status = status
    return [new ConversationEvent.StatusChanged({ status, origin: "live" })]
  }

  private take(message: { readonly id: number; readonly created_at: DateTime.Utc }) {
    this.seen.add(message.id)
    this.lastId = Math.max(this.lastId, message.id)
    this.lastActivity = Math.max(this.lastActivity, message.created_at.epochMillis)
  }

  /**
   * The REST conversation, which embeds every public message and the status: the messages not yet emitted (at most
   * the last `limit` of them), in order, and the status when it changed.
   */
  catchUp(
    conversation: Conversation.Conversation,
    messagesOrigin: ConversationEvent.Origin,
    statusOrigin: ConversationEvent.Origin,
    limit: number
  ): { readonly added: ReadonlyArray<ConversationEvent.MessageAdded>; readonly status: ReadonlyArray<ConversationEvent.StatusChanged> } {
    const messages: ReadonlyArray<Message.Message> = [...conversation.messages].sort((a, b) => a.id - b.id).slice(-limit)
    const fresh = messages.filter((m) => m.id > this.lastId && !this.seen.has(m.id))
    for (const message of messages) this.lastActivity = Math.max(this.lastActivity, message.created_at.epochMillis)
    for (const message of fresh) this.take(message)
    const added = fresh.map((message) => new ConversationEvent.MessageAdded({ message, origin: messagesOrigin }, unvalidated))
    if (conversation.status === this.status) return { added, status: [] }
    this.status = conversation.status
    return { added, status: [new ConversationEvent.StatusChanged({ status: conversation.status, origin: statusOrigin }, unvalidated)] }
  }

  /** A live event of this conversation (or of every conversation of the customer), as the stream emits it. */
  onEvent(event: CableEvent.CableEvent, wire?: CableEvent.WireEvent): ReadonlyArray<ConversationEvent.ConversationEvent> {
    switch (event._tag) {
      case "MessageCreated": {
        if (event.data.private) return []
        const message = ConversationEvent.fromPayload(event.data)
        if (this.seen.has(message.id)) return []
        this.take(message)
        return [new ConversationEvent.MessageAdded({ message, origin: "live" }, unvalidated)]
      }
      case "MessageUpdated": {
        if (event.data.private) return []
        const message = ConversationEvent.fromPayload(event.data)
        // An update of a message never seen (its creation was missed) adds it, so it is never lost.
        if (!this.seen.has(message.id) && message.id > this.lastId) {
          this.take(message)
          return [new ConversationEvent.MessageAdded({ message, origin: "live" }, unvalidated)]
        }
        return [new ConversationEvent.MessageChanged({ message }, unvalidated)]
      }
      case "ConversationStatusChanged": {
        if (event.data.status === this.status) return []
        this.status = event.data.status
        return [new ConversationEvent.StatusChanged({ status: event.data.status, origin: "live" }, unvalidated)]
      }
      default:
        return [liveEvent(event, wire)]
    }
  }
}
