/**
 * The agent's side of the local server: reply, type, resolve and reopen, edit messages — what a support agent
 * does in the dashboard — so that a demo or a test can play the other person.
 *
 * @since 0.1.0
 */
import type { Enums, Identifiers, Json, Message } from "@bevatel/schema"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"

/**
 * An agent action named a conversation or message the server does not have.
 *
 * @since 0.1.0
 * @category errors
 */
export class AgentTargetNotFound extends Data.TaggedError("AgentTargetNotFound")<{
  readonly resource: string
  readonly id: number
}> {
  /**
   * @since 0.1.0
   */
  override get message() {
    return `The local server has no ${this.resource} with id ${this.id}`
  }
}

/**
 * Something a customer did, as the agent's dashboard would see it.
 *
 * @since 0.1.0
 * @category models
 */
export type CustomerActivity =
  | {
    readonly _tag: "MessageReceived"
    readonly conversationId: Identifiers.ConversationId
    readonly message: Message.MessageEncoded
  }
  | { readonly _tag: "ConversationOpened"; readonly conversationId: Identifiers.ConversationId }
  | {
    readonly _tag: "CustomerTyping"
    readonly conversationId: Identifiers.ConversationId
    readonly status: Enums.TypingStatus
  }
  | { readonly _tag: "ConversationSeen"; readonly conversationId: Identifiers.ConversationId }

/**
 * Options of a reply.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReplyOptions {
  /** A private note: stored, never delivered to the customer. */
  readonly private?: boolean | undefined
  /** Defaults to `"text"`; e.g. `"input_select"` with `contentAttributes.items`. */
  readonly contentType?: Enums.ContentType | undefined
  readonly contentAttributes?: Json.JsonObject | undefined
  /** Defaults to the server's first agent (id 1 unless `agents` says otherwise). */
  readonly agentId?: number | undefined
}

/**
 * A conversation the agent opened: the new contact's credentials, as the contacts endpoints would answer them.
 *
 * @since 0.2.0
 * @category models
 */
export interface OpenedConversation {
  readonly sourceId: string
  readonly pubsubToken: string
  readonly conversationId: number
}

/**
 * The agent service of a running local server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Replies in a conversation (by display id); resolves with the created message as the REST API renders it. */
  readonly reply: (
    conversationId: number,
    content: string,
    options?: ReplyOptions
  ) => Effect.Effect<Message.MessageEncoded, AgentTargetNotFound>
  /** Starts or stops typing; `private: true` is typing a private note (still delivered, flagged `is_private`). */
  readonly typing: (
    conversationId: number,
    status: Enums.TypingStatus,
    options?: { readonly private?: boolean | undefined }
  ) => Effect.Effect<void, AgentTargetNotFound>
  /** Sets a conversation's status: resolve, reopen, snooze, or set pending. */
  readonly setStatus: (
    conversationId: number,
    status: "open" | "resolved" | "pending" | "snoozed"
  ) => Effect.Effect<void, AgentTargetNotFound>
  /**
   * Assigns a conversation to an agent (`null` unassigns it); the customer receives `conversation.updated`. An
   * unknown agent fails with `AgentTargetNotFound`.
   */
  readonly assign: (conversationId: number, agentId: number | null) => Effect.Effect<void, AgentTargetNotFound>
  /** Edits a message: content, content attributes or delivery status. */
  readonly updateMessage: (
    messageId: number,
    changes: {
      readonly content?: string | null | undefined
      readonly contentAttributes?: Json.JsonObject | undefined
      readonly status?: Enums.MessageStatus | undefined
    }
  ) => Effect.Effect<Message.MessageEncoded, AgentTargetNotFound>
  /**
   * Opens a conversation with a new contact of an inbox (the first one by default), as an agent does through the
   * Application API: outside the public API and its throttle, so a test can seed thousands of customers quickly.
   */
  readonly openConversation: (options?: {
    readonly name?: string | undefined
    readonly inboxIdentifier?: string | undefined
  }) => Effect.Effect<OpenedConversation, AgentTargetNotFound>
  /**
   * Sets an agent's availability; customers see it in the `presence.update` the server answers their next
   * `update_presence` with (the SDK's cable sends one on subscribe and every 20 s).
   */
  readonly setAvailability: (agentId: number, availability: Enums.AvailabilityStatus) => Effect.Effect<void, AgentTargetNotFound>
  /** Every public message of a conversation, oldest first. */
  readonly messages: (conversationId: number) => Effect.Effect<ReadonlyArray<Message.MessageEncoded>, AgentTargetNotFound>
  /** What customers do, live. */
  readonly activity: Stream.Stream<CustomerActivity>
}

/**
 * The agent service: plays the agents' side of the local server.
 *
 * @example
 * ```ts
 * import { Agent, LocalServer } from "@bevatel/local-server"
 * import { Effect } from "effect"
 *
 * const answer = (conversationId: number) =>
 *   Effect.flatMap(Agent.Agent, (agent) => agent.reply(conversationId, "Hello from the agent")).pipe(
 *     Effect.provide(LocalServer.layer())
 *   )
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class Agent extends Context.Tag("@bevatel/local-server/Agent")<Agent, Service>() {}
