/**
 * The Loopdesk benchmark (`npm run bench`): ticket creation over HTTP against the plain-INSERT
 * ceiling of the same database, and an agent's queue over 100 000 tickets, on embedded PGlite
 * and on PostgreSQL. The server runs in a child process (`server.ts`) so this load generator
 * does not take its CPU. Writes `docs/benchmarks.md`.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { extraSections } from './extra-sections.ts'
import type { ReadyMessage, SampleTicket } from './server.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const REPORT = path.join(ROOT, 'docs/benchmarks.md')
const SERVER_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'

/** BENCH_QUICK=1: a tenth of the work, to check the benchmark itself (the figures mean little). */
const SCALE = process.env.BENCH_QUICK === '1' ? 0.1 : 1
const scaled = (count: number) => Math.max(10, Math.round(count * SCALE))

const QUEUE_TICKETS = scaled(100_000)
const QUEUE_REQUESTS = scaled(500)
const QUEUE_PATH = '/api/v1/tickets?status=new,accepted,in_progress,waiting&limit=50'
/** Requests per concurrency level; a level also stops after LEVEL_TIME_CAP_MS. */
const CREATE_LEVELS = [
  { concurrency: 1, requests: scaled(1000) },
  { concurrency: 16, requests: scaled(3000) },
  { concurrency: 64, requests: scaled(3000) },
] as const
const LEVEL_TIME_CAP_MS = 30_000
const CEILING_ROWS: Record<number, number> = { 1: scaled(2000), 16: scaled(4000), 64: scaled(4000) }
const WARM_UP_REQUESTS = scaled(200)

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`)

// ---------------------------------------------------------------------------------------------
// Statistics

interface Timing {
  readonly count: number
  readonly errors: number
  readonly elapsedMs: number
  readonly perSecond: number
  readonly p50: number
  readonly p99: number
  readonly max: number
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN
}

function summarise(latenciesMs: readonly number[], elapsedMs: number, errors = 0): Timing {
  const sorted = [...latenciesMs].sort((a, b) => a - b)
  return {
    count: sorted.length,
    errors,
    elapsedMs,
    perSecond: (sorted.length - errors) / (elapsedMs / 1000),
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
  }
}

// ---------------------------------------------------------------------------------------------
// CPU time of the processes involved, from /proc (Linux; elsewhere the columns stay empty)

const CLOCK_TICKS_PER_SECOND = 100

/** User + system CPU time of a process so far, in ms, or null when it cannot be read. */
function processCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND
  } catch {
    return null
  }
}

/** CPU ms so far of each PostgreSQL backend connected to the benchmark's database (other databases' work is not counted). */
async function backendCpuMs(monitor: pg.Client): Promise<Map<number, number>> {
  const { rows } = await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')
  const cpu = new Map<number, number>()
  for (const { pid } of rows) {
    const used = processCpuMs(pid)
    if (used !== null) cpu.set(pid, used)
  }
  return cpu
}

interface CpuUse {
  /** CPU ms per request of the server process (for PGlite this includes the database). */
  readonly serverMsPerRequest: number | null
  /** Share of the wall time the server process was on a CPU (100 % = one core saturated). */
  readonly serverBusy: number | null
  /** CPU ms per request of the PostgreSQL backends of the benchmark's database (null on PGlite). */
  readonly databaseMsPerRequest: number | null
  /** SQL statements the app sent per request, BEGIN and COMMIT not counted. */
  readonly statementsPerRequest: number
}

/** Measures the CPU the server process (and, given a monitor connection, PostgreSQL's backends) spend while `work` runs, and the SQL statements the app sends. */
async function measured<T extends Timing>(server: BenchServer, monitor: pg.Client | null, work: () => Promise<T>): Promise<T & { cpu: CpuUse }> {
  const statements0 = await server.statements()
  const server0 = processCpuMs(server.pid)
  const backends0 = monitor === null ? null : await backendCpuMs(monitor)
  const timing = await work()
  const server1 = processCpuMs(server.pid)
  const backends1 = monitor === null ? null : await backendCpuMs(monitor)
  const statements1 = await server.statements()
  let database: number | null = null
  if (backends0 !== null && backends1 !== null && backends1.size > 0) {
    database = 0
    for (const [pid, used] of backends1) database += used - (backends0.get(pid) ?? 0)
  }
  const perRequest = (used: number | null) => (used === null || timing.count === 0 ? null : used / timing.count)
  return {
    ...timing,
    cpu: {
      serverMsPerRequest: perRequest(server0 === null || server1 === null ? null : server1 - server0),
      serverBusy: server0 === null || server1 === null ? null : (server1 - server0) / timing.elapsedMs,
      databaseMsPerRequest: perRequest(database),
      statementsPerRequest: perRequest(statements1 - statements0) ?? 0,
    },
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP load over keep-alive connections (node:http: undici is not installed, and the global
// fetch costs this process more CPU per request)

interface HttpResult {
  readonly status: number
  readonly body: string
}

function httpRequest(agent: http.Agent, url: URL, method: string, headers: Record<string, string>, body?: string): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent, host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
        response.on('error', reject)
      },
    )
    request.on('error', reject)
    request.end(body)
  })
}

/** Runs `work(i)` with `concurrency` workers until `count` calls or `capMs` have passed; `work` says whether the call succeeded. */
async function load(count: number, concurrency: number, capMs: number, work: (i: number) => Promise<boolean>): Promise<Timing> {
  const latencies: number[] = []
  let errors = 0
  let next = 0
  const begin = performance.now()
  const deadline = begin + capMs
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count && performance.now() < deadline) {
        const i = next++
        const t0 = performance.now()
        const ok = await work(i)
        latencies.push(performance.now() - t0)
        if (!ok) errors++
      }
    }),
  )
  return summarise(latencies, performance.now() - begin, errors)
}

const SUBJECTS = [
  ['打印机无法打印', 'Printer not printing'],
  ['系统登录失败', 'Cannot sign in to the portal'],
  ['发票信息查询', 'Question about an invoice'],
  ['网络连接频繁中断', 'Network keeps dropping'],
  ['申请变更服务套餐', 'Request to change the service package'],
] as const
const TYPES = ['incident', 'defect', 'consultation', 'information', 'change', 'complaint'] as const
const SEVERITIES = ['P1', 'P2', 'P3', 'P3', 'P4'] as const

/** The i-th ticket of the creation runs: Chinese and English text, as customers write it, from the customers in turn. */
function sampleTicket(i: number, customerIds: readonly string[]): SampleTicket {
  const [zh, en] = SUBJECTS[i % SUBJECTS.length] ?? SUBJECTS[0]
  const requesterId = customerIds[i % customerIds.length]
  if (requesterId === undefined) throw new Error('the desk has no customers')
  return {
    requesterId,
    subject: `${zh} ${en} #${i}`,
    description:
      `客户反馈：${zh}，从今天上午九点开始出现，重启设备后问题依旧，影响部门内十几位同事的日常工作，请尽快安排处理。` +
      `The customer reports: ${en.toLowerCase()} since 9 am today; restarting did not help and about a dozen colleagues are affected. Reference ${i}.`,
    type: TYPES[i % TYPES.length] ?? 'incident',
    severity: SEVERITIES[i % SEVERITIES.length] ?? 'P3',
  }
}

