/**
 * The chat panel, loaded when the customer first opens the widget: the Bevatel SDK in the browser (`XMLHttpRequest`
 * for upload progress, the global `WebSocket`, `localStorage`), nothing Node-only.
 *
 * What a customer sees, as in Chatwoot's widget: the team's availability (working hours, agents' presence, the
 * reply-time promise), a pre-chat form when the site asks for one, messages with times and day separators, agents'
 * names and avatars on grouped messages, the agent typing, delivery ticks, attachments (pick, drop, paste; previews,
 * progress, the size limit), a failed message with "retry", a "reconnecting…" banner, the CSAT prompt after
 * resolution and a new conversation after it.
 */
import { Cable, type ConnectionState } from "@bevatel/cable"
import { type ConversationEvent, CustomerChat } from "@bevatel/client"
import { ClientApi } from "@bevatel/http"
import { CustomerStore } from "@bevatel/identity"
import { Identifiers, type Inbox } from "@bevatel/schema"
import { Socket } from "@effect/platform"
import { BrowserHttpClient, BrowserKeyValueStore } from "@effect/platform-browser"
import { DateTime, Effect, Fiber, Layer, ManagedRuntime, Option, Schema, Stream } from "effect"
import { icon } from "./icon.js"
import { renderMarkdown, safeUrl } from "./markdown.js"
import { availability } from "./schedule.js"
import type { Settings } from "./settings.js"
import type { Strings } from "./strings.js"

/** What the launcher hands the panel. */
export interface Mount {
  readonly panel: HTMLElement
  readonly settings: Settings
  readonly strings: Strings
  readonly isOpen: () => boolean
  readonly setUnread: (count: number) => void
  readonly close: () => void
}

type Message = ConversationEvent.ConversationMessage
type ChatService = CustomerChat.Service

/** A signed-in user of the site, as its server signed it: `identifier_hash` is HMAC-SHA256 of `identifier`. */
const SignedInUser = Schema.Struct({
  identifier: Schema.NonEmptyString,
  identifier_hash: Identifiers.IdentifierHash,
  name: Schema.optional(Schema.String),
  email: Schema.optional(Schema.String)
})
type SignedInUser = typeof SignedInUser.Type

/**
 * Asks the site's identity endpoint, with the site's cookies and no parameter, whom its session holds: the user
 * with its hash, or nobody (401).
 */
const askIdentityEndpoint = (identityUrl: string): Effect.Effect<Option.Option<SignedInUser>, Error> =>
  Effect.tryPromise({
    try: () => fetch(new URL(identityUrl, location.href), { credentials: "same-origin", headers: { accept: "application/json" } }),
    catch: () => new Error(`the site's identity endpoint (${identityUrl}) did not answer`)
  }).pipe(
    Effect.flatMap((response) =>
      response.status === 401
        ? Effect.succeedNone
        : response.ok
        ? Effect.tryPromise({
          try: () => response.json() as Promise<unknown>,
          catch: () => new Error(`the site's identity endpoint (${identityUrl}) answered no JSON`)
        }).pipe(
          Effect.flatMap((body) =>
            Schema.decodeUnknown(SignedInUser)(body).pipe(
              Effect.mapError((error) => new Error(`the site's identity endpoint (${identityUrl}) answered ${error.message}`))
            )
          ),
          Effect.map(Option.some)
        )
        : Effect.fail(new Error(`the site's identity endpoint (${identityUrl}) answered ${response.status}`))
    )
  )

const element = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  properties: Partial<Pick<HTMLElement, "className" | "id" | "textContent">> = {}
): HTMLElementTagNameMap[K] => Object.assign(document.createElement(tag), properties)

