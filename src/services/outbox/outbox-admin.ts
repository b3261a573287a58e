import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayConfigureChannels } from '../../domain/policy/policy.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import { insertEvents } from '../../db/events.ts'
import { listOutbox, retryOutboxMessage } from '../../db/outbox.ts'
import type { OutboxRow } from '../../db/schema.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'

/** Events name entities by uuid; an outbox message (a serial number) is written as the uuid with that number in its last 12 hex digits. */
export function outboxEntityId(id: number): string {
  return `00000000-0000-0000-0000-${id.toString(16).padStart(12, '0')}`
}

export type OutboxState = 'dead' | 'pending' | 'delivered'

/** An outbox message as admins see it: where it goes and how its delivery fares, not its whole payload. */
export interface OutboxMessageView {
  readonly id: number
  readonly topic: string
  readonly state: OutboxState
  /** True while a dispatcher holds it for a delivery in flight. */
  readonly inFlight: boolean
  readonly attempts: number
  readonly lastError: string | null
  readonly orderingKey: string | null
  readonly ticketId: string | null
  /** The recipient (e-mail address, phone number) when the message has one. */
  readonly recipient: string | null
  readonly subject: string | null
  readonly createdAt: string
  readonly availableAt: string
  readonly deliveredAt: string | null
  readonly deadAt: string | null
}

export function viewOutboxMessage(row: OutboxRow, now: Date): OutboxMessageView {
  const payload = (typeof row.payload === 'object' && row.payload !== null ? row.payload : {}) as Record<string, unknown>
  const text = (value: unknown) => (typeof value === 'string' ? value : null)
  const to = payload.to
  const recipient = typeof to === 'string' ? to : typeof to === 'object' && to !== null ? text((to as { address?: unknown }).address) : null
  return {
    id: Number(row.id),
    topic: row.topic,
    state: row.delivered_at !== null ? 'delivered' : row.dead_at !== null ? 'dead' : 'pending',
    inFlight: row.delivered_at === null && row.locked_until !== null && row.locked_until > now,
    attempts: row.attempts,
    lastError: row.last_error,
    orderingKey: row.ordering_key,
    ticketId: text(payload.ticketId),
    recipient,
    subject: text(payload.subject),
    createdAt: row.created_at.toISOString(),
    availableAt: row.available_at.toISOString(),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    deadAt: row.dead_at?.toISOString() ?? null,
  }
}

/** Outbox messages in one state (dead letters newest first, pending by due time), optionally of one topic. Admins only. */
export async function listOutboxMessages(
  deps: ServiceDeps,
  actor: Actor,
  filter: { readonly state: OutboxState; readonly topic?: string | undefined; readonly limit?: number | undefined },
): Promise<OutboxMessageView[]> {
  assertMayConfigureChannels(actor)
  const rows = await listOutbox(deps.db, { state: filter.state, topic: filter.topic, limit: filter.limit ?? 100 })
  const now = deps.clock()
  return rows.map((row) => viewOutboxMessage(row, now))
}

/**
 * Sends a dead (or waiting) message again now; its attempts are kept for the record. A
 * message delivered, or in flight under a dispatcher's lease, is refused: retrying it could send it twice.
 */
export async function retryOutboxMessageNow(deps: ServiceDeps, actor: Actor, id: number): Promise<OutboxMessageView> {
  assertMayConfigureChannels(actor)
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const row = await trx.selectFrom('outbox').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
    if (row === undefined) throw new AppError('NOT_FOUND', 'no such outbox message', [{ field: 'id', message: 'unknown' }])
    if (row.delivered_at !== null) throw new AppError('CONFLICT', 'the message has been delivered already', [{ field: 'id', message: 'delivered' }])
    if (row.locked_until !== null && row.locked_until > now) {
      throw new AppError('CONFLICT', 'the message is being delivered right now', [{ field: 'id', message: 'in flight' }])
    }
    await retryOutboxMessage(trx, id, now)
    await insertEvents(trx, [
      { type: 'outbox.retried', entityType: 'outbox', entityId: outboxEntityId(id), actorId: actor.id, at: now, data: { outboxId: id, topic: row.topic, attempts: row.attempts, wasDead: row.dead_at !== null } },
    ])
    const updated = await trx.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    return viewOutboxMessage({ ...updated, id: Number(updated.id) }, now)
  })
}
