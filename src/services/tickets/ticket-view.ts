import type { Actor } from '../../domain/policy/actor.ts'
import { type TicketAbilities, type TicketFacts, canSeeTicket, ticketAbilities } from '../../domain/policy/policy.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import type { TicketStatus } from '../../domain/tickets/ticket.ts'
import type { Db } from '../../db/connection.ts'
import { type TicketRecord, findTicket } from '../../db/tickets.ts'
import type { TicketSlaRow } from '../../db/schema.ts'
import { loadTicketSla } from '../../db/sla.ts'
import type { ServiceDeps } from '../deps.ts'
import { refreshTicketSla } from '../sla/evaluate-ticket-sla.ts'
import { slaConfigFor } from '../sla/sla-config.ts'

/** A ticket as a use case returns it: the record, what the viewer may do with it, and (single reads) its SLA targets. */
export interface TicketView {
  readonly ticket: TicketRecord
  readonly abilities: TicketAbilities
  readonly sla?: readonly TicketSlaRow[]
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

export function viewTicket(actor: Actor, ticket: TicketRecord, sla?: readonly TicketSlaRow[]): TicketView {
  return { ticket, abilities: ticketAbilities(actor, ticketFacts(ticket)), ...(sla !== undefined ? { sla } : {}) }
}

/** A ticket with its SLA targets, read inside the use case's transaction. */
export async function viewTicketWithSla(trx: Db, actor: Actor, ticketId: string): Promise<TicketView> {
  const ticket = await findTicket(trx, ticketId)
  if (ticket === undefined) throw new AppError('NOT_FOUND', 'ticket not found', [{ field: 'id', message: 'no such ticket' }])
  return viewTicket(actor, ticket, await loadTicketSla(trx, ticketId))
}

/**
 * Ends a ticket use case: the SLA is recomputed from the changed ticket (in the same
 * transaction, so its events sit beside the change) and the ticket is read back with it.
 */
export async function finishTicketChange(
  deps: ServiceDeps,
  trx: Db,
  actor: Actor,
  ticketId: string,
  reason?: string,
  isNew = false,
): Promise<TicketView> {
  await refreshTicketSla(trx, deps.clock(), await slaConfigFor(deps, trx), ticketId, { actorId: actor.id, isNew, ...(reason !== undefined ? { reason } : {}) })
  return viewTicketWithSla(trx, actor, ticketId)
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