/** A byte count as people read it ("40 MB"). */
const formatSize = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`

/** Messages from one sender within this long of each other are grouped under one name and avatar. */
const groupWindowMs = 5 * 60 * 1000

/** The sender's public face: what `push_event_data` and the REST view carry for agents, bots and contacts. */
interface SenderFace {
  readonly id?: number
  readonly type?: string
  readonly name?: string
  readonly available_name?: string
  readonly thumbnail?: string
  readonly avatar_url?: string | null
}

/** Mounts the chat in the launcher's panel; `opened` is called each time the customer opens it. */
export const mount = (host: Mount): { readonly opened: () => void } => {
  const { panel, settings, strings } = host
  const locale = settings.locale
  const timeFormat = new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit" })
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium" })

  // ——— The panel's parts ———
  const header = element("header", { className: "header" })
  const heading = element("div", { className: "heading" })
  const title = element("h2", { textContent: settings.title ?? strings.title })
  const presence = element("p", { className: "presence", id: "presence" })
  const presenceText = element("span")
  const detail = element("p", { className: "detail", id: "presence-detail" })
  presence.append(element("span", { className: "dot" }), presenceText)
  heading.append(title, presence, detail)
  const closeButton = element("button", { className: "close", textContent: "×" })
  closeButton.type = "button"
  closeButton.setAttribute("aria-label", strings.closeChat)
  closeButton.addEventListener("click", host.close)
  header.append(heading, closeButton)

  const connection = element("div", { className: "connection", id: "connection" })
  connection.setAttribute("role", "status")
  connection.dataset.state = "Idle"

  const messages = element("div", { className: "messages", id: "messages" })
  messages.setAttribute("role", "log")
  messages.setAttribute("aria-label", strings.messages)
  messages.tabIndex = 0

  const typing = element("div", { className: "typing", id: "typing" })
  typing.setAttribute("aria-live", "polite")
  typing.dataset.visible = "false"

  const notice = element("div", { className: "notice", id: "notice" })
  notice.setAttribute("role", "alert")

  const resolved = element("div", { className: "resolved", id: "resolved" })
  resolved.hidden = true
  const startNewButton = element("button", { className: "primary", id: "start-new", textContent: strings.startNew })
  startNewButton.type = "button"
  resolved.append(element("p", { textContent: strings.resolved }), startNewButton)

  const preChat = element("form", { className: "prechat", id: "prechat" })
  preChat.hidden = true
  const field = (id: string, label: string, type: string, autocomplete: string) => {
    const wrapper = element("label", { className: "field" })
    const input = element("input", { id })
    input.type = type
    input.required = true
    input.setAttribute("autocomplete", autocomplete)
    wrapper.append(element("span", { textContent: label }), input)
    return { wrapper, input }
  }
  const nameField = field("prechat-name", strings.name, "text", "name")
  const emailField = field("prechat-email", strings.email, "email", "email")
  const startButton = element("button", { className: "primary", textContent: strings.startChat })
  startButton.type = "submit"
  preChat.append(element("p", { textContent: strings.preChatIntro }), nameField.wrapper, emailField.wrapper, startButton)

  const composerForm = element("form", { className: "composer", id: "form" })
  const fileInput = element("input", { id: "files" })
  fileInput.type = "file"
  fileInput.multiple = true
  fileInput.hidden = true
  fileInput.tabIndex = -1
  const attachButton = element("button", { className: "attach", id: "attach" })
  attachButton.type = "button"
  attachButton.append(icon("M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5"))
  attachButton.setAttribute("aria-label", strings.attach)
  attachButton.addEventListener("click", () => fileInput.click())
  const composerLabel = element("label", { className: "visually-hidden", textContent: strings.composer })
  composerLabel.htmlFor = "composer"
  const composer = element("textarea", { id: "composer" })
  composer.rows = 1
  composer.placeholder = `${strings.composer}…`
  composer.autocomplete = "off"
  const sendButton = element("button", { className: "send", id: "send", textContent: strings.send })
  sendButton.type = "submit"
  composerForm.append(fileInput, attachButton, composerLabel, composer, sendButton)

  const dropZone = element("div", { className: "drop", textContent: strings.dropHere })
  dropZone.hidden = true

  panel.append(header, connection, messages, typing, notice, resolved, preChat, composerForm, dropZone)
  panel.setAttribute("aria-describedby", presence.id)

  // ——— The SDK, in the browser ———
  const platform = Layer.mergeAll(
    BrowserHttpClient.layerXMLHttpRequest,
    Socket.layerWebSocketConstructorGlobal,
    BrowserKeyValueStore.layerLocalStorage
  )
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(
      ClientApi.layer({ baseUrl: settings.url, inboxIdentifier: settings.inbox }),
      Cable.layer({ url: settings.url }),
      CustomerStore.layer
    ).pipe(Layer.provide(platform))
  )

  // ——— Availability: working hours, presence, the reply-time promise ———
  let inbox: Inbox.Inbox | undefined
  let agentsOnline: boolean | undefined
  const renderAvailability = () => {
    const shown = availability({
      inbox,
      agentsOnline,
      now: new Date(),
      strings,
      replyTime: strings.replyTime[settings.replyTime],
      locale
    })
    presence.dataset.online = String(shown.online)
    presenceText.textContent = shown.text
    detail.textContent = shown.detail
  }
  renderAvailability()
  setInterval(renderAvailability, 60_000)
  runtime.runFork(
    Effect.flatMap(ClientApi.ClientApi, (api) => api.inbox.get).pipe(
      Effect.tap((info) => Effect.sync(() => (inbox = info, renderAvailability()))),
      Effect.ignoreLogged
    )
  )

  const showNotice = (text: string) => {
    notice.textContent = text
    notice.dataset.visible = String(text !== "")
  }

  // ——— The timeline ———
  /** Rendered messages by id, and optimistic ones by the echo id they were sent with. */
  const rendered = new Map<number, HTMLElement>()
  const pending = new Map<string, HTMLElement>()
  let last: { readonly sender: string; readonly at: number; readonly day: string } | undefined
  let chat: ChatService | undefined

  const nearBottom = () => messages.scrollHeight - messages.scrollTop - messages.clientHeight < 80
  const append = (node: HTMLElement) => {
    const follow = nearBottom()
    messages.append(node)
    if (follow) messages.scrollTop = messages.scrollHeight
  }

  const dayLabel = (at: number) => {
    const day = new Date(at).toDateString()
    const today = new Date()
    if (day === today.toDateString()) return strings.today
    if (day === new Date(today.getTime() - 86_400_000).toDateString()) return strings.yesterday
    return dateFormat.format(at)
  }

  /** A day separator when `at` starts a new day; whether the next message may join the previous group. */
  const placeInTimeline = (sender: string, at: number): boolean => {
    const day = new Date(at).toDateString()
    if (last === undefined || last.day !== day) {
      const separator = element("div", { className: "day", textContent: dayLabel(at) })
      separator.setAttribute("role", "separator")
      append(separator)
      last = undefined
    }
    const grouped = last !== undefined && last.sender === sender && at - last.at < groupWindowMs
    last = { sender, at, day }
    return grouped
  }

  const avatarOf = (sender: SenderFace | undefined, name: string) => {
    const url = safeUrl(sender?.thumbnail || sender?.avatar_url || "")
    const avatar = element("span", { className: "avatar" })
    avatar.setAttribute("aria-hidden", "true")
    if (url !== undefined && /^https?:/.test(url)) {
      const image = element("img")
      image.src = url
      image.alt = ""
      avatar.append(image)
    } else {
      avatar.textContent = name.split(/\s+/).filter(Boolean).slice(0, 2).map((word) => word[0]!.toUpperCase()).join("")
    }
    return avatar
  }

  const showContent = (entry: HTMLElement, message: { readonly content: string | null; readonly attachments?: Message["attachments"] | undefined }) => {
    const bubble = entry.querySelector<HTMLElement>(".bubble")!
    bubble.querySelector(".content")?.remove()
    bubble.querySelector(".attachments")?.remove()
    if (message.content !== null && message.content !== "") {
      const content = element("div", { className: "content" })
      content.dir = "auto"
      content.append(renderMarkdown(document, message.content))
      bubble.prepend(content)
    }
    const files = (message.attachments ?? []).filter((file) => file !== null)
    if (files.length > 0) {
      const list = element("div", { className: "attachments" })
      for (const file of files) {
        const url = safeUrl(file.data_url ?? "")
        const name = decodeURIComponent(url?.split("/").at(-1) ?? "") || strings.attachment
        if (url === undefined || !/^https?:/.test(url)) {
          list.append(element("span", { className: "file", textContent: name }))
          continue
        }
        const link = element("a", { className: file.file_type === "image" ? "image" : "file" })
        link.href = url
        link.target = "_blank"
        link.rel = "noopener noreferrer"
        if (file.file_type === "image") {
          const image = element("img")
          image.src = safeUrl(file.thumb_url ?? "") ?? url
          image.alt = name
          image.loading = "lazy"
          link.append(image)
        } else {
          link.textContent = name
        }
        list.append(link)
      }
      bubble.insertBefore(list, bubble.querySelector(".meta"))
    }
  }

  /** Delivery ticks on the customer's messages, from the message's status (`message.updated` changes it). */
  const showStatus = (entry: HTMLElement, status: string) => {
    entry.dataset.status = status
    const tick = entry.querySelector<HTMLElement>(".tick")
    if (tick) {
      tick.textContent = status === "pending" ? "○" : status === "failed" ? "!" : status === "sent" ? "✓" : "✓✓"
      const label = strings.status[status as keyof Strings["status"]] ?? status
      tick.title = label
      tick.setAttribute("aria-label", label)
    }
  }

  const entryFor = (kind: "agent" | "customer" | "activity", sender: string, at: number, face?: { readonly name: string; readonly sender: SenderFace | undefined }) => {
    const entry = element("div", { className: `message ${kind}` })
    if (kind === "activity") {
      entry.append(element("div", { className: "bubble" }))
      return entry
    }
    if (placeInTimeline(sender, at)) entry.classList.add("grouped")
    else if (kind === "agent" && face) {
      entry.append(avatarOf(face.sender, face.name), element("span", { className: "author", textContent: face.name }))
    }
    const bubble = element("div", { className: "bubble" })
    const meta = element("div", { className: "meta" })
    const time = element("time", { textContent: timeFormat.format(at) })
    time.dateTime = new Date(at).toISOString()
    meta.append(time)
    if (kind === "customer") meta.append(element("span", { className: "tick" }))
    bubble.append(meta)
    entry.append(bubble)
    return entry
  }

  // ——— Unread messages and read receipts ———
  const readKey = (conversationId: number) => `bevatel-widget:${settings.inbox}:read:${conversationId}`
  let lastRead = 0
  const unreadIds = new Set<number>()
  const seenNow = () => host.isOpen() && document.visibilityState === "visible"
  const markRead = () => {
    if (chat === undefined) return
    for (const id of unreadIds) lastRead = Math.max(lastRead, id)
    unreadIds.clear()
    localStorage.setItem(readKey(chat.conversation.id), String(lastRead))
    host.setUnread(0)
    runtime.runFork(Effect.ignore(chat.markSeen))
  }
  const agentMessageArrived = (id: number) => {
    if (id <= lastRead) return
    unreadIds.add(id)
    if (seenNow()) markRead()
    else host.setUnread(unreadIds.size)
  }
  document.addEventListener("visibilitychange", () => seenNow() && unreadIds.size > 0 && markRead())

  // ——— CSAT ———
  const csatRating = (message: Message): number | undefined => {
    const values = message.content_attributes.submitted_values as { csat_survey_response?: { rating?: unknown } } | undefined
    const rating = values?.csat_survey_response?.rating
    return typeof rating === "number" ? rating : undefined
  }
  const renderCsat = (entry: HTMLElement, message: Message) => {
    entry.querySelector(".csat")?.remove()
    const survey = element("div", { className: "csat" })
    const rating = csatRating(message)
    if (rating !== undefined) {
      survey.dataset.rated = String(rating)
      survey.textContent = strings.rated(rating)
    } else {
      survey.setAttribute("role", "group")
      survey.setAttribute("aria-label", strings.rateConversation)
      for (const [index, face] of ["😞", "😕", "😐", "🙂", "😍"].entries()) {
        const button = element("button", { textContent: face })
        button.type = "button"
        button.dataset.rating = String(index + 1)
        button.setAttribute("aria-label", strings.rate(index + 1))
        button.addEventListener("click", () => {
          if (chat === undefined) return
          for (const b of survey.querySelectorAll("button")) b.disabled = true
          runtime.runFork(
            Effect.flatMap(ClientApi.ClientApi, (api) => api.csatSurvey.submit(chat!.conversation.uuid, { rating: index + 1 })).pipe(
              Effect.tapError(() =>
                Effect.sync(() => {
                  for (const b of survey.querySelectorAll("button")) b.disabled = false
                  showNotice(strings.ratingNotSent)
                })
              )
            )
          )
        })
        survey.append(button)
      }
    }
    entry.querySelector(".bubble")!.append(survey)
  }

  // ——— Events ———
  let typingTimer: ReturnType<typeof setTimeout> | undefined
  const showTyping = (visible: boolean) => {
    typing.dataset.visible = String(visible)
    typing.textContent = visible ? strings.typing : ""
    clearTimeout(typingTimer)
    // An agent's typing stops showing after 30 s even if its typing_off was lost.
    if (visible) typingTimer = setTimeout(() => showTyping(false), 30_000)
  }

  const showConversationStatus = (status: string) => {
    panel.dataset.status = status
    const isResolved = status === "resolved"
    // The composer goes away with the conversation; its focus goes to what replaces it.
    const hadFocus = (panel.getRootNode() as ShadowRoot).activeElement === composer
    resolved.hidden = !isResolved
    composerForm.hidden = isResolved || chat === undefined
    if (hadFocus && isResolved) startNewButton.focus()
  }

  const addMessage = (message: Message) => {
    if (rendered.has(message.id)) return
    const optimistic = message.echo_id === undefined ? undefined : pending.get(message.echo_id)
    if (optimistic) {
      pending.delete(message.echo_id!)
      optimistic.dataset.id = String(message.id)
      showStatus(optimistic, message.status ?? "sent")
      showContent(optimistic, message)
      rendered.set(message.id, optimistic)
      return
    }
    const at = DateTime.toEpochMillis(message.created_at)
    let entry: HTMLElement
    if (message.message_type === "incoming") {
      entry = entryFor("customer", "customer", at)
      showStatus(entry, message.status ?? "sent")
    } else if (message.message_type === "activity") {
      entry = entryFor("activity", "activity", at)
    } else {
      const sender = message.sender as SenderFace | undefined
      const name = sender?.type === "user" || sender?.type === "agent_bot"
        ? String(sender.available_name || sender.name || strings.support)
        : strings.support
      entry = entryFor("agent", `agent:${sender?.type}:${sender?.id}`, at, { name, sender })
      if (message.status !== undefined) entry.dataset.status = message.status
    }
    entry.dataset.id = String(message.id)
    showContent(entry, message)
    if (message.content_type === "input_csat") renderCsat(entry, message)
    rendered.set(message.id, entry)
    append(entry)
    if (message.message_type !== "incoming" && message.message_type !== "activity") {
      showTyping(false)
      agentMessageArrived(message.id)
    }
  }

  const render = (event: ConversationEvent.ConversationEvent) => {
    switch (event._tag) {
      case "MessageAdded":
        return addMessage(event.message)
      case "MessageChanged": {
        const entry = rendered.get(event.message.id)
        if (!entry) return
        showContent(entry, event.message)
        if (event.message.content_type === "input_csat") renderCsat(entry, event.message)
        if (event.message.status !== undefined) {
          if (entry.classList.contains("customer")) showStatus(entry, event.message.status)
          else entry.dataset.status = event.message.status
        }
        return
      }
      case "StatusChanged":
        return showConversationStatus(event.status)
      case "Resumed":
        return
      case "Live": {
        const live = event.event
        // Private-note typing is the agents' business, not the customer's.
        if ((live._tag === "TypingOn" || live._tag === "TypingOff") && live.data.is_private !== true && live.data.user?.type !== "contact") {
          showTyping(live._tag === "TypingOn")
        } else if (live._tag === "PresenceUpdate") {
          agentsOnline = Object.values(live.data.users).some((status) => status === "online")
          renderAvailability()
        }
        return
      }
    }
  }

  const renderConnection = (state: ConnectionState.ConnectionState) => {
    connection.dataset.state = state._tag
    connection.textContent = state._tag === "Reconnecting"
      ? strings.reconnecting
      : state._tag === "Closed"
      ? strings.disconnected
      : state._tag === "Connecting"
      ? strings.connecting
      : ""
  }

  // ——— Sending ———
  const send = (entry: HTMLElement, echoId: string, message: ClientApi.NewMessage, progress?: HTMLProgressElement) => {
    if (chat === undefined) return
    showStatus(entry, "pending")
    entry.querySelector(".failure")?.remove()
    const current = chat
    const sending = current.send({ ...message, echoId })
    const tracked = progress === undefined ? sending : sending.pipe(
      // XMLHttpRequest reports how much of the upload went out.
      Effect.provideService(BrowserHttpClient.XMLHttpRequest, () => {
        const request = new XMLHttpRequest()
        request.upload.addEventListener("progress", (event) => {
          if (event.lengthComputable) progress.value = event.loaded / event.total
        })
        return request
      })
    )
    runtime.runFork(
      tracked.pipe(
        Effect.tap(() => Effect.sync(() => progress?.remove())),
        Effect.tapError((error) =>
          Effect.sync(() => {
            progress?.remove()
            showStatus(entry, "failed")
            const failure = element("div", { className: "failure" })
            const name = message.attachments?.[0]?.name
            failure.append(
              element("span", {
                textContent: error._tag === "UnexpectedResponse" && error.status === 413 && name !== undefined
                  ? strings.serverRefusedFile(name)
                  : strings.notSent(error.message)
              })
            )
            const retry = element("button", { className: "retry", textContent: strings.retry })
            retry.type = "button"
            retry.addEventListener("click", () => send(entry, echoId, message, progress && entry.querySelector(".bubble")!.appendChild(progress)))
            failure.append(retry)
            entry.append(failure)
          })
        )
      )
    )
  }

  const optimistic = (echoId: string) => {
    const entry = entryFor("customer", "customer", Date.now())
    pending.set(echoId, entry)
    append(entry)
    return entry
  }

  const sendText = (content: string) => {
    const echoId = crypto.randomUUID()
    const entry = optimistic(echoId)
    showContent(entry, { content, attachments: undefined })
    send(entry, echoId, { content })
  }

  const sendFiles = (files: ReadonlyArray<File>) => {
    if (chat === undefined) return
    for (const file of files) {
      if (file.size > settings.maxFileSize) {
        showNotice(strings.fileTooLarge(file.name, formatSize(settings.maxFileSize)))
        continue
      }
      showNotice("")
      const echoId = crypto.randomUUID()
      const entry = optimistic(echoId)
      const bubble = entry.querySelector(".bubble")!
      const preview = element("div", { className: "attachments" })
      if (file.type.startsWith("image/")) {
        const image = element("img")
        image.src = URL.createObjectURL(file)
        image.alt = file.name
        preview.append(image)
      } else {
        preview.append(element("span", { className: "file", textContent: file.name }))
      }
      const progress = element("progress", { className: "upload" })
      progress.setAttribute("aria-label", strings.uploading(file.name))
      bubble.prepend(preview, progress)
      send(entry, echoId, { attachments: [{ name: file.name, data: file, contentType: file.type || undefined }] }, progress)
    }
  }

  composerForm.addEventListener("submit", (event) => {
    event.preventDefault()
    const content = composer.value.trim()
    if (content === "" || chat === undefined) return
    composer.value = ""
    showNotice("")
    sendText(content)
  })
  composer.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault()
      composerForm.requestSubmit()
    }
  })
  fileInput.addEventListener("change", () => {
    sendFiles([...(fileInput.files ?? [])])
    fileInput.value = ""
  })
  composer.addEventListener("paste", (event) => {
    const files = [...(event.clipboardData?.files ?? [])]
    if (files.length > 0) {
      event.preventDefault()
      sendFiles(files)
    }
  })
  panel.addEventListener("dragover", (event) => {
    if (chat === undefined || !event.dataTransfer?.types.includes("Files")) return
    event.preventDefault()
    dropZone.hidden = false
  })
  dropZone.addEventListener("dragleave", () => (dropZone.hidden = true))
  panel.addEventListener("drop", (event) => {
    if (chat === undefined) return
    event.preventDefault()
    dropZone.hidden = true
    sendFiles([...(event.dataTransfer?.files ?? [])])
  })

  // The customer's typing, debounced: on at the first key, off after 1.5 s without one.
  let idle: ReturnType<typeof setTimeout> | undefined
  let typingOn = false
  composer.addEventListener("input", () => {
    if (chat === undefined) return
    const current = chat
    if (!typingOn) {
      typingOn = true
      runtime.runFork(Effect.ignore(current.typing("on")))
    }
    clearTimeout(idle)
    idle = setTimeout(() => {
      typingOn = false
      runtime.runFork(Effect.ignore(current.typing("off")))
    }, 1500)
  })

  // ——— The customer and the conversation ———
  /**
   * Who the site says is signed in: the user its server rendered into the page with its hash, or what its identity
   * endpoint answers for the site's own session (401: nobody). The widget never names an identifier to be signed:
   * an endpoint that signed whatever it was sent would let anyone open any user's conversations.
   */
  const signedInUser: Effect.Effect<Option.Option<SignedInUser>, Error> = settings.user !== undefined
    ? Schema.decodeUnknown(SignedInUser)({
      identifier: settings.user.identifier,
      identifier_hash: settings.user.identifierHash,
      name: settings.user.name,
      email: settings.user.email
    }).pipe(Effect.mapBoth({ onFailure: (error) => new Error(`data-user-hash: ${error.message}`), onSuccess: Option.some }))
    : settings.identityUrl === undefined
    ? Effect.succeedNone
    : askIdentityEndpoint(settings.identityUrl)
  let session: Fiber.RuntimeFiber<void, unknown> | undefined
  const start = (options: {
    readonly contact?: { readonly name?: string; readonly email?: string } | undefined
    readonly startNew?: boolean | undefined
  }) => {
    const previous = session
    chat = undefined
    composerForm.hidden = true
    resolved.hidden = true
    session = runtime.runFork(
      Effect.gen(function*() {
        // The previous conversation's stream stops before its messages leave the panel.
        if (previous) yield* Fiber.interrupt(previous)
        yield* Effect.sync(() => {
          rendered.clear()
          pending.clear()
          last = undefined
          messages.replaceChildren()
          showNotice("")
          showTyping(false)
        })
        const user = yield* signedInUser
        const opened = yield* CustomerChat.make({
          identity: Option.getOrUndefined(Option.map(user, (user) => ({ identifier: user.identifier, identifierHash: user.identifier_hash }))),
          contact: options.contact ?? Option.getOrUndefined(Option.map(user, contactOf)),
          startNew: options.startNew
        })
        chat = opened
        panel.dataset.conversation = String(opened.conversation.id)
        lastRead = Number(localStorage.getItem(readKey(opened.conversation.id)) ?? 0)
        unreadIds.clear()
        showConversationStatus(opened.conversation.status)
        if (host.isOpen()) composer.focus()
        yield* opened.connection.pipe(Stream.runForEach((state) => Effect.sync(() => renderConnection(state))), Effect.forkScoped)
        yield* opened.events().pipe(Stream.runForEach((event) => Effect.sync(() => render(event))))
      }).pipe(
        Effect.scoped,
        Effect.catchAll((error) => Effect.sync(() => showNotice(strings.failed(error.message))))
      )
    )
  }
  startNewButton.addEventListener("click", () => start({ startNew: true }))

  preChat.addEventListener("submit", (event) => {
    event.preventDefault()
    preChat.hidden = true
    start({ contact: contactOf({ name: nameField.input.value.trim(), email: emailField.input.value.trim() }) })
  })

  /** Contact attributes without the empty ones. */
  const contactOf = (fields: { readonly name?: string | undefined; readonly email?: string | undefined }) =>
    Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== "")) as {
      readonly name?: string
      readonly email?: string
    }
  // The pre-chat form is for a visitor the site does not know, and who has no conversation yet.
  runtime.runFork(
    Effect.gen(function*() {
      if (!settings.preChatForm) return false
      const user = yield* Effect.either(signedInUser)
      // When the site cannot say, the start says why.
      if (user._tag === "Left" || Option.isSome(user.right)) return false
      const stored = yield* Effect.flatMap(CustomerStore.CustomerStore, (store) => store.get(settings.inbox)).pipe(
        Effect.orElseSucceed(() => Option.none())
      )
      return Option.isNone(stored)
    }).pipe(
      Effect.tap((askFirst) =>
        Effect.sync(() => {
          if (askFirst) {
            composerForm.hidden = true
            preChat.hidden = false
            if (host.isOpen()) nameField.input.focus()
          } else {
            start({})
          }
        })
      )
    )
  )

  return {
    opened: () => {
      if (!preChat.hidden) nameField.input.focus()
      else composer.focus()
      messages.scrollTop = messages.scrollHeight
      if (unreadIds.size > 0 || chat !== undefined) markRead()
    }
  }
}
