import fs from 'node:fs'
import path from 'node:path'
import { benchCalendar } from './calendar-bench.ts'
import { type ChatBenchResult, benchChat } from './chat-bench.ts'
import { type EmailBenchResult, benchInboundEmail } from './email-bench.ts'
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
 * first render of the agent queue with 10 000 tickets as the last e2e run measured it, and the
 * channels: inbound e-mails per second over real SMTP and web-chat round trips with 200
 * concurrent sessions.
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

  lines.push(...(await channelsSection(serverUrl, log)))
  return lines.join('\n')
}

/** Section 5: inbound e-mail throughput and web-chat latency, on PGlite and on PostgreSQL. */
async function channelsSection(serverUrl: string | null, log: (line: string) => void): Promise<string[]> {
  const targets: Array<{ label: string; postgresUrl?: string }> = [{ label: 'PGlite' }]
  if (serverUrl !== null) targets.push({ label: 'PostgreSQL', postgresUrl: serverUrl })
  const mail: Array<{ label: string; result: EmailBenchResult }> = []
  const chat: Array<{ label: string; paced: ChatBenchResult; burst: ChatBenchResult }> = []
  for (const target of targets) {
    const server = target.postgresUrl === undefined ? {} : { postgresUrl: target.postgresUrl }
    log(`inbound e-mail on ${target.label} (300 messages of 100 kB over SMTP)`)
    mail.push({ label: target.label, result: await benchInboundEmail({ count: Number(process.env.BENCH_EMAIL_COUNT ?? 300), ...server }) })
    log(`web chat on ${target.label} (200 sessions, paced, then a burst)`)
    const paced = await benchChat(server)
    const burst = await benchChat({ ...server, thinkMs: [0, 0] })
    chat.push({ label: target.label, paced, burst })
  }
  const lines = ['## 5. Channels', '']
  lines.push('| database | e-mails stored per second | messages | new tickets | threaded | SMTP connections |', '|---|---:|---:|---:|---:|---:|')
  for (const { label, result } of mail) {
    lines.push(`| ${label} | ${result.messagesPerSecond.toFixed(1)} /s | ${result.count} × ${kB(result.bodyBytes)} | ${result.ticketsCreated} | ${result.threaded} | ${result.connections} |`)
  }
  lines.push(
    '',
    'Inbound e-mail: real SMTP sessions (nodemailer) into the built-in listener on 127.0.0.1; each message is base64 UTF-8 with a 100 kB Chinese and English body, parsed by mailparser, trimmed, matched to its customer and stored with its ticket or thread in one transaction before the listener answers 250. Every second message replies to the one before it and threads onto its ticket (`test/bench/email-bench.ts`).',
    '',
    '| database | pace | sessions | messages | visitor message → ack p50 / p99 / max | agent reply → visitor p50 / p99 | total |',
    '|---|---|---:|---:|---:|---:|---:|',
  )
  for (const { label, paced, burst } of chat) {
    for (const [pace, result] of [[`${paced.thinkMs[0] / 1000}–${paced.thinkMs[1] / 1000} s between messages`, paced], ['burst, back to back', burst]] as const) {
      lines.push(`| ${label} | ${pace} | ${result.sessions} | ${result.messages} | ${ms(result.p50Ms)} / ${ms(result.p99Ms)} / ${ms(result.maxMs)} | ${ms(result.replyP50Ms)} / ${ms(result.replyP99Ms)} | ${result.totalSeconds.toFixed(1)} s |`)
    }
  }
  lines.push(
    '',
    'Web chat: 200 visitor WebSockets open at once on a real server; each sends 5 messages. A round trip is the visitor’s `message` frame → the `ack` frame, sent after the message is committed (the first one opens a chat ticket). Agent reply: a public reply posted over HTTP by one of 10 agents → the visitor’s socket receives it (commit, NOTIFY, fan-out). Visitors run in the server’s process, so their work counts in the figures (`test/bench/chat-bench.ts`).',
    '',
  )
  return lines
}
