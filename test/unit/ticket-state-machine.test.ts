import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/domain/shared/app-error.ts'
import { TICKET_STATUSES, type TicketStatus } from '../../src/domain/tickets/ticket.ts'
import {
  TICKET_ACTIONS,
  type TicketAction,
  type TransitionInput,
  type TransitionResult,
  allowedActions,
  transition,
} from '../../src/domain/tickets/ticket-state-machine.ts'

const DAY_S = 86_400
const WINDOW_S = 7 * DAY_S
const T0 = new Date('2026-03-02T08:00:00Z')

/**
 * The lifecycle written out by hand (not derived from the module's own table), so that a
 * change to the transitions has to be made in two places on purpose.
 */
const EXPECTED: Readonly<Record<TicketStatus, Partial<Record<TicketAction, { to: TicketStatus; event: string }>>>> = {
  new: { accept: { to: 'accepted', event: 'ticket.accepted' } },
  accepted: {
    start: { to: 'in_progress', event: 'ticket.started' },
    wait: { to: 'waiting', event: 'ticket.waiting_on_customer' },
    resolve: { to: 'resolved', event: 'ticket.resolved' },
  },
  in_progress: {
    wait: { to: 'waiting', event: 'ticket.waiting_on_customer' },
    resolve: { to: 'resolved', event: 'ticket.resolved' },
  },
  waiting: {
    start: { to: 'in_progress', event: 'ticket.started' },
    resolve: { to: 'resolved', event: 'ticket.resolved' },
  },
  resolved: {
    close: { to: 'closed', event: 'ticket.closed' },
    reopen: { to: 'in_progress', event: 'ticket.reopened' },
  },
  closed: {},
}

/** A plausible ticket in `status`: accepted once it has left `new`, resolved just now when resolved or closed. */
function ticketIn(status: TicketStatus, now: Date = T0): TransitionInput {
  return {
    status,
    acceptedAt: status === 'new' ? null : new Date(now.getTime() - 3_600_000),
    resolvedAt: status === 'resolved' || status === 'closed' ? now : null,
  }
}

/** Runs `fn` and returns the AppError it throws; fails the test when it throws nothing or something else. */
function appErrorOf(fn: () => unknown): AppError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    return error as AppError
  }
  throw new Error('expected an AppError, but nothing was thrown')
}

const pairs = TICKET_STATUSES.flatMap((status) => TICKET_ACTIONS.map((action) => ({ status, action })))

describe('ticket state machine: every (status × action) pair', () => {
  it('covers all 36 pairs', () => {
    expect(pairs).toHaveLength(TICKET_STATUSES.length * TICKET_ACTIONS.length)
    expect(pairs).toHaveLength(36)
  })

  const allowed = pairs.filter(({ status, action }) => EXPECTED[status][action] !== undefined)
  const refused = pairs.filter(({ status, action }) => EXPECTED[status][action] === undefined)

  it.each(allowed)('$status --$action--> allowed', ({ status, action }) => {
    const expected = EXPECTED[status][action]
    const result = transition(ticketIn(status), action, T0, WINDOW_S)
    expect(result.from).toBe(status)
    expect(result.to).toBe(expected?.to)
    expect(result.event).toBe(expected?.event)
  })

  it.each(refused)('$status --$action--> refused with INVALID_TRANSITION', ({ status, action }) => {
    const error = appErrorOf(() => transition(ticketIn(status), action, T0, WINDOW_S))
    expect(error.code).toBe('INVALID_TRANSITION')
    expect(error.fields?.map((f) => f.field)).toEqual(['action'])
    expect(error.message).toContain(action)
    expect(error.message).toContain(status)
  })

  it('lists 10 allowed and 26 refused pairs', () => {
    expect(allowed).toHaveLength(10)
    expect(refused).toHaveLength(26)
  })

  it.each(TICKET_STATUSES)('allowedActions(%s) matches the table, in the UI order of TICKET_ACTIONS', (status) => {
    const expected = TICKET_ACTIONS.filter((action) => EXPECTED[status][action] !== undefined)
    expect(allowedActions(status)).toEqual(expected)
  })

  it('refuses even when the timestamps are odd (refusal depends on the status only)', () => {
    const odd: TransitionInput = { status: 'closed', acceptedAt: null, resolvedAt: null }
    for (const action of TICKET_ACTIONS) {
      expect(appErrorOf(() => transition(odd, action, T0, WINDOW_S)).code).toBe('INVALID_TRANSITION')
    }
  })

  it('names the allowed actions (or none) in the field message', () => {
    const fromResolved = appErrorOf(() => transition(ticketIn('resolved'), 'start', T0, WINDOW_S))
    expect(fromResolved.fields?.[0]?.message).toContain('close, reopen')
    const fromClosed = appErrorOf(() => transition(ticketIn('closed'), 'reopen', T0, WINDOW_S))
    expect(fromClosed.fields?.[0]?.message).toContain('none')
  })
})

