import type { Actor } from '../../domain/policy/actor.ts'
import { isStaff, seesAllTickets } from '../../domain/policy/actor.ts'
import { ticketScope } from '../../domain/policy/policy.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import { agentLoad, countQueues } from '../../db/tickets.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'

/** Live counts of the viewer's queues (open tickets only). */
export async function getQueueCounts(deps: ServiceDeps, actor: Actor) {
  return inTransaction(deps, (trx) => countQueues(trx, ticketScope(actor), actor.id, actor.groupIds))
}

/** Open tickets per agent: for supervisors and managers balancing the load. */
export async function getAgentLoad(deps: ServiceDeps, actor: Actor) {
  if (!isStaff(actor) || !seesAllTickets(actor)) throw new AppError('FORBIDDEN', 'the agent load is for supervisors and managers')
  return inTransaction(deps, (trx) => agentLoad(trx))
}
