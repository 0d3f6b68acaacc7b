/**
 * Where a clustered bridge hands each conversation event: at least once, with an idempotency key, so that the
 * receiver drops the repeats (a runner that dies after delivering and before committing its checkpoint delivers again
 * from its successor). The default is an HTTP webhook: one `POST` per event.
 *
 * @since 0.1.0
 */
import { ConversationEvent } from "@bevatel/client"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

/**
 * One event for the sink, in its wire form (`ConversationEvent.toWire`), tagged with your customer identifier and the
 * conversation; `key` is the same on every delivery of the same event.
 *
 * @since 0.1.0
 * @category models
 */
export interface Delivery {
  readonly key: string
  readonly customer: string
  readonly conversation_id: number
  readonly event: string
  readonly data: unknown
}

/**
 * The idempotency key of an event: `message/<id>` for a new message (the server's message id), and for a change,
 * the message or conversation with a digest of what changed, so that the same change delivered twice has one key.
 * `undefined` for what is not forwarded: `Resumed` (a stream's own notice) and `Live` events (typing, presence),
 * which are ephemeral and have no identity.
 *
 * @example
 * ```ts
 * import { EventSink } from "@bevatel/cluster"
 * import type { ConversationEvent } from "@bevatel/client"
 *
 * const keyOf = (event: ConversationEvent.ConversationEvent) => EventSink.deliveryOf("user-42", 7, event)?.key
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const deliveryOf = (
  customer: string,
  conversationId: number,
  event: ConversationEvent.ConversationEvent
): Delivery | undefined => {
  const wire = ConversationEvent.toWire(event)
  const delivery = (key: string): Delivery => ({ key, customer, conversation_id: conversationId, ...wire })
  switch (event._tag) {
    case "MessageAdded":
      return delivery(`message/${event.message.id}`)
    case "MessageChanged":
      return delivery(`message/${event.message.id}/updated/${digest(JSON.stringify(wire.data))}`)
    case "StatusChanged":
      return delivery(`conversation/${conversationId}/status/${event.status}`)
    default:
      return undefined
  }
}

/** FNV-1a, 32 bits, in hex: a short stable digest (not a security measure). */
const digest = (text: string) => {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return (hash >>> 0).toString(16).padStart(8, "0")
}

/**
 * The sink did not take a delivery; the bridge retries it (nothing is dropped).
 *
 * @since 0.1.0
 * @category errors
 */
export class SinkError extends Data.TaggedError("@bevatel/cluster/SinkError")<{
  readonly key: string
  readonly reason: string
  readonly cause?: unknown
}> {
  /**
   * @since 0.1.0
   */
  override get message() {
    return `the sink did not take event ${this.key}: ${this.reason}; it is retried until it does`
  }
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Hands one event on; succeeds only once the receiver has it. */
  readonly deliver: (delivery: Delivery) => Effect.Effect<void, SinkError>
}

/**
 * The sink service: where the bridge delivers each event.
 *
 * @example
 * ```ts
 * import { EventSink } from "@bevatel/cluster"
 * import { Effect } from "effect"
 *
 * const deliver = (delivery: EventSink.Delivery) => Effect.flatMap(EventSink.EventSink, (sink) => sink.deliver(delivery))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class EventSink extends Context.Tag("@bevatel/cluster/EventSink")<EventSink, Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export interface WebhookOptions {
  /** Where each event is POSTed as JSON (the {@link Delivery}), with its key in the `Idempotency-Key` header. */
  readonly url: string
  /** Headers sent with every POST (e.g. which runner delivers). */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** A secret sent as `Authorization: Bearer …`, so the receiver knows the bridge. */
  readonly bearerToken?: Redacted.Redacted | undefined
  /** How long one POST may take. Default 10 s. */
  readonly timeout?: Duration.DurationInput | undefined
}

/**
 * A webhook sink: one `POST` per event; any 2xx answer means delivered, anything else (or no answer) is a
 * `SinkError` to retry.
 *
 * @example
 * ```ts
 * import { EventSink } from "@bevatel/cluster"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 *
 * const sink = EventSink.webhook({ url: "https://example.com/events" }).pipe(Effect.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const webhook = (options: WebhookOptions): Effect.Effect<Service, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const timeout = Duration.decode(options.timeout ?? "10 seconds")
    const url = new URL(options.url)
    const where = `${url.origin}${url.pathname}`
    return EventSink.of({
      deliver: (delivery) =>
        HttpClientRequest.post(options.url).pipe(
          HttpClientRequest.setHeaders(options.headers ?? {}),
          HttpClientRequest.setHeader("idempotency-key", delivery.key),
          options.bearerToken === undefined ? (request) => request : HttpClientRequest.bearerToken(options.bearerToken),
          HttpClientRequest.setBody(HttpBody.unsafeJson(delivery)),
          client.execute,
          Effect.flatMap((response) =>
            response.status >= 200 && response.status < 300
              ? Effect.void
              : Effect.fail(new SinkError({ key: delivery.key, reason: `${where} answered ${response.status}` }))
          ),
          Effect.scoped,
          Effect.timeoutFail({
            duration: timeout,
            onTimeout: () => new SinkError({ key: delivery.key, reason: `${where} did not answer within ${Duration.format(timeout)}` })
          }),
          Effect.catchTag("RequestError", "ResponseError", (cause) =>
            Effect.fail(new SinkError({ key: delivery.key, reason: `${where} could not be reached (${cause.message})`, cause }))),
          Effect.withSpan("EventSink.webhook", { attributes: { key: delivery.key } })
        )
    })
  })

/**
 * The webhook sink as the `EventSink` service.
 *
 * @example
 * ```ts
 * import { EventSink } from "@bevatel/cluster"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer, Redacted } from "effect"
 *
 * const Sink = EventSink.layerWebhook({
 *   url: "https://example.com/events",
 *   bearerToken: Redacted.make("a shared secret")
 * }).pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWebhook = (options: WebhookOptions): Layer.Layer<EventSink, never, HttpClient.HttpClient> =>
  Layer.effect(EventSink, webhook(options))
