import { SYSTEM_ACTOR } from '../../domain/policy/actor.ts'
import { ESCALATION_RULES, complaintsTriggerEscalation } from '../../domain/sla/escalation.ts'
import type { Db } from '../../db/connection.ts'
import { insertEvents } from '../../db/events.ts'
import type { TicketRecord } from '../../db/tickets.ts'
import { notify } from './evaluate-ticket-sla.ts'

/**
 * The automatic escalation on repeated complaints: when a customer files their third
 * complaint within the window (90 days by default), supervisors and managers are told and the
 * escalation is recorded on the customer and the ticket. Runs in the transaction that opened
 * the complaint.
 */
export async function escalateRepeatedComplaints(trx: Db, ticket: TicketRecord, now: Date): Promise<boolean> {
  if (ticket.type !== 'complaint') return false
  const rule = ESCALATION_RULES.complaintsPerCustomer
  const since = new Date(now.getTime() - rule.windowDays * 86_400_000)
  const complaints = await trx
    .selectFrom('tickets')
    .select('received_at')
    .where('requester_id', '=', ticket.requester_id)
    .where('type', '=', 'complaint')
    .where('received_at', '>=', since)
    .execute()
  if (!complaintsTriggerEscalation(complaints.map((row) => row.received_at.getTime()), now.getTime(), rule)) return false
  // One escalation per customer per window: the fourth and later complaints do not escalate again.
  const already = await trx
    .selectFrom('events')
    .select('id')
    .where('entity_id', '=', ticket.requester_id)
    .where('type', '=', 'customer.escalated')
    .where('occurred_at', '>=', since)
    .limit(1)
    .executeTakeFirst()
  if (already !== undefined) return false
  await insertEvents(trx, [
    {
      type: 'customer.escalated',
      entityType: 'user',
      entityId: ticket.requester_id,
      ticketId: ticket.id,
      actorId: SYSTEM_ACTOR.id,
      at: now,
      data: { rule: 'complaints_per_customer', complaints: complaints.length, windowDays: rule.windowDays },
    },
  ])
  await notify(trx, ticket, ['supervisors', 'managers'], 'complaint_escalation', { complaints: complaints.length, windowDays: rule.windowDays }, `${ticket.id}:complaints`, now)
  return true
}