describe('reopen window', () => {
  const resolvedAt = T0
  const resolved: TransitionInput = { status: 'resolved', acceptedAt: new Date(T0.getTime() - DAY_S * 1000), resolvedAt }
  const after = (seconds: number) => new Date(resolvedAt.getTime() + seconds * 1000)

  it('reopens right after resolution', () => {
    expect(transition(resolved, 'reopen', after(0), WINDOW_S).to).toBe('in_progress')
  })

  it('reopens inside the window and exactly at its end', () => {
    expect(transition(resolved, 'reopen', after(WINDOW_S - 1), WINDOW_S).to).toBe('in_progress')
    expect(transition(resolved, 'reopen', after(WINDOW_S), WINDOW_S).to).toBe('in_progress')
  })

  it('refuses a reopen after the window with REOPEN_WINDOW_EXPIRED on the field action', () => {
    const error = appErrorOf(() => transition(resolved, 'reopen', after(WINDOW_S + 1), WINDOW_S))
    expect(error.code).toBe('REOPEN_WINDOW_EXPIRED')
    expect(error.fields?.map((f) => f.field)).toEqual(['action'])
    expect(error.fields?.[0]?.message).toContain('7 days')
  })

  it('with a window of 0, only a reopen at the very instant of resolution is allowed', () => {
    expect(transition(resolved, 'reopen', after(0), 0).to).toBe('in_progress')
    expect(appErrorOf(() => transition(resolved, 'reopen', after(1), 0)).code).toBe('REOPEN_WINDOW_EXPIRED')
  })

  it('the window does not apply to closing: a late close still works', () => {
    expect(transition(resolved, 'close', after(WINDOW_S * 10), WINDOW_S).to).toBe('closed')
  })

  it('an expired window is reported only for a reopen that is otherwise allowed', () => {
    const closed: TransitionInput = { ...resolved, status: 'closed' }
    expect(appErrorOf(() => transition(closed, 'reopen', after(WINDOW_S * 10), WINDOW_S)).code).toBe('INVALID_TRANSITION')
  })
})

