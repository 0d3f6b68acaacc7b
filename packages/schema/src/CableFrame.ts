/**
 * The ActionCable frames on `/cable`: what the server sends, what a client sends, and the `RoomChannel`
 * subscription identifier.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { PubsubToken } from "./Identifiers.js"
import { optionalKey } from "./internal/fields.js"
import { JsonObject, JsonValue } from "./Json.js"
import { openStringEnum } from "./internal/openEnum.js"

/**
 * The sub-protocol ActionCable speaks, offered when opening the socket.
 *
 * @since 0.1.0
 * @category constants
 */
export const protocols: ReadonlyArray<string> = ["actioncable-v1-json", "actioncable-unsupported"]

/**
 * Sent once after the socket opens.
 *
 * @since 0.1.0
 * @category server frames
 */
export const Welcome = Schema.Struct({
  type: Schema.Literal("welcome"),
  sid: optionalKey(Schema.String)
}).annotations({ identifier: "Welcome" })
/**
 * @since 0.1.0
 * @category server frames
 */
export interface Welcome extends Schema.Schema.Type<typeof Welcome> {}

/**
 * The heartbeat, every 3 s, carrying the server's Unix time in seconds.
 *
 * @since 0.1.0
 * @category server frames
 */
export const Ping = Schema.Struct({
  type: Schema.Literal("ping"),
  message: Schema.Number
}).annotations({ identifier: "Ping" })
/**
 * @since 0.1.0
 * @category server frames
 */
export interface Ping extends Schema.Schema.Type<typeof Ping> {}

/**
 * A subscription was accepted. `identifier` is byte-for-byte the string the client subscribed with.
 *
 * @since 0.1.0
 * @category server frames
 */
export const ConfirmSubscription = Schema.Struct({
  type: Schema.Literal("confirm_subscription"),
  identifier: Schema.String
}).annotations({ identifier: "ConfirmSubscription" })
/**
 * @since 0.1.0
 * @category server frames
 */
export interface ConfirmSubscription extends Schema.Schema.Type<typeof ConfirmSubscription> {}

/**
 * A subscription was rejected. (Bevatel's `RoomChannel` never rejects: an unknown token gets no answer at all.)
 *
 * @since 0.1.0
 * @category server frames
 */
export const RejectSubscription = Schema.Struct({
  type: Schema.Literal("reject_subscription"),
  identifier: Schema.String
}).annotations({ identifier: "RejectSubscription" })
/**
 * @since 0.1.0
 * @category server frames
 */
export interface RejectSubscription extends Schema.Schema.Type<typeof RejectSubscription> {}

/**
 * Why the server disconnects a client.
 *
 * @since 0.1.0
 * @category server frames
 */
export const DisconnectReason = openStringEnum("DisconnectReason", [
  "unauthorized",
  "invalid_request",
  "server_restart",
  "remote"
])
/**
 * @since 0.1.0
 * @category server frames
 */
export type DisconnectReason = typeof DisconnectReason.Type

/**
 * The server is closing the socket; `reconnect: false` means it does not want the client back.
 *
 * @since 0.1.0
 * @category server frames
 */
export const Disconnect = Schema.Struct({
  type: Schema.Literal("disconnect"),
  reason: optionalKey(DisconnectReason),
  reconnect: optionalKey(Schema.Boolean)
}).annotations({ identifier: "Disconnect" })
/**
 * @since 0.1.0
 * @category server frames
 */
export interface Disconnect extends Schema.Schema.Type<typeof Disconnect> {}

/**
 * A broadcast to a subscription. For `RoomChannel` the `message` is `{event, data}` (see `CableEvent`); it is
 * kept undecoded here so that one bad payload never hides the frame it came in.
 *
 * @since 0.1.0
 * @category server frames
 */
export const Broadcast = Schema.Struct({
  identifier: Schema.String,
  message: JsonValue
}).annotations({ identifier: "Broadcast" })
/**
 * @since 0.1.0
 * @category server frames
 */
