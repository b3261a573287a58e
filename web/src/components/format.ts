/** Dates and durations in the viewer's language and time zone. */
export function formatDateTime(iso: string | null, language: string, timeZone?: string): string {
  if (iso === null) return '—'
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(new Date(iso))
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
]

/** "3 hours ago" / "3 小时前". */
export function formatRelative(iso: string, language: string, now = Date.now()): string {
  const diff = new Date(iso).getTime() - now
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' })
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return format.format(Math.round(diff / ms), unit)
  }
  return format.format(0, 'minute')
}

/** Age of a ticket in whole hours or days, e.g. "5 h" / "2 d" (in the viewer's language). */
export function formatAge(iso: string, language: string, now = Date.now()): string {
  const hours = Math.max(0, (now - new Date(iso).getTime()) / 3_600_000)
  const unit = hours >= 48 ? 'day' : 'hour'
  const value = unit === 'day' ? Math.floor(hours / 24) : Math.floor(hours)
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'narrow' }).format(value)
}
