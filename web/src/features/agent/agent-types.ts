import type { Tier, User } from '../../api/types.ts'

/** The statuses of a ticket that is still being worked on. */
export const OPEN_STATUSES = 'new,accepted,in_progress,waiting'

/** A customer contact, as `/customers/:id` returns it (the same shape as a user). */
export type Customer = User

/** One row of `GET /reports/agent-load`. */
export interface AgentLoadRow {
  readonly agentId: string
  readonly name: string
  readonly tier: Tier | null
  readonly open: number
  readonly notStarted: number
  readonly inProgress: number
  readonly waiting: number
  readonly oldestReceivedAt: string | null
}
