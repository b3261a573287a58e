import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type BusinessCalendar,
  DEFAULT_WORKING_HOURS,
  type DayHours,
  addBusinessMinutes,
  addBusinessTime,
  businessMinutesBetween,
  businessTimeBetween,
  calendar24x7,
  createBusinessCalendar,
  defaultBusinessCalendar,
  instantToZonedLocal,
  isWorkingInstant,
  nextWorkingInstant,
  workingDayLength,
  workingIntervalsOn,
  zonedLocalToInstant,
} from '../../src/domain/sla/business-calendar.ts'
import { importICalendar } from '../../src/domain/sla/ical-import.ts'
import { AppError } from '../../src/domain/shared/app-error.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const at = (iso: string): number => {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) throw new Error(`bad test instant ${iso}`)
  return ms
}

function fixture(year: number): ReturnType<typeof importICalendar> {
  return importICalendar(readFileSync(new URL(`../fixtures/holidays-cn/${year}.ics`, import.meta.url), 'utf8'))
}

const cn2025 = fixture(2025)
const cn2026 = fixture(2026)
const CN_DEFAULT = defaultBusinessCalendar([...cn2025.holidays, ...cn2026.holidays], [...cn2025.workdays, ...cn2026.workdays])

const NATIONAL_DAY_2026 = defaultBusinessCalendar(
  ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
  ['2026-10-10'],
)

const BERLIN_HOURS: DayHours = [[540, 1020]]
const BERLIN = createBusinessCalendar({
  timeZone: 'Europe/Berlin',
  weeklyHours: { 1: BERLIN_HOURS, 2: BERLIN_HOURS, 3: BERLIN_HOURS, 4: BERLIN_HOURS, 5: BERLIN_HOURS },
})

/** Open all day every day, but built as an ordinary calendar so the day-by-day path runs. */
function fullDaysIn(timeZone: string): BusinessCalendar {
  const day: DayHours = [[0, 1440]]
  return createBusinessCalendar({ timeZone, weeklyHours: { 0: day, 1: day, 2: day, 3: day, 4: day, 5: day, 6: day } })
}

function expectValidationError(action: () => unknown): void {
  let caught: unknown
  try {
    action()
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(AppError)
  expect((caught as AppError).code).toBe('VALIDATION')
}

describe('zonedLocalToInstant', () => {
  it('converts an ordinary wall time', () => {
    expect(zonedLocalToInstant('Asia/Shanghai', 2026, 9, 30, 17 * 60)).toBe(at('2026-09-30T17:00:00+08:00'))
    expect(zonedLocalToInstant('Asia/Shanghai', 2026, 12, 31, 1440)).toBe(at('2027-01-01T00:00:00+08:00'))
    expect(zonedLocalToInstant('Europe/Berlin', 2026, 3, 27, 16 * 60)).toBe(at('2026-03-27T15:00:00Z'))
  })

  it('moves a wall time in a DST gap forward by the gap (RFC 5545 §3.3.5)', () => {
    expect(zonedLocalToInstant('Europe/Berlin', 2026, 3, 29, 150)).toBe(at('2026-03-29T03:30:00+02:00'))
    expect(zonedLocalToInstant('Europe/Berlin', 2026, 3, 29, 120)).toBe(at('2026-03-29T03:00:00+02:00'))
    expect(zonedLocalToInstant('America/New_York', 2026, 3, 8, 150)).toBe(at('2026-03-08T03:30:00-04:00'))
    // Lord Howe Island moves its clocks by 30 minutes: 02:00 → 02:30.
    expect(zonedLocalToInstant('Australia/Lord_Howe', 2026, 10, 4, 135)).toBe(at('2026-10-04T02:45:00+11:00'))
    // Samoa skipped 30 December 2011 altogether.
    expect(zonedLocalToInstant('Pacific/Apia', 2011, 12, 30, 0)).toBe(at('2011-12-31T00:00:00+14:00'))
  })

  it('takes the earlier instant of a wall time that occurs twice', () => {
    expect(zonedLocalToInstant('Europe/Berlin', 2026, 10, 25, 150)).toBe(at('2026-10-25T02:30:00+02:00'))
    expect(zonedLocalToInstant('America/New_York', 2026, 11, 1, 90)).toBe(at('2026-11-01T01:30:00-04:00'))
  })

  it('rejects unknown zones and impossible dates or minutes', () => {
    expectValidationError(() => zonedLocalToInstant('Mars/Olympus_Mons', 2026, 1, 1, 0))
    expectValidationError(() => zonedLocalToInstant('Asia/Shanghai', 2026, 2, 29, 0))
    expectValidationError(() => zonedLocalToInstant('Asia/Shanghai', 2026, 13, 1, 0))
    expectValidationError(() => zonedLocalToInstant('Asia/Shanghai', 2026, 1, 1, 1441))
    expect(zonedLocalToInstant('Asia/Shanghai', 2028, 2, 29, 0)).toBe(at('2028-02-29T00:00:00+08:00'))
  })

  it('round-trips every instant to the same or the earlier instant with the same wall time', () => {
    const zones = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata']
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: at('2025-01-01T00:00:00Z'), max: at('2027-12-31T23:59:59Z') }), (zone, instant) => {
        const local = instantToZonedLocal(zone, instant)
        const [year, month, day] = local.date.split('-').map(Number)
        const back = zonedLocalToInstant(zone, year ?? 0, month ?? 0, day ?? 0, local.minuteOfDay)
        expect(back).toBeLessThanOrEqual(instant)
        expect(instant - back).toBeLessThanOrEqual(HOUR)
        expect(instantToZonedLocal(zone, back)).toEqual(local)
      }),
      { numRuns: 500 },
    )
  })
})

