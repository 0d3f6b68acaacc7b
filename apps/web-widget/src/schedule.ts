/**
 * Whether the team is there: the inbox's working hours (from `GET /public/api/v1/inboxes/{id}`, in the inbox's time
 * zone) and the agents' presence (`presence.update`), in the words Chatwoot's widget uses.
 */
import type { Inbox } from "@bevatel/schema"
import type { Strings } from "./strings.js"

/** Where a time is in an inbox's week. */
interface WeekTime {
  readonly day: number
  readonly minutes: number
}

/** The weekday and minute of `now` in `timeZone` (UTC when the zone is not one the browser knows). */
const inZone = (now: Date, timeZone: string): WeekTime => {
  const format = (zone: string) =>
    new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
  let parts: Array<Intl.DateTimeFormatPart>
  try {
    parts = format(timeZone).formatToParts(now)
  } catch {
    parts = format("UTC").formatToParts(now)
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "0"
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(part("weekday"))
  return { day, minutes: Number(part("hour")) * 60 + Number(part("minute")) }
}

/** The next opening: now (`undefined`) or in `days` days at `minutes` past midnight; `null` when never open. */
export const nextOpening = (
  schedule: ReadonlyArray<Inbox.WorkingHours>,
  now: WeekTime
): undefined | null | { readonly days: number; readonly minutes: number } => {
  for (let days = 0; days <= 7; days++) {
    const hours = schedule.find((h) => h.day_of_week === (now.day + days) % 7)
    if (hours === undefined || hours.closed_all_day) continue
    const opens = hours.open_all_day ? 0 : (hours.open_hour ?? 0) * 60 + (hours.open_minutes ?? 0)
    const closes = hours.open_all_day ? 24 * 60 : (hours.close_hour ?? 24) * 60 + (hours.close_minutes ?? 0)
    if (days === 0 && now.minutes >= opens && now.minutes < closes) return undefined
    if (days > 0 || now.minutes < opens) return { days, minutes: opens }
  }
  return null
}

/** What the widget's header says of the team's availability. */
export interface Availability {
  readonly online: boolean
  readonly text: string
  readonly detail: string
}

/**
 * The header's availability: away outside working hours (saying when the team is back), else online when an agent is
 * online (or when presence is not known yet), else away; with the reply-time promise.
 */
export const availability = (options: {
  readonly inbox: Inbox.Inbox | undefined
  readonly agentsOnline: boolean | undefined
  readonly now: Date
  readonly strings: Strings
  readonly replyTime: string
  readonly locale: string
}): Availability => {
  const { inbox, strings } = options
  if (inbox?.working_hours_enabled) {
    const here = inZone(options.now, inbox.timezone)
    const next = nextOpening(inbox.working_hours, here)
    if (next !== undefined) {
      if (next === null) return { online: false, text: strings.away, detail: options.replyTime }
      const time = new Intl.DateTimeFormat(options.locale, { hour: "numeric", minute: "2-digit", timeZone: "UTC" })
        .format(new Date(Date.UTC(2000, 0, 1, Math.floor(next.minutes / 60), next.minutes % 60)))
      const day = next.days === 0
        ? strings.today
        : next.days === 1
        ? strings.tomorrow
        : new Intl.DateTimeFormat(options.locale, { weekday: "long", timeZone: "UTC" })
          .format(new Date(Date.UTC(2000, 0, 2 + ((here.day + next.days) % 7))))
      return { online: false, text: strings.away, detail: strings.backAt(strings.dayAt(day, time)) }
    }
  }
  return options.agentsOnline === false
    ? { online: false, text: strings.away, detail: options.replyTime }
    : { online: true, text: strings.online, detail: options.replyTime }
}
