const formatters = new Map<string, Intl.DateTimeFormat>()

/** The local calendar date of `at` in `timeZone`, as YYYYMMDD. */
export function localDateKey(at: Date, timeZone: string): string {
  let formatter = formatters.get(timeZone)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    formatters.set(timeZone, formatter)
  }
  return formatter.format(at).replaceAll('-', '')
}

/** A human-readable ticket number: the desk-local date of creation and a serial, e.g. `20261124-000123`. */
export function formatTicketNumber(at: Date, serial: number, timeZone: string): string {
  return `${localDateKey(at, timeZone)}-${String(serial).padStart(6, '0')}`
}
