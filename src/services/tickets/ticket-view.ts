import type { Actor } from '../../domain/policy/actor.ts'
import { type TicketAbilities, type TicketFacts, canSeeTicket, ticketAbilities } from '../../domain/policy/policy.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import type { TicketStatus } from '../../domain/tickets/ticket.ts'
import type { Db } from '../../db/connection.ts'
import { type TicketRecord, findTicket } from '../../db/tickets.ts'

/** A ticket as a use case returns it: the record and what the viewer may do with it. */
export interface TicketView {
  readonly ticket: TicketRecord
  readonly abilities: TicketAbilities
}

export function ticketFacts(ticket: TicketRecord): TicketFacts {
  return {
    status: ticket.status as TicketStatus,
    requesterId: ticket.requester_id,
    organisationId: ticket.organisation_id,
    groupId: ticket.group_id,
    assigneeId: ticket.assignee_id,
    ownerId: ticket.owner_id,
    watcherIds: ticket.watcher_ids,
  }
}

export function viewTicket(actor: Actor, ticket: TicketRecord): TicketView {
  return { ticket, abilities: ticketAbilities(actor, ticketFacts(ticket)) }
}

/**
 * Loads a ticket the actor may see. A ticket that does not exist and one the actor may not
 * see give the same NOT_FOUND, so ids of other people's tickets leak nothing.
 */
export async function loadVisibleTicket(trx: Db, actor: Actor, id: string, options: { forUpdate?: boolean } = {}): Promise<TicketRecord> {
  const ticket = await findTicket(trx, id, options)
  if (ticket === undefined || !canSeeTicket(actor, ticketFacts(ticket))) {
    throw new AppError('NOT_FOUND', 'ticket not found', [{ field: 'id', message: 'no such ticket' }])
  }
  return ticket
}
