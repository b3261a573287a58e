import type { Actor } from '../../domain/policy/actor.ts'
import { canSeeInternal } from '../../domain/policy/policy.ts'
import { listTicketEvents } from '../../db/events.ts'
import { listAttachmentsOfMessages, listMessages } from '../../db/messages.ts'
import type { AttachmentRow, EventRow, MessageRow } from '../../db/schema.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { loadVisibleTicket } from './ticket-view.ts'

export interface MessageWithAttachments extends MessageRow {
  readonly attachments: AttachmentRow[]
}

/** The conversation of a ticket; customers get the public replies only. */
export async function listTicketMessages(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<MessageWithAttachments[]> {
  return inTransaction(deps, async (trx) => {
    await loadVisibleTicket(trx, actor, ticketId)
    const messages = await listMessages(trx, ticketId, canSeeInternal(actor))
    const attachments = await listAttachmentsOfMessages(trx, messages.map((message) => message.id))
    return messages.map((message) => ({ ...message, attachments: attachments.filter((a) => a.message_id === message.id) }))
  })
}

/** Event types a customer sees on their request's timeline (no internal notes, no internal routing). */
const CUSTOMER_EVENT_TYPES = new Set([
  'ticket.created',
  'ticket.accepted',
  'ticket.started',
  'ticket.waiting_on_customer',
  'ticket.resolved',
  'ticket.closed',
  'ticket.reopened',
])

/** The history of a ticket; customers see the lifecycle steps and their public messages only. */
export async function listTicketEventsFor(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<EventRow[]> {
  return inTransaction(deps, async (trx) => {
    await loadVisibleTicket(trx, actor, ticketId)
    const events = await listTicketEvents(trx, ticketId)
    if (canSeeInternal(actor)) return events
    return events.filter(
      (event) =>
        CUSTOMER_EVENT_TYPES.has(event.type) ||
        (event.type === 'ticket.message_added' && (event.data as { visibility?: string }).visibility === 'public'),
    )
  })
}
