// The integrator's server, as a site embedding the widget would run it: it serves the built widget and signs a
// logged-in user's identifier with the inbox HMAC token, which stays on this server. Used by `serve.mjs` and the
// end-to-end test.
import { IdentitySigner } from "@bevatel/identity"
import { Effect } from "effect"
import { readFile } from "node:fs/promises"
import { createServer } from "node:http"
import { extname, join, normalize } from "node:path"
import { fileURLToPath } from "node:url"

export const distDirectory = fileURLToPath(new URL("../dist/", import.meta.url))
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" }

/**
 * A strict Content-Security-Policy for the page: scripts only from this origin (no inline script, no eval), the
 * Bevatel installation reachable for fetch and the WebSocket.
 */
export const strictCsp = (installation) => {
  const origin = new URL(installation).origin
  const socket = origin.replace(/^http/, "ws")
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `connect-src 'self' ${origin} ${socket}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'"
  ].join("; ")
}

export const startIntegrator = (hmacToken, port = 0, options = {}) =>
  Effect.gen(function*() {
    const signer = yield* IdentitySigner.make({ hmacToken })
    const server = yield* Effect.acquireRelease(
      Effect.async((resume) => {
        const server = createServer((request, response) => {
          const url = new URL(request.url ?? "/", "http://integrator")
          if (url.pathname === "/integrator/identity") {
            // A real integrator signs only the user its own session says is logged in.
            Effect.runPromise(signer.sign(url.searchParams.get("identifier") ?? "")).then((signed) => {
              response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(signed))
            })
            return
          }
          const path = normalize(url.pathname === "/" ? "/index.html" : url.pathname).replace(/^(\.\.[/\\])+/, "")
          readFile(join(distDirectory, path)).then(
            (body) =>
              response.writeHead(200, {
                "content-type": types[extname(path)] ?? "application/octet-stream",
                ...(options.csp ? { "content-security-policy": options.csp } : {})
              }).end(body),
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