// ---------------------------------------------------------------------------------------------
// The server process

class BenchServer {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  private exited: Promise<number | null>

  private constructor(
    private readonly child: ChildProcess,
    readonly ready: ReadyMessage,
    lines: ReturnType<typeof createInterface>,
  ) {
    lines.on('line', (line) => this.onLine(line))
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)))
    void this.exited.then((code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`the server process exited (${code})`))
      this.pending.clear()
    })
  }

  static async start(env: Record<string, string>): Promise<BenchServer> {
    // The parent's own BENCH_DATABASE_URL must not reach a PGlite server: it picks the database from it.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'BENCH_DATABASE_URL' && name !== 'BENCH_DATA_DIR'))
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/bench/server.ts')], {
      cwd: ROOT,
      env: { ...inherited, ...env, NODE_ENV: 'production' },
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    const stdout = child.stdout
    if (stdout === null) throw new Error('no stdout from the server process')
    const lines = createInterface({ input: stdout })
    const ready = await new Promise<ReadyMessage>((resolve, reject) => {
      const onLine = (line: string) => {
        if (!line.startsWith('@@bench ')) return void process.stderr.write(`${line}\n`)
        const message = JSON.parse(line.slice(8)) as { type: string }
        if (message.type === 'ready') {
          lines.off('line', onLine)
          resolve(message as ReadyMessage)
        }
      }
      lines.on('line', onLine)
      child.once('exit', (code) => reject(new Error(`the server process exited during setup (${code})`)))
    })
    return new BenchServer(child, ready, lines)
  }

  private onLine(line: string): void {
    if (!line.startsWith('@@bench ')) return void process.stderr.write(`${line}\n`)
    const message = JSON.parse(line.slice(8)) as { type: string; id: number; result?: unknown; message?: string }
    const waiter = this.pending.get(message.id)
    if (waiter === undefined) return
    this.pending.delete(message.id)
    if (message.type === 'error') waiter.reject(new Error(message.message ?? 'server command failed'))
    else waiter.resolve(message.result)
  }

  get pid(): number {
    return this.child.pid ?? -1
  }

  async statements(): Promise<number> {
    return (await this.command<{ statements: number }>('statements')).statements
  }

  command<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (value) => resolve(value as T), reject })
      this.child.stdin?.write(`${JSON.stringify({ id, cmd, ...args })}\n`)
    })
  }

  /** Closing stdin asks the process to shut down; it is killed if it has not after 20 s. */
  async stop(): Promise<void> {
    this.child.stdin?.end()
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000)
    await this.exited
    clearTimeout(timer)
  }
}

