import { v7 as uuidv7 } from 'uuid'
import type { Db } from '../db/connection.ts'
import { findDueMessages, lockDeliverable } from '../db/outbox.ts'
import type { OutboxRow } from '../db/schema.ts'
import { type ServiceDeps, inTransaction } from '../services/deps.ts'

/** What a handler knows about the message it delivers. */
export interface OutboxContext {
  readonly deps: ServiceDeps
  readonly messageId: number
  /** 1 for the first attempt. */
  readonly attempt: number
  readonly now: Date
}

/**
 * Delivers the messages of one topic. A `db` handler does database work only, inside the
 * transaction that marks the message delivered. An `io` handler talks to the network
 * (SMTP, HTTP) outside any transaction while a lease keeps other dispatchers off the
 * message; `record` then writes the outcome in the transaction that marks it. Throwing
 * leaves the message for a later attempt with backoff; `PermanentDeliveryError` sets it
 * aside as dead at once.
 */
export type OutboxHandler =
  | { readonly kind: 'db'; readonly maxAttempts?: number; run(trx: Db, payload: unknown, context: OutboxContext): Promise<void> }
  | {
      readonly kind: 'io'
      readonly maxAttempts?: number
      deliver(payload: unknown, context: OutboxContext): Promise<unknown>
      record?(trx: Db, payload: unknown, outcome: DeliveryOutcome, context: OutboxContext): Promise<void>
    }

export type DeliveryOutcome = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: unknown; readonly final: boolean }

/** A failure no retry can mend (an invalid address, a receiver that answers 410 Gone). */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError'
}

/** Attempts before a message is set aside as dead (visible to admins), unless its handler says otherwise. */
const MAX_ATTEMPTS = 10
/** How long a delivery in flight keeps other dispatchers off its message; a crash frees it after this. */
const LEASE_MS = 120_000

/** Delay before attempt `attempts + 1`: 2 s, 4 s, 8 s … capped at an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 1000 * 2 ** attempts)
}

/** In-app notifications: one row per recipient, in the same transaction as the delivery mark. */
export const deliverNotification: OutboxHandler = {
  kind: 'db',
  run: async (trx, payload, { now }) => {
    const { kind, userIds, ticketId, ...details } = payload as { kind: string; userIds: string[]; ticketId?: string }
    if (userIds.length === 0) return
    await trx
      .insertInto('notifications')
      .values(userIds.map((userId) => ({ id: uuidv7(), user_id: userId, kind, ticket_id: ticketId ?? null, payload: JSON.stringify(details), created_at: now, read_at: null })))
      .execute()
  },
}

export type OutboxHandlers = Readonly<Record<string, OutboxHandler>>

/**
 * One pass of the outbox dispatcher: takes due messages oldest first and hands each to the
 * handler of its topic. Messages sharing an ordering key go strictly in order: while the
 * first waits for a retry, the ones behind it wait too. Returns how many were delivered.
 */
export async function runOutboxPass(deps: ServiceDeps, handlers: OutboxHandlers, batchSize = 100): Promise<number> {
  const due = await findDueMessages(deps.db, deps.clock(), batchSize)
  const blockedKeys = new Set<string>()
  let delivered = 0
  for (const { id, ordering_key: key } of due) {
    if (key !== null && blockedKeys.has(key)) continue
    const outcome = await deliverOne(deps, handlers, id)
    if (outcome === 'delivered') delivered++
    // Only a failure blocks its key for the rest of the pass. A skip must not: a message retried
    // after a backoff is due later than those queued behind it, so they come first in `due`,
    // are skipped (an earlier one is pending), and blocking on them would starve the retry forever.
    else if (outcome === 'failed' && key !== null) blockedKeys.add(key)
  }
  return delivered
}

type Outcome = 'delivered' | 'failed' | 'skipped'

async function deliverOne(deps: ServiceDeps, handlers: OutboxHandlers, id: number): Promise<Outcome> {
  try {
    // A db handler's work and the delivery mark are one transaction; an io handler only takes its lease here.
    const claimed = await inTransaction(deps, async (trx) => {
      const now = deps.clock()
      const message = await lockDeliverable(trx, id, now)
      if (message === undefined) return undefined
      const handler = handlers[message.topic]
      if (handler === undefined) throw new PermanentDeliveryError(`no handler for outbox topic ${message.topic}`)
      const context = { deps, messageId: id, attempt: message.attempts + 1, now }
      if (handler.kind === 'db') {
        await handler.run(trx, message.payload, context)
        await markDelivered(trx, message, now)
        return { message, handler: null }
      }
      await trx.updateTable('outbox').set({ locked_until: new Date(now.getTime() + LEASE_MS) }).where('id', '=', id).execute()
      return { message, handler }
    })
    if (claimed === undefined) return 'skipped'
    if (claimed.handler === null) return 'delivered'
    return await deliverOverNetwork(deps, claimed.message, claimed.handler)
  } catch (error) {
    await recordFailure(deps, handlers, id, error, undefined)
    return 'failed'
  }
}

async function deliverOverNetwork(deps: ServiceDeps, message: OutboxRow, handler: Extract<OutboxHandler, { kind: 'io' }>): Promise<Outcome> {
  const context = { deps, messageId: message.id, attempt: message.attempts + 1, now: deps.clock() }
  let result: unknown
  try {
    result = await handler.deliver(message.payload, context)
  } catch (error) {
    await recordFailure(deps, { [message.topic]: handler }, message.id, error, message)
    return 'failed'
  }
  await inTransaction(deps, async (trx) => {
    const now = deps.clock()
    await handler.record?.(trx, message.payload, { ok: true, result }, { ...context, now })
    await markDelivered(trx, message, now)
  })
  return 'delivered'
}

async function markDelivered(trx: Db, message: OutboxRow, now: Date): Promise<void> {
  await trx.updateTable('outbox').set({ delivered_at: now, attempts: message.attempts + 1, locked_until: null, last_error: null }).where('id', '=', message.id).execute()
}

/** The delivery failed: recorded in a transaction of its own, due again after a backoff, dead after the last attempt. */
async function recordFailure(deps: ServiceDeps, handlers: OutboxHandlers, id: number, error: unknown, known: OutboxRow | undefined): Promise<void> {
  await inTransaction(deps, async (trx) => {
    const message = await trx.selectFrom('outbox').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
    if (message === undefined || message.delivered_at !== null) return
    const now = deps.clock()
    const handler = handlers[message.topic]
    const attempts = message.attempts + 1
    const final = error instanceof PermanentDeliveryError || attempts >= (handler?.maxAttempts ?? MAX_ATTEMPTS)
    if (handler?.kind === 'io' && known !== undefined) {
      await handler.record?.(trx, message.payload, { ok: false, error, final }, { deps, messageId: id, attempt: attempts, now })
    }
    await trx
      .updateTable('outbox')
      .set({
        attempts,
        last_error: (error instanceof Error ? error.message : String(error)).slice(0, 2000),
        available_at: new Date(now.getTime() + retryDelayMs(attempts)),
        locked_until: null,
        dead_at: final ? now : null,
      })
      .where('id', '=', id)
      .execute()
  })
}
