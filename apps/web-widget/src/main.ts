/**
 * A chat widget on the Bevatel SDK, in the browser: `fetch`, the global `WebSocket` and `localStorage` through
 * the platform's browser layers, nothing Node-only.
 *
 * Configured by the page's query: `bevatel` (the installation), `inbox` (the inbox identifier) and, for a logged-in
 * user, `user` — whose `identifier_hash` comes from the integrator's endpoint `/integrator/identity` on this page's
 * origin, which holds the HMAC token. The token never reaches the page.
 */
import { Cable, type ConnectionState } from "@bevatel/cable"
import { type ConversationEvent, CustomerChat } from "@bevatel/client"
import { ClientApi } from "@bevatel/http"
import { type CustomerSession, CustomerStore } from "@bevatel/identity"
import { Identifiers } from "@bevatel/schema"
import { FetchHttpClient, Socket } from "@effect/platform"
import { BrowserKeyValueStore } from "@effect/platform-browser"
import { Effect, Layer, ManagedRuntime, Schema, Stream } from "effect"
import { renderMarkdown } from "./markdown.js"

const query = new URLSearchParams(location.search)
const baseUrl = query.get("bevatel") ?? location.origin
const inboxIdentifier = query.get("inbox") ?? ""
const user = query.get("user")

const element = <E extends HTMLElement>(id: string) => document.getElementById(id) as E
const messages = element<HTMLDivElement>("messages")
const composer = element<HTMLInputElement>("composer")
const typing = element<HTMLDivElement>("typing")
const connection = element<HTMLDivElement>("connection")
const status = element<HTMLDivElement>("status")

/** Bubbles by message id, and optimistic ones by the echo id they were sent with. */
const bubbles = new Map<number, HTMLDivElement>()
const pending = new Map<string, HTMLDivElement>()

/** A message's text, rendered as Chatwoot's widget renders it (markdown, safely: see `markdown.ts`). */
const showContent = (div: HTMLDivElement, text: string) => {
  let content = div.querySelector<HTMLDivElement>(".content")
  if (!content) {
    content = document.createElement("div")
    content.className = "content"
    div.querySelector(".author")!.after(content)
  }
  content.replaceChildren(renderMarkdown(document, text))
}

const bubble = (kind: "agent" | "customer", author: string, text: string) => {
  const div = document.createElement("div")
  div.className = `message ${kind}`
  const name = document.createElement("span")
  name.className = "author"
  name.textContent = author
  div.append(name)
  showContent(div, text)
  messages.append(div)
  messages.scrollTop = messages.scrollHeight
  return div
}

const textOf = (message: ConversationEvent.ConversationMessage) => message.content ?? "(attachment)"

/** Delivery status from the cable (`sent`, `delivered`, `read`), shown on the bubble; REST history has none. */
const receiptLabels: Record<string, string> = { sent: "✓ Sent", delivered: "✓✓ Delivered", read: "✓✓ Seen" }
const showReceipt = (div: HTMLDivElement, message: ConversationEvent.ConversationMessage) => {
  if (message.status === undefined) return
  div.dataset.status = message.status
  let receipt = div.querySelector<HTMLSpanElement>(".receipt")
  if (!receipt) {
    receipt = document.createElement("span")
    receipt.className = "receipt"
    div.append(receipt)
  }
  receipt.textContent = receiptLabels[message.status] ?? message.status
}

/** The rating a CSAT survey message already holds, if the customer answered it. */
const csatRating = (message: ConversationEvent.ConversationMessage): number | undefined => {
  const values = message.content_attributes.submitted_values as { csat_survey_response?: { rating?: unknown } } | undefined
  const rating = values?.csat_survey_response?.rating
  return typeof rating === "number" ? rating : undefined
}

/** A CSAT survey (`input_csat`): five buttons, then a thank-you once rated, as Chatwoot's widget shows it. */
const renderCsat = (div: HTMLDivElement, message: ConversationEvent.ConversationMessage, rate: (rating: number) => void) => {
  div.querySelector(".csat")?.remove()
  const survey = document.createElement("div")
  survey.className = "csat"
  const rating = csatRating(message)
  if (rating !== undefined) {
    survey.dataset.rated = String(rating)
    survey.textContent = `Thank you for your rating (${rating}/5)`
  } else {
    survey.setAttribute("role", "group")
    survey.setAttribute("aria-label", "Rate this conversation")
    for (const [index, face] of ["😞", "😕", "😐", "🙂", "😍"].entries()) {
      const button = document.createElement("button")
      button.type = "button"
      button.textContent = face
      button.dataset.rating = String(index + 1)
      button.setAttribute("aria-label", `Rate ${index + 1} out of 5`)
      button.addEventListener("click", () => {
        for (const b of survey.querySelectorAll("button")) b.disabled = true
        rate(index + 1)
      })
      survey.append(button)
    }
  }
  div.append(survey)
}
const authorOf = (message: ConversationEvent.ConversationMessage): string =>
  message.sender?.type === "user" ? String(message.sender.available_name ?? message.sender.name) : "Support"

let typingTimer: ReturnType<typeof setTimeout> | undefined
const showTyping = (visible: boolean) => {
  typing.dataset.visible = String(visible)
  clearTimeout(typingTimer)
  // An agent's typing stops showing after 30 s even if its typing_off was lost.
  if (visible) typingTimer = setTimeout(() => showTyping(false), 30_000)
}

