/**
 * The life of one phone call, rebuilt from the events a telephone system reports.
 *
 * PBXs and cloud telephony services retry, reorder and repeat their webhooks, so the call is
 * not a strict state machine fed in order: every event contributes facts (when it started,
 * was queued, was answered, ended; who has it; why it ended), and the status and outcome are
 * derived from those facts. The rules:
 * - each moment keeps its EARLIEST report (`started`, `queued`, `answered`, `ended`), so the
 *   same event twice changes nothing and a late duplicate cannot move a time forward;
 * - an event that changes nothing is reported as such (`changed: false`): nothing is written;
 * - an `answered` or `transferred` reported after the hangup's time is ignored (the call was over);
 *   an `answered` that arrives late but happened before the hangup is taken, and the outcome is
 *   recomputed (a hangup overtaking its answer on the network does not leave a "missed" call);
 * - a rejected call (blocked number) stays rejected whatever follows.
 *
 * Status: `ringing` → `queued` → `answered` → `ended` (a transfer keeps `answered` or `queued`
 * and changes the agent). Outcome, fixed when the call ends:
 * - `answered`: someone answered; talk time = ended − answered;
 * - `abandoned`: inbound, never answered, the caller hung up while waiting in a queue;
 * - `missed`: inbound, never answered and never queued (it rang an agent or a line, nobody picked up);
 * - `forwarded`: never answered here, the PBX forwarded it elsewhere (cause `forwarded`);
 * - `unreached`: outbound, the called party never answered;
 * - `rejected`: refused at once because the caller's number is blocked.
 * Wait time = (answered, or ended when never answered) − started.
 * Only inbound `missed` and `abandoned` calls ask for a callback.
 */

export const CALL_EVENT_TYPES = ['new_call', 'queued', 'answered', 'transferred', 'hangup'] as const
export type CallEventType = (typeof CALL_EVENT_TYPES)[number]

export const CALL_STATUSES = ['ringing', 'queued', 'answered', 'ended'] as const
export type CallStatus = (typeof CALL_STATUSES)[number]

export const CALL_OUTCOMES = ['answered', 'missed', 'abandoned', 'forwarded', 'unreached', 'rejected'] as const
export type CallOutcome = (typeof CALL_OUTCOMES)[number]

export const CALL_DIRECTIONS = ['in', 'out'] as const
export type CallDirection = (typeof CALL_DIRECTIONS)[number]

/** Hangup causes of the three-event form (Zammad's generic CTI); others are kept as given. */
export const KNOWN_HANGUP_CAUSES = ['normalClearing', 'busy', 'cancel', 'noAnswer', 'congestion', 'notFound', 'forwarded'] as const

/** Outcomes that leave a customer waiting for us to call back. */
export const CALLBACK_OUTCOMES: readonly CallOutcome[] = ['missed', 'abandoned']

/** One reported event, with the agent already resolved to a user id (or null when unknown or not given). */
export interface CallEvent {
  readonly type: CallEventType
  readonly at: Date
  readonly queue?: string | null | undefined
  readonly agentId?: string | null | undefined
  readonly cause?: string | null | undefined
  readonly recordingUrl?: string | null | undefined
}

/** What is known of a call. */
export interface CallState {
  readonly direction: CallDirection
  readonly status: CallStatus
  readonly outcome: CallOutcome | null
  readonly queue: string | null
  readonly agentId: string | null
  readonly cause: string | null
  readonly recordingUrl: string | null
  readonly startedAt: Date
  readonly queuedAt: Date | null
  readonly answeredAt: Date | null
  readonly endedAt: Date | null
  readonly waitMs: number | null
  readonly talkMs: number | null
}

export interface CallChange {
  readonly state: CallState
  /** False when the event added nothing (a repeat, or news about a call already over). */
  readonly changed: boolean
  /** Why an event was ignored, for the call's history. */
  readonly ignored?: 'duplicate' | 'after_end' | 'rejected'
}

/** A call first heard of through `event` (which need not be `new_call`: the first report may have been lost). */
export function startCall(direction: CallDirection, event: CallEvent): CallState {
  const blank: CallState = {
    direction,
    status: 'ringing',
    outcome: null,
    queue: null,
    agentId: null,
    cause: null,
    recordingUrl: null,
    startedAt: event.at,
    queuedAt: null,
    answeredAt: null,
    endedAt: null,
    waitMs: null,
    talkMs: null,
  }
  return applyCallEvent(blank, event).state
}

/** A call from a blocked number: refused at once, ended, outcome `rejected`. */
export function rejectedCall(direction: CallDirection, at: Date, queue: string | null): CallState {
  return {
    direction,
    status: 'ended',
    outcome: 'rejected',
    queue,
    agentId: null,
    cause: 'blocked',
    recordingUrl: null,
    startedAt: at,
    queuedAt: null,
    answeredAt: null,
    endedAt: at,
    waitMs: 0,
    talkMs: null,
  }
}