describe('building calendars', () => {
  it('gives the default calendar 7.5 h working days and the 24×7 calendar 24 h', () => {
    expect(workingDayLength(CN_DEFAULT)).toBe(7.5 * HOUR)
    expect(workingDayLength(calendar24x7('Asia/Shanghai'))).toBe(24 * HOUR)
    expect(workingDayLength(BERLIN)).toBe(8 * HOUR)
    expect(CN_DEFAULT.weeklyHours[1]).toEqual(DEFAULT_WORKING_HOURS)
    expect(CN_DEFAULT.weeklyHours[0]).toEqual([])
  })

  it('normalises hours: sorted and merged', () => {
    const calendar = createBusinessCalendar({ timeZone: 'asia/shanghai', weeklyHours: { 3: [[810, 1080], [540, 720], [600, 700], [720, 750]] } })
    expect(calendar.timeZone).toBe('Asia/Shanghai')
    expect(calendar.weeklyHours[3]).toEqual([[540, 750], [810, 1080]])
    expect(calendar.makeUpDayHours).toEqual([[540, 750], [810, 1080]])
  })

  it('derives the id from the content', () => {
    const a = defaultBusinessCalendar(['2026-10-02', '2026-10-01'], ['2026-10-10'])
    const b = defaultBusinessCalendar(['2026-10-01', '2026-10-02'], ['2026-10-10'])
    const c = defaultBusinessCalendar(['2026-10-01', '2026-10-02', '2026-10-03'], ['2026-10-10'])
    expect(a.id).toBe(b.id)
    expect(a.id).not.toBe(c.id)
    expect(calendar24x7('Asia/Shanghai').id).not.toBe(calendar24x7('Europe/Berlin').id)
  })

  it('keeps the working days of calendars that differ only in holidays apart', () => {
    const start = at('2026-09-30T17:00:00+08:00')
    const plain = defaultBusinessCalendar()
    expect(addBusinessMinutes(plain, start, 120)).toBe(at('2026-10-01T10:00:00+08:00'))
    expect(addBusinessMinutes(NATIONAL_DAY_2026, start, 120)).toBe(at('2026-10-08T10:00:00+08:00'))
    expect(addBusinessMinutes(plain, start, 120)).toBe(at('2026-10-01T10:00:00+08:00'))
  })

  it('rejects bad definitions', () => {
    expectValidationError(() => createBusinessCalendar({ timeZone: 'Nowhere/Land', weeklyHours: { 1: [[540, 600]] } }))
    expectValidationError(() => createBusinessCalendar({ timeZone: 'UTC', weeklyHours: { 1: [[600, 540]] } }))
    expectValidationError(() => createBusinessCalendar({ timeZone: 'UTC', weeklyHours: { 1: [[540, 1441]] } }))
    expectValidationError(() => createBusinessCalendar({ timeZone: 'UTC', weeklyHours: { 1: [[540.5, 600]] } }))
    expectValidationError(() => createBusinessCalendar({ timeZone: 'UTC', weeklyHours: {} }))
    expectValidationError(() => defaultBusinessCalendar(['2026-02-30']))
    expectValidationError(() => defaultBusinessCalendar(['2026/10/01']))
    expectValidationError(() => defaultBusinessCalendar(['2026-10-10'], ['2026-10-10']))
  })

  it('rejects instants and durations that are not finite numbers', () => {
    expectValidationError(() => addBusinessMinutes(CN_DEFAULT, Number.NaN, 30))
    expectValidationError(() => addBusinessMinutes(CN_DEFAULT, new Date('not a date'), 30))
    expectValidationError(() => addBusinessMinutes(CN_DEFAULT, 0, Number.POSITIVE_INFINITY))
  })
})

