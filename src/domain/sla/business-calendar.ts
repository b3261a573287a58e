import { invalidField } from '../shared/app-error.ts'

/**
 * Business calendars for the SLA engine: working hours in a time zone, closed holidays and
 * make-up working days (调休), and arithmetic in business time over them.
 *
 * Conventions used throughout:
 * - Instants are epoch milliseconds (a `number`) or `Date`; results are epoch milliseconds.
 * - Business time is real elapsed time inside working intervals, in milliseconds, so a
 *   working interval that spans a DST change counts the hours that actually pass.
 * - Working intervals are half-open, [open, close): the closing instant is not working.
 * - "Local date" means a 'YYYY-MM-DD' date on the wall calendar of the calendar's time zone.
 */

/** Epoch milliseconds or a Date. */
export type Instant = number | Date

/** A calendar date in a calendar's own time zone, 'YYYY-MM-DD'. */
export type LocalDate = string

/** Day of the week as in `Date#getDay`: 0 = Sunday … 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6

/** One opening on a day, [start, end) in minutes from local midnight, 0 ≤ start < end ≤ 1440. */
export type MinuteInterval = readonly [start: number, end: number]

/** The openings of one day, sorted and non-overlapping once normalised. */
export type DayHours = readonly MinuteInterval[]

/** Opening hours for each day of the week. */
export type WeeklyHours = Readonly<Record<Weekday, DayHours>>

/** A business calendar: an immutable value; build it with `createBusinessCalendar` or the factories. */
export interface BusinessCalendar {
  /** Derived from the content: equal calendars have equal ids, and an edited calendar gets a new one. */
  readonly id: string
  /** Canonical IANA time zone name. */
  readonly timeZone: string
  /** Open around the clock with no holidays; the arithmetic then reduces to elapsed time. */
  readonly isAlwaysOpen: boolean
  readonly weeklyHours: WeeklyHours
  /** Hours worked on a make-up working day whose weekday is normally closed. */
  readonly makeUpDayHours: DayHours
  /** Local dates that are closed all day. */
  readonly holidays: ReadonlySet<LocalDate>
  /** Local dates that are working days although their weekday is normally closed (调休 上班). */
  readonly workdays: ReadonlySet<LocalDate>
}

/** What `createBusinessCalendar` accepts; weekdays left out are closed. */
export interface BusinessCalendarInput {
  readonly timeZone: string
  readonly weeklyHours: Readonly<Partial<Record<Weekday, DayHours>>>
  readonly holidays?: Iterable<LocalDate>
  readonly workdays?: Iterable<LocalDate>
  /** Defaults to Monday's hours, or those of the first open weekday after Monday. */
  readonly makeUpDayHours?: DayHours
}

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000
const MINUTES_PER_DAY = 1440
const WEEKDAYS: readonly Weekday[] = [0, 1, 2, 3, 4, 5, 6]
const FULL_DAY: DayHours = Object.freeze([Object.freeze([0, MINUTES_PER_DAY] as const)])

/** Time zone of the default business calendar. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

/** Hours of a working day on the default calendar: 09:00–12:00 and 13:30–18:00. */
export const DEFAULT_WORKING_HOURS: DayHours = Object.freeze([
  Object.freeze([540, 720] as const),
  Object.freeze([810, 1080] as const),
])

