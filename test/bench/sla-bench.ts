import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import { loadConfig } from '../../src/config.ts'
import { connectDatabase } from '../../src/db/connection.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { claimDueTickets } from '../../src/db/sla.ts'
import { findTicket } from '../../src/db/tickets.ts'
import { SYSTEM_ACTOR } from '../../src/domain/policy/actor.ts'
import { runSlaPass } from '../../src/jobs/sla-scheduler.ts'
import type { ServiceDeps } from '../../src/services/deps.ts'
import { createUser } from '../../src/services/people/users.ts'
import { evaluateTicketSla } from '../../src/services/sla/evaluate-ticket-sla.ts'
import { ensureSlaDefaults, slaConfigFor } from '../../src/services/sla/sla-config.ts'

export interface SlaBenchResult {
  readonly database: 'pglite' | 'postgres'
  readonly openTickets: number
  readonly dueTickets: number
  readonly loadSeconds: number
  /** Finding and locking one batch of due tickets (the scheduler's query), median ms. */
  readonly claimMsP50: number
  /** One full scheduler pass: claim a batch of 100 due tickets and evaluate each, median ms. */
  readonly passMsP50: number
  readonly passBatch: number
  /** Recomputing the SLA of one ticket (priority, policy, all targets, write-back). */
  readonly recomputeMsP50: number
  readonly recomputeMsP99: number
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN
const p99 = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? Number.NaN
}

/**
 * The SLA scheduler at scale: `openTickets` open tickets, 1 % of them with a check due, on a
 * fresh database (a new one on the PostgreSQL server at `serverUrl`, or an in-memory PGlite).
 */
export async function benchSla(kind: 'pglite' | 'postgres', openTickets: number, serverUrl?: string): Promise<SlaBenchResult> {
  let databaseUrl: string | undefined
  let drop = async () => undefined as void
  if (kind === 'postgres') {
    if (serverUrl === undefined) throw new Error('a PostgreSQL URL is needed')
    const name = `loopdesk_slabench_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: serverUrl })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    await admin.end()
    const url = new URL(serverUrl)
    url.pathname = `/${name}`
    databaseUrl = url.toString()
    drop = async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl })
      await cleanup.connect()
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await cleanup.end()
    }
  }
  const handle = await connectDatabase({ databaseUrl, dataDir: 'memory://' })
  try {
    await migrateToLatest(handle.db as never)
    const deps: ServiceDeps = { db: handle.db, clock: () => new Date(), config: loadConfig({}, { logLevel: 'silent' }) }
    await ensureSlaDefaults(deps)
    const customer = await createUser(deps, SYSTEM_ACTOR, 'customer', { name: 'Bench customer', email: 'bench@example.test' })
    const policy = await handle.db.selectFrom('sla_policies').select(['id', 'targets']).where('name', 'like', '%P3%').executeTakeFirstOrThrow()
    const started = Date.now()
    await sql`
      INSERT INTO tickets (id, number, subject, description, type, severity, status, channel, requester_id, received_at,
                           created_by, created_at, updated_at, search_public, sla_policy_id)
      SELECT gen_random_uuid(), 'S-' || lpad(n::text, 8, '0'), 'ticket ' || n, 'bench', 'incident', 'P3',
             (ARRAY['new','accepted','in_progress','waiting'])[1 + n % 4], 'portal', ${customer.id},
             now() - ((n % 600) || ' minutes')::interval, ${customer.id}, now(), now(), ''::tsvector, ${policy.id}
      FROM generate_series(1, ${openTickets}) AS n`.execute(handle.db)
    await sql`
      INSERT INTO ticket_sla (ticket_id, target, policy_id, calendar_id, status, duration_ms, elapsed_ms, remaining_ms,
                              started_at, due_at, next_check_at, computed_at)
      SELECT id, 'resolution', ${policy.id}, '00000000-0000-7000-8000-000000000086', 'running', 54000000, 0, 54000000,
             received_at, now() + interval '1 day',
             CASE WHEN substr(id::text, 1, 2) IN ('00', '01', '02') THEN now() - interval '1 minute' ELSE now() + interval '1 day' END,
             now()
      FROM tickets`.execute(handle.db)
    await sql`ANALYZE`.execute(handle.db)
    const loadSeconds = (Date.now() - started) / 1000
    const due = await handle.db.selectFrom('ticket_sla').select((eb) => eb.fn.countAll<number>().as('n')).where('next_check_at', '<=', new Date()).executeTakeFirstOrThrow()

    const claims: number[] = []
    for (let i = 0; i < 10; i++) {
      const t = performance.now()
      await handle.db.transaction().execute(async (trx) => {
        await claimDueTickets(trx, new Date(), 100)
      })
      claims.push(performance.now() - t)
    }
    const passes: number[] = []
    for (let i = 0; i < 5; i++) {
      const t = performance.now()
      await runSlaPass(deps, 100)
      passes.push(performance.now() - t)
    }
    const ids = (await handle.db.selectFrom('tickets').select('id').limit(200).execute()).map((row) => row.id)
    const recomputes: number[] = []
    for (const id of ids) {
      const t = performance.now()
      await handle.db.transaction().execute(async (trx) => {
        const ticket = await findTicket(trx, id, { forUpdate: true })
        if (ticket !== undefined) await evaluateTicketSla(trx, new Date(), await slaConfigFor(deps, trx), ticket)
      })
      recomputes.push(performance.now() - t)
    }
    return {
      database: kind,
      openTickets,
      dueTickets: Number(due.n),
      loadSeconds,
      claimMsP50: median(claims),
      passMsP50: median(passes),
      passBatch: 100,
      recomputeMsP50: median(recomputes),
      recomputeMsP99: p99(recomputes),
    }
  } finally {
    await handle.close()
    await drop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'
  console.log(await benchSla('postgres', Number(process.env.SLA_TICKETS ?? 1_000_000), url))
}