describe('24×7 calendars', () => {
  const shanghai = calendar24x7('Asia/Shanghai')

  it('crosses midnight and the year end without losing a minute', () => {
    const start = at('2026-12-31T23:50:00+08:00')
    for (const calendar of [shanghai, fullDaysIn('Asia/Shanghai')]) {
      expect(addBusinessMinutes(calendar, start, 20)).toBe(at('2027-01-01T00:10:00+08:00'))
      expect(businessMinutesBetween(calendar, start, at('2027-01-01T00:10:00+08:00'))).toBe(20)
      expect(isWorkingInstant(calendar, at('2027-01-01T00:00:00+08:00'))).toBe(true)
    }
  })

  it('counts real elapsed time across the Berlin spring gap and autumn overlap', () => {
    for (const calendar of [calendar24x7('Europe/Berlin'), fullDaysIn('Europe/Berlin')]) {
      const springStart = zonedLocalToInstant('Europe/Berlin', 2026, 3, 29, 90)
      expect(addBusinessMinutes(calendar, springStart, 60)).toBe(at('2026-03-29T03:30:00+02:00'))
      const autumnStart = at('2026-10-25T01:30:00+02:00')
      expect(addBusinessMinutes(calendar, autumnStart, 120)).toBe(at('2026-10-25T02:30:00+01:00'))
    }
  })

  it('has 23-hour and 25-hour local days at the DST changes', () => {
    const length = (date: string) =>
      workingIntervalsOn(fullDaysIn('Europe/Berlin'), date).reduce((sum, [open, close]) => sum + close - open, 0)
    expect(length('2026-03-29')).toBe(23 * HOUR)
    expect(length('2026-10-25')).toBe(25 * HOUR)
    expect(length('2026-03-30')).toBe(24 * HOUR)
  })
})

