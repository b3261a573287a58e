import { v7 as uuidv7 } from 'uuid'
import type { Actor } from '../../domain/policy/actor.ts'
import { isCustomer, isStaff } from '../../domain/policy/actor.ts'
import { assertMayPostMessage, assertMayTakeAction } from '../../domain/policy/policy.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import { indexWords } from '../../domain/text/segment.ts'
import type { Channel, MessageVisibility } from '../../domain/tickets/ticket.ts'
import { insertEvents } from '../../db/events.ts'
import { insertMessage, linkAttachments } from '../../db/messages.ts'
import type { MessageRow } from '../../db/schema.ts'
import { appendSearchWords, findTicket, updateTicket } from '../../db/tickets.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { finishTicketChange, loadVisibleTicket } from './ticket-view.ts'
import { applyTransition } from './transition-ticket.ts'

export interface AddMessageInput {
  readonly body: string
  readonly visibility: MessageVisibility
  readonly attachmentIds?: readonly string[]
  readonly channel?: Channel
  /** A lifecycle step taken with the reply, in the same instant (e.g. reply and wait on the customer). */
  readonly then?: 'wait' | 'resolve'
  /** Set by channel adapters, never from HTTP: the untrimmed original, sanitised HTML, the channel's own message id. */
  readonly bodyOriginal?: string | null
  readonly bodyHtml?: string | null
  readonly externalRef?: string | null
}

/** Longest text of one message that goes into the search index. */
const INDEXED_CHARS = 20_000

/**
 * Adds a public reply or an internal note. An agent's first public reply stamps the first
 * response; a customer's reply takes a ticket that waits on them back into progress.
 */
export async function addMessage(deps: ServiceDeps, actor: Actor, ticketId: string, input: AddMessageInput): Promise<MessageRow> {
  assertMayPostMessage(actor, input.visibility)
  if (input.then !== undefined) assertMayTakeAction(actor, input.then)
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const ticket = await loadVisibleTicket(trx, actor, ticketId, { forUpdate: true })
    if (ticket.status === 'closed') {
      throw new AppError('CONFLICT', 'the ticket is closed; open a new request instead', [{ field: 'ticketId', message: 'closed' }])
    }
    const message: MessageRow = {
      id: uuidv7(),
      ticket_id: ticket.id,
      author_id: actor.id,
      visibility: input.visibility,
      body: input.body,
      channel: input.channel ?? ticket.channel,
      created_at: now,
      body_original: input.bodyOriginal ?? null,
      body_html: input.bodyHtml ?? null,
      external_ref: input.externalRef ?? null,
    }
    await insertMessage(trx, message)
    const attachmentIds = [...new Set(input.attachmentIds ?? [])]
    const linked = await linkAttachments(trx, attachmentIds, message.id, actor.id)
    if (linked !== attachmentIds.length) {
      throw new AppError('VALIDATION', 'an attachment is unknown, not yours or already used', [
        { field: 'attachmentIds', message: 'upload each file first, then use its id once' },
      ])
    }
    await appendSearchWords(trx, ticket.id, input.visibility, indexWords(input.body.slice(0, INDEXED_CHARS)))
    const isAgentReply = isStaff(actor) && input.visibility === 'public'
    await updateTicket(trx, ticket.id, {
      updated_at: now,
      ...(isAgentReply && ticket.first_response_at === null ? { first_response_at: now } : {}),
    })
    await insertEvents(trx, [
      {
        type: 'ticket.message_added',
        entityType: 'ticket',
        entityId: ticket.id,
        actorId: actor.id,
        at: now,
        data: { messageId: message.id, visibility: input.visibility, channel: message.channel, attachmentIds, firstResponse: isAgentReply && ticket.first_response_at === null },
      },
    ])
    if (isCustomer(actor) && ticket.status === 'waiting') {
      await applyTransition(trx, now, actor, ticket, { action: 'start', reason: 'customer replied' })
    }
    if (input.then !== undefined) {
      // One action, one instant: the reply counts as the first response and the step (a pause, say) starts with it.
      const current = await findTicket(trx, ticket.id)
      if (current !== undefined) await applyTransition(trx, now, actor, current, { action: input.then })
    }
    await finishTicketChange(deps, trx, actor, ticket.id)
    return message
  })
}
