import type { Db } from '../db/connection.ts'
import { claimDueTickets } from '../db/sla.ts'
import { findTicket } from '../db/tickets.ts'
import { type ServiceDeps, inTransaction } from '../services/deps.ts'
import { evaluateTicketSla } from '../services/sla/evaluate-ticket-sla.ts'
import { slaConfigFor } from '../services/sla/sla-config.ts'

/** How far a ticket whose evaluation keeps failing is pushed back, so it cannot block the others. */
const POISON_BACKOFF_MS = 5 * 60_000

async function evaluateClaimed(deps: ServiceDeps, trx: Db, ticketIds: readonly string[]): Promise<void> {
  const now = deps.clock()
  const config = await slaConfigFor(deps, trx)
  for (const id of ticketIds) {
    const ticket = await findTicket(trx, id)
    if (ticket !== undefined) await evaluateTicketSla(trx, now, config, ticket, { reason: 'scheduled check' })
  }
}

/**
 * One pass of the SLA scheduler: claims up to `batchSize` tickets with a target check due
 * (rows other processes hold are skipped) and evaluates them, firing warnings, breaches and
 * escalations. A batch that fails is retried one ticket at a time, and a ticket that fails
 * alone is set aside for a while, so one bad record never stops the desk's timers.
 * Returns how many tickets were evaluated.
 */
export async function runSlaPass(deps: ServiceDeps, batchSize = 100, onError: (error: unknown) => void = () => undefined): Promise<number> {
  let claimed: string[] = []
  try {
    return await inTransaction(deps, async (trx) => {
      claimed = await claimDueTickets(trx, deps.clock(), batchSize)
      await evaluateClaimed(deps, trx, claimed)
      return claimed.length
    })
  } catch (error) {
    onError(error)
    let done = 0
    for (const id of claimed) {
      try {
        await inTransaction(deps, async (trx) => {
          const locked = await trx.selectFrom('tickets').select('id').where('id', '=', id).forUpdate().skipLocked().executeTakeFirst()
          if (locked !== undefined) await evaluateClaimed(deps, trx, [id])
        })
        done++
      } catch (single) {
        onError(single)
        await inTransaction(deps, (trx) =>
          trx
            .updateTable('ticket_sla')
            .set({ next_check_at: new Date(deps.clock().getTime() + POISON_BACKOFF_MS) })
            .where('ticket_id', '=', id)
            .where('next_check_at', 'is not', null)
            .execute(),
        )
      }
    }
    return done
  }
}
