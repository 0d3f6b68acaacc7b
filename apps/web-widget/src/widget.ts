/**
 * The embed: `<script type="module" src="https://…/widget.js" data-url="…" data-inbox="…">`. This file is all that
 * loads before the customer opens the chat — a launcher bubble with an unread badge, in a shadow root so the
 * site's styles and the widget's do not meet. The chat itself (`panel.ts`, with the SDK) is fetched on the first
 * open, and again after a navigation once the customer has opened it in this tab, so the badge keeps counting.
 *
 * `window.Bevatel.open()`, `.close()` and `.toggle()` drive it from the site's own code.
 */
import { icon } from "./icon.js"
import { readSettings } from "./settings.js"
import { stringsFor } from "./strings.js"

const settings = readSettings(import.meta.url)
const strings = stringsFor(settings.locale)
/** Per tab, so the widget comes back as it was after the site navigates: open or closed, used or not. */
const stateKey = `bevatel-widget:${settings.inbox}`
interface TabState {
  open: boolean
  used: boolean
}
const state: TabState = { open: false, used: false, ...JSON.parse(sessionStorage.getItem(stateKey) ?? "{}") }
const saveState = () => sessionStorage.setItem(stateKey, JSON.stringify(state))

const host = document.createElement("div")
host.id = "bevatel-widget"
const shadow = host.attachShadow({ mode: "open" })
const stylesheet = document.createElement("link")
stylesheet.rel = "stylesheet"
stylesheet.href = new URL(/* @vite-ignore */ "widget.css", import.meta.url).href
const root = document.createElement("div")
root.className = `root ${settings.position}`
root.dir = strings.dir
root.lang = settings.locale
root.style.setProperty("--bevatel-color", settings.color)

const panel = document.createElement("section")
panel.id = "bevatel-panel"
panel.className = "panel"
panel.hidden = true
panel.setAttribute("role", "dialog")
panel.setAttribute("aria-label", settings.title ?? strings.title)

const launcher = document.createElement("button")
launcher.type = "button"
launcher.className = "launcher"
launcher.setAttribute("aria-controls", panel.id)
const badge = document.createElement("span")
badge.className = "badge"
badge.hidden = true
badge.setAttribute("aria-hidden", "true")
launcher.append(icon("M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"), badge)

root.append(panel, launcher)
shadow.append(stylesheet, root)
document.body.append(host)

let unread = 0
const renderLauncher = () => {
  launcher.setAttribute("aria-expanded", String(state.open))
  launcher.setAttribute("aria-label", unread > 0 && !state.open ? `${strings.openChat}, ${strings.unread(unread)}` : state.open ? strings.closeChat : strings.openChat)
  launcher.dataset.open = String(state.open)
  badge.hidden = unread === 0 || state.open
  badge.textContent = unread > 9 ? "9+" : String(unread)
  host.dataset.unread = String(unread)
}

/** The panel's side of the widget, once its chunk is loaded. */
interface Chat {
  readonly opened: () => void
}
let chat: Promise<Chat> | undefined
const loadChat = () =>
  chat ??= import("./panel.js").then((module) =>
    module.mount({
      panel,
      settings,
      strings,
      isOpen: () => state.open,
      setUnread: (count) => {
        unread = count
        renderLauncher()
      },
      close: () => setOpen(false, true)
    })
  )

const setOpen = (open: boolean, returnFocus = false) => {
  state.open = open
  if (open) state.used = true
  saveState()
  panel.hidden = !open
  renderLauncher()
  if (open) void loadChat().then((loaded) => loaded.opened())
  else if (returnFocus) launcher.focus()
}

launcher.addEventListener("click", () => setOpen(!state.open))
root.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && state.open) {
    event.stopPropagation()
    setOpen(false, true)
  }
})

renderLauncher()
if (state.open) setOpen(true)
else if (state.used) void loadChat()

/** The site's handle on the widget. */
;(window as { Bevatel?: unknown }).Bevatel = {
  open: () => setOpen(true),
  close: () => setOpen(false),
  toggle: () => setOpen(!state.open)
}
