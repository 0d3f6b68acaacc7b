/**
 * 7. What a pipeline writes: the client CPU of one stdout line of `bevatel-chat pipe` (and of the bridge and the
 * cluster's `EventSink`), per golden cable event, beside writing the event as it came off the wire.
 */
import { ConversationEvent } from "@bevatel/client"
import { CableEvent, Credentials, Decoder } from "@bevatel/schema"
import { Either, Schema } from "effect"
import { goldenMessages } from "./frames.js"
import { median, type Row } from "./sections.js"

/**
 * A decoded cable event as the conversation stream emits it: a message in its one shape, any other event with the
 * event as it came (`wire`), built without a second check.
 */
const asConversationEvent = (event: CableEvent.CableEvent, wire: CableEvent.WireEvent): ConversationEvent.ConversationEvent =>
  event._tag === "MessageCreated"
    ? new ConversationEvent.MessageAdded({ message: ConversationEvent.fromPayload(event.data), origin: "live" }, true)
    : event._tag === "MessageUpdated"
    ? new ConversationEvent.MessageChanged({ message: ConversationEvent.fromPayload(event.data) }, true)
    : new ConversationEvent.Live({ event, wire }, true)

export const pipelineLines = async (rows: Array<Row>) => {
  const decode = Decoder.compile(CableEvent.CableEvent)
  const events = goldenMessages.map((message) =>
    asConversationEvent(Either.getOrThrow(decode(message)), message as CableEvent.WireEvent)
  )
  // Without the wire form: each event encoded back from its decoded value, by the compiled encoders (`toWire` on a
  // `Live` made by hand) and by the Schema's own encoders (what `toWire` did before it had compiled encoders).
  const encodedBack = events.map((event) => event._tag === "Live" ? new ConversationEvent.Live({ event: event.event }, true) : event)
  const encodeMessage = Schema.encodeSync(ConversationEvent.ConversationMessage)
  const encodeEvent = Schema.encodeSync(CableEvent.CableEvent)
  const interpreted = (event: ConversationEvent.ConversationEvent) =>
    event._tag === "MessageAdded"
      ? { event: "message.created", data: encodeMessage(event.message) }
      : event._tag === "MessageChanged"
      ? { event: "message.updated", data: encodeMessage(event.message) }
      : event._tag === "Live"
      ? encodeEvent(event.event)
      : ConversationEvent.toWire(event)
  const ways: ReadonlyArray<readonly [name: string, line: (i: number) => string]> = [
    // The floor: the parsed event written back as it came, nothing checked or redacted.
    ["raw event, JSON.stringify", (i) => JSON.stringify(goldenMessages[i % goldenMessages.length])],
    ["@bevatel/client toWire", (i) => JSON.stringify(Credentials.redact(ConversationEvent.toWire(events[i % events.length]!)))],
    ["toWire, encoded back", (i) => JSON.stringify(Credentials.redact(ConversationEvent.toWire(encodedBack[i % events.length]!)))],
    ["Schema.encodeSync", (i) => JSON.stringify(Credentials.redact(interpreted(events[i % events.length]!)))]
  ]
  const lines = 20_000
  const rounds = 5
  const perLine = new Map(ways.map(([name]) => [name, [] as Array<number>]))
  // Every line is used, so that none is optimised away.
  let written = 0
  for (const [, line] of ways) for (let i = 0; i < lines; i++) written += line(i).length // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const [name, line] of ways) {
      const before = process.cpuUsage()
      for (let i = 0; i < lines; i++) written += line(i).length
      const used = process.cpuUsage(before)
      perLine.get(name)!.push((used.user + used.system) / lines)
    }
  }
  if (written === 0) throw new Error("no line was written")
  const reference = median(perLine.get(ways[0]![0])!)
  for (const [name, values] of perLine) {
    const value = median(values)
    rows.push({
      section: "what a pipeline writes: one redacted stdout line per golden cable event, in turn",
      client: name,
      metric: `cpu per line (median of ${rounds} interleaved rounds × ${lines / 1000}k)`,
      value: Number(value.toFixed(2)),
      unit: "µs",
      ratio: Number((value / reference).toFixed(2)),
      reference: ways[0]![0]
    })
  }
}
