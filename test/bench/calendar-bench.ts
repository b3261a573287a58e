import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { addBusinessTime, defaultBusinessCalendar } from '../../src/domain/sla/business-calendar.ts'
import { importICalendar } from '../../src/domain/sla/ical-import.ts'

const MINUTE = 60_000
/** Typical SLA targets: 3 min, 15 min, 30 min, 2 h, 4 h, 1 working day, 2 working days. */
const DURATIONS = [3, 15, 30, 120, 240, 450, 900].map((minutes) => minutes * MINUTE)
const STARTS = 4096

/** Business-time additions per second on the default calendar with the 2025–2026 Chinese holidays, warm cache. */
export async function benchCalendar(options: { readonly seconds?: number } = {}): Promise<{ additionsPerSecond: number }> {
  const years = [2025, 2026].map((year) =>
    importICalendar(readFileSync(new URL(`../fixtures/holidays-cn/${year}.ics`, import.meta.url), 'utf8')),
  )
  const calendar = defaultBusinessCalendar(years.flatMap((y) => y.holidays), years.flatMap((y) => y.workdays))

  // Starts spread over 2026 by a fixed-seed generator, so runs are comparable.
  let seed = 0x2026
  const random = () => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0
    return seed / 2 ** 32
  }
  const from = Date.parse('2026-01-01T00:00:00+08:00')
  const span = Date.parse('2026-12-01T00:00:00+08:00') - from
  const starts = Array.from({ length: STARTS }, () => from + Math.floor(random() * span))

  let sink = 0
  const run = (count: number) => {
    for (let i = 0; i < count; i++) {
      sink += addBusinessTime(calendar, starts[i % STARTS] ?? from, DURATIONS[i % DURATIONS.length] ?? MINUTE)
    }
  }
  run(200_000) // warm-up: fills the day cache and lets the JIT settle

  const budgetMs = (options.seconds ?? 1) * 1000
  let additions = 0
  const began = performance.now()
  while (performance.now() - began < budgetMs) {
    run(100_000)
    additions += 100_000
  }
  const elapsedMs = performance.now() - began
  if (sink === 0) throw new Error('unreachable: keeps the additions from being optimised away')
  return { additionsPerSecond: Math.round((additions / elapsedMs) * 1000) }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { additionsPerSecond } = await benchCalendar({ seconds: 2 })
  console.log(`business-calendar: ${additionsPerSecond.toLocaleString('en-US')} additions/s`)
}