/** Folds one event into the call; see the module comment for the rules. */
export function applyCallEvent(state: CallState, event: CallEvent): CallChange {
  if (state.outcome === 'rejected') return { state, changed: false, ignored: 'rejected' }
  const at = event.at
  const endedAt = state.endedAt
  if ((event.type === 'answered' || event.type === 'transferred') && endedAt !== null && at.getTime() > endedAt.getTime()) {
    return { state, changed: false, ignored: 'after_end' }
  }
  const facts = {
    startedAt: earliest(state.startedAt, at),
    queuedAt: state.queuedAt,
    answeredAt: state.answeredAt,
    endedAt: state.endedAt,
    queue: event.queue ?? state.queue,
    agentId: state.agentId,
    cause: state.cause,
    recordingUrl: event.recordingUrl ?? state.recordingUrl,
  }
  switch (event.type) {
    case 'new_call':
      facts.agentId = state.agentId ?? event.agentId ?? null
      break
    case 'queued':
      facts.queuedAt = earliestOrNull(state.queuedAt, at)
      facts.agentId = state.agentId ?? event.agentId ?? null
      break
    case 'answered':
      facts.answeredAt = earliestOrNull(state.answeredAt, at)
      // The agent who answered wins over whoever it rang first; a repeat keeps the first answerer.
      facts.agentId = state.answeredAt === null ? (event.agentId ?? state.agentId) : state.agentId
      break
    case 'transferred':
      facts.agentId = event.agentId ?? state.agentId
      break
    case 'hangup':
      facts.endedAt = earliestOrNull(state.endedAt, at)
      facts.cause = state.endedAt === null || at.getTime() < state.endedAt.getTime() ? (event.cause ?? state.cause) : state.cause
      break
  }
  // A start reported after the queue or answer times (clock skew between PBX nodes) cannot come later than them.
  for (const moment of [facts.queuedAt, facts.answeredAt, facts.endedAt]) {
    if (moment !== null) facts.startedAt = earliest(facts.startedAt, moment)
  }
  const next = derive(state.direction, facts)
  return { state: next, changed: !sameState(state, next), ...(sameState(state, next) ? { ignored: 'duplicate' as const } : {}) }
}

type Facts = Pick<CallState, 'startedAt' | 'queuedAt' | 'answeredAt' | 'endedAt' | 'queue' | 'agentId' | 'cause' | 'recordingUrl'>

function derive(direction: CallDirection, facts: Facts): CallState {
  const { startedAt, queuedAt, answeredAt, endedAt } = facts
  // An answer stamped after the hangup (reordered clocks) does not count as answered.
  const answered = answeredAt !== null && (endedAt === null || answeredAt.getTime() <= endedAt.getTime()) ? answeredAt : null
  const status: CallStatus = endedAt !== null ? 'ended' : answered !== null ? 'answered' : queuedAt !== null ? 'queued' : 'ringing'
  const outcome = endedAt === null ? null : outcomeOf(direction, answered !== null, queuedAt !== null, facts.cause)
  const waitEnd = answered ?? endedAt
  return {
    direction,
    status,
    outcome,
    queue: facts.queue,
    agentId: facts.agentId,
    cause: facts.cause,
    recordingUrl: facts.recordingUrl,
    startedAt,
    queuedAt,
    answeredAt: answered,
    endedAt,
    waitMs: waitEnd === null ? null : Math.max(0, waitEnd.getTime() - startedAt.getTime()),
    talkMs: answered !== null && endedAt !== null ? Math.max(0, endedAt.getTime() - answered.getTime()) : null,
  }
}

/** The outcome of an ended call. */
export function outcomeOf(direction: CallDirection, answered: boolean, queued: boolean, cause: string | null): CallOutcome {
  if (answered) return 'answered'
  if (cause === 'forwarded') return 'forwarded'
  if (direction === 'out') return 'unreached'
  return queued ? 'abandoned' : 'missed'
}

/** Whether an ended call should leave a callback task. */
export function needsCallback(state: CallState): boolean {
  return state.direction === 'in' && state.outcome !== null && CALLBACK_OUTCOMES.includes(state.outcome)
}

/** Whether the call is still live (ringing, queued or being talked on): the time for a screen pop. */
export function isCallActive(status: CallStatus): boolean {
  return status !== 'ended'
}

/** The customer's number: the caller on inbound calls, the called party on outbound ones. */
export function customerNumberOf(direction: CallDirection, from: string, to: string): string {
  return direction === 'in' ? from : to
}

/** Minutes within which a callback is due after a missed or abandoned call. */
export const CALLBACK_DUE_MINUTES = 30

export function callbackDueAt(endedAt: Date): Date {
  return new Date(endedAt.getTime() + CALLBACK_DUE_MINUTES * 60_000)
}

function earliest(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b
}

function earliestOrNull(a: Date | null, b: Date): Date {
  return a === null ? b : earliest(a, b)
}

function sameState(a: CallState, b: CallState): boolean {
  const keys = Object.keys(a) as (keyof CallState)[]
  return keys.every((key) => {
    const x = a[key]
    const y = b[key]
    if (x instanceof Date && y instanceof Date) return x.getTime() === y.getTime()
    return x === y
  })
}
