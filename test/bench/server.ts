/**
 * The benchmark's server process: opens the database (PostgreSQL at BENCH_DATABASE_URL, or
 * else PGlite in the temporary directory BENCH_DATA_DIR), migrates it, creates the people the
 * benchmark needs, serves the API on 127.0.0.1 and then answers commands from `run.ts` on
 * stdin, one JSON object a line: the ceiling inserts, the bulk load, EXPLAIN ANALYZE, and how
 * many SQL statements the app has sent. It owns the database because PGlite has one
 * connection, which only this process may hold. Protocol lines on stdout start with
 * `@@bench `; everything else goes to stderr.
 */
import { randomUUID } from 'node:crypto'
import { createInterface } from 'node:readline'
import { CompiledQuery, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow, sql } from 'kysely'
import pg from 'pg'
import { loadConfig } from '../../src/config.ts'
import { type Db, connectDatabase } from '../../src/db/connection.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { type Actor, SYSTEM_ACTOR } from '../../src/domain/policy/actor.ts'
import { buildApp } from '../../src/http/app.ts'
import { issueApiToken } from '../../src/services/auth/api-tokens.ts'
import type { ServiceDeps } from '../../src/services/deps.ts'
import { type GroupView, createGroup } from '../../src/services/directory/groups.ts'
import { createUser } from '../../src/services/people/users.ts'
import { ensureSlaDefaults } from '../../src/services/sla/sla-config.ts'
import { type ListTicketsInput, listTickets } from '../../src/services/tickets/list-tickets.ts'

/** Groups, agents per group and customers the benchmark's desk has. */
const GROUP_COUNT = 8
const AGENTS_PER_GROUP = 5
const CUSTOMER_COUNT = 200

/** What `run.ts` learns when the server is ready. */
export interface ReadyMessage {
  readonly type: 'ready'
  readonly url: string
  readonly token: string
  readonly agentId: string
  readonly groupId: string
  readonly customerId: string
  /** Every customer of the desk: tickets are spread over them, as real requesters are. */
  readonly customerIds: readonly string[]
  readonly kind: 'pglite' | 'postgres'
  readonly serverVersion: string
  readonly setupMs: number
}

/** A ticket's text and classification, the same for the API and the ceiling. */
export interface SampleTicket {
  readonly subject: string
  readonly description: string
  readonly type: string
  readonly severity: string
  readonly requesterId: string
}

type Command =
  | { readonly id: number; readonly cmd: 'ceiling'; readonly concurrency: number; readonly rows: readonly SampleTicket[] }
  | { readonly id: number; readonly cmd: 'bulkLoad'; readonly total: number }
  | { readonly id: number; readonly cmd: 'explain'; readonly queries: readonly { readonly name: string; readonly input: ListTicketsInput }[] }
  | { readonly id: number; readonly cmd: 'count' }
  | { readonly id: number; readonly cmd: 'statements' }

const send = (message: object) => process.stdout.write(`@@bench ${JSON.stringify(message)}\n`)
const log = (line: string) => process.stderr.write(`[bench server] ${line}\n`)

const databaseUrl = process.env.BENCH_DATABASE_URL || undefined
const dataDir = process.env.BENCH_DATA_DIR
if (dataDir === undefined || dataDir === '') throw new Error('set BENCH_DATA_DIR (a temporary directory), and BENCH_DATABASE_URL for PostgreSQL')

const started = performance.now()
const handle = await connectDatabase(databaseUrl !== undefined ? { databaseUrl } : { dataDir })
await migrateToLatest(handle.db as never)
const config = loadConfig({}, { dataDir, databaseUrl, logLevel: 'silent' })
const deps: ServiceDeps = { db: handle.db, clock: () => new Date(), config }
// As `loopdesk serve` does at start: the default calendars and SLA policies, so new tickets get their targets.
await ensureSlaDefaults(deps)

