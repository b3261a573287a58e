import { describe, expect, it } from 'vitest'
import { formToBody, genericCtiAnswer, nativeCtiAnswer, parseGenericCtiEvent } from '../../src/domain/phone/generic-cti.ts'
import { AppError } from '../../src/domain/shared/app-error.ts'

const common = { from: '493055571600', to: '491711234567890', direction: 'in', callId: '123456' }

function fieldsOf(run: () => unknown): string[] {
  try {
    run()
  } catch (error) {
    if (error instanceof AppError) return (error.fields ?? []).map((f) => f.field).sort()
    throw error
  }
  throw new Error('expected a validation error')
}

describe('three-event form (generic CTI)', () => {
  it('maps newCall, answer and hangup to the native events', () => {
    expect(parseGenericCtiEvent({ event: 'newCall', ...common, queue: 'helpdesk' })).toMatchObject({ type: 'new_call', queue: 'helpdesk', agentRefs: [] })
    expect(parseGenericCtiEvent({ event: 'answer', ...common, answeringNumber: 'jdoe@example.com' })).toMatchObject({ type: 'answered', agentRefs: ['jdoe@example.com'] })
    expect(parseGenericCtiEvent({ event: 'hangup', ...common, cause: 'normalClearing' })).toMatchObject({ type: 'hangup', cause: 'normalClearing' })
  })

  it('reads the form body the way the connectors send it: user[] repeated, plain keys once', () => {
    const body = formToBody(new URLSearchParams('event=newCall&from=493055571600&to=491711234567890&direction=in&callId=123456&user[]=Alice&user[]=Bob'))
    expect(body).toEqual({ event: 'newCall', from: '493055571600', to: '491711234567890', direction: 'in', callId: '123456', user: ['Alice', 'Bob'] })
    expect(parseGenericCtiEvent(body).agentRefs).toEqual(['Alice', 'Bob'])
    expect(formToBody(new URLSearchParams('user%5B%5D=Alice')).user).toEqual(['Alice'])
  })

  it('accepts user as a string or a list in JSON, answering number first', () => {
    expect(parseGenericCtiEvent({ event: 'newCall', ...common, user: 'Christopher Miller' }).agentRefs).toEqual(['Christopher Miller'])
    expect(parseGenericCtiEvent({ event: 'answer', ...common, user: ['Alice'], answeringNumber: '42' }).agentRefs).toEqual(['42', 'Alice'])
  })

  it('names every field at fault', () => {
    expect(fieldsOf(() => parseGenericCtiEvent({ event: 'ring', direction: 'up' }))).toEqual(['callId', 'direction', 'event', 'from', 'to'])
    expect(fieldsOf(() => parseGenericCtiEvent({ event: 'newCall', ...common, callId: 'x'.repeat(251) }))).toEqual(['callId'])
    expect(fieldsOf(() => parseGenericCtiEvent({ event: 'newCall', ...common, from: ['1', '2'] }))).toEqual(['from'])
    expect(fieldsOf(() => parseGenericCtiEvent({ event: 'newCall', ...common, user: [1] }))).toEqual(['user/0'])
  })

  it('answers a blocked caller with reject (busy in the three-event form, blocked natively), otherwise {}', () => {
    expect(genericCtiAnswer(true)).toEqual({ action: 'reject', reason: 'busy' })
    expect(genericCtiAnswer(false)).toEqual({})
    expect(nativeCtiAnswer(true)).toEqual({ action: 'reject', reason: 'blocked' })
  })
})
