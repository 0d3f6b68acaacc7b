/** The header's availability: working hours in the inbox's time zone, agents' presence, the reply-time promise. */
import { assert, describe, it } from "@effect/vitest"
import type { Inbox } from "@bevatel/schema"
import { availability, nextOpening } from "../src/schedule.js"
import { stringsFor } from "../src/strings.js"

const weekdays9to17: ReadonlyArray<Inbox.WorkingHours> = Array.from({ length: 7 }, (_, day) => {
  const weekend = day === 0 || day === 6
  return {
    day_of_week: day,
    closed_all_day: weekend,
    open_hour: weekend ? null : 9,
    open_minutes: weekend ? null : 0,
    close_hour: weekend ? null : 17,
    close_minutes: weekend ? null : 30,
    open_all_day: false
  }
})
const inbox = (overrides: Partial<Inbox.Inbox> = {}): Inbox.Inbox => ({
  identifier: "inbox" as Inbox.Inbox["identifier"],
  identity_validation_enabled: false,
  name: "Support",
  timezone: "Asia/Riyadh",
  working_hours: weekdays9to17,
  working_hours_enabled: true,
  csat_survey_enabled: false,
  greeting_enabled: false,
  ...overrides
})
const en = stringsFor("en")
const shown = (now: string, overrides: Partial<Inbox.Inbox> = {}, agentsOnline?: boolean) => {
  const result = availability({ inbox: inbox(overrides), agentsOnline, now: new Date(now), strings: en, replyTime: "soon", locale: "en" })
  // ICU versions differ on the space before AM (a narrow no-break space in newer ones).
  return { ...result, detail: result.detail.replace(/\s/g, " ") }
}

describe("nextOpening", () => {
  it("is now inside the hours, later today before them, and the next open day after them", () => {
    assert.strictEqual(nextOpening(weekdays9to17, { day: 1, minutes: 10 * 60 }), undefined)
    assert.deepStrictEqual(nextOpening(weekdays9to17, { day: 1, minutes: 8 * 60 }), { days: 0, minutes: 9 * 60 })
    assert.deepStrictEqual(nextOpening(weekdays9to17, { day: 1, minutes: 17 * 60 + 30 }), { days: 1, minutes: 9 * 60 })
    assert.deepStrictEqual(nextOpening(weekdays9to17, { day: 5, minutes: 18 * 60 }), { days: 3, minutes: 9 * 60 })
  })

  it("is never for a week closed all days, and always for one open all day", () => {
    const closed = weekdays9to17.map((day) => ({ ...day, closed_all_day: true }))
    assert.strictEqual(nextOpening(closed, { day: 3, minutes: 0 }), null)
    const open = weekdays9to17.map((day) => ({ ...day, closed_all_day: false, open_all_day: true }))
    assert.strictEqual(nextOpening(open, { day: 0, minutes: 23 * 60 + 59 }), undefined)
  })
})

describe("availability", () => {
  it("reads the time in the inbox's zone: 08:30 UTC is 11:30 in Riyadh, open", () => {
    // 2026-12-01 is a Tuesday.
    assert.deepStrictEqual(shown("2026-12-01T08:30:00Z"), { online: true, text: "We are online", detail: "soon" })
  })

  it("says when the team is back: later today, tomorrow, or on a named day", () => {
    assert.strictEqual(shown("2026-12-01T05:00:00Z").detail, "We will be back today at 9:00 AM")
    assert.strictEqual(shown("2026-12-01T15:00:00Z").detail, "We will be back tomorrow at 9:00 AM")
    assert.strictEqual(shown("2026-12-04T15:00:00Z").detail, "We will be back Monday at 9:00 AM")
    assert.isFalse(shown("2026-12-04T15:00:00Z").online)
  })

  it("is away when no agent is online, and ignores the hours when the inbox does not keep them", () => {
    assert.deepStrictEqual(shown("2026-12-01T08:30:00Z", {}, false), { online: false, text: "We are away at the moment", detail: "soon" })
    assert.isTrue(shown("2026-12-06T03:00:00Z", { working_hours_enabled: false }).online)
  })

  it("falls back to UTC for a zone the browser does not know", () => {
    assert.isTrue(shown("2026-12-01T10:00:00Z", { timezone: "Not/AZone" }).online)
    assert.isFalse(shown("2026-12-01T08:00:00Z", { timezone: "Not/AZone" }).online)
  })
})