describe('default calendar (Mon–Fri 09:00–12:00, 13:30–18:00, Asia/Shanghai)', () => {
  const received = at('2026-09-30T17:00:00+08:00') // Wednesday

  it('P3 received Wed 2026-09-30 17:00 with 1–7 Oct off and Sat 10 Oct worked: hand-checked due times', () => {
    for (const calendar of [NATIONAL_DAY_2026, CN_DEFAULT]) {
      // First response, 30 business minutes: 17:00 → 17:30 the same day.
      expect(addBusinessMinutes(calendar, received, 30)).toBe(at('2026-09-30T17:30:00+08:00'))
      // 2 business days = 15 h: 9/30 17:00–18:00 (1 h); 10/1–10/7 closed; Thu 10/8 09:00–12:00 + 13:30–18:00
      // (7.5 h, 8.5 h in all); Fri 10/9 09:00–12:00 (11.5 h), then 3.5 h from 13:30 → 17:00.
      const twoDays = 2 * workingDayLength(calendar)
      expect(twoDays).toBe(15 * HOUR)
      expect(addBusinessTime(calendar, received, twoDays)).toBe(at('2026-10-09T17:00:00+08:00'))
      expect(businessMinutesBetween(calendar, received, at('2026-10-09T17:00:00+08:00'))).toBe(900)
      // 3 business days = 22.5 h: Fri 10/9 closes at 16 h; make-up Sat 10/10 works Monday's hours,
      // 09:00–12:00 (19 h) and 3.5 h from 13:30 → 17:00.
      expect(addBusinessTime(calendar, received, 3 * workingDayLength(calendar))).toBe(at('2026-10-10T17:00:00+08:00'))
      // 4 business days = 30 h: Sat 10/10 closes at 23.5 h; Sun 10/11 closed; Mon 10/12 6.5 h → 17:00.
      expect(addBusinessTime(calendar, received, 4 * workingDayLength(calendar))).toBe(at('2026-10-12T17:00:00+08:00'))
    }
  })

  it('works around the lunch break', () => {
    const calendar = CN_DEFAULT
    // Mon 2026-03-02: 11:30–12:00 is 30 min, 13:30–14:00 the other 30.
    expect(addBusinessMinutes(calendar, at('2026-03-02T11:30:00+08:00'), 60)).toBe(at('2026-03-02T14:00:00+08:00'))
    expect(addBusinessMinutes(calendar, at('2026-03-02T12:15:00+08:00'), 30)).toBe(at('2026-03-02T14:00:00+08:00'))
    expect(businessMinutesBetween(calendar, at('2026-03-02T11:00:00+08:00'), at('2026-03-02T14:00:00+08:00'))).toBe(90)
    expect(businessMinutesBetween(calendar, at('2026-03-02T12:00:00+08:00'), at('2026-03-02T13:30:00+08:00'))).toBe(0)
  })

  it('ends at the exact close when the duration runs out there', () => {
    expect(addBusinessMinutes(CN_DEFAULT, at('2026-03-02T11:00:00+08:00'), 60)).toBe(at('2026-03-02T12:00:00+08:00'))
    expect(addBusinessMinutes(CN_DEFAULT, at('2026-03-02T17:00:00+08:00'), 60)).toBe(at('2026-03-02T18:00:00+08:00'))
    expect(addBusinessMinutes(CN_DEFAULT, at('2026-03-02T17:00:00+08:00'), 61)).toBe(at('2026-03-03T09:01:00+08:00'))
  })

  it('starts counting at the next opening when received while closed', () => {
    expect(addBusinessMinutes(CN_DEFAULT, at('2026-03-02T08:00:00+08:00'), 30)).toBe(at('2026-03-02T09:30:00+08:00'))
    // Friday evening → Monday morning.
    expect(addBusinessMinutes(CN_DEFAULT, at('2026-03-06T19:00:00+08:00'), 30)).toBe(at('2026-03-09T09:30:00+08:00'))
    // Adding nothing leaves the instant alone, even on a Sunday.
    const sunday = at('2026-03-08T10:00:00+08:00')
    expect(addBusinessMinutes(CN_DEFAULT, sunday, 0)).toBe(sunday)
    expect(addBusinessMinutes(CN_DEFAULT, new Date(sunday), 0)).toBe(sunday)
  })

  it('subtracts business time with a negative duration', () => {
    expect(addBusinessMinutes(CN_DEFAULT, at('2026-03-09T09:30:00+08:00'), -60)).toBe(at('2026-03-06T17:30:00+08:00'))
    expect(addBusinessMinutes(CN_DEFAULT, at('2026-03-09T14:00:00+08:00'), -60)).toBe(at('2026-03-09T11:30:00+08:00'))
    expect(businessMinutesBetween(CN_DEFAULT, at('2026-03-09T09:30:00+08:00'), at('2026-03-06T17:30:00+08:00'))).toBe(-60)
  })

  it('reads the 2025–2026 holidays and make-up days', () => {
    expect(isWorkingInstant(CN_DEFAULT, at('2026-01-04T10:00:00+08:00'))).toBe(true) // Sunday, 上班
    expect(isWorkingInstant(CN_DEFAULT, at('2026-02-14T10:00:00+08:00'))).toBe(true) // Saturday, 上班
    expect(isWorkingInstant(CN_DEFAULT, at('2026-02-16T10:00:00+08:00'))).toBe(false) // Monday, 春节
    expect(isWorkingInstant(CN_DEFAULT, at('2025-10-08T10:00:00+08:00'))).toBe(false) // Wednesday, 国庆节
    expect(isWorkingInstant(CN_DEFAULT, at('2025-10-11T10:00:00+08:00'))).toBe(true) // Saturday, 上班
    expect(isWorkingInstant(CN_DEFAULT, at('2026-10-11T10:00:00+08:00'))).toBe(false) // an ordinary Sunday
  })

  it('tells working instants, half-open at each close', () => {
    expect(isWorkingInstant(CN_DEFAULT, at('2026-03-02T09:00:00+08:00'))).toBe(true)
    expect(isWorkingInstant(CN_DEFAULT, at('2026-03-02T11:59:59.999+08:00'))).toBe(true)
    expect(isWorkingInstant(CN_DEFAULT, at('2026-03-02T12:00:00+08:00'))).toBe(false)
    expect(isWorkingInstant(CN_DEFAULT, at('2026-03-02T13:30:00+08:00'))).toBe(true)
    expect(isWorkingInstant(CN_DEFAULT, at('2026-03-02T18:00:00+08:00'))).toBe(false)
  })

  it('finds the next working instant', () => {
    expect(nextWorkingInstant(CN_DEFAULT, at('2026-03-02T10:00:00+08:00'))).toBe(at('2026-03-02T10:00:00+08:00'))
    expect(nextWorkingInstant(CN_DEFAULT, at('2026-03-02T12:00:00+08:00'))).toBe(at('2026-03-02T13:30:00+08:00'))
    expect(nextWorkingInstant(CN_DEFAULT, at('2026-09-30T18:00:00+08:00'))).toBe(at('2026-10-08T09:00:00+08:00'))
  })

  it('uses the make-up day hours when given', () => {
    const mornings = createBusinessCalendar({
      timeZone: 'Asia/Shanghai',
      weeklyHours: { 1: DEFAULT_WORKING_HOURS, 2: DEFAULT_WORKING_HOURS, 3: DEFAULT_WORKING_HOURS, 4: DEFAULT_WORKING_HOURS, 5: DEFAULT_WORKING_HOURS },
      workdays: ['2026-10-10', '2026-10-13'],
      makeUpDayHours: [[540, 720]],
    })
    // Listing an ordinary working Tuesday as a workday changes nothing: it keeps its own hours.
    expect(workingIntervalsOn(mornings, '2026-10-13')).toHaveLength(2)
    expect(workingIntervalsOn(mornings, '2026-10-10')).toEqual([[at('2026-10-10T09:00:00+08:00'), at('2026-10-10T12:00:00+08:00')]])
    // Fri 17:00–18:00 is 60 min and Sat 09:00–12:00 the other 180; one minute more waits for Monday.
    expect(addBusinessMinutes(mornings, at('2026-10-09T17:00:00+08:00'), 240)).toBe(at('2026-10-10T12:00:00+08:00'))
    expect(addBusinessMinutes(mornings, at('2026-10-09T17:00:00+08:00'), 241)).toBe(at('2026-10-12T09:01:00+08:00'))
  })
})

