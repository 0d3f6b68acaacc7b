import { Contact, Conversation, CsatSurvey, Message } from "@bevatel/schema"
import { Schema } from "effect"
import { readdirSync, readFileSync } from "node:fs"

// The golden corpus (/golden): payloads written from the real server's source, not from these schemas.
const directory = new URL("../../../golden/", import.meta.url)

/** Every case of the corpus, parsed. */
export const cases = readdirSync(directory).filter((name) => name.endsWith(".json")).map((name) => ({
  name,
  json: JSON.parse(readFileSync(new URL(name, directory), "utf8")) as Record<string, unknown>
}))

/** The schema of each REST case's body. */
export const restSchemas: Record<string, Schema.Schema<any, any>> = {
  "rest.contacts.create.json": Contact.ContactSession,
  "rest.contacts.update.raw-model.json": Contact.ContactRecord,
  "rest.conversations.show.json": Conversation.Conversation,
  "rest.messages.index.json": Schema.Array(Message.Message),
  "rest.messages.create.json": Message.Message,
  "rest.csat_survey.update.json": CsatSurvey.CsatSurvey
}
