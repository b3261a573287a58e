import { sql } from 'kysely'
import { v7 as uuidv7 } from 'uuid'
import type { Db } from '../db/connection.ts'
import { type ServiceDeps, inTransaction } from '../services/deps.ts'

/** Delivers one outbox message; throwing leaves it for a later attempt. */
export type OutboxHandler = (trx: Db, payload: unknown, now: Date) => Promise<void>

/** Attempts before a message is set aside as dead (visible to admins). */
const MAX_ATTEMPTS = 10

/** In-app notifications: one row per recipient, in the same transaction as the delivery mark. */
export const deliverNotification: OutboxHandler = async (trx, payload, now) => {
  const { kind, userIds, ticketId, ...details } = payload as { kind: string; userIds: string[]; ticketId?: string }
  if (userIds.length === 0) return
  await trx
    .insertInto('notifications')
    .values(userIds.map((userId) => ({ id: uuidv7(), user_id: userId, kind, ticket_id: ticketId ?? null, payload: JSON.stringify(details), created_at: now, read_at: null })))
    .execute()
}

export const DEFAULT_HANDLERS: Readonly<Record<string, OutboxHandler>> = { notification: deliverNotification }

/**
 * One pass of the outbox dispatcher: claims due messages (skipping those another process
 * holds) and hands each to the handler of its topic. A failure is recorded and retried with
 * exponential backoff; after MAX_ATTEMPTS the message is marked dead instead of lost.
 */
export async function runOutboxPass(
  deps: ServiceDeps,
  handlers: Readonly<Record<string, OutboxHandler>> = DEFAULT_HANDLERS,
  batchSize = 100,
): Promise<number> {
  const due = await inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const { rows } = await sql<{ id: number }>`
      SELECT id FROM outbox
      WHERE delivered_at IS NULL AND dead_at IS NULL AND available_at <= ${now}
      ORDER BY available_at, id
      LIMIT ${batchSize}`.execute(trx)
    return rows.map((row) => Number(row.id))
  })
  let delivered = 0
  for (const id of due) {
    try {
      const done = await inTransaction(deps, async (trx) => {
        const message = await trx
          .selectFrom('outbox')
          .selectAll()
          .where('id', '=', id)
          .where('delivered_at', 'is', null)
          .where('dead_at', 'is', null)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst()
        if (message === undefined) return false
        const handler = handlers[message.topic]
        if (handler === undefined) throw new Error(`no handler for outbox topic ${message.topic}`)
        const now = deps.clock()
        await handler(trx, message.payload, now)
        await trx.updateTable('outbox').set({ delivered_at: now, attempts: message.attempts + 1 }).where('id', '=', id).execute()
        return true
      })
      if (done) delivered++
    } catch (error) {
      // The delivery rolled back; the failure is recorded in a transaction of its own.
      await inTransaction(deps, async (trx) => {
        const message = await trx.selectFrom('outbox').select('attempts').where('id', '=', id).forUpdate().executeTakeFirst()
        if (message === undefined) return
        const now = deps.clock()
        const attempts = message.attempts + 1
        await trx
          .updateTable('outbox')
          .set({
            attempts,
            last_error: error instanceof Error ? error.message : String(error),
            available_at: new Date(now.getTime() + Math.min(3_600_000, 1000 * 2 ** attempts)),
            dead_at: attempts >= MAX_ATTEMPTS ? now : null,
          })
          .where('id', '=', id)
          .execute()
      })
    }
  }
  return delivered
}