// The desk: groups of agents (the benchmark's L1 agent is in the first group) and customers.
const groups: GroupView[] = []
for (let g = 0; g < GROUP_COUNT; g++) groups.push(await createGroup(deps, SYSTEM_ACTOR, { name: `Bench group ${g + 1}` }))
const agentsByGroup: string[][] = []
for (const [g, group] of groups.entries()) {
  const members: string[] = []
  for (let k = 0; k < AGENTS_PER_GROUP; k++) {
    const agent = await createUser(deps, SYSTEM_ACTOR, 'staff', {
      name: `Bench agent ${g + 1}.${k + 1}`,
      email: `agent-${g + 1}-${k + 1}@bench.test`,
      roles: ['agent'],
      tier: k === 0 ? 'L1' : k < 3 ? 'L2' : 'L1',
      groupIds: [group.id],
    })
    members.push(agent.id)
  }
  agentsByGroup.push(members)
}
const customerIds: string[] = []
for (let c = 0; c < CUSTOMER_COUNT; c++) {
  const customer = await createUser(deps, SYSTEM_ACTOR, 'customer', { name: `客户 Customer ${c + 1}`, email: `customer-${c + 1}@bench.test` })
  customerIds.push(customer.id)
}
const benchGroup = groups[0]
const benchAgentId = agentsByGroup[0]?.[0]
const benchCustomerId = customerIds[0]
if (benchGroup === undefined || benchAgentId === undefined || benchCustomerId === undefined) throw new Error('setup created nobody')
const { token } = await issueApiToken(deps, SYSTEM_ACTOR, { name: 'benchmark', userId: benchAgentId })
const benchActor: Actor = { id: benchAgentId, roles: ['agent'], tier: 'L1', organisationId: null, isOrgAdmin: false, groupIds: [benchGroup.id], via: 'token' }

/** Counts the statements Kysely sends for the app (BEGIN and COMMIT are driver calls, not counted). */
class CountStatements implements KyselyPlugin {
  count = 0
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count++
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}
const statements = new CountStatements()

const { rows: versionRows } = await sql<{ version: string }>`SELECT version() AS version`.execute(handle.db)
const app = await buildApp({ ...deps, db: handle.db.withPlugin(statements) }, process.env.BENCH_LIVE === '1' ? { listen: handle.listen } : {})
await app.listen({ port: 0, host: '127.0.0.1' })
const address = app.server.address()
if (typeof address !== 'object' || address === null) throw new Error('the server has no address')

const ready: ReadyMessage = {
  type: 'ready',
  url: `http://127.0.0.1:${address.port}`,
  token,
  agentId: benchAgentId,
  groupId: benchGroup.id,
  customerId: benchCustomerId,
  customerIds,
  kind: handle.kind,
  serverVersion: versionRows[0]?.version ?? 'unknown',
  setupMs: performance.now() - started,
}
send(ready)

/** Runs `work(i)` for i in [0, count) with `concurrency` workers; returns each call's latency and the wall time. */
async function timed(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<{ latenciesMs: number[]; elapsedMs: number }> {
  const latenciesMs: number[] = []
  let next = 0
  const begin = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++
        const t0 = performance.now()
        await work(i)
        latenciesMs.push(performance.now() - t0)
      }
    }),
  )
  return { latenciesMs, elapsedMs: performance.now() - begin }
}

let ceilingRun = 0

/** One plain autocommitted INSERT per row, no transaction, no event, no RETURNING: what the database alone can do. */
async function ceiling(concurrency: number, rows: readonly SampleTicket[]) {
  const run = `${process.pid}-${++ceilingRun}`
  const text = `INSERT INTO tickets (id, number, subject, description, type, severity, status, channel, requester_id, received_at, created_by, created_at, updated_at, search_public)
    VALUES ($1, $2, $3, $4, $5, $6, 'new', 'api', $7, $8, $9, $8, $8, to_tsvector('simple', $3::text || ' ' || $4::text))`
  const params = (i: number): unknown[] => {
    const row = rows[i]
    if (row === undefined) throw new Error(`no row ${i}`)
    return [randomUUID(), `C${run}-${i}`, row.subject, row.description, row.type, row.severity, row.requesterId, new Date(), benchAgentId]
  }
  if (databaseUrl === undefined) {
    // PGlite has a single connection: more callers would only queue on it.
    return timed(rows.length, 1, async (i) => {
      await handle.db.executeQuery(CompiledQuery.raw(text, params(i)))
    })
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency })
  try {
    await Promise.all(Array.from({ length: concurrency }, () => pool.query('SELECT 1')))
    return await timed(rows.length, concurrency, async (i) => {
      await pool.query(text, params(i))
    })
  } finally {
    await pool.end()
  }
}