describe('timestamps a transition stamps', () => {
  const later = new Date(T0.getTime() + 60_000)

  it('accept stamps acceptedAt on the first accept', () => {
    const result = transition({ status: 'new', acceptedAt: null, resolvedAt: null }, 'accept', later, WINDOW_S)
    expect(result.stamps).toEqual({ acceptedAt: later })
  })

  it('accept keeps an existing acceptedAt (no stamp)', () => {
    const result = transition({ status: 'new', acceptedAt: T0, resolvedAt: null }, 'accept', later, WINDOW_S)
    expect(result.stamps).toEqual({})
    expect(result.stamps.acceptedAt).toBeUndefined()
  })

  it('resolve stamps resolvedAt from every status it is allowed from', () => {
    for (const status of ['accepted', 'in_progress', 'waiting'] as const) {
      expect(transition(ticketIn(status), 'resolve', later, WINDOW_S).stamps).toEqual({ resolvedAt: later })
    }
  })

  it('resolve after a reopen stamps the new resolution time', () => {
    const reResolved = transition({ status: 'in_progress', acceptedAt: T0, resolvedAt: null }, 'resolve', later, WINDOW_S)
    expect(reResolved.stamps.resolvedAt).toEqual(later)
  })

  it('reopen clears resolvedAt (explicit null, not absent)', () => {
    const result = transition({ status: 'resolved', acceptedAt: T0, resolvedAt: T0 }, 'reopen', later, WINDOW_S)
    expect(result.stamps).toEqual({ resolvedAt: null })
    expect('resolvedAt' in result.stamps).toBe(true)
  })

  it('close stamps closedAt and leaves resolvedAt alone', () => {
    const result = transition({ status: 'resolved', acceptedAt: T0, resolvedAt: T0 }, 'close', later, WINDOW_S)
    expect(result.stamps).toEqual({ closedAt: later })
  })

  it('start and wait stamp nothing', () => {
    expect(transition(ticketIn('accepted'), 'start', later, WINDOW_S).stamps).toEqual({})
    expect(transition(ticketIn('waiting'), 'start', later, WINDOW_S).stamps).toEqual({})
    expect(transition(ticketIn('accepted'), 'wait', later, WINDOW_S).stamps).toEqual({})
    expect(transition(ticketIn('in_progress'), 'wait', later, WINDOW_S).stamps).toEqual({})
  })
})

/** A ticket as the test tracks it while applying transitions. */
interface Tracked {
  status: TicketStatus
  acceptedAt: Date | null
  resolvedAt: Date | null
  closedAt: Date | null
}

function applyStamps(ticket: Tracked, result: TransitionResult): Tracked {
  return {
    status: result.to,
    acceptedAt: result.stamps.acceptedAt ?? ticket.acceptedAt,
    resolvedAt: result.stamps.resolvedAt !== undefined ? result.stamps.resolvedAt : ticket.resolvedAt,
    closedAt: result.stamps.closedAt ?? ticket.closedAt,
  }
}

const actionArb = fc.constantFrom(...TICKET_ACTIONS)
const statusArb = fc.constantFrom(...TICKET_STATUSES)
/** A step: an action and the seconds elapsed before it (sometimes beyond the reopen window). */
const stepArb = fc.record({ action: actionArb, elapsedS: fc.oneof(fc.integer({ min: 0, max: 3_600 }), fc.integer({ min: 0, max: 3 * WINDOW_S })) })

