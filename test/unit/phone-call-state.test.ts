import { describe, expect, it } from 'vitest'
import { parseAgentState } from '../../src/domain/phone/agent-state.ts'
import {
  type CallEvent,
  type CallState,
  applyCallEvent,
  needsCallback,
  outcomeOf,
  rejectedCall,
  startCall,
} from '../../src/domain/phone/call-state.ts'

const t = (seconds: number) => new Date(Date.UTC(2025, 0, 6, 2, 0, seconds))

function run(direction: 'in' | 'out', events: CallEvent[]): CallState {
  const [first, ...rest] = events
  if (first === undefined) throw new Error('no events')
  return rest.reduce((state, event) => applyCallEvent(state, event).state, startCall(direction, first))
}

describe('call state from events', () => {
  it('answered call: wait = answered − started, talk = ended − answered', () => {
    const state = run('in', [
      { type: 'new_call', at: t(0) },
      { type: 'queued', at: t(5), queue: 'support' },
      { type: 'answered', at: t(20), agentId: 'a1' },
      { type: 'hangup', at: t(80), cause: 'normalClearing' },
    ])
    expect(state).toMatchObject({ status: 'ended', outcome: 'answered', waitMs: 20_000, talkMs: 60_000, agentId: 'a1', queue: 'support' })
  })

  it.each([
    ['rang and nobody answered', [{ type: 'new_call', at: t(0), agentId: 'a1' }, { type: 'hangup', at: t(30), cause: 'cancel' }], 'missed', 30_000],
    ['hung up while queued', [{ type: 'new_call', at: t(0) }, { type: 'queued', at: t(2) }, { type: 'hangup', at: t(50), cause: 'cancel' }], 'abandoned', 50_000],
    ['forwarded elsewhere', [{ type: 'new_call', at: t(0) }, { type: 'hangup', at: t(10), cause: 'forwarded' }], 'forwarded', 10_000],
  ] as const)('inbound, %s', (_name, events, outcome, waitMs) => {
    const state = run('in', [...events])
    expect(state).toMatchObject({ outcome, waitMs, talkMs: null })
    expect(needsCallback(state)).toBe(outcome !== 'forwarded')
  })

  it('outbound and never answered is unreached and asks for no callback', () => {
    const state = run('out', [{ type: 'new_call', at: t(0) }, { type: 'hangup', at: t(25), cause: 'noAnswer' }])
    expect(state.outcome).toBe('unreached')
    expect(needsCallback(state)).toBe(false)
  })

  it('the same event twice changes nothing', () => {
    const state = run('in', [{ type: 'new_call', at: t(0) }, { type: 'answered', at: t(4), agentId: 'a1' }])
    for (const event of [
      { type: 'answered', at: t(4), agentId: 'a1' },
      { type: 'answered', at: t(9), agentId: 'a2' },
      { type: 'new_call', at: t(3) },
    ] as CallEvent[]) {
      const change = applyCallEvent(state, event)
      expect(change.changed).toBe(false)
      expect(change.state).toEqual(state)
    }
  })

  it('a repeated hangup keeps the first end and cause', () => {
    const ended = run('in', [{ type: 'new_call', at: t(0) }, { type: 'hangup', at: t(10), cause: 'cancel' }])
    const change = applyCallEvent(ended, { type: 'hangup', at: t(15), cause: 'normalClearing' })
    expect(change.changed).toBe(false)
    expect(change.state.cause).toBe('cancel')
  })

  it('gives the same result whatever order the events arrive in', () => {
    const events: CallEvent[] = [
      { type: 'new_call', at: t(0) },
      { type: 'queued', at: t(3), queue: 'support' },
      { type: 'answered', at: t(12), agentId: 'a1' },
      { type: 'hangup', at: t(72), cause: 'normalClearing' },
    ]
    const expected = run('in', events)
    const orders = [
      [3, 2, 1, 0],
      [2, 0, 3, 1],
      [1, 3, 0, 2],
      [0, 3, 2, 1],
    ]
    for (const order of orders) expect(run('in', order.map((i) => events[i] as CallEvent))).toEqual(expected)
  })

  it('an answer stamped after the hangup does not count; a transfer after the end is ignored', () => {
    const ended = run('in', [{ type: 'new_call', at: t(0) }, { type: 'hangup', at: t(10) }])
    expect(applyCallEvent(ended, { type: 'answered', at: t(11), agentId: 'a1' })).toMatchObject({ changed: false, ignored: 'after_end' })
    expect(applyCallEvent(ended, { type: 'transferred', at: t(12), agentId: 'a2' })).toMatchObject({ changed: false, ignored: 'after_end' })
  })

  it('a transfer hands the call to another agent and keeps the times', () => {
    const state = run('in', [
      { type: 'new_call', at: t(0) },
      { type: 'answered', at: t(5), agentId: 'a1' },
      { type: 'transferred', at: t(30), agentId: 'a2' },
      { type: 'hangup', at: t(65) },
    ])
    expect(state).toMatchObject({ agentId: 'a2', outcome: 'answered', waitMs: 5_000, talkMs: 60_000 })
  })

  it('a call first heard of through its hangup is still logged with its outcome', () => {
    const state = run('in', [{ type: 'hangup', at: t(40), cause: 'cancel' }])
    expect(state).toMatchObject({ status: 'ended', outcome: 'missed', waitMs: 0 })
  })

  it('a rejected call stays rejected', () => {
    const state = rejectedCall('in', t(0), null)
    expect(applyCallEvent(state, { type: 'answered', at: t(1), agentId: 'a1' })).toMatchObject({ changed: false, ignored: 'rejected' })
    expect(applyCallEvent(state, { type: 'hangup', at: t(1) }).state.outcome).toBe('rejected')
    expect(needsCallback(state)).toBe(false)
  })

  it('status follows the furthest step reached', () => {
    expect(run('in', [{ type: 'new_call', at: t(0) }]).status).toBe('ringing')
    expect(run('in', [{ type: 'new_call', at: t(0) }, { type: 'queued', at: t(1) }]).status).toBe('queued')
    expect(run('in', [{ type: 'queued', at: t(1) }, { type: 'answered', at: t(2) }]).status).toBe('answered')
  })

  it('outcome table', () => {
    expect(outcomeOf('in', true, true, 'normalClearing')).toBe('answered')
    expect(outcomeOf('out', true, false, null)).toBe('answered')
    expect(outcomeOf('in', false, true, 'cancel')).toBe('abandoned')
    expect(outcomeOf('in', false, false, 'busy')).toBe('missed')
    expect(outcomeOf('out', false, false, 'busy')).toBe('unreached')
    expect(outcomeOf('in', false, true, 'forwarded')).toBe('forwarded')
  })
})

describe('agent states as PBXs spell them', () => {
  it.each([
    ['available', 'available'],
    ['Wrap-Up', 'wrap_up'],
    ['wrapup', 'wrap_up'],
    ['wrap up', 'wrap_up'],
    ['BUSY', 'busy'],
    ['away', 'away'],
    ['lunch', undefined],
  ])('%s → %s', (raw, state) => expect(parseAgentState(raw)).toBe(state))
})
