import type { TFunction } from 'i18next'
import { type ReactNode, type RefObject, useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../../api/client.ts'
import type { MinuteInterval, SlaCalendar } from '../../../api/types.ts'
import { type Problem, translateFieldMessage } from '../../../components/portal-form.tsx'
import { formatDuration } from '../../../components/sla.tsx'

/**
 * Helpers shared by the SLA screens. Their forms are nested (targets of a policy, intervals of
 * a weekday, levels of a chain), so an API error is kept by its full field path
 * (`targets/0/minutes`) and shown beside exactly that control.
 */

/** SLA wording of the API, in the reader's language; anything else goes through the shared table. */
const SLA_MESSAGES: readonly [RegExp, string][] = [
  [/no such calendar/, 'noCalendar'],
  [/no such escalation chain/, 'noChain'],
  [/each target once per policy/, 'duplicateTarget'],
  [/must be after startsAt/, 'endBeforeStart'],
  [/levels must come in time order/, 'levelOrder'],
  [/not a known IANA time zone/, 'timeZone'],
  [/an interval is \[start, end\)|overlap/, 'interval'],
  [/between 0 and 1/, 'ratio'],
  [/must be > (-?[\d.]+)/, 'greaterThan'],
  [/must be >= (-?[\d.]+)/, 'atLeast'],
  [/must be <= (-?[\d.]+)/, 'atMost'],
  [/must be < (-?[\d.]+)/, 'lessThan'],
  [/must be integer/, 'integer'],
  [/must NOT have more than (\d+) items/, 'tooMany'],
  [/used by the policy|^in use$/, 'calendarInUse'],
]

function translateSlaMessage(message: string, ta: TFunction<'admin'>, tp: TFunction<'portal'>): string {
  for (const [pattern, key] of SLA_MESSAGES) {
    const match = pattern.exec(message)
    if (match !== null) return ta(`sla.error.${key}`, { value: match[1] ?? '' })
  }
  return translateFieldMessage(message, tp)
}

/** What an SLA form shows for an error: one sentence, and a message per full field path. */
export function describeSlaProblem(error: unknown, ta: TFunction<'admin'>, tp: TFunction<'portal'>): Problem {
  if (!(error instanceof ApiError)) return { code: 'INTERNAL', message: tp('problem.generic'), detail: null, fields: {} }
  const fields: Record<string, string> = {}
  for (const field of error.fields) {
    if (fields[field.field] === undefined) fields[field.field] = translateSlaMessage(field.message, ta, tp)
  }
  const known = ['VALIDATION', 'CONFLICT', 'FORBIDDEN', 'NOT_FOUND']
  let message = tp(known.includes(error.code) ? `problem.${error.code}` : 'problem.generic')
  // `id` names the record itself (in use, gone): said in the sentence rather than as a field.
  const about = fields.id
  if (about !== undefined) {
    delete fields.id
    message = `${message} ${about}`
  }
  return { code: error.code, message, detail: error.message, fields }
}

/** The first message for `path` or anything under it (`weeklyHours/1` also takes `weeklyHours/1/0`). */
export function errorAt(problem: Problem | null, path: string): string | undefined {
  if (problem === null) return undefined
  const exact = problem.fields[path]
  if (exact !== undefined) return exact
  const nested = Object.entries(problem.fields).find(([field]) => field.startsWith(`${path}/`))
  return nested?.[1]
}

/** A field's error line, linked to its control by id (`${id}-error`). */
export function FieldError({ id, message, path }: { id: string; message: string | undefined; path: string }) {
  if (message === undefined) return null
  return (
    <p className="form-field-error" id={`${id}-error`} data-testid="field-error" data-field={path}>
      {message}
    </p>
  )
}

/** aria props of a control whose error (if any) is shown by `FieldError` with the same id. */
export function invalidProps(id: string, message: string | undefined, hintId?: string) {
  const describedBy = [hintId ?? null, message !== undefined ? `${id}-error` : null].filter((part) => part !== null).join(' ')
  return { id, 'aria-invalid': message !== undefined ? true : undefined, 'aria-describedby': describedBy === '' ? undefined : describedBy }
}

/** A labelled control with an optional hint and its error, stacked (like the shared `Field`, by full path). */
export function PathField({
  id,
  label,
  problem,
  path,
  hint,
  className,
  children,
}: {
  id: string
  label: ReactNode
  problem: Problem | null
  path: string
  hint?: ReactNode
  className?: string
  children: ReactNode
}) {
  return (
    <div className={`form-field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint !== undefined && (
        <p className="form-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldError id={id} message={errorAt(problem, path)} path={path} />
    </div>
  )
}

/** "09:00" for 540 minutes; 1440 is "24:00". */
export function formatMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60)
  return `${String(hours).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

/** Minutes from midnight of "9:00" / "09:00" / "24:00"; null when it is not a time of day. */
export function parseMinutes(text: string): number | null {
  const match = /^\s*(\d{1,2})[:：.](\d{2})\s*$/.exec(text)
  if (match === null) return null
  const hours = Number(match[1])
  const minutes = Number(match[2])
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) return null
  return hours * 60 + minutes
}

/** "09:00–12:00, 13:30–18:00". */
export function formatIntervals(intervals: readonly MinuteInterval[], separator: string): string {
  return intervals.map(([start, end]) => `${formatMinutes(start)}–${formatMinutes(end)}`).join(separator)
}

/** Weekdays in the order a week is read here: Monday first, Sunday last (keys as the API's, 0 = Sunday). */
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const

/** The name of a weekday (0 = Sunday) in the reader's language. */
export function weekdayName(day: number, language: string, width: 'long' | 'short' = 'long'): string {
  // 7 January 2024 was a Sunday.
  return new Intl.DateTimeFormat(language, { weekday: width, timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 7 + day)))
}

/** Minutes of a full working day on a calendar (its longest weekday), for "n working days" hints. */
export function workingDayMinutes(calendar: SlaCalendar | undefined): number | null {
  if (calendar === undefined) return null
  if (calendar.is24x7) return 1440
  let longest = 0
  for (const day of WEEK_ORDER) {
    const total = (calendar.weeklyHours[String(day)] ?? []).reduce((sum, [start, end]) => sum + Math.max(0, end - start), 0)
    longest = Math.max(longest, total)
  }
  return longest > 0 ? longest : null
}

/**
 * A target's time allowed in words. On a 24×7 calendar it reads as elapsed time ("1 d"); on a
 * business calendar days would mislead (24 business hours are three working days), so hours.
 */
export function formatTargetMinutes(minutes: number, calendar: SlaCalendar | undefined, t: TFunction): string {
  if (calendar === undefined || calendar.is24x7 || minutes < 1440) return formatDuration(minutes * 60_000, t)
  const hours = Math.floor(minutes / 60)
  const rest = Math.round(minutes % 60)
  const parts = [t('common:duration.h', { count: hours })]
  if (rest > 0) parts.push(t('common:duration.min', { count: rest }))
  return parts.join(t('common:duration.separator'))
}

/** A number for a hint: at most two decimals, in the reader's language. */
export function formatNumber(value: number, language: string): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(value)
}

/** The wall-clock parts of an instant in a time zone. */
function zonedParts(ms: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms))
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0)
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') }
}