// ---------------------------------------------------------------------------------------------
// One database

type MeasuredTiming = Timing & { readonly cpu: CpuUse }

interface CreateLevel {
  readonly concurrency: number
  readonly api: MeasuredTiming
  readonly ceiling: Timing | null
}

interface QueueResult {
  readonly name: string
  readonly path: string
  readonly timing: MeasuredTiming
  readonly items: number
  readonly bytes: number
}

interface Plan {
  readonly name: string
  readonly sql: string
  readonly plan: string
}

interface DatabaseResult {
  readonly label: string
  readonly kind: 'pglite' | 'postgres'
  readonly serverVersion: string
  readonly levels: CreateLevel[]
  readonly bulk: { tickets: number; loadMs: number; totalMs: number }
  readonly queue: QueueResult[]
  readonly plans: Plan[]
}

async function benchDatabase(label: string, kind: 'pglite' | 'postgres', env: Record<string, string>): Promise<DatabaseResult> {
  log(`${label}: starting the server process`)
  const server = await BenchServer.start(env)
  const monitorUrl = env.BENCH_DATABASE_URL
  const monitor = monitorUrl === undefined ? null : new pg.Client({ connectionString: monitorUrl })
  const { ready } = server
  log(`${label}: ready at ${ready.url} after ${(ready.setupMs / 1000).toFixed(1)} s of setup (${ready.serverVersion.split(' on ')[0]})`)
  const base = new URL(ready.url)
  const authorization = `Bearer ${ready.token}`
  try {
    await monitor?.connect()
    const create = (agent: http.Agent) => async (i: number) => {
      const body = JSON.stringify(sampleTicket(i, ready.customerIds))
      const response = await httpRequest(agent, new URL('/api/v1/tickets', base), 'POST', { authorization, 'content-type': 'application/json' }, body)
      if (response.status !== 201) log(`${label}: POST /tickets answered ${response.status}: ${response.body.slice(0, 200)}`)
      return response.status === 201
    }

    // The server's code is cold (JIT, pools, caches): a first round that nothing counts.
    const warmUpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 })
    await load(WARM_UP_REQUESTS * 3, 16, LEVEL_TIME_CAP_MS, create(warmUpAgent))
    warmUpAgent.destroy()

    const levels: CreateLevel[] = []
    for (const level of CREATE_LEVELS) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: level.concurrency })
      await load(WARM_UP_REQUESTS, level.concurrency, LEVEL_TIME_CAP_MS, create(agent))
      const api = await measured(server, monitor, () => load(level.requests, level.concurrency, LEVEL_TIME_CAP_MS, create(agent)))
      agent.destroy()
      log(`${label}: create c=${level.concurrency}: ${api.perSecond.toFixed(0)}/s, p50 ${api.p50.toFixed(1)} ms, p99 ${api.p99.toFixed(1)} ms (${api.count} requests, ${api.errors} errors)`)
      levels.push({ concurrency: level.concurrency, api, ceiling: null })
    }

    for (const [index, level] of levels.entries()) {
      if (kind === 'pglite' && level.concurrency > 1) continue
      const rowCount = CEILING_ROWS[level.concurrency] ?? scaled(2000)
      const rows = Array.from({ length: rowCount }, (_, i) => sampleTicket(i, ready.customerIds))
      await server.command('ceiling', { concurrency: level.concurrency, rows: rows.slice(0, WARM_UP_REQUESTS) })
      const raw = await server.command<{ latenciesMs: number[]; elapsedMs: number }>('ceiling', { concurrency: level.concurrency, rows })
      const ceiling = summarise(raw.latenciesMs, raw.elapsedMs)
      log(`${label}: ceiling c=${level.concurrency}: ${ceiling.perSecond.toFixed(0)}/s, p50 ${ceiling.p50.toFixed(2)} ms, p99 ${ceiling.p99.toFixed(2)} ms`)
      levels[index] = { ...level, ceiling }
    }

    log(`${label}: loading ${QUEUE_TICKETS} tickets`)
    const bulk = await server.command<{ tickets: number; loadMs: number; totalMs: number }>('bulkLoad', { total: QUEUE_TICKETS })
    log(`${label}: ${bulk.tickets} tickets in ${(bulk.loadMs / 1000).toFixed(1)} s (+ VACUUM ANALYZE: ${(bulk.totalMs / 1000).toFixed(1)} s)`)

    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    const get = (pathAndQuery: string) => httpRequest(agent, new URL(pathAndQuery, base), 'GET', { authorization })
    const first = await get(QUEUE_PATH)
    if (first.status !== 200) throw new Error(`queue listing answered ${first.status}: ${first.body.slice(0, 300)}`)
    const firstPage = JSON.parse(first.body) as { items: { id: string; receivedAt: string }[]; nextCursor: string | null }
    if (firstPage.nextCursor === null) throw new Error('the queue has a single page; the data set is wrong')
    const second = await get(`${QUEUE_PATH}&cursor=${encodeURIComponent(firstPage.nextCursor)}`)
    const secondPage = JSON.parse(second.body) as { items: { id: string; receivedAt: string }[] }
    const lastOfFirst = firstPage.items.at(-1)?.receivedAt ?? ''
    if (secondPage.items.some((item) => item.receivedAt > lastOfFirst || firstPage.items.some((seen) => seen.id === item.id))) {
      throw new Error('page 2 overlaps page 1: the cursor is broken')
    }
    const variants = [
      { name: 'queue, page 1', path: QUEUE_PATH },
      { name: 'queue, page 2 (nextCursor)', path: `${QUEUE_PATH}&cursor=${encodeURIComponent(firstPage.nextCursor)}` },
      { name: 'assignee=me, page 1', path: `${QUEUE_PATH}&assignee=me` },
    ]
    const queue: QueueResult[] = []
    for (const variant of variants) {
      let items = 0
      let bytes = 0
      const fetchPage = async () => {
        const response = await get(variant.path)
        if (response.status !== 200) return false
        // Parsed once, in the warm-up: the load generator's own work would count in the latency.
        if (items === 0) {
          items = (JSON.parse(response.body) as { items: unknown[] }).items.length
          bytes = Buffer.byteLength(response.body)
        }
        return true
      }
      await load(50, 1, LEVEL_TIME_CAP_MS, fetchPage)
      const timing = await measured(server, monitor, () => load(QUEUE_REQUESTS, 1, 60_000, fetchPage))
      log(`${label}: ${variant.name}: p50 ${timing.p50.toFixed(1)} ms, p99 ${timing.p99.toFixed(1)} ms, ${items} items`)
      queue.push({ name: variant.name, path: variant.path, timing, items, bytes })
    }
    agent.destroy()

    const cursor = firstPage.nextCursor
    const statuses = ['new', 'accepted', 'in_progress', 'waiting']
    const plans = await server.command<Plan[]>('explain', {
      queries: [
        { name: 'queue, page 1', input: { statuses, limit: 50 } },
        { name: 'queue, page 2 (nextCursor)', input: { statuses, limit: 50, cursor } },
        { name: 'assignee=me, page 1', input: { statuses, limit: 50, assignee: 'me' } },
      ],
    })
    return { label, kind, serverVersion: ready.serverVersion, levels, bulk, queue, plans }
  } finally {
    await monitor?.end()
    await server.stop()
  }
}

