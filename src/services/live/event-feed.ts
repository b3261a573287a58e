import type { Actor } from '../../domain/policy/actor.ts'
import { isStaff } from '../../domain/policy/actor.ts'
import { type TicketFacts, canSeeTicket, canSeeTicketEvent } from '../../domain/policy/policy.ts'
import type { TicketStatus } from '../../domain/tickets/ticket.ts'
import type { Db } from '../../db/connection.ts'

/** What a live client is told: which record changed and how; it reads the record through the API. */
export interface LiveEvent {
  readonly id: string
  readonly type: string
  readonly entityType: string
  readonly entityId: string
  readonly ticketId: string | null
  readonly occurredAt: string
}

type Listener = (event: LiveEvent) => void

interface Subscriber {
  readonly actor: Actor
  readonly send: Listener
}

/**
 * Fans committed events out to connected clients. The database announces each event id
 * (NOTIFY, sent on commit); the feed loads the events with the facts of their tickets in one
 * query per batch and passes each to the subscribers the policy lets see it. A ticket that
 * leaves someone's queue (a transfer) is announced to them too, so their view can drop it.
 */
export class EventFeed {
  private readonly subscribers = new Set<Subscriber>()
  private pending: string[] = []
  private flushing: Promise<void> | null = null
  private stopListening: (() => Promise<void>) | null = null

  constructor(
    private readonly db: Db,
    private readonly listen: (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>,
    private readonly onError: (error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    this.stopListening = await this.listen('loopdesk_events', (payload) => this.enqueue(payload))
  }

  async stop(): Promise<void> {
    await this.stopListening?.()
    this.stopListening = null
    await this.flushing
    this.subscribers.clear()
  }

  subscribe(actor: Actor, send: Listener): () => void {
    const subscriber = { actor, send }
    this.subscribers.add(subscriber)
    return () => this.subscribers.delete(subscriber)
  }

  get subscriberCount(): number {
    return this.subscribers.size
  }

  private enqueue(id: string): void {
    if (!/^\d+$/.test(id)) return
    this.pending.push(id)
    this.flushing ??= this.drain()
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        // Let a transaction's burst of notifications arrive before reading them together.
        await new Promise((resolve) => setTimeout(resolve, 5))
        await this.deliver(this.pending.splice(0)).catch(this.onError)
      }
    } finally {
      this.flushing = null
    }
  }

  private async deliver(ids: readonly string[]): Promise<void> {
    if (this.subscribers.size === 0) return
    const rows = await this.db
      .selectFrom('events')
      .leftJoin('tickets', 'tickets.id', 'events.ticket_id')
      .select([
        'events.id', 'events.type', 'events.entity_type', 'events.entity_id', 'events.ticket_id', 'events.data', 'events.occurred_at',
        'tickets.status', 'tickets.requester_id', 'tickets.organisation_id', 'tickets.group_id', 'tickets.assignee_id', 'tickets.owner_id',
      ])
      .select((eb) => eb.selectFrom('ticket_watchers').select((w) => w.fn.agg<string[]>('array_agg', ['user_id']).as('ids')).whereRef('ticket_watchers.ticket_id', '=', 'events.ticket_id').as('watcher_ids'))
      .where('events.id', 'in', [...ids])
      .orderBy('events.id')
      .execute()
    for (const row of rows) {
      const event: LiveEvent = {
        id: String(row.id),
        type: row.type,
        entityType: row.entity_type,
        entityId: row.entity_id,
        ticketId: row.ticket_id,
        occurredAt: row.occurred_at.toISOString(),
      }
      const facts = row.requester_id === null ? null : factsOf(row)
      const previous = facts === null ? null : previousFacts(facts, row.data)
      for (const subscriber of this.subscribers) {
        if (mayReceive(subscriber.actor, row.ticket_id, facts, previous, row)) subscriber.send(event)
      }
    }
  }
}

function factsOf(row: {
  status: string | null
  requester_id: string | null
  organisation_id: string | null
  group_id: string | null
  assignee_id: string | null
  owner_id: string | null
  watcher_ids: string[] | null
}): TicketFacts {
  return {
    status: row.status as TicketStatus,
    requesterId: row.requester_id ?? '',
    organisationId: row.organisation_id,
    groupId: row.group_id,
    assigneeId: row.assignee_id,
    ownerId: row.owner_id,
    watcherIds: row.watcher_ids ?? [],
  }
}

/** The routing a ticket had before a transfer, read from the event's own record of it. */
function previousFacts(facts: TicketFacts, data: unknown): TicketFacts | null {
  const from = (data as { from?: { assigneeId?: string | null; groupId?: string | null } } | null)?.from
  if (from === undefined || from === null) return null
  return { ...facts, assigneeId: from.assigneeId ?? null, groupId: from.groupId ?? null }
}

function mayReceive(
  actor: Actor,
  ticketId: string | null,
  facts: TicketFacts | null,
  previous: TicketFacts | null,
  event: { type: string; data: unknown },
): boolean {
  if (ticketId === null || facts === null) return isStaff(actor)
  const sees = canSeeTicket(actor, facts) || (previous !== null && canSeeTicket(actor, previous))
  return sees && canSeeTicketEvent(actor, event)
}
