import { AppError } from '../shared/app-error.ts'
import type { TicketStatus } from './ticket.ts'

export const TICKET_ACTIONS = ['accept', 'start', 'wait', 'resolve', 'close', 'reopen'] as const
export type TicketAction = (typeof TICKET_ACTIONS)[number]

/** For each action, the statuses it may start from and the status it leads to. */
export const TRANSITIONS: Readonly<Record<TicketAction, { readonly from: readonly TicketStatus[]; readonly to: TicketStatus }>> = {
  accept: { from: ['new'], to: 'accepted' },
  start: { from: ['accepted', 'waiting'], to: 'in_progress' },
  wait: { from: ['accepted', 'in_progress'], to: 'waiting' },
  resolve: { from: ['accepted', 'in_progress', 'waiting'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  reopen: { from: ['resolved'], to: 'in_progress' },
}

/** Event type recorded for each action (past tense). */
export const TRANSITION_EVENTS: Readonly<Record<TicketAction, string>> = {
  accept: 'ticket.accepted',
  start: 'ticket.started',
  wait: 'ticket.waiting_on_customer',
  resolve: 'ticket.resolved',
  close: 'ticket.closed',
  reopen: 'ticket.reopened',
}

/** Timestamps a transition stamps on the ticket, when they are still empty (or always, for `resolvedAt`). */
export interface TransitionStamps {
  readonly acceptedAt?: Date
  readonly resolvedAt?: Date | null
  readonly closedAt?: Date
}

export interface TransitionInput {
  readonly status: TicketStatus
  readonly resolvedAt: Date | null
  readonly acceptedAt: Date | null
}

export interface TransitionResult {
  readonly from: TicketStatus
  readonly to: TicketStatus
  readonly event: string
  readonly stamps: TransitionStamps
}

/** Actions allowed from a status, in the order the UI shows them. */
export function allowedActions(status: TicketStatus): TicketAction[] {
  return TICKET_ACTIONS.filter((action) => TRANSITIONS[action].from.includes(status))
}

/**
 * Applies `action` to a ticket. Returns the new status, the event to record and the
 * timestamps to set; throws `INVALID_TRANSITION` when the action is not allowed from the
 * current status and `REOPEN_WINDOW_EXPIRED` when a reopen comes after the window.
 */
export function transition(
  ticket: TransitionInput,
  action: TicketAction,
  now: Date,
  reopenWindowSeconds: number,
): TransitionResult {
  const rule = TRANSITIONS[action]
  if (!rule.from.includes(ticket.status)) {
    throw new AppError('INVALID_TRANSITION', `cannot ${action} a ticket that is ${ticket.status}`, [
      { field: 'action', message: `allowed from ${ticket.status}: ${allowedActions(ticket.status).join(', ') || 'none'}` },
    ])
  }
  if (action === 'reopen' && ticket.resolvedAt !== null) {
    const elapsed = (now.getTime() - ticket.resolvedAt.getTime()) / 1000
    if (elapsed > reopenWindowSeconds) {
      throw new AppError('REOPEN_WINDOW_EXPIRED', 'the ticket was resolved too long ago to be reopened', [
        { field: 'action', message: `reopen is allowed within ${Math.round(reopenWindowSeconds / 86400)} days of resolution` },
      ])
    }
  }
  let stamps: TransitionStamps = {}
  if (action === 'accept' && ticket.acceptedAt === null) stamps = { acceptedAt: now }
  if (action === 'resolve') stamps = { resolvedAt: now }
  if (action === 'reopen') stamps = { resolvedAt: null }
  if (action === 'close') stamps = { closedAt: now }
  return { from: ticket.status, to: rule.to, event: TRANSITION_EVENTS[action], stamps }
}
