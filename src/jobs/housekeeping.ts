import { sql } from 'kysely'
import { type ServiceDeps, inTransaction } from '../services/deps.ts'

/**
 * How long records that only guard against repeats are kept. An `Idempotency-Key` (tickets
 * over the API, inbound app and WeChat requests) answers its retries for a week, far beyond
 * any client's retry schedule (Stripe keeps keys 24 h); a webhook-id replay guard needs only
 * the source's timestamp window (at most an hour), so the same week covers it.
 */
export const IDEMPOTENCY_RETENTION_MS = 7 * 24 * 3600_000

/** Rows removed per table per pass, so one pass never holds locks for long. */
const BATCH = 1000

export interface HousekeepingResult {
  readonly sessions: number
  readonly idempotencyKeys: number
  readonly inboundDeliveries: number
}

/**
 * One housekeeping pass: removes expired sign-in sessions and idempotency records past their
 * retention, at most `BATCH` rows per table, each table in its own short transaction. Delivered
 * outbox rows, e-mail logs and webhook delivery logs are records people read and stay.
 */
export async function runHousekeepingPass(deps: ServiceDeps): Promise<HousekeepingResult> {
  const now = deps.clock()
  const keysBefore = new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS)
  const sessions = await prune(deps, 'sessions', sql`expires_at < ${now}`)
  const idempotencyKeys = await prune(deps, 'idempotency_keys', sql`created_at < ${keysBefore}`)
  const inboundDeliveries = await prune(deps, 'inbound_deliveries', sql`received_at < ${keysBefore}`)
  return { sessions, idempotencyKeys, inboundDeliveries }
}

async function prune(deps: ServiceDeps, table: 'sessions' | 'idempotency_keys' | 'inbound_deliveries', condition: ReturnType<typeof sql>): Promise<number> {
  return inTransaction(deps, async (trx) => {
    const result = await sql`
      DELETE FROM ${sql.table(table)} WHERE ctid IN (
        SELECT ctid FROM ${sql.table(table)} WHERE ${condition} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
      )`.execute(trx)
    return Number(result.numAffectedRows ?? 0n)
  })
}
