import { invalidField } from '../shared/app-error.ts'
import { type LocalDate, instantToZonedLocal, zonedLocalToInstant } from './business-calendar.ts'

/**
 * Holidays and make-up working days (调休) from an iCalendar (RFC 5545) feed such as the
 * Chinese State Council calendar. Hand-written on purpose: no iCalendar library is installed
 * and this needs only unfolding, content lines, VEVENT dates and SUMMARY text — not
 * recurrence, alarms or time-zone definitions — so a dependency would be mostly unused.
 */

/** Result of an import: sorted, distinct local dates, and the event name behind each date. */
export interface HolidayImport {
  readonly holidays: LocalDate[]
  readonly workdays: LocalDate[]
  readonly names: Record<LocalDate, string>
}

/** Options of `importICalendar`. */
export interface ICalendarImportOptions {
  /**
   * Zone in which UTC (`…Z`) and TZID date-times are turned into local dates; defaults to the
   * feed's X-WR-TIMEZONE. Without either, date-times keep the date written in the feed.
   */
  readonly timeZone?: string
}

interface ContentLine {
  readonly name: string
  readonly params: ReadonlyMap<string, string>
  readonly value: string
}

interface DateValue {
  /** Local date of the value, as its day number. */
  readonly dayNumber: number
  /** Minutes from local midnight; 0 for DATE values. */
  readonly minuteOfDay: number
  readonly isDate: boolean
}

interface EventDraft {
  summary: string
  start?: ContentLine
  end?: ContentLine
  duration?: string
  isCancelled: boolean
  isRecurring: boolean
}

const DAY_MS = 86_400_000

/**
 * Reads VEVENTs into holidays and make-up working days. All-day events cover DTSTART up to the
 * exclusive DTEND (one day without DTEND); date-time events cover every local date they touch,
 * so a partial-day closure closes the whole day. A SUMMARY starting with 上班, or containing
 * 补班 / 调休上班 / "working day" / "make-up", marks working days; every other event, holidays.
 * Where a date gets both, the make-up working day wins as the more specific notice. Cancelled
 * events are skipped; recurring events (RRULE/RDATE) are refused with `AppError('VALIDATION')`
 * rather than silently misread, as are malformed lines and dates.
 */
export function importICalendar(source: string | Uint8Array, options: ICalendarImportOptions = {}): HolidayImport {
  const lines = unfold(source)
  const targetZone = options.timeZone ?? feedTimeZone(lines)
  const holidayNames = new Map<number, string[]>()
  const workdayNames = new Map<number, string[]>()
  const stack: string[] = []
  let event: EventDraft | undefined

  for (const [index, raw] of lines.entries()) {
    if (raw.trim() === '') continue
    const line = parseContentLine(raw, index + 1)
    if (line.name === 'BEGIN') {
      stack.push(line.value.toUpperCase())
      if (line.value.toUpperCase() === 'VEVENT') {
        event = { summary: '', isCancelled: false, isRecurring: false }
      }
      continue
    }
    if (line.name === 'END') {
      const closed = stack.pop()
      if (closed !== line.value.toUpperCase()) {
        throw invalidField(`content line ${index + 1}`, `END:${line.value} does not close BEGIN:${closed ?? '(nothing)'}`)
      }
      if (closed === 'VEVENT' && event !== undefined) {
        addEvent(event, targetZone, holidayNames, workdayNames, index + 1)
        event = undefined
      }
      continue
    }
    if (stack[stack.length - 1] !== 'VEVENT' || event === undefined) continue
    switch (line.name) {
      case 'SUMMARY':
        event.summary = unescapeText(line.value)
        break
      case 'DTSTART':
        event.start = line
        break
      case 'DTEND':
        event.end = line
        break
      case 'DURATION':
        event.duration = line.value
        break
      case 'STATUS':
        event.isCancelled = line.value.toUpperCase() === 'CANCELLED'
        break
      case 'RRULE':
      case 'RDATE':
        event.isRecurring = true
        break
      default:
        break
    }
  }
  if (stack.length > 0) throw invalidField('calendar', `BEGIN:${stack[stack.length - 1] ?? ''} is never closed`)

  const names: Record<LocalDate, string> = {}
  const holidays: LocalDate[] = []
  const workdays: LocalDate[] = []
  for (const dayNumber of [...new Set([...holidayNames.keys(), ...workdayNames.keys()])].sort((a, b) => a - b)) {
    const date = dateOfDayNumber(dayNumber)
    const working = workdayNames.get(dayNumber)
    const eventNames = working ?? holidayNames.get(dayNumber) ?? []
    if (working === undefined) holidays.push(date)
    else workdays.push(date)
    names[date] = eventNames.join(' / ')
  }
  return { holidays, workdays, names }
}