/** A fresh database on the PostgreSQL server, or why there is none (the server did not answer). */
async function createServerDatabase(): Promise<{ url: string; version: string; drop: () => Promise<void> } | { error: string }> {
  const admin = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  }
  const name = `loopdesk_bench_${randomBytes(6).toString('hex')}`
  try {
    const { rows } = await admin.query<{ server_version: string }>('SHOW server_version')
    await admin.query(`CREATE DATABASE ${name}`)
    const url = new URL(SERVER_URL)
    url.pathname = `/${name}`
    return {
      url: url.toString(),
      version: rows[0]?.server_version ?? 'unknown',
      drop: async () => {
        const cleanup = new pg.Client({ connectionString: SERVER_URL })
        await cleanup.connect()
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await cleanup.end()
      },
    }
  } finally {
    await admin.end()
  }
}

// ---------------------------------------------------------------------------------------------
// The report

const ms = (value: number) => (Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(1))
const rate = (value: number) => Math.round(value).toLocaleString('en-US')
const pct = (value: number) => `${Math.round(value * 100)} %`
const mark = (ok: boolean) => (ok ? '✅' : '❌')
const cpuMs = (value: number | null) => (value === null ? '–' : value.toFixed(2))

function pgliteVersion(): string {
  const file = path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json')
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version
}

