import type { Actor } from '../../domain/policy/actor.ts'
import { isStaff } from '../../domain/policy/actor.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { type TicketView, loadVisibleTicket, viewTicket } from './ticket-view.ts'
import { applyTicketChanges } from './update-ticket.ts'

export interface TransferTicketInput {
  readonly assigneeId?: string | null
  readonly groupId?: string | null
  readonly reason: string
}

/** Hands a ticket to another agent and/or group, with the reason on record; the owner stays. */
export async function transferTicket(deps: ServiceDeps, actor: Actor, id: string, input: TransferTicketInput): Promise<TicketView> {
  if (!isStaff(actor)) throw new AppError('FORBIDDEN', 'only agents may transfer tickets')
  if (input.assigneeId === undefined && input.groupId === undefined) {
    throw new AppError('VALIDATION', 'name the agent or the group to transfer to', [{ field: 'assigneeId', message: 'give assigneeId or groupId' }])
  }
  return inTransaction(deps, async (trx) => {
    const ticket = await loadVisibleTicket(trx, actor, id, { forUpdate: true })
    const changed = await applyTicketChanges(trx, deps.clock(), actor, ticket, {
      assigneeId: input.assigneeId,
      groupId: input.groupId,
      reason: input.reason,
    })
    return viewTicket(actor, changed)
  })
}
