/**
 * The ActionCable frames on `/cable`: what the server sends, what a client sends, and the `RoomChannel`
 * subscription identifier.
 *
 * @since 0.1.0
 */
import { Vocabulary } from "@bevatel/wire"
import * as Schema from "effect/Schema"
import { PubsubToken } from "./Identifiers.js"
import { fromJson, named, oneOf, withRest } from "./internal/dialect.js"
import { optionalKey } from "./internal/fields.js"
import { JsonObject, JsonValue } from "./Json.js"
import { openStringEnum } from "./internal/openEnum.js"

/**
 * The sub-protocol ActionCable speaks, offered when opening the socket.
 *
 * @since 0.1.0
 * @category constants
 */
export const protocols: ReadonlyArray<string> = Vocabulary.cableProtocols

/**
 * Sent once after the socket opens.
 *
 * @since 0.1.0
 * @category server frames
 */
export const Welcome = named("Welcome", Schema.Struct({
  type: Schema.Literal("welcome"),
  sid: optionalKey(Schema.String)
}))
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
export const Ping = named("Ping", Schema.Struct({
  type: Schema.Literal("ping"),
  message: Schema.Number
}))
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
export const ConfirmSubscription = named("ConfirmSubscription", Schema.Struct({
  type: Schema.Literal("confirm_subscription"),
  identifier: Schema.String
}))
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
export const RejectSubscription = named("RejectSubscription", Schema.Struct({
  type: Schema.Literal("reject_subscription"),
  identifier: Schema.String
}))
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
export const DisconnectReason = openStringEnum("DisconnectReason", Vocabulary.disconnectReasons)
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
export const Disconnect = named("Disconnect", Schema.Struct({
  type: Schema.Literal("disconnect"),
  reason: optionalKey(DisconnectReason),
  reconnect: optionalKey(Schema.Boolean)
}))
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
export const Broadcast = named("Broadcast", Schema.Struct({
  identifier: Schema.String,
  message: JsonValue
}))
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
export const ServerFrame = named("ServerFrame", oneOf(Welcome, Ping, ConfirmSubscription, RejectSubscription, Disconnect, Broadcast))
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
export const ServerFrameFromJson = fromJson(ServerFrame)

/**
 * `{"command":"subscribe","identifier":"…"}`.
 *
 * @since 0.1.0
 * @category client commands
 */
export const Subscribe = named("Subscribe", Schema.Struct({
  command: Schema.Literal("subscribe"),
  identifier: Schema.String
}))
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
export const Unsubscribe = named("Unsubscribe", Schema.Struct({
  command: Schema.Literal("unsubscribe"),
  identifier: Schema.String
}))
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
export const PerformData = named("PerformData", fromJson(
  withRest({ action: Schema.String }, JsonObject)
))
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
export const Perform = named("Perform", Schema.Struct({
  command: Schema.Literal("message"),
  identifier: Schema.String,
  data: PerformData
}))
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
export const ClientCommand = named("ClientCommand", oneOf(Subscribe, Unsubscribe, Perform))
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
export const ClientCommandFromJson = fromJson(ClientCommand)

/**
 * The `RoomChannel` subscription of a customer, as the JSON string that is the subscription `identifier` on the
 * wire. Encoding always writes `{"channel":"RoomChannel","pubsub_token":"…"}` in that key order; the server
 * echoes the string byte-for-byte, so match frames against the string you sent.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const RoomChannelIdentifier = named("RoomChannelIdentifier", fromJson(
  Schema.Struct({
    channel: Schema.Literal("RoomChannel"),
    pubsub_token: PubsubToken
  })
))
/**
 * @since 0.1.0
 * @category identifiers
 */
export type RoomChannelIdentifier = typeof RoomChannelIdentifier.Type