describe('Europe/Berlin 09:00–17:00 across the spring DST change', () => {
  it('Friday 2026-03-27 16:00 CET + 2 h = Monday 2026-03-30 10:00 CEST (08:00Z)', () => {
    const start = at('2026-03-27T16:00:00+01:00')
    expect(addBusinessMinutes(BERLIN, start, 120)).toBe(at('2026-03-30T08:00:00Z'))
    expect(businessMinutesBetween(BERLIN, start, at('2026-03-30T10:00:00+02:00'))).toBe(120)
  })

  it('opens hours that fall in the gap at the moved-forward time', () => {
    const night = createBusinessCalendar({ timeZone: 'Europe/Berlin', weeklyHours: { 0: [[120, 240]] } })
    // 02:00 does not exist on 2026-03-29, so the opening is 03:00 CEST and only 1 h remains.
    expect(workingIntervalsOn(night, '2026-03-29')).toEqual([[at('2026-03-29T03:00:00+02:00'), at('2026-03-29T04:00:00+02:00')]])
    expect(workingIntervalsOn(night, '2026-03-22')).toEqual([[at('2026-03-22T02:00:00+01:00'), at('2026-03-22T04:00:00+01:00')]])
  })
})

const FROM = at('2025-01-01T00:00:00+08:00')
const TO = at('2027-12-31T23:59:59+08:00')
const DAYS = Math.floor((TO - FROM) / (24 * HOUR))
const BOUNDARY_MINUTES = [0, 540, 720, 810, 1020, 1080, 1439]

/** Random instants, with extra weight on openings, closes and midnights (± 1 ms). */
const instantArb = fc.oneof(
  fc.integer({ min: FROM, max: TO }),
  fc
    .tuple(fc.integer({ min: 0, max: DAYS }), fc.constantFrom(...BOUNDARY_MINUTES), fc.integer({ min: -1, max: 1 }))
    .map(([day, minute, jitter]) => FROM + day * 24 * HOUR + minute * MINUTE + jitter),
)

function durationArb(calendar: BusinessCalendar): fc.Arbitrary<number> {
  const max = 30 * workingDayLength(calendar)
  return fc.oneof(
    fc.integer({ min: 1, max }),
    fc.integer({ min: 1, max: max / MINUTE }).map((minutes) => minutes * MINUTE),
    fc.integer({ min: 1, max: 60 }).map((halfHours) => halfHours * 30 * MINUTE),
  )
}

