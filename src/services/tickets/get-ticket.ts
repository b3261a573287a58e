import type { Actor } from '../../domain/policy/actor.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { loadTicketSla } from '../../db/sla.ts'
import { type TicketView, loadVisibleTicket, viewTicket } from './ticket-view.ts'

/** One ticket the actor may see, with the actor's abilities on it. */
export async function getTicket(deps: ServiceDeps, actor: Actor, id: string): Promise<TicketView> {
  return inTransaction(deps, async (trx) => {
    const ticket = await loadVisibleTicket(trx, actor, id)
    return viewTicket(actor, ticket, await loadTicketSla(trx, id))
  })
}