/** Validates and normalises a calendar definition; throws `AppError('VALIDATION')` on bad input. */
export function createBusinessCalendar(input: BusinessCalendarInput): BusinessCalendar {
  const timeZone = canonicalTimeZone(input.timeZone)
  const weekly = {} as Record<Weekday, DayHours>
  for (const weekday of WEEKDAYS) {
    weekly[weekday] = normaliseDayHours(input.weeklyHours[weekday] ?? [], `weeklyHours/${weekday}`)
  }
  if (WEEKDAYS.every((weekday) => weekly[weekday].length === 0)) {
    // Without one open weekday a search for the next working instant could never end.
    throw invalidField('weeklyHours', 'at least one weekday must have working hours')
  }
  const makeUpDayHours =
    input.makeUpDayHours === undefined
      ? defaultMakeUpHours(weekly)
      : normaliseDayHours(input.makeUpDayHours, 'makeUpDayHours')
  const holidays = normaliseDates(input.holidays ?? [], 'holidays')
  const workdays = normaliseDates(input.workdays ?? [], 'workdays')
  for (const date of workdays) {
    if (holidays.has(date)) throw invalidField('workdays', `${date} is also listed as a holiday`)
  }
  return freezeCalendar(timeZone, false, weekly, makeUpDayHours, holidays, workdays)
}

/** A calendar open 24 hours a day, 7 days a week, with no holidays (P1 and P4 targets). */
export function calendar24x7(timeZone: string): BusinessCalendar {
  const weekly = {} as Record<Weekday, DayHours>
  for (const weekday of WEEKDAYS) weekly[weekday] = FULL_DAY
  return freezeCalendar(canonicalTimeZone(timeZone), true, weekly, FULL_DAY, new Set(), new Set())
}

/** The default calendar: Monday–Friday 09:00–12:00 and 13:30–18:00, Asia/Shanghai, with the given holidays and make-up days. */
export function defaultBusinessCalendar(
  holidays: Iterable<LocalDate> = [],
  workdays: Iterable<LocalDate> = [],
): BusinessCalendar {
  return createBusinessCalendar({
    timeZone: DEFAULT_TIME_ZONE,
    weeklyHours: {
      1: DEFAULT_WORKING_HOURS,
      2: DEFAULT_WORKING_HOURS,
      3: DEFAULT_WORKING_HOURS,
      4: DEFAULT_WORKING_HOURS,
      5: DEFAULT_WORKING_HOURS,
    },
    holidays,
    workdays,
  })
}

function freezeCalendar(
  timeZone: string,
  isAlwaysOpen: boolean,
  weeklyHours: WeeklyHours,
  makeUpDayHours: DayHours,
  holidays: Set<LocalDate>,
  workdays: Set<LocalDate>,
): BusinessCalendar {
  const sortedHolidays = [...holidays].sort()
  const sortedWorkdays = [...workdays].sort()
  const canonical = JSON.stringify([
    timeZone,
    isAlwaysOpen,
    WEEKDAYS.map((weekday) => weeklyHours[weekday]),
    makeUpDayHours,
    sortedHolidays,
    sortedWorkdays,
  ])
  return Object.freeze({
    id: `cal_${contentHash(canonical)}`,
    timeZone,
    isAlwaysOpen,
    weeklyHours: Object.freeze(weeklyHours),
    makeUpDayHours,
    holidays: new Set(sortedHolidays),
    workdays: new Set(sortedWorkdays),
  })
}

function defaultMakeUpHours(weekly: WeeklyHours): DayHours {
  for (const weekday of [1, 2, 3, 4, 5, 6, 0] as const) {
    if (weekly[weekday].length > 0) return weekly[weekday]
  }
  return []
}

function normaliseDayHours(hours: DayHours, field: string): DayHours {
  const checked = hours.map((interval, index): MinuteInterval => {
    const [start, end] = interval
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > MINUTES_PER_DAY || start >= end) {
      throw invalidField(`${field}/${index}`, 'an interval is [start, end) in whole minutes, 0 ≤ start < end ≤ 1440')
    }
    return [start, end]
  })
  checked.sort((a, b) => a[0] - b[0])
  const merged: [number, number][] = []
  for (const [start, end] of checked) {
    const last = merged[merged.length - 1]
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end)
    else merged.push([start, end])
  }
  return Object.freeze(merged.map((interval) => Object.freeze(interval)))
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

function normaliseDates(dates: Iterable<LocalDate>, field: string): Set<LocalDate> {
  const result = new Set<LocalDate>()
  for (const date of dates) {
    if (parseLocalDate(date) === undefined) throw invalidField(field, `${String(date)} is not a date YYYY-MM-DD`)
    result.add(date)
  }
  return result
}