const PROPERTY_CALENDARS: readonly (readonly [string, BusinessCalendar])[] = [
  ['default calendar with 2025–2026 holidays', CN_DEFAULT],
  ['24×7 Asia/Shanghai', calendar24x7('Asia/Shanghai')],
  ['Europe/Berlin 09:00–17:00', BERLIN],
]

for (const [label, calendar] of PROPERTY_CALENDARS) {
  describe(`properties: ${label}`, () => {
    const duration = durationArb(calendar)
    const isWorkingOrClose = (instant: number) =>
      isWorkingInstant(calendar, instant) || (isWorkingInstant(calendar, instant - 1) && !isWorkingInstant(calendar, instant))

    it('add(add(t, a), b) = add(t, a + b)', () => {
      fc.assert(
        fc.property(instantArb, duration, duration, (t, a, b) => {
          expect(addBusinessTime(calendar, addBusinessTime(calendar, t, a), b)).toBe(addBusinessTime(calendar, t, a + b))
        }),
        { numRuns: 300 },
      )
    })

    it('between(t, add(t, d)) = d, forwards and backwards', () => {
      fc.assert(
        fc.property(instantArb, duration, fc.boolean(), (t, d, backwards) => {
          const signed = backwards ? -d : d
          expect(businessTimeBetween(calendar, t, addBusinessTime(calendar, t, signed))).toBe(signed)
        }),
        { numRuns: 300 },
      )
    })

    it('add(t, d) for d > 0 is the earliest such instant: working, or the exact close of an interval', () => {
      fc.assert(
        fc.property(instantArb, duration, (t, d) => {
          const due = addBusinessTime(calendar, t, d)
          expect(due).toBeGreaterThan(t)
          expect(isWorkingOrClose(due)).toBe(true)
          expect(businessTimeBetween(calendar, t, due - 1)).toBeLessThan(d)
        }),
        { numRuns: 300 },
      )
    })

    it('between is additive: between(a, b) + between(b, c) = between(a, c)', () => {
      fc.assert(
        fc.property(instantArb, instantArb, instantArb, (a, b, c) => {
          expect(businessTimeBetween(calendar, a, b) + businessTimeBetween(calendar, b, c)).toBe(businessTimeBetween(calendar, a, c))
        }),
        { numRuns: 300 },
      )
    })

    it('add is strictly increasing in d', () => {
      fc.assert(
        fc.property(instantArb, duration, duration, (t, x, y) => {
          fc.pre(x !== y)
          const [small, large] = x < y ? [x, y] : [y, x]
          expect(addBusinessTime(calendar, t, small)).toBeLessThan(addBusinessTime(calendar, t, large))
        }),
        { numRuns: 300 },
      )
    })

    it('subtracting what was added comes back to t, or to the next working instant after it', () => {
      fc.assert(
        fc.property(instantArb, duration, (t, d) => {
          const back = addBusinessTime(calendar, addBusinessTime(calendar, t, d), -d)
          expect(back).toBe(nextWorkingInstant(calendar, t))
        }),
        { numRuns: 300 },
      )
    })

    it('nextWorkingInstant is working, not before t, with no business time in between', () => {
      fc.assert(
        fc.property(instantArb, (t) => {
          const next = nextWorkingInstant(calendar, t)
          expect(next).toBeGreaterThanOrEqual(t)
          expect(isWorkingInstant(calendar, next)).toBe(true)
          expect(businessTimeBetween(calendar, t, next)).toBe(0)
        }),
        { numRuns: 300 },
      )
    })
  })
}

describe('properties: a calendar open all day every day is elapsed time, DST or not', () => {
  for (const zone of ['Europe/Berlin', 'Australia/Lord_Howe', 'America/New_York', 'Asia/Shanghai']) {
    it(zone, () => {
      const calendar = fullDaysIn(zone)
      fc.assert(
        fc.property(instantArb, instantArb, fc.integer({ min: -60 * 24 * HOUR, max: 60 * 24 * HOUR }), (a, b, d) => {
          expect(businessTimeBetween(calendar, a, b)).toBe(b - a)
          expect(addBusinessTime(calendar, a, d)).toBe(a + d)
        }),
        { numRuns: 200 },
      )
    })
  }
})
