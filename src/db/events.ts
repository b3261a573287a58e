import type { Db } from './connection.ts'
import { enqueue } from './outbox.ts'
import type { EventRow } from './schema.ts'

/** Outbox topic of committed ticket events on their way to webhooks, notices and e-mail. */
export const TICKET_EVENTS_TOPIC = 'ticket-events'

/** A change to record; written in the same transaction as the change itself. */
export interface NewEvent {
  readonly type: string
  readonly entityType:
    | 'ticket'
    | 'user'
    | 'organisation'
    | 'group'
    | 'category'
    | 'settings'
    | 'api_token'
    | 'call'
    | 'callback_task'
    | 'chat_session'
    | 'email'
    | 'inbound_source'
    | 'webhook_subscription'
    | 'customer_merge'
    | 'outbox'
  readonly entityId: string
  readonly ticketId?: string | null
  readonly actorId: string
  readonly reason?: string | null
  readonly data?: Readonly<Record<string, unknown>>
  readonly at: Date
}

/**
 * Records events in the caller's transaction. Ticket events also go into the outbox (one
 * message per ticket, ordered per ticket), so whatever reacts to them outside — outbound
 * webhooks, customer notices, e-mail replies — hears of each one once the change commits.
 */
export async function insertEvents(trx: Db, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return
  const rows = await trx
    .insertInto('events')
    .values(
      events.map((event) => ({
        type: event.type,
        entity_type: event.entityType,
        entity_id: event.entityId,
        ticket_id: event.ticketId ?? (event.entityType === 'ticket' ? event.entityId : null),
        actor_id: event.actorId,
        reason: event.reason ?? null,
        data: JSON.stringify(event.data ?? {}),
        occurred_at: event.at,
      })),
    )
    .returning(['id', 'ticket_id'])
    .execute()
  const byTicket = new Map<string, number[]>()
  for (const row of rows) {
    if (row.ticket_id === null) continue
    const ids = byTicket.get(row.ticket_id) ?? []
    ids.push(Number(row.id))
    byTicket.set(row.ticket_id, ids)
  }
  const at = events[0]?.at ?? new Date()
  await enqueue(
    trx,
    [...byTicket].map(([ticketId, eventIds]) => ({ topic: TICKET_EVENTS_TOPIC, payload: { ticketId, eventIds }, orderingKey: `ticket:${ticketId}` })),
    at,
  )
}

/** An event with the display name of who did it (null for the system). */
export interface EventWithActor extends EventRow {
  readonly actor_name: string | null
}

export async function listTicketEvents(trx: Db, ticketId: string): Promise<EventWithActor[]> {
  return trx
    .selectFrom('events')
    .leftJoin('users', 'users.id', 'events.actor_id')
    .selectAll('events')
    .select('users.name as actor_name')
    .where('events.ticket_id', '=', ticketId)
    .orderBy('events.id')
    .execute()
}
