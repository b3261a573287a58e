import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IDEMPOTENCY_RETENTION_MS, runHousekeepingPass } from '../../src/jobs/housekeeping.ts'
import { ApiClient } from '../helpers/api-client.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildStaff, startTestServer } from '../helpers/test-server.ts'

const HOUR = 3600_000
let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ sessionTtlSeconds: 12 * 3600 })
})
afterAll(async () => server.close())

const count = async (table: 'sessions' | 'idempotency_keys' | 'inbound_deliveries') =>
  Number((await server.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)

async function sendInbound(sourceKey: string, secret: string, idempotencyKey: string, externalId: string) {
  const body = JSON.stringify({ type: 'ticket.create', customer: { externalId }, ticket: { subject: `应用反馈 ${idempotencyKey}`, description: 'App feedback' } })
  const id = `msg_${idempotencyKey}`
  const at = server.clock.now()
  const response = await fetch(`${server.url}/api/v1/inbound/${sourceKey}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, body),
      'idempotency-key': idempotencyKey,
    },
    body,
  })
  return { status: response.status, body: (await response.json()) as { ticket?: { id: string } } }
}

describe('housekeeping', () => {
  it('removes expired sessions and idempotency records past their retention, and nothing else', async () => {
    const adminUser = await buildStaff(server.deps, { roles: ['admin'] })
    const agentUser = await buildStaff(server.deps)
    const customer = await buildCustomer(server.deps)
    const admin = new ApiClient(server.url)
    expect((await admin.login(adminUser.email ?? '', TEST_PASSWORD)).status).toBe(200)
    const source = await admin.post('/api/v1/admin/inbound-sources', { key: 'kept-app', name: 'App', kind: 'app' })
    expect(source.status).toBe(201)

    // Old: a session and, eight days later, the records of that day.
    const early = new ApiClient(server.url)
    expect((await early.login(agentUser.email ?? '', TEST_PASSWORD)).status).toBe(200)
    const oldTicket = await early.post('/api/v1/tickets', { requesterId: customer.id, subject: 'Old key', description: 'first' }, { 'idempotency-key': 'old-key' })
    expect(oldTicket.status).toBe(201)
    expect((await sendInbound('kept-app', source.body.secret, 'old-inbound', 'u-1')).status).toBe(201)

    server.clock.advance(IDEMPOTENCY_RETENTION_MS + HOUR)
    const late = new ApiClient(server.url)
    expect((await late.login(agentUser.email ?? '', TEST_PASSWORD)).status).toBe(200)
    const newTicket = await late.post('/api/v1/tickets', { requesterId: customer.id, subject: 'New key', description: 'second' }, { 'idempotency-key': 'new-key' })
    expect(newTicket.status).toBe(201)
    const newInbound = await sendInbound('kept-app', source.body.secret, 'new-inbound', 'u-2')
    expect(newInbound.status).toBe(201)

    const sessionsBefore = await count('sessions')
    const removed = await runHousekeepingPass(server.deps)
    // The admin's and the early agent's sessions expired long ago; the late one is alive.
    expect(removed).toEqual({ sessions: 2, idempotencyKeys: 1, inboundDeliveries: 1 })
    expect(await count('sessions')).toBe(sessionsBefore - 2)
    expect(await runHousekeepingPass(server.deps)).toEqual({ sessions: 0, idempotencyKeys: 0, inboundDeliveries: 0 })

    // What is kept still answers as before: the live session works, recent keys replay.
    expect((await late.get('/api/v1/me')).status).toBe(200)
    const replay = await late.post('/api/v1/tickets', { requesterId: customer.id, subject: 'New key', description: 'second' }, { 'idempotency-key': 'new-key' })
    expect(replay.status).toBe(200)
    expect(replay.body.id).toBe(newTicket.body.id)
    const inboundReplay = await sendInbound('kept-app', source.body.secret, 'new-inbound', 'u-2')
    expect(inboundReplay.body.ticket?.id).toBe(newInbound.body.ticket?.id)

    // A key past its retention is free again: the same key opens a new ticket, tickets stay.
    const reused = await late.post('/api/v1/tickets', { requesterId: customer.id, subject: 'Old key, new request', description: 'third' }, { 'idempotency-key': 'old-key' })
    expect(reused.status).toBe(201)
    expect(reused.body.id).not.toBe(oldTicket.body.id)
    expect((await late.get(`/api/v1/tickets/${oldTicket.body.id}`)).status).toBe(200)
  })
})
