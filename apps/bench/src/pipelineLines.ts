/**
 * 7. What a pipeline writes: the client CPU of one stdout line of `bevatel-chat pipe` (and of the bridge and the
 * cluster's `EventSink`), per golden cable event, beside writing the event as it came off the wire.
 */
import { ConversationEvent } from "@bevatel/client"
import { CableEvent, Credentials, Decoder } from "@bevatel/schema"
import { Either, Schema } from "effect"
import { goldenMessages } from "./frames.js"
import { median, type Row } from "./sections.js"

/** A decoded cable event as the conversation stream emits it. */
const asConversationEvent = (event: CableEvent.CableEvent): ConversationEvent.ConversationEvent =>
  event._tag === "MessageCreated"
    ? new ConversationEvent.MessageAdded({ message: ConversationEvent.fromPayload(event.data), origin: "live" })
    : event._tag === "MessageUpdated"
    ? new ConversationEvent.MessageChanged({ message: ConversationEvent.fromPayload(event.data) })
    : new ConversationEvent.Live({ event })

export const pipelineLines = async (rows: Array<Row>) => {
  const decode = Decoder.compile(CableEvent.CableEvent)
  const events = goldenMessages.map((message) => asConversationEvent(Either.getOrThrow(decode(message))))
  const encodeInterpreted = Schema.encodeSync(ConversationEvent.ConversationEvent)
  const ways: ReadonlyArray<readonly [name: string, line: (i: number) => string]> = [
    // The floor: the parsed event written back as it came, nothing checked or redacted.
    ["raw event, JSON.stringify", (i) => JSON.stringify(goldenMessages[i % goldenMessages.length])],
    ["@bevatel/client toWire", (i) => JSON.stringify(Credentials.redact(ConversationEvent.toWire(events[i % events.length]!)))],
    // The same events through the Schema's own encoder: what `toWire` would cost without the compiled encoders.
    ["Schema.encodeSync", (i) => JSON.stringify(Credentials.redact(encodeInterpreted(events[i % events.length]!)))]
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
