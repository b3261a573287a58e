import { sql } from 'kysely'
import type { Db } from './connection.ts'
import type { OutboxRow } from './schema.ts'

/** A message for the outbox, written in the transaction of the change that causes it. */
export interface OutboxMessage {
  readonly topic: string
  readonly payload: unknown
  /** Messages with the same key leave one after another, in the order they were written. */
  readonly orderingKey?: string | null
  /** A second message with the same key is dropped (at most one of its kind, ever). */
  readonly dedupeKey?: string | null
  readonly availableAt?: Date
}

/** Adds messages to the outbox; returns the ids of those written (a duplicate dedupe key writes none). */
export async function enqueue(trx: Db, messages: readonly OutboxMessage[], now: Date): Promise<number[]> {
  if (messages.length === 0) return []
  const rows = await trx
    .insertInto('outbox')
    .values(
      messages.map((message) => ({
        topic: message.topic,
        payload: JSON.stringify(message.payload),
        ordering_key: message.orderingKey ?? null,
        dedupe_key: message.dedupeKey ?? null,
        created_at: now,
        available_at: message.availableAt ?? now,
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute()
  return rows.map((row) => Number(row.id))
}

/** Due messages, oldest first: not delivered, not dead, not leased to a delivery in flight. */
export async function findDueMessages(trx: Db, now: Date, limit: number): Promise<Array<Pick<OutboxRow, 'id' | 'ordering_key'>>> {
  const { rows } = await sql<{ id: string | number; ordering_key: string | null }>`
    SELECT id, ordering_key FROM outbox
    WHERE delivered_at IS NULL AND dead_at IS NULL AND available_at <= ${now}
      AND (locked_until IS NULL OR locked_until <= ${now})
    ORDER BY available_at, id
    LIMIT ${limit}`.execute(trx)
  return rows.map((row) => ({ id: Number(row.id), ordering_key: row.ordering_key }))
}

/**
 * Locks one due message for delivery (skipping it if another process holds it), provided no
 * earlier message with its ordering key is still waiting: order per key is kept even while
 * an earlier message is being retried.
 */
export async function lockDeliverable(trx: Db, id: number, now: Date): Promise<OutboxRow | undefined> {
  const message = await trx
    .selectFrom('outbox')
    .selectAll()
    .where('id', '=', id)
    .where('delivered_at', 'is', null)
    .where('dead_at', 'is', null)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .forUpdate()
    .skipLocked()
    .executeTakeFirst()
  if (message === undefined) return undefined
  if (message.ordering_key !== null) {
    const earlier = await trx
      .selectFrom('outbox')
      .select('id')
      .where('ordering_key', '=', message.ordering_key)
      .where('id', '<', id)
      .where('delivered_at', 'is', null)
      .where('dead_at', 'is', null)
      .limit(1)
      .executeTakeFirst()
    if (earlier !== undefined) return undefined
  }
  return { ...message, id: Number(message.id) }
}

/** Messages set aside after their last attempt, or still waiting, for the admin view. */
export async function listOutbox(
  trx: Db,
  filter: { readonly state: 'dead' | 'pending' | 'delivered'; readonly topic?: string | undefined; readonly limit: number },
): Promise<OutboxRow[]> {
  let query = trx.selectFrom('outbox').selectAll()
  if (filter.state === 'dead') query = query.where('dead_at', 'is not', null).orderBy('dead_at', 'desc')
  else if (filter.state === 'pending') query = query.where('delivered_at', 'is', null).where('dead_at', 'is', null).orderBy('available_at')
  else query = query.where('delivered_at', 'is not', null).orderBy('delivered_at', 'desc')
  if (filter.topic !== undefined) query = query.where('topic', '=', filter.topic)
  const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute()
  return rows.map((row) => ({ ...row, id: Number(row.id) }))
}

/** Gives a dead (or waiting) message a fresh start: due now, attempts kept for the record. */
export async function retryOutboxMessage(trx: Db, id: number, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable('outbox')
    .set({ dead_at: null, available_at: now, locked_until: null })
    .where('id', '=', id)
    .where('delivered_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}
