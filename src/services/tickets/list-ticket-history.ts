import type { Actor } from '../../domain/policy/actor.ts'
import { canSeeInternal, canSeeTicketEvent } from '../../domain/policy/policy.ts'
import { type EventWithActor, listTicketEvents } from '../../db/events.ts'
import { type MessageWithAuthor, listAttachmentsOfMessages, listMessages } from '../../db/messages.ts'
import type { AttachmentRow } from '../../db/schema.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { loadVisibleTicket } from './ticket-view.ts'

export interface MessageWithAttachments extends MessageWithAuthor {
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

/** The history of a ticket; customers see the lifecycle steps and their public messages only. */
export async function listTicketEventsFor(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<EventWithActor[]> {
  return inTransaction(deps, async (trx) => {
    await loadVisibleTicket(trx, actor, ticketId)
    const events = await listTicketEvents(trx, ticketId)
    return events.filter((event) => canSeeTicketEvent(actor, event))
  })
}