/**
 * Replaces all tickets by `total` generated ones, straight in SQL: received over the last
 * year; 5 % without a group (every agent sees those), the rest spread evenly over the groups;
 * statuses 65 % closed, 10 % resolved, 25 % open (new 5, accepted 5, in progress 10,
 * waiting 5); open tickets past `new` are assigned to an agent of their group; 3 % have a
 * watcher. Then VACUUM ANALYZE, as autovacuum would have done on a live desk.
 */
async function bulkLoad(total: number) {
  const begin = performance.now()
  await sql`TRUNCATE tickets, idempotency_keys CASCADE`.execute(handle.db)
  const groupIds = groups.map((group) => group.id)
  const agents = agentsByGroup.flat()
  const chunk = 10_000
  for (let from = 1; from <= total; from += chunk) {
    const to = Math.min(total, from + chunk - 1)
    await sql`
      INSERT INTO tickets (id, number, subject, description, type, severity, status, channel, organisation_id, requester_id,
        owner_id, assignee_id, group_id, tags, received_at, accepted_at, first_response_at, resolved_at, closed_at,
        created_by, created_at, updated_at, search_public)
      SELECT gen_random_uuid(), 'B' || lpad(i::text, 9, '0'), subject, description, type, severity, status, channel, NULL, requester_id,
        assignee_id, assignee_id, group_id, '{}', received_at,
        CASE WHEN status <> 'new' THEN received_at + interval '10 minutes' END,
        CASE WHEN status <> 'new' THEN received_at + interval '20 minutes' END,
        CASE WHEN status IN ('resolved', 'closed') THEN received_at + interval '1 day' END,
        CASE WHEN status = 'closed' THEN received_at + interval '3 days' END,
        requester_id, received_at,
        received_at + CASE WHEN status = 'closed' THEN interval '3 days' WHEN status = 'new' THEN interval '0' ELSE interval '20 minutes' END,
        strip(to_tsvector('simple', subject || ' ' || description))
      FROM (
        SELECT i, received_at, status, group_index,
          CASE WHEN group_index IS NULL THEN NULL ELSE (${groupIds}::uuid[])[group_index] END AS group_id,
          CASE WHEN status = 'new' THEN NULL
               WHEN group_index IS NULL THEN (${agents}::uuid[])[1 + floor(r_agent * ${sql.lit(agents.length)})::int]
               ELSE (${agents}::uuid[])[(group_index - 1) * ${sql.lit(AGENTS_PER_GROUP)} + 1 + floor(r_agent * ${sql.lit(AGENTS_PER_GROUP)})::int] END AS assignee_id,
          (${customerIds}::uuid[])[1 + floor(r_customer * ${sql.lit(customerIds.length)})::int] AS requester_id,
          (ARRAY['打印机无法打印 Printer not printing', '系统登录失败 Cannot sign in', '发票信息查询 Invoice question',
                 '网络连接中断 Network outage', '申请变更套餐 Change of service package', '服务态度投诉 Complaint about service',
                 '软件升级后报错 Error after upgrade', '设备噪音异常 Device makes a strange noise'])[1 + i % 8] || ' #' || i AS subject,
          (ARRAY['客户反馈从今天早上开始设备无法正常使用，重启后问题依旧。The customer reports the device has not worked since this morning; a restart did not help.',
                 '用户询问上个月账单中的一项费用，需要核对合同条款。The user asks about a charge on last month''s bill; the contract terms need checking.',
                 '办公室网络每隔几分钟断开一次，影响全部员工。The office network drops every few minutes for all staff.',
                 '升级到新版本以后打开报表时提示数据库错误。After upgrading, opening a report shows a database error.'])[1 + i % 4] AS description,
          (ARRAY['incident', 'defect', 'consultation', 'information', 'change', 'complaint'])[1 + floor(r_type * 6)::int] AS type,
          (ARRAY['P1', 'P2', 'P3', 'P3', 'P3', 'P4', 'P4', 'P2'])[1 + floor(r_severity * 8)::int] AS severity,
          (ARRAY['portal', 'email', 'chat', 'phone', 'app', 'wechat', 'api'])[1 + i % 7] AS channel
        FROM (
          SELECT i,
            now() - random() * interval '365 days' AS received_at,
            CASE WHEN r_status < 0.05 THEN 'new' WHEN r_status < 0.10 THEN 'accepted' WHEN r_status < 0.20 THEN 'in_progress'
                 WHEN r_status < 0.25 THEN 'waiting' WHEN r_status < 0.35 THEN 'resolved' ELSE 'closed' END AS status,
            CASE WHEN r_group < 0.05 THEN NULL ELSE least(${sql.lit(GROUP_COUNT)}, 1 + floor((r_group - 0.05) / 0.95 * ${sql.lit(GROUP_COUNT)})::int) END AS group_index,
            r_agent, r_customer, r_type, r_severity
          FROM (
            SELECT i, random() AS r_status, random() AS r_group, random() AS r_agent, random() AS r_customer, random() AS r_type, random() AS r_severity
            FROM generate_series(${from}::int, ${to}::int) AS i
          ) AS draws
        ) AS shaped
      ) AS t
    `.execute(handle.db)
  }
  await sql`
    INSERT INTO ticket_watchers (ticket_id, user_id)
    SELECT id, (${agents}::uuid[])[1 + floor(random() * ${sql.lit(agents.length)})::int] FROM tickets WHERE random() < 0.03
    ON CONFLICT DO NOTHING
  `.execute(handle.db)
  const loadedMs = performance.now() - begin
  await sql`VACUUM ANALYZE tickets`.execute(handle.db)
  await sql`VACUUM ANALYZE ticket_watchers`.execute(handle.db)
  const { rows } = await sql<{ count: number | string }>`SELECT count(*) AS count FROM tickets`.execute(handle.db)
  return { tickets: Number(rows[0]?.count ?? 0), loadMs: loadedMs, totalMs: performance.now() - begin }
}

