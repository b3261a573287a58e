import { describe, expect, it } from 'vitest'
import { isValidEventPattern, subscriptionWants } from '../../src/domain/webhooks/event-types.ts'
import { type WebhookTicket, checkReceiverUrl, deliveryIdFrom, judgeReceiverStatus, shapeTicketEventPayload } from '../../src/domain/webhooks/payload.ts'

describe('event-type matching', () => {
  it('matches exact types, families and *', () => {
    expect(subscriptionWants(['ticket.created'], 'ticket.created')).toBe(true)
    expect(subscriptionWants(['ticket.created'], 'ticket.updated')).toBe(false)
    expect(subscriptionWants(['*'], 'ticket.sla_breached')).toBe(true)
    expect(subscriptionWants(['ticket.sla_*'], 'ticket.sla_warning')).toBe(false)
    expect(subscriptionWants(['ticket.*'], 'ticket.resolved')).toBe(true)
  })
  it('never offers events outside the catalogue, even to *', () => {
    expect(subscriptionWants(['*'], 'user.created')).toBe(false)
    expect(subscriptionWants(['*'], 'webhook.ping')).toBe(false)
  })
  it('validates patterns', () => {
    expect(isValidEventPattern('*')).toBe(true)
    expect(isValidEventPattern('ticket.*')).toBe(true)
    expect(isValidEventPattern('ticket.resolved')).toBe(true)
    expect(isValidEventPattern('ticket.exploded')).toBe(false)
    expect(isValidEventPattern('user.*')).toBe(false)
  })
})

describe('payload and receiver answers', () => {
  const ticket = { id: 't1', number: 'T-1', subject: 'Printer', status: 'new' } as unknown as WebhookTicket
  it('shapes {type, timestamp, data: {ticket, event}} without repeating the ticket in the event', () => {
    const payload = shapeTicketEventPayload(ticket, { id: 42, type: 'ticket.created', occurredAt: '2025-01-01T00:00:00.000Z', actorId: 'u1', reason: null, data: { ticket: { secret: 1 }, watcherIds: [] } }, { requester: { id: 'c1' } })
    expect(payload).toEqual({
      type: 'ticket.created',
      timestamp: '2025-01-01T00:00:00.000Z',
      data: { ticket, event: { id: '42', type: 'ticket.created', occurredAt: '2025-01-01T00:00:00.000Z', actorId: 'u1', reason: null, data: { watcherIds: [] } }, requester: { id: 'c1' } },
    })
  })
  it('judges receiver statuses', () => {
    expect(judgeReceiverStatus(200)).toBe('delivered')
    expect(judgeReceiverStatus(204)).toBe('delivered')
    expect(judgeReceiverStatus(301)).toBe('retry')
    expect(judgeReceiverStatus(400)).toBe('retry')
    expect(judgeReceiverStatus(410)).toBe('gone')
    expect(judgeReceiverStatus(503)).toBe('retry')
  })
  it('makes webhook ids and checks receiver addresses', () => {
    expect(deliveryIdFrom('0190a4c2-1111-4222-8333-444455556666')).toBe('msg_0190a4c2111142228333444455556666')
    expect(checkReceiverUrl('https://hooks.example.com/x')).toBeNull()
    expect(checkReceiverUrl('http://127.0.0.1:9000/')).toBeNull()
    expect(checkReceiverUrl('ftp://example.com')).not.toBeNull()
    expect(checkReceiverUrl('javascript:alert(1)')).not.toBeNull()
    expect(checkReceiverUrl('not a url')).not.toBeNull()
    expect(checkReceiverUrl('https://user:pw@example.com/')).not.toBeNull()
  })
})
