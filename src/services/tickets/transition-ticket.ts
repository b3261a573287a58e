import type { Actor } from '../../domain/policy/actor.ts'
import { isStaff } from '../../domain/policy/actor.ts'
import { assertMayTakeAction } from '../../domain/policy/policy.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import { type TicketAction, transition } from '../../domain/tickets/ticket-state-machine.ts'
import type { TicketStatus } from '../../domain/tickets/ticket.ts'
import type { Db } from '../../db/connection.ts'
import { insertEvents } from '../../db/events.ts'
import { loadSettings } from '../../db/settings.ts'
import type { TicketUpdate } from '../../db/schema.ts'
import { type TicketRecord, findTicket, updateTicket } from '../../db/tickets.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { type TicketView, finishTicketChange, loadVisibleTicket } from './ticket-view.ts'

export interface TransitionTicketInput {
  readonly action: TicketAction
  readonly reason?: string
}

/** Moves a ticket through its lifecycle; the state machine decides, the event records who, when and why. */
export async function transitionTicket(deps: ServiceDeps, actor: Actor, id: string, input: TransitionTicketInput): Promise<TicketView> {
  assertMayTakeAction(actor, input.action)
  return inTransaction(deps, async (trx) => {
    const ticket = await loadVisibleTicket(trx, actor, id, { forUpdate: true })
    await applyTransition(trx, deps.clock(), actor, ticket, input)
    return finishTicketChange(deps, trx, actor, ticket.id, input.reason)
  })
}

/** Applies one action to a locked ticket (also used when a customer's reply takes a ticket off hold). */
export async function applyTransition(trx: Db, now: Date, actor: Actor, ticket: TicketRecord, input: TransitionTicketInput): Promise<TicketRecord> {
  const settings = await loadSettings(trx)
  const result = transition(
    { status: ticket.status as TicketStatus, resolvedAt: ticket.resolved_at, acceptedAt: ticket.accepted_at },
    input.action,
    now,
    settings.reopenWindowDays * 86_400,
  )
  const patch: TicketUpdate = { status: result.to, updated_at: now }
  if (result.stamps.acceptedAt !== undefined) patch.accepted_at = result.stamps.acceptedAt
  if (result.stamps.resolvedAt !== undefined) patch.resolved_at = result.stamps.resolvedAt
  if (result.stamps.closedAt !== undefined) patch.closed_at = result.stamps.closedAt
  if (input.action === 'reopen') patch.reopen_count = ticket.reopen_count + 1
  if (input.action === 'accept' && isStaff(actor)) {
    // 首问负责: the first agent to accept owns the ticket for good; the assignee defaults to them.
    if (ticket.owner_id === null) patch.owner_id = actor.id
    if (ticket.assignee_id === null) patch.assignee_id = actor.id
  }
  await updateTicket(trx, ticket.id, patch)
  await insertEvents(trx, [
    {
      type: result.event,
      entityType: 'ticket',
      entityId: ticket.id,
      actorId: actor.id,
      at: now,
      reason: input.reason ?? null,
      data: { action: input.action, from: result.from, to: result.to, ...(patch.owner_id ? { ownerId: patch.owner_id } : {}) },
    },
  ])
  const updated = await findTicket(trx, ticket.id)
  if (updated === undefined) throw new AppError('INTERNAL', 'ticket vanished during transition')
  return updated
}
