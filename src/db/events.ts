import type { Db } from './connection.ts'
import type { EventRow } from './schema.ts'

/** A change to record; written in the same transaction as the change itself. */
export interface NewEvent {
  readonly type: string
  readonly entityType: 'ticket' | 'user' | 'organisation' | 'group' | 'category' | 'settings' | 'api_token'
  readonly entityId: string
  readonly ticketId?: string | null
  readonly actorId: string
  readonly reason?: string | null
  readonly data?: Readonly<Record<string, unknown>>
  readonly at: Date
}

export async function insertEvents(trx: Db, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return
  await trx
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
    .execute()
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
