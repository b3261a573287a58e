import fs from 'node:fs'
import path from 'node:path'
import { benchCalendar } from './calendar-bench.ts'
import { benchSla } from './sla-bench.ts'
import { measureWebBundle } from './web-bundle.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`
const ms = (value: number) => `${value.toFixed(1)} ms`
const mark = (ok: boolean) => (ok ? '✅' : '❌')

/**
 * The SLA engine and the web app, appended to docs/benchmarks.md: calendar additions per
 * second, one scheduler pass over 1 000 000 open tickets of which 1 % are due (PostgreSQL;
 * 100 000 on PGlite), recomputing one ticket's SLA, the portal's gzipped JavaScript, and the
 * first render of the agent queue with 10 000 tickets as the last e2e run measured it.
 */
export async function extraSections(serverUrl: string | null, log: (line: string) => void): Promise<string> {
  const lines: string[] = []
  log('calendar additions')
  const calendar = await benchCalendar()
  log('SLA scheduler on PGlite (100 000 open tickets)')
  const slaPglite = await benchSla('pglite', Number(process.env.BENCH_SLA_PGLITE_TICKETS ?? 100_000))
  let slaPostgres: Awaited<ReturnType<typeof benchSla>> | null = null
  if (serverUrl !== null) {
    log('SLA scheduler on PostgreSQL (1 000 000 open tickets)')
    slaPostgres = await benchSla('postgres', Number(process.env.BENCH_SLA_TICKETS ?? 1_000_000), serverUrl)
  }
  let bundle: ReturnType<typeof measureWebBundle> | null = null
  try {
    bundle = measureWebBundle()
  } catch (error) {
    log(`web bundle not measured (run npm run build first): ${String(error)}`)
  }
  const renders = ['pglite', 'postgres']
    .map((kind) => path.join(ROOT, `test/e2e/results/queue-render-${kind}.json`))
    .filter((file) => fs.existsSync(file))
    .map((file) => JSON.parse(fs.readFileSync(file, 'utf8')) as { tickets: number; database: string; medianMs: number; runsMs: number[]; measuredAt: string })

  lines.push('## 3. SLA engine', '')
  lines.push('| aim | result | |', '|---|---|---|')
  lines.push(`| ≥ 1 000 000 business-calendar additions per second (pure) | ${Math.round(calendar.additionsPerSecond).toLocaleString('en')} /s | ${mark(calendar.additionsPerSecond >= 1_000_000)} |`)
  if (slaPostgres !== null) {
    lines.push(`| a scheduler pass under 200 ms on PostgreSQL (${slaPostgres.openTickets.toLocaleString('en')} open tickets, ${slaPostgres.dueTickets.toLocaleString('en')} due) | claim ${ms(slaPostgres.claimMsP50)}; claim + evaluate ${slaPostgres.passBatch} tickets ${ms(slaPostgres.passMsP50)} | ${mark(slaPostgres.passMsP50 < 200)} |`)
  }
  lines.push('')
  lines.push('| database | open tickets | due | load | claim a batch (p50) | pass: claim + evaluate 100 (p50) | recompute one ticket p50 / p99 |', '|---|---:|---:|---:|---:|---:|---:|')
  for (const result of [slaPglite, slaPostgres]) {
    if (result === null) continue
    lines.push(
      `| ${result.database === 'pglite' ? 'PGlite' : 'PostgreSQL'} | ${result.openTickets.toLocaleString('en')} | ${result.dueTickets.toLocaleString('en')} | ${result.loadSeconds.toFixed(1)} s | ${ms(result.claimMsP50)} | ${ms(result.passMsP50)} | ${ms(result.recomputeMsP50)} / ${ms(result.recomputeMsP99)} |`,
    )
  }
  lines.push(
    '',
    'Calendar additions: the default Chinese business calendar with the 2025–2026 holidays, starts spread over 2026, durations from 3 minutes to 2 working days (`test/bench/calendar-bench.ts`).',
    'A scheduler pass claims the tickets of up to 100 due targets with `FOR UPDATE SKIP LOCKED` (the claim column) and evaluates each one: priority, policy, every target, the events and outbox rows of what fired (`runSlaPass`). Recompute: `evaluateTicketSla` on one ticket in its own transaction.',
    '',
  )

  lines.push('## 4. Web app', '')
  if (bundle !== null) {
    lines.push('| aim | result | |', '|---|---|---|')
    lines.push(`| portal initial JavaScript under 250 kB gzipped | ${kB(bundle.portalGzipBytes)} | ${mark(bundle.portalGzipBytes < 250 * 1024)} |`)
    lines.push('', `Initial JavaScript of every page ${kB(bundle.initialGzipBytes)} gzipped; with the portal's chunks ${kB(bundle.portalGzipBytes)}; with the agent workspace's ${kB(bundle.agentGzipBytes)} (from the Vite build manifest, \`test/bench/web-bundle.ts\`).`, '')
  }
  if (renders.length > 0) {
    lines.push('First render of the agent queue (“all open”, 50 rows per page) with 10 000 tickets in the database, in headless Chromium, navigation to the first row on screen, measured by the e2e run (`test/e2e/queue-render.test.ts`), reported, not asserted:', '')
    lines.push('| database | tickets | median | runs | measured |', '|---|---:|---:|---|---|')
    for (const render of renders) lines.push(`| ${render.database} | ${render.tickets.toLocaleString('en')} | ${render.medianMs} ms | ${render.runsMs.join(', ')} ms | ${render.measuredAt.slice(0, 16)} |`)
    lines.push('')
  }
  return lines.join('\n')
}
