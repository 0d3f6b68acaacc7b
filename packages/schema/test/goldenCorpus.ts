import { Contact, Conversation, CsatSurvey, Message } from "@bevatel/schema"
import { Schema } from "effect"

// The golden corpus (/golden): payloads written from the real server's source, not from these schemas.
export { cableCases, cases, restCases } from "@bevatel/golden"

/** The schema of each REST case's body. */
export const restSchemas: Record<string, Schema.Schema<any, any>> = {
  "rest.contacts.create.json": Contact.ContactSession,
  "rest.contacts.update.raw-model.json": Contact.ContactRecord,
  "rest.conversations.show.json": Conversation.Conversation,
  "rest.messages.index.json": Schema.Array(Message.Message),
  "rest.messages.create.json": Message.Message,
  "rest.csat_survey.update.json": CsatSurvey.CsatSurvey
}
