import { cableCases } from "@bevatel/golden"

/** A realistic `message.created` frame of about 1 KB, as the server broadcasts an agent's reply. */
export const messageCreatedFrame = (identifier: string, id: number, conversationId = 3): string =>
  JSON.stringify({
    identifier,
    message: {
      event: "message.created",
      data: {
        id,
        content: "Thanks for reaching out! I've looked into your order #48213 and it shipped this morning; " +
          "you should receive a tracking link by email within the hour.",
        account_id: 1,
        inbox_id: 2,
        conversation_id: conversationId,
        message_type: 1,
        created_at: 1770976800 + id,
        updated_at: "2026-02-13T10:00:00.000Z",
        private: false,
        status: "sent",
        source_id: null,
        content_type: "text",
        content_attributes: {},
        sender_type: "User",
        sender_id: 7,
        external_source_ids: {},
        additional_attributes: {},
        processed_message_content: "Thanks for reaching out! I've looked into your order #48213 and it shipped.",
        sentiment: {},
        conversation: {
          assignee_id: 7,
          unread_count: 0,
          last_activity_at: 1770976800 + id,
          contact_inbox: { source_id: "3f2b8a4e-8f1c-4e0a-9b7d-2c6e1a5d9f03" }
        },
        sender: {
          id: 7,
          name: "Grace Hopper",
          available_name: "Grace",
          avatar_url: "https://chat.example.com/rails/active_storage/representations/redirect/avatar.png",
          type: "user",
          availability_status: null,
          thumbnail: "https://chat.example.com/rails/active_storage/representations/redirect/avatar.png"
        }
      }
    }
  })

/**
 * The second frame set: the golden corpus's cable frames (`golden/cable.*.json`, written from the real server's
 * source, not from the SDK's schemas), in turn — replies, CSAT surveys, read receipts, typing, status changes,
 * presence — so that no figure can be tuned to the one frame above.
 */
export const goldenMessages: ReadonlyArray<unknown> = cableCases.map(({ json }) => (json as { readonly message: unknown }).message)

/** The `index`-th golden frame, for the subscriber of `identifier`. */
export const goldenFrame = (identifier: string, index: number): string =>
  JSON.stringify({ identifier, message: goldenMessages[index % goldenMessages.length] })