/** Whether an event's summary announces a make-up working day rather than a day off. */
export function isMakeUpWorkdaySummary(summary: string): boolean {
  const text = summary.trim()
  return (
    text.startsWith('上班') ||
    text.includes('补班') ||
    text.includes('调休上班') ||
    // "Non-working day" is a day off, and a "make-up holiday" is a substitute day off.
    /(?<!non[- ]?)working day/i.test(text) ||
    /\bmake-?up\b(?!\s+(holiday|day off|rest))/i.test(text)
  )
}

function addEvent(
  event: EventDraft,
  targetZone: string | undefined,
  holidayNames: Map<number, string[]>,
  workdayNames: Map<number, string[]>,
  lineNumber: number,
): void {
  if (event.isCancelled) return
  if (event.isRecurring) {
    throw invalidField(`content line ${lineNumber}`, `recurring event "${event.summary}" is not supported; list its dates one by one`)
  }
  if (event.start === undefined) throw invalidField(`content line ${lineNumber}`, `event "${event.summary}" has no DTSTART`)
  const start = parseDateValue(event.start, targetZone, lineNumber)
  const end =
    event.end !== undefined
      ? parseDateValue(event.end, targetZone, lineNumber)
      : event.duration !== undefined
        ? addDuration(start, event.duration, lineNumber)
        : start.isDate
          ? { dayNumber: start.dayNumber + 1, minuteOfDay: 0, isDate: true }
          : start
  // The end is exclusive: an end at local midnight does not touch that day, but a zero-length event still covers its day.
  let lastDay = end.minuteOfDay === 0 ? end.dayNumber - 1 : end.dayNumber
  if (lastDay < start.dayNumber) lastDay = start.dayNumber
  if (end.dayNumber < start.dayNumber) {
    throw invalidField(`content line ${lineNumber}`, `event "${event.summary}" ends before it starts`)
  }
  const target = isMakeUpWorkdaySummary(event.summary) ? workdayNames : holidayNames
  for (let day = start.dayNumber; day <= lastDay; day++) {
    const list = target.get(day) ?? []
    if (!list.includes(event.summary)) list.push(event.summary)
    target.set(day, list)
  }
}

/** The feed's X-WR-TIMEZONE when it names a zone this platform knows. */
function feedTimeZone(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const match = /^X-WR-TIMEZONE(?:;[^:]*)?:(.+)$/i.exec(line)
    if (match?.[1] === undefined) continue
    try {
      instantToZonedLocal(match[1].trim(), 0)
      return match[1].trim()
    } catch {
      return undefined
    }
  }
  return undefined
}

function unfold(source: string | Uint8Array): string[] {
  if (typeof source === 'string') return source.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/).reduce(joinFolded, [])
  // Folding may split a multi-byte UTF-8 character (RFC 5545 §3.1), so unfold bytes before decoding.
  const bytes: number[] = []
  for (let i = 0; i < source.length; i++) {
    const byte = source[i]
    const next = source[i + 1]
    if (byte === 0x0d && next === 0x0a && (source[i + 2] === 0x20 || source[i + 2] === 0x09)) {
      i += 2
      continue
    }
    if (byte === 0x0a && (next === 0x20 || next === 0x09)) {
      i += 1
      continue
    }
    if (byte !== undefined) bytes.push(byte)
  }
  return new TextDecoder('utf-8').decode(Uint8Array.from(bytes)).split(/\r\n|\n|\r/)
}

function joinFolded(lines: string[], line: string): string[] {
  const previous = lines.length - 1
  if ((line.startsWith(' ') || line.startsWith('\t')) && previous >= 0) lines[previous] += line.slice(1)
  else lines.push(line)
  return lines
}

