import type { TicketStatus } from '../tickets/ticket.ts'
import { type BusinessCalendar, addBusinessTime, businessTimeBetween } from './business-calendar.ts'
import type { SlaStopEvent, SlaTargetDefinition, SlaTargetKind } from './sla-policy.ts'

/** The clock-relevant facts of a ticket, as instants in epoch milliseconds. */
export interface TicketClock {
  readonly status: TicketStatus
  readonly receivedAt: number
  readonly acceptedAt: number | null
  readonly firstResponseAt: number | null
  /** The current resolution (cleared by a reopen). */
  readonly resolvedAt: number | null
  readonly closedAt: number | null
  readonly followedUpAt: number | null
  readonly lastReopenedAt: number | null
  /** Every status the ticket has had, from its receipt, in time order. */
  readonly history: readonly { readonly at: number; readonly status: TicketStatus }[]
}

export type TargetStatus = 'pending' | 'running' | 'paused' | 'met' | 'breached'

export interface TargetState {
  readonly target: SlaTargetKind
  readonly status: TargetStatus
  readonly calendarId: string
  /** The committed duration after special-period tightening, in ms of business time. */
  readonly durationMs: number
  readonly startedAt: number | null
  readonly stoppedAt: number | null
  /** Business time counted so far (up to the stop, or now). */
  readonly elapsedMs: number
  /** Business time left; negative when overdue. */
  readonly remainingMs: number
  /** When the target falls due, if its clock keeps running from now; null while pending or paused. */
  readonly dueAt: number | null
  /** When the warning falls due; null once passed, or while pending or paused. */
  readonly warnAt: number | null
}

function stopInstant(stopOn: SlaStopEvent, clock: TicketClock): number | null {
  switch (stopOn) {
    case 'accepted':
      return clock.acceptedAt
    case 'first_response':
      return clock.firstResponseAt
    case 'resolved':
      return clock.status === 'resolved' || clock.status === 'closed' ? clock.resolvedAt : null
    case 'closed':
      return clock.status === 'closed' ? clock.closedAt : null
    case 'followed_up':
      return clock.followedUpAt
  }
}

/** Whether the clock of a target stands still in a status: a pause status, or a status that means the target is met for now. */
function standsStill(definition: SlaTargetDefinition, status: TicketStatus): boolean {
  if (definition.pauseStatuses.includes(status)) return true
  if (definition.stopOn === 'resolved') return status === 'resolved' || status === 'closed'
  if (definition.stopOn === 'closed') return status === 'closed'
  return false
}

/**
 * The live state of one target. Business time counts from the start event to the stop event
 * (or now), on the target's calendar, leaving out the periods in which the ticket sat in a
 * pause status — so waiting on the customer over a weekend costs nothing, and a reopened
 * ticket resumes its resolution clock where it stood instead of starting over (unless the
 * policy restarts it).
 */
export function computeTargetState(
  definition: SlaTargetDefinition,
  calendar: BusinessCalendar,
  clock: TicketClock,
  now: number,
  durationFactor = 1,
): TargetState {
  const durationMs = Math.round(definition.minutes * 60_000 * durationFactor)
  let startedAt: number | null = definition.startOn === 'received' ? clock.receivedAt : clock.resolvedAt
  const base = { target: definition.target, calendarId: definition.calendarId, durationMs }
  if (startedAt === null) {
    return { ...base, status: 'pending', startedAt: null, stoppedAt: null, elapsedMs: 0, remainingMs: durationMs, dueAt: null, warnAt: null }
  }
  if (definition.restartOnReopen === true && clock.lastReopenedAt !== null && clock.lastReopenedAt > startedAt) startedAt = clock.lastReopenedAt
  const stoppedAt = stopInstant(definition.stopOn, clock)
  const end = Math.max(startedAt, stoppedAt ?? now)

  let elapsedMs = 0
  for (let index = 0; index < clock.history.length; index++) {
    const segment = clock.history[index]
    if (segment === undefined) continue
    const from = Math.max(segment.at, startedAt)
    const to = Math.min(clock.history[index + 1]?.at ?? end, end)
    if (to > from && !standsStill(definition, segment.status)) elapsedMs += businessTimeBetween(calendar, from, to)
  }
  const remainingMs = durationMs - elapsedMs
  if (stoppedAt !== null) {
    return { ...base, status: remainingMs >= 0 ? 'met' : 'breached', startedAt, stoppedAt, elapsedMs, remainingMs, dueAt: null, warnAt: null }
  }
  if (standsStill(definition, clock.status)) {
    return { ...base, status: remainingMs <= 0 ? 'breached' : 'paused', startedAt, stoppedAt: null, elapsedMs, remainingMs, dueAt: null, warnAt: null }
  }
  const warnLeft = Math.round(durationMs * definition.warnAtRatio) - elapsedMs
  return {
    ...base,
    status: remainingMs <= 0 ? 'breached' : 'running',
    startedAt,
    stoppedAt: null,
    elapsedMs,
    remainingMs,
    dueAt: addBusinessTime(calendar, now, remainingMs),
    warnAt: warnLeft > 0 ? addBusinessTime(calendar, now, warnLeft) : null,
  }
}
