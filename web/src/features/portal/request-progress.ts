import type { Ticket, TicketEvent, TicketStatus } from '../../api/types.ts'

/** The steps of the lifecycle a customer follows (waiting on them counts as "in progress"). */
export const PROGRESS_STEPS = ['received', 'accepted', 'in_progress', 'resolved', 'closed'] as const
export type ProgressStepKey = (typeof PROGRESS_STEPS)[number]

export interface ProgressStep {
  readonly key: ProgressStepKey
  readonly done: boolean
  readonly current: boolean
  /** When the step was reached, if the ticket or its history says so. */
  readonly at: string | null
}

const REACHED: Readonly<Record<TicketStatus, number>> = { new: 0, accepted: 1, in_progress: 2, waiting: 2, resolved: 3, closed: 4 }

function latest(events: readonly TicketEvent[], types: readonly string[]): string | null {
  let found: string | null = null
  for (const event of events) if (types.includes(event.type) && (found === null || event.occurredAt > found)) found = event.occurredAt
  return found
}

/**
 * Where a request stands: every step up to the current status is done. Dates come from the
 * ticket's timestamps; "in progress" has none, so it is the latest start or reopen event. A
 * request resolved straight after acceptance passes "in progress" without a date.
 */
export function progressSteps(ticket: Ticket, events: readonly TicketEvent[]): ProgressStep[] {
  const reached = REACHED[ticket.status]
  const dates: Record<ProgressStepKey, string | null> = {
    received: ticket.receivedAt,
    accepted: ticket.acceptedAt ?? latest(events, ['ticket.accepted']),
    in_progress: latest(events, ['ticket.started', 'ticket.reopened']),
    resolved: ticket.resolvedAt ?? (reached >= 3 ? latest(events, ['ticket.resolved']) : null),
    closed: ticket.closedAt,
  }
  return PROGRESS_STEPS.map((key, index) => ({
    key,
    done: index <= reached,
    current: index === reached,
    at: index <= reached ? dates[key] : null,
  }))
}