interface Actions {
  readonly markSeen: () => void
  readonly rate: (rating: number) => void
}

const render = (event: ConversationEvent.ConversationEvent, actions: Actions) => {
  switch (event._tag) {
    case "MessageAdded": {
      const { message } = event
      if (bubbles.has(message.id)) return
      const optimistic = message.echo_id === undefined ? undefined : pending.get(message.echo_id)
      if (optimistic) {
        pending.delete(message.echo_id!)
        optimistic.dataset.state = "sent"
        optimistic.dataset.id = String(message.id)
        bubbles.set(message.id, optimistic)
        return
      }
      const mine = message.message_type === "incoming"
      const div = bubble(mine ? "customer" : "agent", mine ? "You" : authorOf(message), textOf(message))
      div.dataset.id = String(message.id)
      if (mine) div.dataset.state = "sent"
      if (message.content_type === "input_csat") renderCsat(div, message, actions.rate)
      showReceipt(div, message)
      bubbles.set(message.id, div)
      if (!mine) {
        showTyping(false)
        actions.markSeen()
      }
      return
    }
    case "MessageChanged": {
      const div = bubbles.get(event.message.id)
      if (!div) return
      showContent(div, textOf(event.message))
      if (event.message.content_type === "input_csat") renderCsat(div, event.message, actions.rate)
      showReceipt(div, event.message)
      return
    }
    case "StatusChanged":
      status.textContent = `conversation ${event.status}`
      status.dataset.status = event.status
      return
    case "Resumed":
      return
    case "Live": {
      const live = event.event
      // Private-note typing is the agent's business, not the customer's.
      if ((live._tag === "TypingOn" || live._tag === "TypingOff") && live.data.is_private !== true && live.data.user?.type !== "contact") {
        showTyping(live._tag === "TypingOn")
      }
      return
    }
  }
}

const renderConnection = (state: ConnectionState.ConnectionState) => {
  connection.dataset.state = state._tag
  connection.textContent = state._tag === "Reconnecting"
    ? "reconnecting…"
    : state._tag === "Closed"
    ? `disconnected: ${state.reason}`
    : state._tag === "Connecting"
    ? "connecting…"
    : ""
}

/** The integrator's endpoint signs the logged-in user's identifier on its server. */
const identityOf = (identifier: string): CustomerSession.Identity<Error> => ({
  identifier,
  identifierHash: Effect.tryPromise({
    try: () =>
      fetch(`/integrator/identity?identifier=${encodeURIComponent(identifier)}`).then((r) => r.json() as Promise<{ identifier_hash: string }>),
    catch: () => new Error("the integrator endpoint did not sign the identifier")
  }).pipe(Effect.flatMap(({ identifier_hash }) => Schema.decodeUnknown(Identifiers.IdentifierHash)(identifier_hash)), Effect.mapError((e) => new Error(String(e))))
})

const Platform = Layer.mergeAll(FetchHttpClient.layer, Socket.layerWebSocketConstructorGlobal, BrowserKeyValueStore.layerLocalStorage)
const Bevatel = Layer.mergeAll(
  ClientApi.layer({ baseUrl, inboxIdentifier }),
  Cable.layer({ url: baseUrl }),
  CustomerStore.layer
).pipe(Layer.provide(Platform))
const runtime = ManagedRuntime.make(Bevatel)

const program = Effect.gen(function*() {
  const chat = yield* CustomerChat.make(user ? { identity: identityOf(user) } : {})
  const api = yield* ClientApi.ClientApi
  document.body.dataset.conversation = String(chat.conversation.id)
  const markSeen = () => {
    if (document.visibilityState === "visible") runtime.runFork(Effect.ignore(chat.markSeen))
  }
  document.addEventListener("visibilitychange", markSeen)

  let idle: ReturnType<typeof setTimeout> | undefined
  let typingOn = false
  composer.addEventListener("input", () => {
    if (!typingOn) {
      typingOn = true
      runtime.runFork(Effect.ignore(chat.typing("on")))
    }
    clearTimeout(idle)
    idle = setTimeout(() => {
      typingOn = false
      runtime.runFork(Effect.ignore(chat.typing("off")))
    }, 1500)
  })
  element<HTMLFormElement>("form").addEventListener("submit", (event) => {
    event.preventDefault()
    const content = composer.value.trim()
    if (content === "") return
    composer.value = ""
    const echoId = crypto.randomUUID()
    const div = bubble("customer", "You", content)
    div.dataset.state = "pending"
    pending.set(echoId, div)
    runtime.runFork(
      chat.send({ content, echoId }).pipe(
        Effect.tapError(() => Effect.sync(() => (div.dataset.state = "failed")))
      )
    )
  })

  yield* chat.connection.pipe(Stream.runForEach((state) => Effect.sync(() => renderConnection(state))), Effect.forkScoped)
  const rate = (rating: number) =>
    runtime.runFork(
      api.csatSurvey.submit(chat.conversation.uuid, { rating }).pipe(
        Effect.tapError((error) => Effect.sync(() => (status.textContent = `rating not sent: ${error.message}`)))
      )
    )
  yield* chat.events().pipe(Stream.runForEach((event) => Effect.sync(() => render(event, { markSeen, rate }))))
}).pipe(
  Effect.scoped,
  Effect.catchAll((error) => Effect.sync(() => (status.textContent = `error: ${error.message}`)))
)

runtime.runFork(program)