export interface Broadcast extends Schema.Schema.Type<typeof Broadcast> {}

/**
 * Any frame the server sends.
 *
 * @since 0.1.0
 * @category server frames
 */
export const ServerFrame = Schema.Union(Welcome, Ping, ConfirmSubscription, RejectSubscription, Disconnect, Broadcast)
  .annotations({ identifier: "ServerFrame" })
/**
 * @since 0.1.0
 * @category server frames
 */
export type ServerFrame = typeof ServerFrame.Type

/**
 * A server frame from the JSON text of a WebSocket message.
 *
 * @since 0.1.0
 * @category server frames
 */
export const ServerFrameFromJson = Schema.parseJson(ServerFrame)

/**
 * `{"command":"subscribe","identifier":"…"}`.
 *
 * @since 0.1.0
 * @category client commands
 */
export const Subscribe = Schema.Struct({
  command: Schema.Literal("subscribe"),
  identifier: Schema.String
}).annotations({ identifier: "Subscribe" })
/**
 * @since 0.1.0
 * @category client commands
 */
export interface Subscribe extends Schema.Schema.Type<typeof Subscribe> {}

/**
 * `{"command":"unsubscribe","identifier":"…"}`; the server does not answer it.
 *
 * @since 0.1.0
 * @category client commands
 */
export const Unsubscribe = Schema.Struct({
  command: Schema.Literal("unsubscribe"),
  identifier: Schema.String
}).annotations({ identifier: "Unsubscribe" })
/**
 * @since 0.1.0
 * @category client commands
 */
export interface Unsubscribe extends Schema.Schema.Type<typeof Unsubscribe> {}

/**
 * The `data` of a perform command: a JSON string holding at least the `action` name.
 *
 * @since 0.1.0
 * @category client commands
 */
export const PerformData = Schema.parseJson(
  Schema.Struct({ action: Schema.String }, JsonObject)
).annotations({ identifier: "PerformData" })
/**
 * @since 0.1.0
 * @category client commands
 */
export type PerformData = typeof PerformData.Type

/**
 * `{"command":"message","identifier":"…","data":"{\"action\":\"update_presence\"}"}`: performs a channel action.
 *
 * @since 0.1.0
 * @category client commands
 */
export const Perform = Schema.Struct({
  command: Schema.Literal("message"),
  identifier: Schema.String,
  data: PerformData
}).annotations({ identifier: "Perform" })
/**
 * @since 0.1.0
 * @category client commands
 */
export interface Perform extends Schema.Schema.Type<typeof Perform> {}

/**
 * Any command a client sends.
 *
 * @since 0.1.0
 * @category client commands
 */
export const ClientCommand = Schema.Union(Subscribe, Unsubscribe, Perform).annotations({ identifier: "ClientCommand" })
/**
 * @since 0.1.0
 * @category client commands
 */
export type ClientCommand = typeof ClientCommand.Type

/**
 * A client command from (or to) the JSON text of a WebSocket message.
 *
 * @since 0.1.0
 * @category client commands
 */
export const ClientCommandFromJson = Schema.parseJson(ClientCommand)

/**
 * The `RoomChannel` subscription of a customer, as the JSON string that is the subscription `identifier` on the
 * wire. Encoding always writes `{"channel":"RoomChannel","pubsub_token":"…"}` in that key order; the server
 * echoes the string byte-for-byte, so match frames against the string you sent.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const RoomChannelIdentifier = Schema.parseJson(
  Schema.Struct({
    channel: Schema.Literal("RoomChannel"),
    pubsub_token: PubsubToken
  })
).annotations({ identifier: "RoomChannelIdentifier" })
/**
 * @since 0.1.0
 * @category identifiers
 */
export type RoomChannelIdentifier = typeof RoomChannelIdentifier.Type
