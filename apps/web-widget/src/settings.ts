/**
 * What a site configures when it embeds the widget: either `window.bevatelSettings`, set by one of the site's own
 * scripts before `widget.js` runs, or `data-*` attributes on the `<script>` tag itself (which keeps a page under a
 * strict Content-Security-Policy free of inline script). The global wins where both say something.
 */

/** The reply-time promise Chatwoot's widget shows (its `reply_time` setting). */
export type ReplyTime = "in_a_few_minutes" | "in_a_few_hours" | "in_a_day"

/**
 * A customer the site already knows, as the site's server rendered it into the page: its `identifier` and the
 * `identifierHash` the server computed for it with the inbox HMAC token. The page never chooses whom to sign.
 */
export interface User {
  readonly identifier: string
  readonly identifierHash: string
  readonly name?: string | undefined
  readonly email?: string | undefined
}

/** The widget's settings, every default applied. */
export interface Settings {
  /** The Bevatel installation, e.g. `https://support.example.com`. */
  readonly url: string
  /** The API inbox's public identifier. */
  readonly inbox: string
  /**
   * The site's endpoint (same origin, with the site's cookies) that answers `{ identifier, identifier_hash, name?,
   * email? }` for the user the site's own session holds, or 401 when nobody is signed in. The widget sends it no
   * identifier: the server decides whom it signs.
   */
  readonly identityUrl: string | undefined
  /** The signed-in user with the hash, rendered into the page by the site's server (instead of `identityUrl`). */
  readonly user: User | undefined
  /** The widget's colour (a CSS colour); white text is drawn on it, so choose one dark enough. */
  readonly color: string
  readonly position: "left" | "right"
  /** `en` or `ar`; default the page's `lang`, then the browser's language. */
  readonly locale: string
  readonly title: string | undefined
  /** Ask an anonymous customer's name and email before the first message. */
  readonly preChatForm: boolean
  readonly replyTime: ReplyTime
  /** The largest attachment accepted, in bytes; Chatwoot's default is 40 MB. */
  readonly maxFileSize: number
}

/** Settings as a site writes them. */
export type SiteSettings = Partial<Omit<Settings, "maxFileSize">> & { readonly maxFileSize?: number | undefined }

const replyTimes: ReadonlyArray<ReplyTime> = ["in_a_few_minutes", "in_a_few_hours", "in_a_day"]

/** The `<script>` element that loaded `scriptUrl` (a module script has no `document.currentScript`). */
const scriptOf = (scriptUrl: string): HTMLScriptElement | undefined =>
  [...document.scripts].find((script) => script.src !== "" && new URL(script.src, location.href).href === scriptUrl)

/** Reads the site's settings; fails with a message naming the missing one. */
export const readSettings = (scriptUrl: string): Settings => {
  const global = (window as { bevatelSettings?: SiteSettings }).bevatelSettings ?? {}
  const data = scriptOf(scriptUrl)?.dataset ?? {}
  const pick = (key: keyof SiteSettings): string | undefined => {
    const value = global[key] ?? data[key]
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined
  }
  const url = pick("url")
  const inbox = pick("inbox")
  if (url === undefined || inbox === undefined) {
    throw new Error(
      `Bevatel widget: set ${url === undefined ? "url (the installation)" : "inbox (the inbox identifier)"} — ` +
        `as data-${url === undefined ? "url" : "inbox"} on the script tag or in window.bevatelSettings`
    )
  }
  const identifier = global.user?.identifier ?? data.user
  const identifierHash = global.user?.identifierHash ?? data.userHash
  if (identifier !== undefined && identifier !== "" && (identifierHash === undefined || identifierHash === "")) {
    throw new Error(
      "Bevatel widget: a user needs the identifier_hash your server computed for it (data-user-hash, or " +
        "user.identifierHash in window.bevatelSettings) — or leave the user out and set data-identity-url"
    )
  }
  const user: User | undefined = identifier && identifierHash
    ? { identifier, identifierHash, name: global.user?.name ?? data.userName, email: global.user?.email ?? data.userEmail }
    : undefined
  const language = (pick("locale") ?? (document.documentElement.lang || navigator.language)).toLowerCase()
  const replyTime = pick("replyTime") as ReplyTime | undefined
  const maxFileSize = Number(global.maxFileSize ?? data.maxFileSize)
  return {
    url,
    inbox,
    identityUrl: pick("identityUrl"),
    user,
    color: pick("color") ?? "#1f4fd1",
    position: pick("position") === "left" ? "left" : "right",
    locale: language.startsWith("ar") ? "ar" : "en",
    title: pick("title"),
    preChatForm: global.preChatForm ?? data.preChatForm === "true",
    replyTime: replyTime !== undefined && replyTimes.includes(replyTime) ? replyTime : "in_a_few_minutes",
    maxFileSize: Number.isFinite(maxFileSize) && maxFileSize > 0 ? maxFileSize : 40 * 1024 * 1024
  }
}
