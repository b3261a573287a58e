import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/domain/shared/app-error.ts'
import { defaultBusinessCalendar } from '../../src/domain/sla/business-calendar.ts'
import { importICalendar, isMakeUpWorkdaySummary } from '../../src/domain/sla/ical-import.ts'

const FIXTURES = new URL('../fixtures/holidays-cn/', import.meta.url)
// CI checks the clone out with ../shared beside it; the copies in test/fixtures are what the tests use.
const SHARED = new URL('../../../shared/data/holidays-cn/', import.meta.url)

interface HolidayDay {
  readonly name: string
  readonly date: string
  readonly isOffDay: boolean
}

function groundTruth(year: number): readonly HolidayDay[] {
  const parsed: unknown = JSON.parse(readFileSync(new URL(`${year}.json`, FIXTURES), 'utf8'))
  if (typeof parsed !== 'object' || parsed === null || !('days' in parsed) || !Array.isArray(parsed.days)) {
    throw new Error(`${year}.json has no days[]`)
  }
  return parsed.days as HolidayDay[]
}

const ics = (year: number) => readFileSync(new URL(`${year}.ics`, FIXTURES), 'utf8')

/** A minimal calendar around the given VEVENT bodies, CRLF-terminated as RFC 5545 asks. */
function calendarOf(...events: string[][]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//loopdesk//test//EN']
  for (const body of events) lines.push('BEGIN:VEVENT', ...body, 'END:VEVENT')
  lines.push('END:VCALENDAR')
  return lines.join('\r\n') + '\r\n'
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

describe('importICalendar on the Chinese holiday data', () => {
  for (const year of [2025, 2026]) {
    it(`${year}: holidays are exactly the isOffDay=true dates, workdays exactly the isOffDay=false dates`, () => {
      const imported = importICalendar(ics(year))
      const days = groundTruth(year)
      expect(imported.holidays).toEqual(days.filter((day) => day.isOffDay).map((day) => day.date).sort())
      expect(imported.workdays).toEqual(days.filter((day) => !day.isOffDay).map((day) => day.date).sort())
      expect(Object.keys(imported.names).sort()).toEqual(days.map((day) => day.date).sort())
      // The data set's names are the festival; the feed's summaries add 假期 or 上班(补…).
      for (const day of days) expect(imported.names[day.date]).toContain(day.name)
    })
  }

  it('2026: make-up working days and the Spring Festival block', () => {
    const imported = importICalendar(ics(2026))
    expect(imported.workdays).toEqual(expect.arrayContaining(['2026-01-04', '2026-02-14', '2026-02-28', '2026-09-20', '2026-10-10']))
    const springFestival = ['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((day) => `2026-02-${day}`)
    expect(imported.holidays).toEqual(expect.arrayContaining(springFestival))
    expect(imported.holidays).not.toContain('2026-02-14')
    expect(imported.holidays).not.toContain('2026-02-24')
    expect(imported.names['2026-01-04']).toBe('上班(补元旦假期)')
    expect(imported.names['2026-02-18']).toBe('春节假期')
  })

  it('reads the same from bytes as from text', () => {
    const bytes = readFileSync(new URL('2026.ics', FIXTURES))
    expect(importICalendar(bytes)).toEqual(importICalendar(ics(2026)))
  })

  it('feeds a valid default calendar', () => {
    const both = [importICalendar(ics(2025)), importICalendar(ics(2026))]
    const calendar = defaultBusinessCalendar(both.flatMap((y) => y.holidays), both.flatMap((y) => y.workdays))
    expect(calendar.holidays.size).toBe(both.reduce((count, year) => count + year.holidays.length, 0))
  })

  it.skipIf(!existsSync(SHARED))('the fixtures are unchanged copies of ../shared/data/holidays-cn', () => {
    for (const file of ['2025.ics', '2026.ics', '2025.json', '2026.json']) {
      expect(readFileSync(new URL(file, FIXTURES), 'utf8')).toBe(readFileSync(new URL(file, SHARED), 'utf8'))
    }
  })
})

describe('importICalendar: RFC 5545 details', () => {
  it('unfolds folded lines (space or tab) and unescapes SUMMARY text', () => {
    const text = calendarOf([
      'SUMMARY:Company day\\, all',
      '  sites\\; HQ \\\\ branches\\nsee',
      '\t intranet',
      'DTSTART;VALUE=DATE:20261231',
      'DTEND;VALUE=DATE:20270101',
    ])
    const imported = importICalendar(text)
    expect(imported.holidays).toEqual(['2026-12-31'])
    expect(imported.names['2026-12-31']).toBe('Company day, all sites; HQ \\ branches\nsee intranet')
  })

  it('unfolds bytes where a fold splits a UTF-8 character', () => {
    const encoded = new TextEncoder().encode(calendarOf(['SUMMARY:春节假期', 'DTSTART;VALUE=DATE:20260215', 'DTEND;VALUE=DATE:20260217']))
    const cut = encoded.indexOf(0x8a) // the middle byte of 节 (E8 8A 82)
    const folded = new Uint8Array([...encoded.subarray(0, cut), 0x0d, 0x0a, 0x20, ...encoded.subarray(cut)])
    const imported = importICalendar(folded)
    expect(imported.names['2026-02-15']).toBe('春节假期')
    expect(imported.holidays).toEqual(['2026-02-15', '2026-02-16'])
  })

  it('accepts LF line ends, a byte-order mark, quoted parameters and lower-case names', () => {
    const text =
      '\uFEFF' +
      calendarOf(['summary;language=zh-CN:国庆节', 'dtstart;x-note="a:b;c";value=DATE:20261001', 'DTEND;VALUE=DATE:20261003']).replaceAll('\r\n', '\n')
    expect(importICalendar(text).holidays).toEqual(['2026-10-01', '2026-10-02'])
  })

  it('gives an all-day event without DTEND one day, and honours DURATION', () => {
    const imported = importICalendar(
      calendarOf(
        ['SUMMARY:One day', 'DTSTART;VALUE=DATE:20260405'],
        ['SUMMARY:Three days', 'DTSTART;VALUE=DATE:20260501', 'DURATION:P3D'],
      ),
    )
    expect(imported.holidays).toEqual(['2026-04-05', '2026-05-01', '2026-05-02', '2026-05-03'])
  })

  it('covers each local date a date-time event touches, with an exclusive end at midnight', () => {
    const zoned = calendarOf(['SUMMARY:国庆', 'DTSTART;TZID=Asia/Shanghai:20261001T000000', 'DTEND;TZID=Asia/Shanghai:20261003T000000'])
    expect(importICalendar(zoned).holidays).toEqual(['2026-10-01', '2026-10-02'])
    const partial = calendarOf(['SUMMARY:Afternoon off', 'DTSTART:20261231T140000', 'DTEND:20261231T180000'])
    expect(importICalendar(partial).holidays).toEqual(['2026-12-31'])
  })

  it('turns UTC date-times into local dates of the chosen zone', () => {
    // 2026-09-30 16:00Z to 2026-10-01 16:00Z is 1 October in Shanghai.
    const body = ['SUMMARY:National Day', 'DTSTART:20260930T160000Z', 'DTEND:20261001T160000Z']
    expect(importICalendar(calendarOf(body), { timeZone: 'Asia/Shanghai' }).holidays).toEqual(['2026-10-01'])
    expect(importICalendar(calendarOf(body)).holidays).toEqual(['2026-09-30', '2026-10-01'])
    const withFeedZone = calendarOf(body).replace('VERSION:2.0', 'VERSION:2.0\r\nX-WR-TIMEZONE:Asia/Shanghai')
    expect(importICalendar(withFeedZone).holidays).toEqual(['2026-10-01'])
    const berlinEvening = calendarOf(['SUMMARY:x', 'DTSTART;TZID=Europe/Berlin:20261001T200000', 'DTEND;TZID=Europe/Berlin:20261001T210000'])
    expect(importICalendar(berlinEvening, { timeZone: 'Asia/Shanghai' }).holidays).toEqual(['2026-10-02'])
  })

  it('ignores cancelled events and properties of other components', () => {
    const text = calendarOf(
      ['SUMMARY:Cancelled', 'STATUS:CANCELLED', 'DTSTART;VALUE=DATE:20260601'],
      ['SUMMARY:With alarm', 'DTSTART;VALUE=DATE:20260602', 'BEGIN:VALARM', 'TRIGGER:-PT15M', 'ACTION:DISPLAY', 'END:VALARM'],
    ).replace('END:VCALENDAR', 'BEGIN:VTODO\r\nSUMMARY:todo\r\nDTSTART;VALUE=DATE:20260603\r\nEND:VTODO\r\nEND:VCALENDAR')
    const imported = importICalendar(text)
    expect(imported.holidays).toEqual(['2026-06-02'])
    expect(imported.workdays).toEqual([])
  })

  it('lets a make-up working day win over a holiday on the same date', () => {
    const imported = importICalendar(
      calendarOf(
        ['SUMMARY:春节假期', 'DTSTART;VALUE=DATE:20260214', 'DTEND;VALUE=DATE:20260217'],
        ['SUMMARY:上班(补春节假期)', 'DTSTART;VALUE=DATE:20260214'],
      ),
    )
    expect(imported.workdays).toEqual(['2026-02-14'])
    expect(imported.holidays).toEqual(['2026-02-15', '2026-02-16'])
    expect(imported.names['2026-02-14']).toBe('上班(补春节假期)')
  })

  it('refuses recurring events, unbalanced components, bad dates and reversed events', () => {
    expectValidationError(() => importICalendar(calendarOf(['SUMMARY:New Year', 'DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=YEARLY'])))
    expectValidationError(() => importICalendar('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n'))
    expectValidationError(() => importICalendar('BEGIN:VCALENDAR\r\n'))
    expectValidationError(() => importICalendar(calendarOf(['SUMMARY:x', 'DTSTART;VALUE=DATE:20260230'])))
    expectValidationError(() => importICalendar(calendarOf(['SUMMARY:x', 'DTSTART;VALUE=DATE:20261001T000000'])))
    expectValidationError(() => importICalendar(calendarOf(['SUMMARY:x', 'DTSTART;VALUE=DATE:20261005', 'DTEND;VALUE=DATE:20261001'])))
    expectValidationError(() => importICalendar(calendarOf(['SUMMARY:no start'])))
    expectValidationError(() => importICalendar(calendarOf(['SUMMARY x', 'DTSTART;VALUE=DATE:20261001'])))
  })
})

describe('isMakeUpWorkdaySummary', () => {
  it.each([
    ['上班(补国庆节假期)', true],
    [' 上班', true],
    ['春节补班', true],
    ['国庆节调休上班', true],
    ['Make-up working day', true],
    ['makeup day (National Day)', true],
    ['Working day (Saturday)', true],
    ['国庆节假期', false],
    ['调休', false],
    ['Non-working day', false],
    ['Make-up holiday', false],
    ['Spring Festival', false],
  ])('%s → %s', (summary, expected) => {
    expect(isMakeUpWorkdaySummary(summary)).toBe(expected)
  })
})
