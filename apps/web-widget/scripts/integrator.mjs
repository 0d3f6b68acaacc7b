// A site that embeds the widget, as an integrator would run it: its pages carry the one script tag, it serves the
// built widget, it keeps its own sessions (a cookie set at a sample sign-in), and it signs the identifier of its
// session's user — never one a request names — with the inbox HMAC token, which stays on this server.
// Used by `serve.mjs` and the end-to-end tests.
import { IdentitySigner } from "@bevatel/identity"
import { Effect } from "effect"
import { readFile } from "node:fs/promises"
import { randomBytes } from "node:crypto"
import { createServer } from "node:http"
import { extname, join, normalize } from "node:path"
import { fileURLToPath } from "node:url"

export const distDirectory = fileURLToPath(new URL("../dist/", import.meta.url))
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" }

/**
 * A strict Content-Security-Policy for a site embedding the widget: scripts and styles only from the site's origin
 * (no inline script or style, no eval); the Bevatel installation reachable for requests, the WebSocket and images
 * (attachments, avatars), and `blob:` images for the previews of files being uploaded.
 */
export const strictCsp = (installation) => {
  const origin = new URL(installation).origin
  const socket = origin.replace(/^http/, "ws")
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self' ${origin} ${socket}`,
    `img-src 'self' ${origin} blob: data:`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'"
  ].join("; ")
}

const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c])

const pages = {
  "/": { title: "Acme — Home", heading: "Welcome to Acme", text: "Everything you need, delivered. Questions? Chat with us." },
  "/pricing": { title: "Acme — Pricing", heading: "Pricing", text: "Simple plans for every team. Ask us anything in the chat." }
}

/**
 * A page of the site, with the embed: the widget's settings as `data-*` attributes of its script tag, and
 * `data-identity-url`, where the widget asks whom the site's session holds. `user` is that session's user (the
 * header says who is signed in); `?locale=`, `?prechat=` and `?color=` let a demo or a test try the settings.
 */
const hostPage = (page, widget, query, user) => {
  const attributes = {
    url: widget.url,
    inbox: widget.inbox,
    "identity-url": "/integrator/identity",
    "pre-chat-form": query.get("prechat") ?? widget.preChatForm ?? undefined,
    locale: query.get("locale") ?? widget.locale,
    color: query.get("color") ?? widget.color,
    position: query.get("position") ?? widget.position,
    "max-file-size": widget.maxFileSize
  }
  const data = Object.entries(attributes)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => ` data-${key}="${escapeHtml(value)}"`)
    .join("")
  const links = Object.entries(pages)
    .map(([path, { heading }]) => `<a href="${path}?${escapeHtml(query.toString())}">${escapeHtml(heading === pages["/"].heading ? "Home" : heading)}</a>`)
    .join(" ")
  return `<!doctype html>
<html lang="${escapeHtml(attributes.locale ?? "en")}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(page.title)}</title>
    <link rel="stylesheet" href="/site.css" />
  </head>
  <body>
    <header><strong>Acme</strong> <nav aria-label="Site">${links}</nav> ${
    user === undefined
      ? `<a href="/signin?user=demo-user&amp;name=Demo%20User">Sign in</a>`
      : `<span>Signed in as ${escapeHtml(user.name ?? user.identifier)}</span> <a href="/signout">Sign out</a>`
  }</header>
    <main><h1>${escapeHtml(page.heading)}</h1><p>${escapeHtml(page.text)}</p></main>
    <script type="module" src="/widget.js"${data}></script>
  </body>
</html>
`
}

const siteCss = `body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #1f2430; background: #f6f7fb; }
header { display: flex; gap: 24px; align-items: center; padding: 16px 24px; background: #fff; border-bottom: 1px solid #e3e6ee; }
nav a { color: #1f4fd1; margin-inline-end: 16px; }
main { max-width: 720px; margin: 48px auto; padding: 0 24px; }
`

const sessionCookie = "acme_session"

/** The session id a request's cookie carries, if any. */
const sessionIdOf = (request) =>
  (request.headers.cookie ?? "").split(";").map((part) => part.trim().split("=")).find(([name]) => name === sessionCookie)?.[1]

const json = (response, status, body) =>
  response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body))

/**
 * Serves the site: its pages with the embed (`widget`: the installation `url`, the `inbox` and other settings), the
 * built widget, a sample sign-in (`/signin?user=ID&name=…&email=…`, then back to `/` with the other parameters; a
 * real site checks a password there) and sign-out (`/signout`), and `/integrator/identity`: the signed identity of
 * the session's user — 401 without a session, 403 when a request names anyone (the widget never does). With `csp`,
 * every answer carries that Content-Security-Policy.
 */
export const startIntegrator = (hmacToken, port = 0, options = {}) =>
  Effect.gen(function*() {
    const signer = yield* IdentitySigner.make({ hmacToken })
    /** The site's sessions: a random id (the cookie) to the signed-in user. */
    const sessions = new Map()
    const server = yield* Effect.acquireRelease(
      Effect.async((resume) => {
        const server = createServer((request, response) => {
          const url = new URL(request.url ?? "/", "http://integrator")
          const headers = (type) => ({ "content-type": type, ...(options.csp ? { "content-security-policy": options.csp } : {}) })
          const user = sessions.get(sessionIdOf(request))
          if (url.pathname === "/integrator/identity") {
            // Whom to sign comes from the site's own session, never from the request.
            if (user === undefined) return json(response, 401, { error: "nobody is signed in" })
            if (url.searchParams.has("identifier")) {
              return json(response, 403, { error: "this endpoint signs the signed-in user only; it takes no identifier" })
            }
            Effect.runPromise(signer.sign(user.identifier)).then(
              (signed) => json(response, 200, { ...signed, name: user.name, email: user.email }),
              () => json(response, 500, { error: "could not sign" })
            )
            return
          }
          if (url.pathname === "/signin" && url.searchParams.get("user")) {
            const id = randomBytes(24).toString("base64url")
            const { user: identifier, name, email, ...rest } = Object.fromEntries(url.searchParams)
            sessions.set(id, { identifier, name: name || undefined, email: email || undefined })
            response.writeHead(303, {
              location: `/?${new URLSearchParams(rest)}`,
              "set-cookie": `${sessionCookie}=${id}; Path=/; HttpOnly; SameSite=Lax`
            }).end()
            return
          }
          if (url.pathname === "/signout") {
            sessions.delete(sessionIdOf(request))
            response.writeHead(303, { location: "/", "set-cookie": `${sessionCookie}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` }).end()
            return
          }
          if (pages[url.pathname] && options.widget) {
            response.writeHead(200, headers("text/html")).end(hostPage(pages[url.pathname], options.widget, url.searchParams, user))
            return
          }
          if (url.pathname === "/site.css") {
            response.writeHead(200, headers("text/css")).end(siteCss)
            return
          }
          const path = normalize(url.pathname).replace(/^(\.\.[/\\])+/, "")
          readFile(join(distDirectory, path)).then(
            (body) => response.writeHead(200, headers(types[extname(path)] ?? "application/octet-stream")).end(body),
            () => response.writeHead(404).end()
          )
        })
        server.listen(port, "127.0.0.1", () => resume(Effect.succeed(server)))
      }),
      (server) =>
        Effect.async((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    return { url: `http://127.0.0.1:${server.address().port}` }
  })
