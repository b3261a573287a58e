import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enqueue, retryOutboxMessage } from '../../src/db/outbox.ts'
import { type OutboxHandler, PermanentDeliveryError, retryDelayMs, runOutboxPass } from '../../src/jobs/outbox-dispatcher.ts'
import { ApiClient } from '../helpers/api-client.ts'
import { TEST_PASSWORD, type TestServer, buildStaff, startTestServer } from '../helpers/test-server.ts'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => server.close())

async function put(topic: string, payload: unknown, orderingKey: string | null = null): Promise<number> {
  const [id] = await enqueue(server.deps.db, [{ topic, payload, orderingKey }], server.clock.now())
  if (id === undefined) throw new Error('not queued')
  return id
}

const row = (id: number) => server.deps.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

describe('outbox dispatcher', () => {
  it('keeps order per key while the head is retried; other keys go on', async () => {
    const delivered: string[] = []
    let failuresLeft = 2
    const handlers: Record<string, OutboxHandler> = {
      ordered: {
        kind: 'io',
        deliver: async (payload) => {
          const { name } = payload as { name: string }
          if (name === 'a1' && failuresLeft > 0) {
            failuresLeft--
            throw new Error('receiver down')
          }
          delivered.push(name)
        },
      },
    }
    const a1 = await put('ordered', { name: 'a1' }, 'key-a')
    const a2 = await put('ordered', { name: 'a2' }, 'key-a')
    await put('ordered', { name: 'b1' }, 'key-b')
    await runOutboxPass(server.deps, handlers)
    expect(delivered).toEqual(['b1'])
    expect((await row(a2)).attempts).toBe(0)
    // Due again only after the backoff.
    await runOutboxPass(server.deps, handlers)
    expect((await row(a1)).attempts).toBe(1)
    server.clock.advance(retryDelayMs(1) + 1)
    await runOutboxPass(server.deps, handlers)
    expect(delivered).toEqual(['b1'])
    expect((await row(a1)).attempts).toBe(2)
    expect((await row(a2)).attempts).toBe(0)
    server.clock.advance(retryDelayMs(2) + 1)
    await runOutboxPass(server.deps, handlers)
    await runOutboxPass(server.deps, handlers)
    expect(delivered).toEqual(['b1', 'a1', 'a2'])
    expect((await row(a1)).attempts).toBe(3)
    expect((await row(a2)).attempts).toBe(1)
  })

  it('a lease keeps a second dispatcher off a delivery in flight', async () => {
    const calls = new Map<string, number>()
    const handlers: Record<string, OutboxHandler> = {
      slow: {
        kind: 'io',
        deliver: async (payload) => {
          const { name } = payload as { name: string }
          calls.set(name, (calls.get(name) ?? 0) + 1)
          await new Promise((resolve) => setTimeout(resolve, 100))
        },
      },
    }
    const names = ['s1', 's2', 's3', 's4', 's5']
    for (const name of names) await put('slow', { name }, name === 's1' || name === 's2' ? 'same' : null)
    const passes = await Promise.all([runOutboxPass(server.deps, handlers), runOutboxPass(server.deps, handlers), runOutboxPass(server.deps, handlers)])
    await runOutboxPass(server.deps, handlers)
    expect(Object.fromEntries(calls)).toEqual({ s1: 1, s2: 1, s3: 1, s4: 1, s5: 1 })
    expect(passes.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(5)
  })

  it('sets a message aside as dead after its handler’s last attempt, and an admin retry revives it', async () => {
    let up = false
    const handlers: Record<string, OutboxHandler> = {
      flaky: {
        kind: 'io',
        maxAttempts: 3,
        deliver: async () => {
          if (!up) throw new Error('still down')
        },
      },
    }
    const id = await put('flaky', {})
    for (let attempt = 1; attempt <= 5; attempt++) {
      await runOutboxPass(server.deps, handlers)
      server.clock.advance(retryDelayMs(attempt) + 1)
    }
    const dead = await row(id)
    expect(dead.attempts).toBe(3)
    expect(dead.dead_at).not.toBeNull()
    expect(dead.last_error).toBe('still down')
    up = true
    await runOutboxPass(server.deps, handlers)
    expect((await row(id)).delivered_at).toBeNull()
    expect(await retryOutboxMessage(server.deps.db, id, server.clock.now())).toBe(true)
    await runOutboxPass(server.deps, handlers)
    const revived = await row(id)
    expect(revived.delivered_at).not.toBeNull()
    expect(revived.dead_at).toBeNull()
    expect(revived.attempts).toBe(4)
    // A delivered message cannot be retried.
    expect(await retryOutboxMessage(server.deps.db, id, server.clock.now())).toBe(false)
  })

  it('a permanent failure is dead at once; a db handler’s work and the mark commit together', async () => {
    const handlers: Record<string, OutboxHandler> = {
      refused: {
        kind: 'io',
        deliver: async () => {
          throw new PermanentDeliveryError('410 Gone')
        },
      },
      rollback: {
        kind: 'db',
        run: async (trx) => {
          await trx.insertInto('settings').values({ key: 'outbox-test', value: JSON.stringify(1), updated_at: server.clock.now() }).execute()
          throw new Error('after writing')
        },
      },
    }
    const refused = await put('refused', {})
    const rollback = await put('rollback', {})
    await runOutboxPass(server.deps, handlers)
    expect((await row(refused)).dead_at).not.toBeNull()
    expect((await row(refused)).attempts).toBe(1)
    expect((await row(rollback)).attempts).toBe(1)
    expect((await row(rollback)).delivered_at).toBeNull()
    const written = await server.deps.db.selectFrom('settings').select('key').where('key', '=', 'outbox-test').execute()
    expect(written).toEqual([])
  })
})

describe('outbox administration over HTTP', () => {
  it('lists dead letters to admins only and retries one; refuses bad, unknown and delivered ids', async () => {
    const adminUser = await buildStaff(server.deps, { roles: ['admin'] })
    const agentUser = await buildStaff(server.deps)
    const admin = new ApiClient(server.url)
    expect((await admin.login(adminUser.email ?? '', TEST_PASSWORD)).status).toBe(200)
    const agent = new ApiClient(server.url)
    expect((await agent.login(agentUser.email ?? '', TEST_PASSWORD)).status).toBe(200)

    let up = false
    const handlers: Record<string, OutboxHandler> = {
      email: {
        kind: 'io',
        deliver: async () => {
          if (!up) throw new PermanentDeliveryError('550 mailbox unavailable')
        },
      },
    }
    const id = await put('email', { to: { name: 'Ann', address: 'ann@example.test' }, subject: '[#1] Hello', ticketId: '0190aaaa-0000-7000-8000-000000000000' }, 'mail:ticket:x')
    await runOutboxPass(server.deps, handlers)

    expect((await agent.get('/api/v1/admin/outbox?state=dead')).status).toBe(403)
    const listed = await admin.get('/api/v1/admin/outbox?state=dead&topic=email')
    expect(listed.status).toBe(200)
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id, topic: 'email', state: 'dead', attempts: 1, lastError: '550 mailbox unavailable', recipient: 'ann@example.test', subject: '[#1] Hello', inFlight: false }),
    ])
    expect((await admin.get('/api/v1/admin/outbox?state=lost')).status).toBe(400)
    expect((await admin.post('/api/v1/admin/outbox/abc/retry')).status).toBe(400)
    expect((await admin.post('/api/v1/admin/outbox/999999/retry')).body.error.code).toBe('NOT_FOUND')
    expect((await agent.post(`/api/v1/admin/outbox/${id}/retry`)).status).toBe(403)
    expect((await row(id)).dead_at).not.toBeNull()

    const retried = await admin.post(`/api/v1/admin/outbox/${id}/retry`)
    expect(retried.status).toBe(200)
    expect(retried.body).toMatchObject({ id, state: 'pending', attempts: 1 })
    up = true
    await runOutboxPass(server.deps, handlers)
    expect((await admin.get('/api/v1/admin/outbox?state=delivered&topic=email')).body.items.map((item: { id: number }) => item.id)).toEqual([id])
    expect((await admin.get('/api/v1/admin/outbox?state=dead&topic=email')).body.items).toEqual([])
    const again = await admin.post(`/api/v1/admin/outbox/${id}/retry`)
    expect(again.status).toBe(409)
    const events = await server.deps.db.selectFrom('events').select(['type', 'actor_id']).where('entity_type', '=', 'outbox').execute()
    expect(events).toEqual([{ type: 'outbox.retried', actor_id: adminUser.id }])
  })
})
