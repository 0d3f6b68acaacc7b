/**
 * Wire payloads as the server sends them (from the Client API reference), canonical: encoding their decoded
 * value must give them back exactly. Plain JavaScript: the tests of both Effect lines read them.
 */
export const inbox = {
  identifier: "Xk3jW9pQrT5vYb2nLm8cDf4h",
  identity_validation_enabled: false,
  name: "Support",
  timezone: "UTC",
  working_hours: [
    {
      day_of_week: 0,
      closed_all_day: true,
      open_hour: null,
      open_minutes: null,
      close_hour: null,
      close_minutes: null,
      open_all_day: false
    },
    {
      day_of_week: 1,
      closed_all_day: false,
      open_hour: 9,
      open_minutes: 0,
      close_hour: 17,
      close_minutes: 30,
      open_all_day: false
    }
  ],
  working_hours_enabled: false,
  csat_survey_enabled: true,
  greeting_enabled: false
}

export const contactSession = {
  source_id: "3f2b8a4e-8f1c-4e0a-9b7d-2c6e1a5d9f03",
  pubsub_token: "Qm7vXc2PnR8sTy4wZa6bKd9e",
  id: 42,
  name: "damp-field-1234",
  email: null,
  phone_number: null
}

export const contactRecord = {
  id: 42,
  name: "Ada Lovelace",
  email: "ada@example.com",
  phone_number: "+15555550123",
  account_id: 1,
  created_at: "2026-02-13T10:00:00.000Z",
  updated_at: "2026-02-13T10:05:00.123Z",
  additional_attributes: {},
  identifier: "user-42",
  custom_attributes: { plan: "pro" },
  last_activity_at: null,
  contact_type: "lead",
  middle_name: "",
  last_name: "",
  location: "",
  country_code: "",
  blocked: false,
  company_id: null
}

export const agent = {
  id: 7,
  name: "Grace Hopper",
  available_name: "Grace",
  avatar_url: "",
  type: "user",
  availability_status: null,
  thumbnail: ""
}

export const contactSender = {
  additional_attributes: {},
  custom_attributes: {},
  email: "ada@example.com",
  id: 42,
  identifier: "user-42",
  name: "Ada Lovelace",
  phone_number: null,
  thumbnail: "",
  blocked: false,
  type: "contact"
}

export const imageAttachment = {
  id: 5,
  message_id: 101,
  file_type: "image",
  account_id: 1,
  extension: "png",
  data_url: "https://example.com/rails/active_storage/blobs/redirect/abc/cat.png",
  thumb_url: "https://example.com/rails/active_storage/representations/redirect/abc/cat.png",
  file_size: 2048,
  width: 640,
  height: 480
}

export const locationAttachment = {
  id: 6,
  message_id: 101,
  file_type: "location",
  account_id: 1,
  coordinates_lat: 24.7136,
  coordinates_long: 46.6753,
  fallback_title: "Riyadh",
  data_url: "https://maps.example.com/?q=24.7136,46.6753"
}

export const restMessage = {
  id: 101,
  content: "Hello, how can I help?",
  message_type: 1,
  content_type: "text",
  content_attributes: {},
  created_at: 1770976800,
  conversation_id: 3,
  attachments: [imageAttachment, locationAttachment, null],
  sender: agent
}

export const incomingRestMessage = {
  id: 100,
  content: "Hi there",
  message_type: 0,
  content_type: "text",
  content_attributes: {},
  created_at: 1770976790,
  conversation_id: 3,
  sender: contactSender
}

export const conversation = {
  id: 3,
  uuid: "7b0e6a3c-1d2f-4b5a-8c9d-0e1f2a3b4c5d",
  inbox_id: 2,
  contact_last_seen_at: 0,
  status: "open",
  agent_last_seen_at: 1770976850,
  messages: [incomingRestMessage, restMessage],
  contact: contactRecord
}

export const messagePayload = {
  id: 101,
  content: "Hello, how can I help?",
  account_id: 1,
  inbox_id: 2,
  conversation_id: 3,
  message_type: 1,
  created_at: 1770976800,
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
  processed_message_content: "Hello, how can I help?",
  sentiment: {},
  conversation: {
    assignee_id: 7,
    unread_count: 0,
    last_activity_at: 1770976800,
    contact_inbox: { source_id: "3f2b8a4e-8f1c-4e0a-9b7d-2c6e1a5d9f03" }
  },
  sender: agent
}

export const echoPayload = {
  ...messagePayload,
  id: 102,
  content: "Thanks!",
  message_type: 0,
  sender_type: "Contact",
  sender_id: 42,
  processed_message_content: "Thanks!",
  echo_id: "b1f2c3d4-echo",
  sender: contactSender
}

export const contactInbox = {
  id: 9,
  contact_id: 42,
  inbox_id: 2,
  source_id: "3f2b8a4e-8f1c-4e0a-9b7d-2c6e1a5d9f03",
  created_at: "2026-02-13T09:59:00.000Z",
  updated_at: "2026-02-13T09:59:00.000Z",
  hmac_verified: false,
  pubsub_token: "Qm7vXc2PnR8sTy4wZa6bKd9e"
}

export const conversationPayload = {
  additional_attributes: {},
  can_reply: true,
  channel: "Channel::Api",
  contact_inbox: contactInbox,
  id: 3,
  inbox_id: 2,
  messages: [messagePayload],
  labels: [],
  meta: {
    sender: contactSender,
    assignee: agent,
    assignee_type: "User",
    team: null,
    hmac_verified: false
  },
  status: "resolved",
  custom_attributes: {},
  snoozed_until: null,
  unread_count: 0,
  first_reply_created_at: "2026-02-13T10:00:00.000Z",
  priority: null,
  waiting_since: 0,
  agent_last_seen_at: 1770976850,
  contact_last_seen_at: 0,
  last_activity_at: 1770976800,
  timestamp: 1770976800,
  created_at: 1770976700,
  updated_at: 1770976860.123,
  account_id: 1
}

// The real listener puts `account_id` on the outer data only (golden/cable.conversation.typing_on.agent.json).
const { account_id: _accountId, ...typingConversation } = conversationPayload

export const typingPayload = {
  conversation: typingConversation,
  user: agent,
  is_private: false,
  account_id: 1
}

export const presencePayload = { account_id: 1, users: { "7": "online", "8": "busy" } }