interface Report {
  readonly started: Date
  readonly finished: Date
  /** 1-minute load averages when the run started and ended: other work on the machine skews the figures. */
  readonly loadAverages: readonly [number, number]
  readonly results: DatabaseResult[]
  readonly postgresVersion: string | null
  readonly postgresSkipped: string | null
}

function bestOf(levels: readonly CreateLevel[], pick: (level: CreateLevel) => Timing | null) {
  let best: { concurrency: number; perSecond: number } | null = null
  for (const level of levels) {
    const timing = pick(level)
    if (timing !== null && (best === null || timing.perSecond > best.perSecond)) best = { concurrency: level.concurrency, perSecond: timing.perSecond }
  }
  return best
}

function renderReport(report: Report): string {
  const cpus = os.cpus()
  const out: string[] = []
  const line = (text = '') => out.push(text)
  const pglite = report.results.find((result) => result.kind === 'pglite')
  const postgres = report.results.find((result) => result.kind === 'postgres')

  line('# Benchmarks')
  line()
  line(`Measured ${report.started.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench\` (${((report.finished.getTime() - report.started.getTime()) / 60_000).toFixed(1)} min); this file is overwritten by every run.`)
  line()
  line('| machine | |')
  line('|---|---|')
  line(`| CPU | ${cpus[0]?.model.trim() ?? 'unknown'} |`)
  line(`| cores | ${cpus.length} |`)
  line(`| memory | ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB |`)
  line(`| OS | ${os.type()} ${os.release()} (${os.arch()}) |`)
  line(`| load average (1 min) at start / end | ${report.loadAverages.map((value) => value.toFixed(2)).join(' / ')} |`)
  line(`| Node.js | ${process.version} |`)
  line(`| PostgreSQL | ${report.postgresVersion ?? `not measured (${report.postgresSkipped ?? 'skipped'})`} |`)
  line(`| PGlite | ${pgliteVersion()}${pglite === undefined ? '' : ` (${pglite.serverVersion.split(' on ')[0]})`} |`)
  line()
  line('The server, the load generator and PostgreSQL share these cores: the numbers are for comparing')
  line('runs and databases on one machine, not a capacity plan for production hardware. On a small virtual machine')
  line('consecutive runs can differ by a third (contention on the host does not show in the guest\'s load average):')
  line('compare several runs before reading much into a small difference.')
  line()

  line('## Aims')
  line()
  line('| aim | database | result | |')
  line('|---|---|---|---|')
  if (postgres !== undefined) {
    const api = bestOf(postgres.levels, (level) => level.api)
    const ceiling = bestOf(postgres.levels, (level) => level.ceiling)
    if (api !== null && ceiling !== null) {
      const ratio = api.perSecond / ceiling.perSecond
      line(`| ticket creation over the API ≥ 50 % of the plain-INSERT ceiling | PostgreSQL | best API ${rate(api.perSecond)}/s (c=${api.concurrency}) vs best ceiling ${rate(ceiling.perSecond)}/s (c=${ceiling.concurrency}) = **${pct(ratio)}** | ${mark(ratio >= 0.5)} |`)
    }
  } else {
    line(`| ticket creation over the API ≥ 50 % of the plain-INSERT ceiling | PostgreSQL | not measured | – |`)
  }
  for (const result of report.results) {
    const worst = Math.max(...result.queue.map((entry) => entry.timing.p99))
    line(`| queue page p99 < 20 ms with ${rate(result.bulk.tickets)} tickets | ${result.label} | worst p99 of the three listings ${ms(worst)} ms | ${mark(worst < 20)} |`)
  }
  line()

  line('## 1. Ticket creation over HTTP, and the database ceiling')
  line()
  line('`POST /api/v1/tickets` with an L1 agent\'s bearer API token, on behalf of existing customers (200, in turn)')
  line('(subject and a ~250-character description in Chinese and English, severity, type), over keep-alive')
  line(`connections; ${WARM_UP_REQUESTS} warm-up requests per level are not counted. The ceiling is the same rows written`)
  line('by plain single-row `INSERT INTO tickets … VALUES (…)` statements, each its own autocommitted transaction')
  line('(no event row, no `RETURNING`, search vector by `to_tsvector(\'simple\', …)`), from the server process on')
  line('its own connection pool. PGlite has a single connection, so its ceiling is measured at concurrency 1 only:')
  line('more callers would only queue on that connection.')
  line()
  line('The server is prepared as `loopdesk serve` prepares it (migrations, the default calendars and SLA policies, so each')
  line(`new ticket gets its SLA targets), without the background jobs (SLA sweep, outbox) and ${process.env.BENCH_LIVE === '1' ? 'with' : 'without'} the live-update listener.`)
  line()
  line('| database | concurrency | requests | errors | tickets/s | p50 ms | p99 ms | SQL statements/ticket | server CPU ms/ticket | server busy | PostgreSQL CPU ms/ticket |')
  line('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const result of report.results) {
    for (const { concurrency, api } of result.levels) {
      line(
        `| ${result.label} | ${concurrency} | ${api.count} | ${api.errors} | ${rate(api.perSecond)} | ${ms(api.p50)} | ${ms(api.p99)} | ${api.cpu.statementsPerRequest.toFixed(1)} | ` +
          `${cpuMs(api.cpu.serverMsPerRequest)} | ${api.cpu.serverBusy === null ? '–' : pct(api.cpu.serverBusy)} | ${cpuMs(api.cpu.databaseMsPerRequest)} |`,
      )
    }
  }
  line()
  line('SQL statements are those the app sent per request (the token lookup included), not counting BEGIN and COMMIT;')
  line('the ceiling sends one. Server CPU is the user + system time of the server process per ticket (on PGlite it includes the database,')
  line('which runs inside that process); "server busy" is that time over the wall time — 100 % is one core, the most')
  line('a single Node.js process can use. PostgreSQL CPU counts the backends connected to the benchmark\'s database')
  line('(not the WAL writer and other background processes).')
  line()
  line('| database | concurrency | ceiling rows | inserts/s | p50 ms | p99 ms | API / ceiling |')
  line('|---|---:|---:|---:|---:|---:|---:|')
  for (const result of report.results) {
    const pgliteCeiling = result.levels.find((level) => level.concurrency === 1)?.ceiling ?? null
    for (const level of result.levels) {
      const ceiling = level.ceiling
      const against = ceiling ?? (result.kind === 'pglite' ? pgliteCeiling : null)
      const ratio = against === null ? '–' : `${pct(level.api.perSecond / against.perSecond)}${ceiling === null ? ' (of the c=1 ceiling)' : ''}`
      line(
        `| ${result.label} | ${level.concurrency} | ${ceiling === null ? 'not run: one connection' : ceiling.count} | ${ceiling === null ? '–' : rate(ceiling.perSecond)} | ` +
          `${ceiling === null ? '–' : ms(ceiling.p50)} | ${ceiling === null ? '–' : ms(ceiling.p99)} | ${ratio} |`,
      )
    }
  }
  line()
  line('At concurrency 64 the ceiling uses 64 connections; the API server\'s pool has 20 (the product default).')
  line()

  line(`## 2. An agent's queue with ${rate(QUEUE_TICKETS)} tickets`)
  line()
  line(`The tickets table is emptied and refilled with ${rate(QUEUE_TICKETS)} tickets by \`INSERT … SELECT generate_series\`:`)
  line('received over the last year; 5 % without a group (every agent sees those), the rest spread evenly over 8')
  line('groups of 5 agents; 65 % closed, 10 % resolved, 25 % open (new 5, accepted 5, in progress 10, waiting 5);')
  line('tickets past `new` assigned to an agent of their group; 3 % with a watcher. Then `VACUUM ANALYZE`.')
  line('The caller is an L1 agent who is a member of one group (so ~17 % of the tickets are visible to them and')
  line(`~2 % of them are assigned to them). ${QUEUE_REQUESTS} sequential requests per listing, after 50 warm-up requests.`)
  line()
  line('| database | listing | p50 ms | p99 ms | max ms | items | response | SQL statements/request | server CPU ms/request | PostgreSQL CPU ms/request |')
  line('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const result of report.results) {
    for (const entry of result.queue) {
      line(
        `| ${result.label} | ${entry.name} | ${ms(entry.timing.p50)} | ${ms(entry.timing.p99)} | ${ms(entry.timing.max)} | ${entry.items} | ${(entry.bytes / 1024).toFixed(0)} KiB | ${entry.timing.cpu.statementsPerRequest.toFixed(1)} | ` +
          `${cpuMs(entry.timing.cpu.serverMsPerRequest)} | ${cpuMs(entry.timing.cpu.databaseMsPerRequest)} |`,
      )
    }
  }
  line()
  line('Bulk load: ' + report.results.map((result) => `${result.label} ${(result.bulk.loadMs / 1000).toFixed(1)} s (+ ${((result.bulk.totalMs - result.bulk.loadMs) / 1000).toFixed(1)} s VACUUM ANALYZE)`).join(', ') + '.')
  line()
  line('Listings: `GET ' + QUEUE_PATH + '`; page 2 adds the `nextCursor` of page 1; `assignee=me` adds that filter.')
  line()
  for (const result of report.results) {
    line(`<details><summary>Query plans on ${result.label} (EXPLAIN ANALYZE of the SQL the product sends)</summary>`)
    line()
    for (const plan of result.plans) {
      line(`**${plan.name}**`)
      line()
      line('```')
      line(plan.plan)
      line('```')
      line()
    }
    line('</details>')
    line()
  }

  line('## Interpretation')
  line()
  for (const paragraph of interpret(report)) {
    line(paragraph)
    line()
  }

  line('## How to run')
  line()
  line('```sh')
  line('npm run bench                                   # PGlite, and PostgreSQL at postgres://postgres@127.0.0.1:5432/test')
  line('BENCH_DATABASE_URL=postgres://user@host/db npm run bench   # another PostgreSQL server')
  line('BENCH_LIVE=1 npm run bench                      # with the live-update feed (LISTEN) on, as `loopdesk serve` runs')
  line('BENCH_QUICK=1 npm run bench                     # a tenth of the work, to check the benchmark itself')
  line('```')
  line()
  line('It takes about 5–7 minutes on 2 cores, the SLA and web-app sections included; run it on an otherwise idle machine')
  line('(the load average is recorded above).')
  line('On PostgreSQL it creates a database `loopdesk_bench_<random>` on the')
  line('server (the user needs CREATEDB) and drops it at the end; when the server does not answer, PostgreSQL is')
  line('skipped and this report says so. PGlite runs in a temporary directory. The server under test is')
  line('`test/bench/server.ts`, started as a child process (`node --import tsx`) so that the load generator in')
  line('`test/bench/run.ts` does not take its CPU; it also runs the ceiling inserts, the bulk load and the EXPLAINs,')
  line('because only the process that opened a PGlite database may use it.')
  line()
  return out.join('\n')
}

