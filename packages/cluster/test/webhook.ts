/**
 * A webhook receiver on loopback for tests: records every POST (its `Idempotency-Key` and JSON body), answers 200 —
 * or 503 while `refuse` is above zero — and dedupes by key the way a receiver should.
 */
import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"
import { Effect } from "effect"

/** A delivery as received. */
export interface Received {
  /** The runner that delivered it (`x-bevatel-runner`), when it says. */
  readonly runner: string | undefined
  /** When it arrived (ms since the epoch). */
  readonly at: number
  readonly key: string
  readonly customer: string
  readonly conversation_id: number
  readonly event: string
  readonly data: { readonly id?: number; readonly content?: string; readonly message_type?: number | string }
}

const bodyOf = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    request.on("error", reject)
  })

/** The receiver for the scope's lifetime. */
export const webhookReceiver = Effect.acquireRelease(
  Effect.async<{
    readonly url: string
    /** Every POST, in arrival order, repeats included. */
    readonly all: Array<Received>
    /** The first POST of each key. */
    readonly unique: Map<string, Received>
    /** How many POSTs to answer 503 still. */
    refuse: number
    readonly close: () => void
  }>((resume) => {
    const all: Array<Received> = []
    const unique = new Map<string, Received>()
    const state = { refuse: 0 }
    const server = createServer((request, response) => {
      void bodyOf(request).then((body) => {
        if (state.refuse > 0) {
          state.refuse -= 1
          response.writeHead(503).end()
          return
        }
        const received: Received = {
          ...JSON.parse(body) as Omit<Received, "runner" | "at">,
          runner: request.headers["x-bevatel-runner"] as string | undefined,
          at: Date.now()
        }
        if (received.key !== request.headers["idempotency-key"]) throw new Error("the key header and body differ")
        all.push(received)
        if (!unique.has(received.key)) unique.set(received.key, received)
        response.writeHead(200).end()
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port
      resume(Effect.succeed(Object.assign(state, {
        url: `http://127.0.0.1:${port}/events`,
        all,
        unique,
        close: () => server.close()
      })))
    })
  }),
  (receiver) => Effect.sync(() => receiver.close())
)