/** An ISO instant as the value of a `datetime-local` control showing the wall time in `timeZone`. */
export function isoToLocalInput(iso: string, timeZone: string): string {
  const { year, month, day, hour, minute } = zonedParts(new Date(iso).getTime(), timeZone)
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}`
}

/** The ISO instant of a `datetime-local` value read as wall time in `timeZone`; null when empty or invalid. */
export function localInputToIso(value: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value)
  if (match === null) return null
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number]
  const wanted = Date.UTC(year, month - 1, day, hour, minute)
  // The zone's offset at the guess, applied twice so an instant next to a DST change settles.
  let guess = wanted
  for (let step = 0; step < 2; step++) {
    const seen = zonedParts(guess, timeZone)
    const offset = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute) - guess
    guess = wanted - offset
  }
  return new Date(guess).toISOString()
}

/** Common IANA time zones offered in the calendar's time zone box (any other may be typed). */
export const COMMON_TIME_ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Asia/Kolkata',
  'Asia/Dubai',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'Europe/Moscow',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Australia/Sydney',
  'Pacific/Auckland',
  'UTC',
] as const

/** The hook every SLA screen uses for its two translation namespaces. */
export function useSlaText(): { ta: TFunction<'admin'>; tp: TFunction<'portal'>; language: string } {
  const { t: ta, i18n } = useTranslation('admin')
  const { t: tp } = useTranslation('portal')
  return { ta, tp, language: i18n.language }
}

/** Moves focus to a form's error alert when a problem appears (the submit button is disabled meanwhile, so focus would be lost). */
export function useProblemFocus(problem: Problem | null): RefObject<HTMLDivElement | null> {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (problem !== null) ref.current?.querySelector<HTMLElement>('[role="alert"]')?.focus()
  }, [problem])
  return ref
}