/** Remembers the last query Kysely compiled, so it can be run again under EXPLAIN. */
class CaptureLastQuery implements KyselyPlugin {
  last: { node: RootOperationNode; args: PluginTransformQueryArgs } | null = null
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (args.node.kind === 'SelectQueryNode') this.last = { node: args.node, args }
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}

/** The plan of each listing query exactly as the product sends it to the database. */
async function explain(queries: readonly { name: string; input: ListTicketsInput }[]) {
  const plans: { name: string; sql: string; plan: string }[] = []
  for (const query of queries) {
    const capture = new CaptureLastQuery()
    const db: Db = handle.db.withPlugin(capture)
    await listTickets({ ...deps, db }, benchActor, query.input)
    if (capture.last === null) throw new Error(`no query captured for ${query.name}`)
    const compiled = handle.db.getExecutor().compileQuery(capture.last.node, capture.last.args.queryId)
    const result = await handle.db.executeQuery<Record<string, string>>(
      CompiledQuery.raw(`EXPLAIN (ANALYZE, BUFFERS) ${compiled.sql}`, [...compiled.parameters]),
    )
    plans.push({ name: query.name, sql: compiled.sql, plan: result.rows.map((row) => Object.values(row)[0]).join('\n') })
  }
  return plans
}

async function handleCommand(command: Command): Promise<unknown> {
  switch (command.cmd) {
    case 'ceiling':
      return ceiling(command.concurrency, command.rows)
    case 'bulkLoad':
      return bulkLoad(command.total)
    case 'explain':
      return explain(command.queries)
    case 'statements':
      return { statements: statements.count }
    case 'count': {
      const { rows } = await sql<{ count: number | string }>`SELECT count(*) AS count FROM tickets`.execute(handle.db)
      return { tickets: Number(rows[0]?.count ?? 0) }
    }
  }
}

let queue = Promise.resolve()
const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  if (line.trim() === '') return
  const command = JSON.parse(line) as Command
  queue = queue.then(async () => {
    try {
      send({ type: 'result', id: command.id, result: await handleCommand(command) })
    } catch (error) {
      log(error instanceof Error ? (error.stack ?? error.message) : String(error))
      send({ type: 'error', id: command.id, message: error instanceof Error ? error.message : String(error) })
    }
  })
})
// The parent closes stdin when it is done (or dies): shut down cleanly.
lines.on('close', () => {
  void queue.then(async () => {
    await app.close()
    await handle.close()
    process.exit(0)
  })
})
