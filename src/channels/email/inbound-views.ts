import { sql } from 'kysely'
import type { Actor } from '../../domain/policy/actor.ts'
import { seesAllTickets } from '../../domain/policy/actor.ts'
import { assertMayUseChannels, canSeeInternal } from '../../domain/policy/policy.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import type { EmailMessageRow } from '../../db/schema.ts'
import { type ServiceDeps, inTransaction } from '../../services/deps.ts'
import { loadVisibleTicket } from '../../services/tickets/ticket-view.ts'

export interface EmailLogFilter {
  readonly direction?: 'in' | 'out'
  readonly outcome?: string
  readonly ticketId?: string
  readonly address?: string
  readonly before?: Date
  readonly limit?: number
}

export interface EmailLogEntry extends EmailMessageRow {
  readonly ticket_number: string | null
}

/**
 * The e-mail log, newest first: every message in and out with what became of it. Staff only;
 * an agent sees the rows of tickets in their queues (and the rows tied to no ticket).
 */
export async function listEmailLog(deps: ServiceDeps, actor: Actor, filter: EmailLogFilter): Promise<EmailLogEntry[]> {
  assertMayUseChannels(actor)
  return inTransaction(deps, async (trx) => {
    let query = trx
      .selectFrom('email_messages')
      .leftJoin('tickets', 'tickets.id', 'email_messages.ticket_id')
      .selectAll('email_messages')
      .select('tickets.number as ticket_number')
    if (filter.direction !== undefined) query = query.where('email_messages.direction', '=', filter.direction)
    if (filter.outcome !== undefined) query = query.where('email_messages.outcome', '=', filter.outcome)
    if (filter.ticketId !== undefined) query = query.where('email_messages.ticket_id', '=', filter.ticketId)
    if (filter.address !== undefined) {
      const address = filter.address.toLowerCase()
      query = query.where((eb) => eb.or([eb('email_messages.from_address', '=', address), sql<boolean>`${address} = ANY(email_messages.to_addresses)`]))
    }
    if (filter.before !== undefined) query = query.where('email_messages.created_at', '<', filter.before)
    if (!seesAllTickets(actor)) {
      query = query.where((eb) =>
        eb.or([
          eb('email_messages.ticket_id', 'is', null),
          eb('tickets.group_id', 'is', null),
          eb('tickets.group_id', 'in', actor.groupIds.length > 0 ? [...actor.groupIds] : ['00000000-0000-0000-0000-000000000000']),
          eb('tickets.assignee_id', '=', actor.id),
          eb('tickets.owner_id', '=', actor.id),
        ]),
      )
    }
    return query.orderBy('email_messages.created_at', 'desc').orderBy('email_messages.id', 'desc').limit(filter.limit ?? 50).execute()
  })
}

export interface MessageOriginal {
  readonly messageId: string
  readonly ticketId: string
  readonly body: string
  /** The text as received, before quoted history and signatures were trimmed. */
  readonly bodyOriginal: string
  /** Sanitised HTML, safe to render (null when the e-mail had no HTML part). */
  readonly bodyHtml: string | null
  readonly email: EmailMessageRow | null
}

/** A message's untrimmed text and sanitised HTML, for whoever may read the message itself. */
export async function readMessageOriginal(deps: ServiceDeps, actor: Actor, messageId: string): Promise<MessageOriginal> {
  const notFound = new AppError('NOT_FOUND', 'message not found', [{ field: 'id', message: 'no such message' }])
  return inTransaction(deps, async (trx) => {
    const message = await trx.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirst()
    if (message === undefined) throw notFound
    await loadVisibleTicket(trx, actor, message.ticket_id).catch(() => {
      throw notFound
    })
    if (message.visibility === 'internal' && !canSeeInternal(actor)) throw notFound
    const email = await trx.selectFrom('email_messages').selectAll().where('ticket_message_id', '=', message.id).executeTakeFirst()
    return {
      messageId: message.id,
      ticketId: message.ticket_id,
      body: message.body,
      bodyOriginal: message.body_original ?? message.body,
      bodyHtml: message.body_html,
      email: email ?? null,
    }
  })
}