/** "Execution Time: 1.234 ms" of an EXPLAIN ANALYZE, or NaN. */
function executionMs(plan: string): number {
  const match = /Execution Time: ([\d.]+) ms/.exec(plan)
  return match?.[1] === undefined ? Number.NaN : Number(match[1])
}

/** The paragraphs that read the figures; written from the numbers so they stay true on a new run. */
function interpret(report: Report): string[] {
  const paragraphs: string[] = []
  const postgres = report.results.find((result) => result.kind === 'postgres')
  const pglite = report.results.find((result) => result.kind === 'pglite')
  if (postgres !== undefined) {
    const api = bestOf(postgres.levels, (level) => level.api)
    const ceiling = bestOf(postgres.levels, (level) => level.ceiling)
    const c1 = postgres.levels.find((level) => level.concurrency === 1)
    const busiest = postgres.levels.reduce((a, b) => ((a.api.cpu.serverBusy ?? 0) >= (b.api.cpu.serverBusy ?? 0) ? a : b))
    if (api !== null && ceiling !== null && c1?.ceiling != null) {
      const ratio = api.perSecond / ceiling.perSecond
      const serverCpu = busiest.api.cpu.serverMsPerRequest
      const databaseCpu = busiest.api.cpu.databaseMsPerRequest
      paragraphs.push(
        `**Creation on PostgreSQL.** The API peaks at ${rate(api.perSecond)} tickets/s (concurrency ${api.concurrency}), ` +
          `${pct(ratio)} of the ${rate(ceiling.perSecond)} plain inserts/s the database takes (concurrency ${ceiling.concurrency}); aim ≥ 50 %: ${mark(ratio >= 0.5)}. ` +
          `A request is not one INSERT: the app sends ${busiest.api.cpu.statementsPerRequest.toFixed(1)} SQL statements per ticket (the token lookup, then in one ` +
          'transaction the requester lookup, the ticket number, the ticket and event INSERTs and the SLA evaluation), plus BEGIN and COMMIT, each a ' +
          'round trip, and runs Fastify, schema validation, jieba segmentation and JSON on the one JavaScript thread of the server process. ' +
          (serverCpu !== null
            ? `At concurrency ${busiest.concurrency} that process used ${cpuMs(serverCpu)} ms of CPU per ticket and was on a CPU ${pct(busiest.api.cpu.serverBusy ?? 0)} of the time` +
              (databaseCpu !== null ? `, and PostgreSQL's backends used ${cpuMs(databaseCpu)} ms per ticket` : '') +
              '; with the load generator on the same two cores there is little CPU left, so the API figure is bounded by CPU and round trips ' +
              'per ticket, not by the database\'s write path. '
            : '') +
          `At concurrency 1 a ticket takes ${ms(c1.api.p50)} ms (p50) against ${ms(c1.ceiling.p50)} ms for the bare INSERT. ` +
          'Fewer statements per ticket and more app processes on more cores are the ways up.',
      )
    }
  }
  if (pglite !== undefined) {
    const api = bestOf(pglite.levels, (level) => level.api)
    const ceiling = pglite.levels.find((level) => level.concurrency === 1)?.ceiling
    const c64 = pglite.levels.find((level) => level.concurrency === 64)
    if (api !== null && ceiling != null && c64 !== undefined) {
      paragraphs.push(
        '**Creation on PGlite.** The embedded database runs inside the server process, on the same JavaScript thread, and has one ' +
          `connection: concurrency adds queueing, not throughput. The API peaks at ${rate(api.perSecond)} tickets/s; at concurrency 64 a request ` +
          `waits ${ms(c64.api.p50)} ms (p50). The single-connection ceiling is ${rate(ceiling.perSecond)} inserts/s and the API reaches ` +
          `${pct(api.perSecond / ceiling.perSecond)} of it, with ${c64.api.cpu.statementsPerRequest.toFixed(1)} statements per ticket against one` +
          (c64.api.cpu.serverMsPerRequest !== null ? ` (${cpuMs(c64.api.cpu.serverMsPerRequest)} ms of CPU per ticket, database included)` : '') +
          '. That is ample for the single-site desk PGlite is meant for (a busy hotline opens a few tickets a second); beyond it, PostgreSQL is the answer.',
      )
    }
  }
  const queueLines = report.results.map((result) => {
    const page1 = result.queue[0]
    const worst = result.queue.reduce((a, b) => (a.timing.p99 >= b.timing.p99 ? a : b))
    const sqlMs = result.plans.map((plan) => executionMs(plan.plan)).filter((value) => !Number.isNaN(value))
    return (
      `${result.label}: page 1 p50 ${ms(page1?.timing.p50 ?? Number.NaN)} ms, worst p99 ${ms(worst.timing.p99)} ms on “${worst.name}”, ` +
      `while the SQL itself executes in ${sqlMs.length === 0 ? '?' : `${ms(Math.min(...sqlMs))}–${ms(Math.max(...sqlMs))}`} ms`
    )
  })
  if (queueLines.length > 0) {
    paragraphs.push(
      `**The queue.** With ${rate(QUEUE_TICKETS)} tickets — ${queueLines.join('; ')}. ` +
        'The plans show why the table size hardly matters: page 1 walks `tickets_received_idx` newest first and checks the status and ' +
        'the visibility rule (no group, the agent\'s groups, assignee, owner, watcher) row by row until 51 rows qualify, so its cost ' +
        'depends on how rare visible open tickets are among recent ones; `assignee=me` reads the agent\'s own open tickets from ' +
        '`tickets_queue_assignee_idx` and sorts those; page 2 costs the same as page 1 because the cursor is a keyset ' +
        '(received_at, id) condition, not an OFFSET. Most of a request is outside the listing query: the token lookup, BEGIN and COMMIT ' +
        'around the single SELECT, decoding 50 rows with their full descriptions and serialising them (~50 KiB of JSON). ' +
        'The p99 is where the aim is decided: garbage-collection pauses and other work on this 2-core machine reach it first.',
    )
  }
  if (report.postgresSkipped !== null) paragraphs.push(`**PostgreSQL was not measured:** ${report.postgresSkipped}.`)
  return paragraphs
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = new Date()
  const loadAtStart = os.loadavg()[0] ?? 0
  const results: DatabaseResult[] = []

  const pgliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopdesk-bench-pglite-'))
  try {
    results.push(await benchDatabase('PGlite', 'pglite', { BENCH_DATA_DIR: pgliteDir }))
  } finally {
    fs.rmSync(pgliteDir, { recursive: true, force: true })
  }

  let postgresVersion: string | null = null
  let postgresSkipped: string | null = null
  const database = await createServerDatabase()
  if ('error' in database) {
    postgresSkipped = `the server at ${SERVER_URL.replace(/\/\/[^@/]*@/, '//…@')} did not answer: ${database.error}`
    log(`PostgreSQL skipped: ${postgresSkipped}`)
  } else {
    postgresVersion = database.version
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopdesk-bench-pg-'))
    try {
      results.push(await benchDatabase('PostgreSQL', 'postgres', { BENCH_DATABASE_URL: database.url, BENCH_DATA_DIR: dataDir }))
    } finally {
      await database.drop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }

  const extra = await extraSections('error' in database ? null : SERVER_URL, log)
  const markdown = renderReport({ started, finished: new Date(), loadAverages: [loadAtStart, os.loadavg()[0] ?? 0], results, postgresVersion, postgresSkipped })
  fs.writeFileSync(REPORT, `${markdown.trimEnd()}\n\n${extra}`)
  log(`wrote ${path.relative(ROOT, REPORT)}`)
}

await main()