/** Day number (days since 1970-01-01) of a valid 'YYYY-MM-DD', or undefined. */
function parseLocalDate(date: string): number | undefined {
  const match = LOCAL_DATE.exec(date)
  if (match === null) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined
  return utcDayNumber(year, month, day)
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const

function daysInMonth(year: number, month: number): number {
  if (month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0)) return 29
  return DAYS_IN_MONTH[month - 1] ?? 0
}

function utcDayNumber(year: number, month: number, day: number): number {
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 onto 1900–1999.
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  return Math.round(date.getTime() / DAY_MS)
}

function localDateOfDayNumber(dayNumber: number): LocalDate {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10)
}

/** Two 32-bit FNV-1a variants: 64 bits, so two different calendars sharing an id is not a practical concern. */
function contentHash(text: string): string {
  let h1 = 0x811c9dc5
  let h2 = 0x01000193 ^ text.length
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ code, 0x01000193)
    h2 = Math.imul(h2 ^ code, 0x5bd1e995)
    h2 ^= h2 >>> 15
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0')
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
    } catch {
      throw invalidField('timeZone', `${timeZone} is not a known IANA time zone`)
    }
    formatters.set(timeZone, formatter)
  }
  return formatter
}

function canonicalTimeZone(timeZone: string): string {
  return formatterFor(timeZone).resolvedOptions().timeZone
}