describe('properties over random action sequences', () => {
  it('status stays in TICKET_STATUSES, steps chain, stamps stay consistent, closed is terminal', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), (steps) => {
        let now = T0
        let ticket: Tracked = { status: 'new', acceptedAt: null, resolvedAt: null, closedAt: null }
        let firstAcceptedAt: Date | null = null
        for (const { action, elapsedS } of steps) {
          now = new Date(now.getTime() + elapsedS * 1000)
          const previous = ticket.status
          let result: TransitionResult
          try {
            result = transition(ticket, action, now, WINDOW_S)
          } catch (error) {
            // Refused steps are skipped, but only for the two documented reasons.
            expect(error).toBeInstanceOf(AppError)
            const code = (error as AppError).code
            expect(['INVALID_TRANSITION', 'REOPEN_WINDOW_EXPIRED']).toContain(code)
            if (code === 'INVALID_TRANSITION') expect(allowedActions(previous)).not.toContain(action)
            if (code === 'REOPEN_WINDOW_EXPIRED') expect(action).toBe('reopen')
            continue
          }
          expect(previous).not.toBe('closed')
          expect(result.from).toBe(previous)
          expect(TICKET_STATUSES).toContain(result.to)
          ticket = applyStamps(ticket, result)
          if (action === 'accept') firstAcceptedAt ??= now

          expect(TICKET_STATUSES).toContain(ticket.status)
          // acceptedAt: set on the first accept, never moved afterwards.
          expect(ticket.acceptedAt).toEqual(firstAcceptedAt)
          expect(ticket.acceptedAt === null).toBe(ticket.status === 'new')
          // resolvedAt: set exactly while the ticket is resolved or closed.
          expect(ticket.resolvedAt !== null).toBe(ticket.status === 'resolved' || ticket.status === 'closed')
          expect(ticket.closedAt !== null).toBe(ticket.status === 'closed')
        }
        if (ticket.status === 'closed') {
          for (const action of TICKET_ACTIONS) {
            expect(appErrorOf(() => transition(ticket, action, now, WINDOW_S)).code).toBe('INVALID_TRANSITION')
          }
        }
      }),
      { numRuns: 500 },
    )
  })

  it('closed is terminal: no action is allowed from it, whatever the timestamps and the time', () => {
    fc.assert(
      fc.property(
        actionArb,
        fc.option(fc.date({ noInvalidDate: true })),
        fc.option(fc.date({ noInvalidDate: true })),
        fc.date({ noInvalidDate: true }),
        fc.integer({ min: 0, max: 365 * DAY_S }),
        (action, acceptedAt, resolvedAt, now, window) => {
          const error = appErrorOf(() => transition({ status: 'closed', acceptedAt, resolvedAt }, action, now, window))
          expect(error.code).toBe('INVALID_TRANSITION')
        },
      ),
    )
    expect(allowedActions('closed')).toEqual([])
  })

  it('allowedActions(s) is exactly the set of actions that do not throw from s (inside the reopen window)', () => {
    fc.assert(
      fc.property(statusArb, fc.integer({ min: 0, max: WINDOW_S }), (status, sinceResolvedS) => {
        const now = new Date(T0.getTime() + sinceResolvedS * 1000)
        const ticket: TransitionInput = { ...ticketIn(status), resolvedAt: status === 'resolved' || status === 'closed' ? T0 : null }
        const succeeding = TICKET_ACTIONS.filter((action) => {
          try {
            transition(ticket, action, now, WINDOW_S)
            return true
          } catch {
            return false
          }
        })
        expect(new Set(allowedActions(status))).toEqual(new Set(succeeding))
      }),
    )
  })

  it('outside the window, the actions refused with INVALID_TRANSITION are exactly those not in allowedActions(s)', () => {
    fc.assert(
      fc.property(statusArb, fc.integer({ min: WINDOW_S + 1, max: 100 * WINDOW_S }), (status, sinceResolvedS) => {
        const now = new Date(T0.getTime() + sinceResolvedS * 1000)
        const ticket: TransitionInput = { ...ticketIn(status), resolvedAt: status === 'resolved' || status === 'closed' ? T0 : null }
        const invalid = TICKET_ACTIONS.filter((action) => {
          try {
            transition(ticket, action, now, WINDOW_S)
            return false
          } catch (error) {
            return error instanceof AppError && error.code === 'INVALID_TRANSITION'
          }
        })
        expect(new Set(invalid)).toEqual(new Set(TICKET_ACTIONS.filter((action) => !allowedActions(status).includes(action))))
      }),
    )
  })

  it('every status is reachable from new', () => {
    const reached = new Set<TicketStatus>(['new'])
    let frontier: TicketStatus[] = ['new']
    while (frontier.length > 0) {
      const next: TicketStatus[] = []
      for (const status of frontier) {
        for (const action of allowedActions(status)) {
          const to = transition(ticketIn(status), action, T0, WINDOW_S).to
          if (!reached.has(to)) {
            reached.add(to)
            next.push(to)
          }
        }
      }
      frontier = next
    }
    expect([...reached].sort()).toEqual([...TICKET_STATUSES].sort())
  })
})
