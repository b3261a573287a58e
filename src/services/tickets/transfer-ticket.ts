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

/** Largest number of tickets one bulk transfer moves. */
export const BULK_TRANSFER_LIMIT = 100

/**
 * Transfers many tickets at once (a supervisor rebalancing queues), all or none: one
 * transaction, and the first ticket that cannot move names itself in the error.
 */
export async function transferTickets(
  deps: ServiceDeps,
  actor: Actor,
  ticketIds: readonly string[],
  input: TransferTicketInput,
): Promise<TicketView[]> {
  if (!isStaff(actor)) throw new AppError('FORBIDDEN', 'only agents may transfer tickets')
  if (input.assigneeId === undefined && input.groupId === undefined) {
    throw new AppError('VALIDATION', 'name the agent or the group to transfer to', [{ field: 'assigneeId', message: 'give assigneeId or groupId' }])
  }
  const ids = [...new Set(ticketIds)]
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const views: TicketView[] = []
    for (const [index, id] of ids.entries()) {
      try {
        const ticket = await loadVisibleTicket(trx, actor, id, { forUpdate: true })
        const changed = await applyTicketChanges(trx, now, actor, ticket, { assigneeId: input.assigneeId, groupId: input.groupId, reason: input.reason })
        views.push(viewTicket(actor, changed))
      } catch (error) {
        if (error instanceof AppError && error.code !== 'INTERNAL') {
          throw new AppError(error.code, `ticket ${index + 1} of ${ids.length}: ${error.message}`, [
            { field: `ticketIds/${index}`, message: error.message },
            ...(error.fields ?? []),
          ])
        }
        throw error
      }
    }
    return views
  })
}