/** Wall-clock reading of `instant` in the formatter's zone, as milliseconds of a UTC-based count. */
function wallClockMs(formatter: Intl.DateTimeFormat, instant: number): number {
  const wholeSecond = Math.floor(instant / 1000) * 1000
  let year = 1970
  let month = 1
  let day = 1
  let hour = 0
  let minute = 0
  let second = 0
  for (const part of formatter.formatToParts(wholeSecond)) {
    const value = Number(part.value)
    switch (part.type) {
      case 'year':
        year = value
        break
      case 'month':
        month = value
        break
      case 'day':
        day = value
        break
      case 'hour':
        hour = value
        break
      case 'minute':
        minute = value
        break
      case 'second':
        second = value
        break
      default:
        break
    }
  }
  return utcDayNumber(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + (instant - wholeSecond)
}

function offsetAt(formatter: Intl.DateTimeFormat, instant: number): number {
  return wallClockMs(formatter, instant) - instant
}

/**
 * The instant at which the wall clock reads `wall` (a UTC-based millisecond count). The
 * offsets a day before and a day after bracket any single transition, which is all a real
 * zone has within two days. Follows RFC 5545 §3.3.5 (and Temporal's "compatible"): in an
 * overlap the earlier instant; in a gap the offset from before the gap, which moves the
 * time forward by the length of the gap (02:30 in a 02:00→03:00 gap is 03:30).
 */
function wallToInstant(formatter: Intl.DateTimeFormat, wall: number): number {
  const before = offsetAt(formatter, wall - DAY_MS)
  const after = offsetAt(formatter, wall + DAY_MS)
  const early = wall - before
  const late = wall - after
  const earlyFits = offsetAt(formatter, early) === before
  if (before === after && earlyFits) return early
  const lateFits = offsetAt(formatter, late) === after
  if (earlyFits && lateFits) return Math.min(early, late)
  if (earlyFits) return early
  if (lateFits) return late
  return early
}

/**
 * The instant of a local wall time in an IANA zone: `month` 1–12, `minuteOfDay` 0–1440 (1440
 * is the next midnight; fractions allowed, to the millisecond). A wall time that does not exist (DST gap) moves
 * forward by the gap; one that occurs twice (DST overlap) gives the earlier instant.
 */
export function zonedLocalToInstant(timeZone: string, year: number, month: number, day: number, minuteOfDay: number): number {
  if (![year, month, day].every(Number.isInteger) || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw invalidField('date', `${year}-${month}-${day} is not a calendar date`)
  }
  if (!Number.isFinite(minuteOfDay) || minuteOfDay < 0 || minuteOfDay > MINUTES_PER_DAY) {
    throw invalidField('minuteOfDay', 'must be between 0 and 1440')
  }
  const wall = utcDayNumber(year, month, day) * DAY_MS + Math.round(minuteOfDay * MINUTE_MS)
  return wallToInstant(formatterFor(timeZone), wall)
}

/** The wall-clock date and minute of the day (with fraction) of an instant in an IANA zone. */
export function instantToZonedLocal(
  timeZone: string,
  at: Instant,
): { readonly date: LocalDate; readonly minuteOfDay: number } {
  const wall = wallClockMs(formatterFor(timeZone), toMs(at, 'at'))
  const dayNumber = Math.floor(wall / DAY_MS)
  return { date: localDateOfDayNumber(dayNumber), minuteOfDay: (wall - dayNumber * DAY_MS) / MINUTE_MS }
}

interface DaySpan {
  readonly dayNumber: number
  /** Local midnight that starts the day, and the one that ends it. */
  readonly start: number
  readonly end: number
  readonly intervals: readonly (readonly [number, number])[]
  /** Sum of the intervals' lengths. */
  readonly total: number
}

interface CalendarState {
  readonly formatter: Intl.DateTimeFormat
  readonly weekly: WeeklyHours
  readonly makeUp: DayHours
  readonly holidays: ReadonlySet<number>
  readonly workdays: ReadonlySet<number>
  readonly days: Map<number, DaySpan>
  /** Wall minus instant at the last day built: a first guess of which local day an instant falls on. */
  offsetGuess: number
}

const MAX_CACHED_CALENDARS = 64
const MAX_CACHED_DAYS = 4096
const states = new Map<string, CalendarState>()
let lastId = ''
let lastState: CalendarState | undefined

function stateOf(calendar: BusinessCalendar): CalendarState {
  if (calendar.id === lastId && lastState !== undefined) return lastState
  let state = states.get(calendar.id)
  if (state === undefined) {
    state = {
      formatter: formatterFor(calendar.timeZone),
      weekly: calendar.weeklyHours,
      makeUp: calendar.makeUpDayHours,
      holidays: dayNumbersOf(calendar.holidays),
      workdays: dayNumbersOf(calendar.workdays),
      days: new Map(),
      offsetGuess: 0,
    }
    if (states.size >= MAX_CACHED_CALENDARS) evictOldest(states)
    states.set(calendar.id, state)
  }
  lastId = calendar.id
  lastState = state
  return state
}

function dayNumbersOf(dates: ReadonlySet<LocalDate>): Set<number> {
  const result = new Set<number>()
  for (const date of dates) {
    const dayNumber = parseLocalDate(date)
    if (dayNumber !== undefined) result.add(dayNumber)
  }
  return result
}

function evictOldest<K, V>(map: Map<K, V>): void {
  const oldest = map.keys().next()
  if (oldest.done !== true) map.delete(oldest.value)
}

function hoursOn(state: CalendarState, dayNumber: number): DayHours {
  if (state.holidays.has(dayNumber)) return []
  // Day 0, 1970-01-01, was a Thursday.
  const weekday = ((((dayNumber + 4) % 7) + 7) % 7) as Weekday
  const hours = state.weekly[weekday]
  if (hours.length === 0 && state.workdays.has(dayNumber)) return state.makeUp
  return hours
}

function daySpan(state: CalendarState, dayNumber: number): DaySpan {
  const cached = state.days.get(dayNumber)
  if (cached !== undefined) return cached
  const wallMidnight = dayNumber * DAY_MS
  const start = wallToInstant(state.formatter, wallMidnight)
  // The next day's start is computed the same way (or is that very value), so consecutive days tile time exactly.
  const nextStart = state.days.get(dayNumber + 1)?.start ?? wallToInstant(state.formatter, wallMidnight + DAY_MS)
  const end = Math.max(start, nextStart)
  // Same offset at both midnights: no zone changes its offset twice within a day, so none changed it today.
  const steadyOffset = end - start === DAY_MS ? wallMidnight - start : undefined
  const instantOf = (minute: number) =>
    steadyOffset === undefined
      ? wallToInstant(state.formatter, wallMidnight + minute * MINUTE_MS)
      : wallMidnight + minute * MINUTE_MS - steadyOffset
  const intervals: (readonly [number, number])[] = []
  let total = 0
  let previousEnd = start
  for (const [from, to] of hoursOn(state, dayNumber)) {
    const open = from === 0 ? start : instantOf(from)
    const close = to === MINUTES_PER_DAY ? end : instantOf(to)
    // Gap times move forward, so an opening inside a DST gap can land after a later wall time: clamp to keep order.
    const clampedOpen = Math.min(Math.max(open, previousEnd), end)
    const clampedClose = Math.min(Math.max(close, clampedOpen), end)
    if (clampedClose > clampedOpen) {
      intervals.push(Object.freeze([clampedOpen, clampedClose] as const))
      total += clampedClose - clampedOpen
      previousEnd = clampedClose
    }
  }
  const span: DaySpan = Object.freeze({ dayNumber, start, end, intervals: Object.freeze(intervals), total })
  state.offsetGuess = wallMidnight - start
  if (state.days.size >= MAX_CACHED_DAYS) evictOldest(state.days)
  state.days.set(dayNumber, span)
  return span
}

/** The local day whose [start, end) contains the instant. */
function dayAt(state: CalendarState, instant: number): DaySpan {
  let day = daySpan(state, Math.floor((instant + state.offsetGuess) / DAY_MS))
  while (instant < day.start) day = daySpan(state, day.dayNumber - 1)
  while (instant >= day.end) day = daySpan(state, day.dayNumber + 1)
  return day
}

function toMs(instant: Instant, field: string): number {
  const ms = typeof instant === 'number' ? instant : instant.getTime()
  if (!Number.isFinite(ms)) throw invalidField(field, 'is not a valid instant')
  return ms
}

function checkedDuration(ms: number, field: string): number {
  if (!Number.isFinite(ms)) throw invalidField(field, 'must be a finite number')
  return ms
}

/**
 * `start` plus `ms` of business time. For ms > 0: the earliest instant t with
 * businessTimeBetween(start, t) = ms, so it can be the exact close of a working interval
 * (09:00 + 9 h on a 09:00–18:00 day is 18:00 that day, not 09:00 the next). For ms = 0:
 * `start` unchanged, even when closed. For ms < 0: the latest t ≤ start with
 * businessTimeBetween(t, start) = −ms.
 */
export function addBusinessTime(calendar: BusinessCalendar, start: Instant, ms: number): number {
  const from = toMs(start, 'start')
  const duration = checkedDuration(ms, 'ms')
  if (duration === 0 || calendar.isAlwaysOpen) return from + duration
  const state = stateOf(calendar)
  return duration > 0 ? addForward(state, from, duration) : addBackward(state, from, -duration)
}

function addForward(state: CalendarState, from: number, duration: number): number {
  let remaining = duration
  let day = dayAt(state, from)
  for (;;) {
    if (day.total > 0) {
      if (from <= day.start && remaining > day.total) {
        remaining -= day.total
      } else {
        for (const [open, close] of day.intervals) {
          if (close <= from) continue
          const begin = open > from ? open : from
          const available = close - begin
          if (remaining <= available) return begin + remaining
          remaining -= available
        }
      }
    }
    day = daySpan(state, day.dayNumber + 1)
  }
}

function addBackward(state: CalendarState, from: number, duration: number): number {
  let remaining = duration
  let day = dayAt(state, from)
  for (;;) {
    if (day.total > 0) {
      if (from >= day.end && remaining > day.total) {
        remaining -= day.total
      } else {
        for (let i = day.intervals.length - 1; i >= 0; i--) {
          const interval = day.intervals[i]
          if (interval === undefined) break
          const [open, close] = interval
          if (open >= from) continue
          const finish = close < from ? close : from
          const available = finish - open
          if (remaining <= available) return finish - remaining
          remaining -= available
        }
      }
    }
    day = daySpan(state, day.dayNumber - 1)
  }
}

/** `start` plus whole or fractional business minutes (rounded to the millisecond); see `addBusinessTime`. */
export function addBusinessMinutes(calendar: BusinessCalendar, start: Instant, minutes: number): number {
  return addBusinessTime(calendar, start, Math.round(checkedDuration(minutes, 'minutes') * MINUTE_MS))
}

/** Business time in milliseconds from `a` to `b`; negative when b < a. */
export function businessTimeBetween(calendar: BusinessCalendar, a: Instant, b: Instant): number {
  const from = toMs(a, 'a')
  const to = toMs(b, 'b')
  if (calendar.isAlwaysOpen) return to - from
  // `0 - x` rather than `-x`, so that an empty backward span is 0 and not -0.
  if (to < from) return 0 - forwardBetween(stateOf(calendar), to, from)
  if (to === from) return 0
  return forwardBetween(stateOf(calendar), from, to)
}

function forwardBetween(state: CalendarState, from: number, to: number): number {
  let sum = 0
  let day = dayAt(state, from)
  for (;;) {
    if (day.total > 0) {
      if (from <= day.start && day.end <= to) {
        sum += day.total
      } else {
        for (const [open, close] of day.intervals) {
          const low = open > from ? open : from
          const high = close < to ? close : to
          if (high > low) sum += high - low
        }
      }
    }
    if (to <= day.end) return sum
    day = daySpan(state, day.dayNumber + 1)
  }
}

/** Business minutes (fractional) from `a` to `b`; negative when b < a. */
export function businessMinutesBetween(calendar: BusinessCalendar, a: Instant, b: Instant): number {
  return businessTimeBetween(calendar, a, b) / MINUTE_MS
}

/** Whether `at` lies inside a working interval (the closing instant itself does not). */
export function isWorkingInstant(calendar: BusinessCalendar, at: Instant): boolean {
  const instant = toMs(at, 'at')
  if (calendar.isAlwaysOpen) return true
  for (const [open, close] of dayAt(stateOf(calendar), instant).intervals) {
    if (instant >= open && instant < close) return true
  }
  return false
}

/** `at` itself when it is a working instant, otherwise the next opening after it. */
export function nextWorkingInstant(calendar: BusinessCalendar, at: Instant): number {
  const instant = toMs(at, 'at')
  if (calendar.isAlwaysOpen) return instant
  const state = stateOf(calendar)
  let day = dayAt(state, instant)
  for (;;) {
    for (const [open, close] of day.intervals) {
      if (close > instant) return open > instant ? open : instant
    }
    day = daySpan(state, day.dayNumber + 1)
  }
}

/**
 * Length in milliseconds of a full working day: the longest weekday's hours by the wall
 * clock (7.5 h on the default calendar, 24 h when always open). "n working days" is n times this.
 */
export function workingDayLength(calendar: BusinessCalendar): number {
  let longest = 0
  for (const weekday of WEEKDAYS) {
    let minutes = 0
    for (const [start, end] of calendar.weeklyHours[weekday]) minutes += end - start
    longest = Math.max(longest, minutes)
  }
  return longest * MINUTE_MS
}

/** The working intervals of one local date as [open, close) instants (for display, checks and tests). */
export function workingIntervalsOn(calendar: BusinessCalendar, date: LocalDate): readonly (readonly [number, number])[] {
  const dayNumber = parseLocalDate(date)
  if (dayNumber === undefined) throw invalidField('date', `${date} is not a date YYYY-MM-DD`)
  return daySpan(stateOf(calendar), dayNumber).intervals
}
