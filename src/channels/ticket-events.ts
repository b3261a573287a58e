import type { Db } from '../db/connection.ts'
import type { EventRow, TicketRow } from '../db/schema.ts'
import type { OutboxContext, OutboxHandler } from '../jobs/outbox-dispatcher.ts'

/**
 * Reacts to committed ticket events, inside the transaction that marks them handled: it may
 * write rows and outbox messages of its own (a webhook delivery, an e-mail, a notice), which
 * then commit together with the mark. A reactor that throws makes all of them retry later,
 * so each reactor's writes happen exactly once per event.
 */
export type TicketEventReactor = (trx: Db, ticket: TicketRow, events: readonly EventRow[], context: OutboxContext) => Promise<void>

/** The `ticket-events` outbox topic: one message per ticket and transaction, delivered in order per ticket. */
export function ticketEventsHandler(reactors: readonly TicketEventReactor[]): OutboxHandler {
  return {
    kind: 'db',
    run: async (trx, payload, context) => {
      const { ticketId, eventIds } = payload as { ticketId: string; eventIds: number[] }
      if (reactors.length === 0 || eventIds.length === 0) return
      const ticket = await trx.selectFrom('tickets').selectAll().where('id', '=', ticketId).executeTakeFirst()
      if (ticket === undefined) return
      const events = await trx.selectFrom('events').selectAll().where('id', 'in', eventIds.map(String)).orderBy('id').execute()
      for (const reactor of reactors) await reactor(trx, ticket, events, context)
    },
  }
}