/** name *(";" param) ":" value — parameter values may be quoted and then hold ";" and ":". */
function parseContentLine(line: string, lineNumber: number): ContentLine {
  let i = 0
  while (i < line.length && line[i] !== ';' && line[i] !== ':') i++
  const name = line.slice(0, i).toUpperCase()
  if (name === '' || i >= line.length) throw invalidField(`content line ${lineNumber}`, 'is not a NAME:value content line')
  const params = new Map<string, string>()
  while (line[i] === ';') {
    const equals = line.indexOf('=', i)
    if (equals < 0) throw invalidField(`content line ${lineNumber}`, 'has a parameter without a value')
    const key = line.slice(i + 1, equals).toUpperCase()
    i = equals + 1
    let value = ''
    if (line[i] === '"') {
      const close = line.indexOf('"', i + 1)
      if (close < 0) throw invalidField(`content line ${lineNumber}`, 'has an unterminated quoted parameter')
      value = line.slice(i + 1, close)
      i = close + 1
    } else {
      const start = i
      while (i < line.length && line[i] !== ';' && line[i] !== ':') i++
      value = line.slice(start, i)
    }
    params.set(key, value)
  }
  if (line[i] !== ':') throw invalidField(`content line ${lineNumber}`, 'is not a NAME:value content line')
  return { name, params, value: line.slice(i + 1) }
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, char: string) => (char === 'n' || char === 'N' ? '\n' : char))
}

const DATE = /^(\d{4})(\d{2})(\d{2})$/
const DATE_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/

function parseDateValue(line: ContentLine, targetZone: string | undefined, lineNumber: number): DateValue {
  const value = line.value.trim()
  const date = DATE.exec(value)
  if (date !== null) {
    return { dayNumber: checkedDayNumber(date[1], date[2], date[3], lineNumber), minuteOfDay: 0, isDate: true }
  }
  const dateTime = DATE_TIME.exec(value)
  if (dateTime === null || line.params.get('VALUE')?.toUpperCase() === 'DATE') {
    throw invalidField(`content line ${lineNumber}`, `${line.name} ${value} is not an iCalendar date or date-time`)
  }
  const dayNumber = checkedDayNumber(dateTime[1], dateTime[2], dateTime[3], lineNumber)
  const [hour, minute, second] = [Number(dateTime[4]), Number(dateTime[5]), Number(dateTime[6])]
  // Second 60 is a leap second in RFC 5545; it reads as the end of that minute.
  if (hour > 23 || minute > 59 || second > 60) throw invalidField(`content line ${lineNumber}`, `${value} is not a time of day`)
  const minuteOfDay = hour * 60 + minute + second / 60
  const tzid = line.params.get('TZID')
  const isUtc = dateTime[7] === 'Z'
  if (targetZone === undefined || (!isUtc && tzid === undefined)) return { dayNumber, minuteOfDay, isDate: false }
  let instant: number
  if (isUtc) {
    instant = dayNumber * DAY_MS + minuteOfDay * 60_000
  } else {
    const [y, m, d] = dateOfDayNumber(dayNumber).split('-').map(Number)
    try {
      instant = zonedLocalToInstant(tzid ?? targetZone, y ?? 0, m ?? 0, d ?? 0, minuteOfDay)
    } catch {
      // A TZID that names a VTIMEZONE rather than an IANA zone: keep the written wall time.
      return { dayNumber, minuteOfDay, isDate: false }
    }
  }
  const local = instantToZonedLocal(targetZone, instant)
  return { dayNumber: Date.parse(`${local.date}T00:00:00Z`) / DAY_MS, minuteOfDay: local.minuteOfDay, isDate: false }
}

function checkedDayNumber(year: string | undefined, month: string | undefined, day: string | undefined, lineNumber: number): number {
  const text = `${year ?? ''}-${month ?? ''}-${day ?? ''}`
  const ms = Date.parse(`${text}T00:00:00Z`)
  // Date.parse accepts some impossible dates (2026-02-30); the round trip catches them.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw invalidField(`content line ${lineNumber}`, `${text} is not a calendar date`)
  }
  return ms / DAY_MS
}

function dateOfDayNumber(dayNumber: number): LocalDate {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10)
}

const DURATION = /^\+?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/

function addDuration(start: DateValue, duration: string, lineNumber: number): DateValue {
  const match = DURATION.exec(duration.trim())
  if (match === null || duration.trim() === 'P' || duration.trim().endsWith('T')) {
    throw invalidField(`content line ${lineNumber}`, `DURATION ${duration} is not a positive iCalendar duration`)
  }
  const [weeks, days, hours, minutes, seconds] = [1, 2, 3, 4, 5].map((group) => Number(match[group] ?? 0))
  const totalMinutes =
    start.minuteOfDay + ((weeks ?? 0) * 7 + (days ?? 0)) * 1440 + (hours ?? 0) * 60 + (minutes ?? 0) + (seconds ?? 0) / 60
  const dayNumber = start.dayNumber + Math.floor(totalMinutes / 1440)
  return { dayNumber, minuteOfDay: totalMinutes - Math.floor(totalMinutes / 1440) * 1440, isDate: start.isDate }
}
