/** Who an escalation step tells. */
export const ESCALATION_AUDIENCES = ['assignee', 'group', 'supervisors', 'managers'] as const
export type EscalationAudience = (typeof ESCALATION_AUDIENCES)[number]

/** One step of an escalation chain (分级响应): how long after the breach, whom to tell, whether to hand over. */
export interface EscalationLevel {
  readonly afterMinutes: number
  readonly notify: readonly EscalationAudience[]
  /** Hand the ticket to a supervisor of the desk at this step. */
  readonly reassignToSupervisor: boolean
}

export interface EscalationChain {
  readonly id: string
  readonly name: string
  readonly levels: readonly EscalationLevel[]
}

export const DEFAULT_ESCALATION_CHAIN_ID = '00000000-0000-7000-8000-0000000e5c01'

/** agent → supervisor → manager: tell the assignee at the breach, hand to a supervisor after 30 min, tell the managers after 2 h. */
export function defaultEscalationChain(): EscalationChain {
  return {
    id: DEFAULT_ESCALATION_CHAIN_ID,
    name: '坐席 → 主管 → 经理 / Agent → supervisor → manager',
    levels: [
      { afterMinutes: 0, notify: ['assignee', 'group'], reassignToSupervisor: false },
      { afterMinutes: 30, notify: ['assignee', 'supervisors'], reassignToSupervisor: true },
      { afterMinutes: 120, notify: ['supervisors', 'managers'], reassignToSupervisor: false },
    ],
  }
}

/**
 * The next escalation step due for a breached target: the level after `doneLevels` and the
 * instant it falls due (wall-clock minutes after the breach); null when the chain is done.
 */
export function nextEscalation(chain: EscalationChain, breachedAt: number, doneLevels: number): { level: number; dueAt: number } | null {
  const level = chain.levels[doneLevels]
  if (level === undefined) return null
  return { level: doneLevels, dueAt: breachedAt + level.afterMinutes * 60_000 }
}

/** Automatic escalation rules on a customer or an agent, recorded now; ratings arrive with surveys. */
export const ESCALATION_RULES = {
  complaintsPerCustomer: { count: 3, windowDays: 90 },
  consecutiveLowRatings: { count: 3, below: 3, outOf: 5 },
} as const

/** Whether a new complaint makes `count` complaints from one customer within the window. */
export function complaintsTriggerEscalation(complaintTimes: readonly number[], now: number, rule = ESCALATION_RULES.complaintsPerCustomer): boolean {
  const since = now - rule.windowDays * 86_400_000
  return complaintTimes.filter((at) => at >= since && at <= now).length >= rule.count
}

/** Whether an agent's latest ratings (newest last) end in `count` consecutive ratings below the bar. */
export function lowRatingsTriggerEscalation(ratings: readonly number[], rule = ESCALATION_RULES.consecutiveLowRatings): boolean {
  const last = ratings.slice(-rule.count)
  return last.length === rule.count && last.every((rating) => rating < rule.below)
}
