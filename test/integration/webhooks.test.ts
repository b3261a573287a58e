import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { outboxHandlers } from '../../src/channels/registry.ts'
import { postWebhook } from '../../src/channels/webhooks/post-webhook.ts'
import { runOutboxPass } from '../../src/jobs/outbox-dispatcher.ts'
import { ApiClient } from '../helpers/api-client.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildGroup, buildStaff, startTestServer } from '../helpers/test-server.ts'

let server: TestServer
let admin: ApiClient
let agent: ApiClient
let groupId: string

beforeAll(async () => {
  server = await startTestServer({ sessionTtlSeconds: 30 * 86_400 })
  const adminUser = await buildStaff(server.deps, { roles: ['admin'] })
  const agentUser = await buildStaff(server.deps, { tier: 'L1' })
  groupId = (await buildGroup(server.deps, [agentUser.id])).id
  admin = new ApiClient(server.url)
  expect((await admin.login(adminUser.email ?? '', TEST_PASSWORD)).status).toBe(200)
  agent = new ApiClient(server.url)
  expect((await agent.login(agentUser.email ?? '', TEST_PASSWORD)).status).toBe(200)
})
afterAll(async () => server.close())

/** Row counts of every table an inbound request may write. */
async function counts(): Promise<Record<string, number>> {
  const tables = ['tickets', 'messages', 'users', 'customer_identities', 'inbound_deliveries', 'events', 'outbox']
  const result: Record<string, number> = {}
  for (const table of tables) {
    const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(table)}`.execute(server.deps.db)
    result[table] = Number(rows[0]?.n)
  }
  return result
}

let sequence = 0
interface SendOptions {
  readonly secret: string
  readonly id?: string
  readonly at?: Date
  readonly idempotencyKey?: string | null
  readonly signature?: string
  readonly signedBody?: string
  readonly contentType?: string
}

/** Posts to the inbound endpoint, signed with the standardwebhooks library (not our own code). */
async function send(sourceKey: string, body: unknown, options: SendOptions) {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  const id = options.id ?? `msg_test${++sequence}`
  const at = options.at ?? server.clock.now()
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': options.signature ?? new Webhook(options.secret).sign(id, at, options.signedBody ?? text),
  }
  if (options.idempotencyKey !== null) headers['idempotency-key'] = options.idempotencyKey ?? `key-${id}`
  const response = await fetch(`${server.url}/api/v1/inbound/${sourceKey}`, { method: 'POST', headers, body: text })
  const raw = await response.text()
  return { status: response.status, headers: response.headers, text: raw, body: raw === '' ? null : JSON.parse(raw) }
}

const newTicket = (externalId: string, subject = '应用内无法支付') => ({
  type: 'ticket.create',
  customer: { externalId, name: '王小明', locale: 'zh-CN' },
  ticket: { subject, description: '点击支付后一直转圈。', severity: 'P2' },
})

describe('inbound webhooks from apps and WeChat', () => {
  let appSecret: string
  let wechatSecret: string

  beforeAll(async () => {
    const app = await admin.post('/api/v1/admin/inbound-sources', { key: 'shop-app', name: 'Shop app', kind: 'app', toleranceSeconds: 300 })
    expect(app.status).toBe(201)
    expect(app.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/)
    appSecret = app.body.secret
    const wechat = await admin.post('/api/v1/admin/inbound-sources', { key: 'wechat-oa', name: '公众号', kind: 'wechat', defaultGroupId: groupId, defaultType: 'consultation' })
    expect(wechat.status).toBe(201)
    wechatSecret = wechat.body.secret
    const listed = await admin.get('/api/v1/admin/inbound-sources')
    expect(listed.body.items.map((s: { key: string }) => s.key).sort()).toEqual(['shop-app', 'wechat-oa'])
    expect(JSON.stringify(listed.body)).not.toContain('whsec_')
  })

  it('opens a ticket for the external id, and the same id is the same customer next time', async () => {
    const first = await send('shop-app', newTicket('app-user-1'), { secret: appSecret })
    expect(first.status).toBe(201)
    expect(first.body.ticket.number).toMatch(/^\d{8}-\d{6}$/)
    const ticket = await server.deps.db.selectFrom('tickets').selectAll().where('id', '=', first.body.ticket.id).executeTakeFirstOrThrow()
    expect(ticket.channel).toBe('app')
    expect(ticket.requester_id).toBe(first.body.customer.id)
    expect(ticket.severity).toBe('P2')
    const identity = await server.deps.db.selectFrom('customer_identities').selectAll().where('user_id', '=', first.body.customer.id).execute()
    expect(identity.map((row) => [row.source, row.external_id])).toEqual([['shop-app', 'app-user-1']])

    const second = await send('shop-app', newTicket('app-user-1', '第二个问题'), { secret: appSecret, contentType: 'application/json; charset=utf-8' })
    expect(second.status).toBe(201)
    expect(second.body.customer.id).toBe(first.body.customer.id)
    expect(second.body.ticket.id).not.toBe(first.body.ticket.id)
    expect(first.body.ticket.status).toBe('new')

    const reply = await send('shop-app', { type: 'message.create', customer: { externalId: 'app-user-1' }, ticketNumber: first.body.ticket.number, message: { id: 'm-1', text: '截图已上传' } }, { secret: appSecret })
    expect(reply.status).toBe(201)
    expect(reply.body.customer.id).toBe(first.body.customer.id)
    const message = await server.deps.db.selectFrom('messages').selectAll().where('id', '=', reply.body.message.id).executeTakeFirstOrThrow()
    expect([message.author_id, message.visibility, message.channel, message.external_ref]).toEqual([first.body.customer.id, 'public', 'app', 'shop-app:m-1'])

    // The app's message id is remembered: the same message under a new key is not stored twice.
    const before = await counts()
    const again = await send('shop-app', { type: 'message.create', customer: { externalId: 'app-user-1' }, ticketNumber: first.body.ticket.number, message: { id: 'm-1', text: '截图已上传' } }, { secret: appSecret })
    expect(again.status).toBe(200)
    expect(again.body.message).toMatchObject({ id: reply.body.message.id, duplicate: true })
    expect((await counts()).messages).toBe(before.messages)
  })

  it('routes a WeChat source to its channel, team and default type', async () => {
    const created = await send('wechat-oa', { type: 'ticket.create', customer: { externalId: 'oA1b2C3' }, ticket: { subject: '发票抬头修改', description: '请帮我改一下发票抬头' } }, { secret: wechatSecret })
    expect(created.status).toBe(201)
    const ticket = await server.deps.db.selectFrom('tickets').selectAll().where('id', '=', created.body.ticket.id).executeTakeFirstOrThrow()
    expect([ticket.channel, ticket.group_id, ticket.type]).toEqual(['wechat', groupId, 'consultation'])
    // The same external id in another source is another person until someone merges them.
    const elsewhere = await send('shop-app', newTicket('oA1b2C3'), { secret: appSecret })
    expect(elsewhere.body.customer.id).not.toBe(created.body.customer.id)
  })

  it('refuses forged, stale, future, replayed and unkeyed requests, writing nothing', async () => {
    const body = newTicket('app-user-refused')
    const before = await counts()
    const otherSecret = 'whsec_' + Buffer.alloc(24, 9).toString('base64')
    const expectRefused = async (result: Awaited<ReturnType<typeof send>>, status: number, code: string, field: string) => {
      expect(result.status, result.text).toBe(status)
      expect(result.body.error.code).toBe(code)
      expect(result.body.error.fields?.[0]?.field).toBe(field)
    }
    await expectRefused(await send('shop-app', body, { secret: otherSecret }), 401, 'WEBHOOK_SIGNATURE_INVALID', 'webhook-signature')
    await expectRefused(await send('shop-app', body, { secret: wechatSecret }), 401, 'WEBHOOK_SIGNATURE_INVALID', 'webhook-signature')
    await expectRefused(await send('shop-app', body, { secret: appSecret, signature: 'v1,AAAA' }), 401, 'WEBHOOK_SIGNATURE_INVALID', 'webhook-signature')
    // Signed over another body (tampered in transit).
    await expectRefused(await send('shop-app', body, { secret: appSecret, signedBody: JSON.stringify(newTicket('someone-else')) }), 401, 'WEBHOOK_SIGNATURE_INVALID', 'webhook-signature')
    const now = server.clock.now().getTime()
    await expectRefused(await send('shop-app', body, { secret: appSecret, at: new Date(now - 301_000) }), 401, 'WEBHOOK_TIMESTAMP_OUT_OF_RANGE', 'webhook-timestamp')
    await expectRefused(await send('shop-app', body, { secret: appSecret, at: new Date(now + 301_000) }), 401, 'WEBHOOK_TIMESTAMP_OUT_OF_RANGE', 'webhook-timestamp')
    await expectRefused(await send('shop-app', body, { secret: appSecret, idempotencyKey: null }), 400, 'VALIDATION', 'Idempotency-Key')
    const unsigned = await fetch(`${server.url}/api/v1/inbound/shop-app`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'k' }, body: JSON.stringify(body) })
    expect(unsigned.status).toBe(401)
    expect(((await unsigned.json()) as { error: { code: string } }).error.code).toBe('WEBHOOK_SIGNATURE_INVALID')
    await expectRefused(await send('no-such-source', body, { secret: appSecret }), 404, 'NOT_FOUND', 'sourceKey')
    // Signed, but not JSON, or JSON of the wrong shape: refused after the signature, before any write.
    await expectRefused(await send('shop-app', '{"type": ', { secret: appSecret }), 400, 'MALFORMED_JSON', '(body)')
    await expectRefused(await send('shop-app', { ...body, customer: { externalId: 'x', email: 'not-an-email' } }, { secret: appSecret }), 400, 'VALIDATION', 'customer/email')
    await expectRefused(await send('shop-app', { type: 'ticket.create', customer: { externalId: 'x' } }, { secret: appSecret }), 400, 'VALIDATION', 'ticket')
    const huge = await send('shop-app', { ...body, ticket: { ...body.ticket, description: 'x'.repeat(300 * 1024) } }, { secret: appSecret })
    expect(huge.status).toBe(413)
    const text = await fetch(`${server.url}/api/v1/inbound/shop-app`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' })
    expect(text.status).toBe(415)
    expect(await counts()).toEqual(before)

    // A captured request replayed within the window under a fresh Idempotency-Key: the webhook-id gives it away.
    const original = await send('shop-app', body, { secret: appSecret, id: 'msg_replay_me', idempotencyKey: 'first' })
    expect(original.status).toBe(201)
    const afterOriginal = await counts()
    await expectRefused(await send('shop-app', body, { secret: appSecret, id: 'msg_replay_me', idempotencyKey: 'second' }), 409, 'WEBHOOK_REPLAYED', 'webhook-id')
    expect(await counts()).toEqual(afterOriginal)

    // A switched-off source takes nothing.
    const sources = await admin.get('/api/v1/admin/inbound-sources')
    const wechatId = sources.body.items.find((s: { key: string }) => s.key === 'wechat-oa').id
    expect((await admin.patch(`/api/v1/admin/inbound-sources/${wechatId}`, { isActive: false })).body.isActive).toBe(false)
    const afterSwitchOff = await counts()
    await expectRefused(await send('wechat-oa', newTicket('oA1b2C3'), { secret: wechatSecret }), 404, 'NOT_FOUND', 'sourceKey')
    expect(await counts()).toEqual(afterSwitchOff)
    await admin.patch(`/api/v1/admin/inbound-sources/${wechatId}`, { isActive: true })
  })

  it('answers a repeated Idempotency-Key as the first time, and refuses it with another body', async () => {
    const body = newTicket('app-user-retry')
    const first = await send('shop-app', body, { secret: appSecret, idempotencyKey: 'order-77' })
    expect(first.status).toBe(201)
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    const before = await counts()
    // The client retries: a new webhook-id and timestamp, the same key and body.
    server.clock.advance(30_000)
    const retried = await send('shop-app', body, { secret: appSecret, idempotencyKey: 'order-77' })
    expect(retried.status).toBe(201)
    expect(retried.headers.get('idempotent-replayed')).toBe('true')
    expect(retried.body).toEqual(first.body)
    const reused = await send('shop-app', newTicket('app-user-retry', '另一个问题'), { secret: appSecret, idempotencyKey: 'order-77' })
    expect(reused.status).toBe(422)
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED')
    expect(await counts()).toEqual(before)

    // Concurrent duplicates: one ticket.
    const body2 = newTicket('app-user-burst')
    const burst = await Promise.all(Array.from({ length: 5 }, () => send('shop-app', body2, { secret: appSecret, idempotencyKey: 'burst-1' })))
    expect(new Set(burst.map((r) => r.body.ticket.id)).size).toBe(1)
    expect(burst.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(4)
  })

  it("refuses a message onto someone else's ticket", async () => {
    const mine = await send('shop-app', newTicket('owner-1'), { secret: appSecret })
    const portalCustomer = await buildCustomer(server.deps)
    const before = await counts()
    for (const target of [{ ticketId: mine.body.ticket.id }, { ticketNumber: mine.body.ticket.number }]) {
      const refused = await send('shop-app', { type: 'message.create', customer: { externalId: 'intruder-1' }, ...target, message: { id: `x-${sequence}`, text: '我来插一句' } }, { secret: appSecret })
      expect(refused.status).toBe(404)
      expect(refused.body.error.code).toBe('NOT_FOUND')
    }
    const unknown = await send('shop-app', { type: 'message.create', customer: { externalId: 'owner-1' }, ticketId: portalCustomer.id, message: { id: 'y', text: 'hi' } }, { secret: appSecret })
    expect(unknown.status).toBe(404)
    // The intruder was not even created: the whole request rolled back.
    expect(await counts()).toEqual(before)
  })

  it('accepts the old secret for a grace period after rotation', async () => {
    const sources = await admin.get('/api/v1/admin/inbound-sources')
    const appId = sources.body.items.find((s: { key: string }) => s.key === 'shop-app').id
    const rotated = await admin.post(`/api/v1/admin/inbound-sources/${appId}/rotate-secret`)
    expect(rotated.status).toBe(200)
    expect(rotated.body.secret).not.toBe(appSecret)
    expect((await send('shop-app', newTicket('rot-1'), { secret: rotated.body.secret })).status).toBe(201)
    expect((await send('shop-app', newTicket('rot-2'), { secret: appSecret })).status).toBe(201)
    server.clock.advance(24 * 3600_000 + 1000)
    expect((await send('shop-app', newTicket('rot-3'), { secret: appSecret })).status).toBe(401)
    expect((await send('shop-app', newTicket('rot-4'), { secret: rotated.body.secret })).status).toBe(201)
    appSecret = rotated.body.secret
  })

  it('lets only administrators configure sources', async () => {
    expect((await agent.get('/api/v1/admin/inbound-sources')).status).toBe(403)
    expect((await agent.post('/api/v1/admin/inbound-sources', { key: 'x', name: 'x', kind: 'app' })).status).toBe(403)
    const bad = await admin.post('/api/v1/admin/inbound-sources', { key: 'Bad Key', name: 'x', kind: 'app' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.fields[0].field).toBe('key')
    const dup = await admin.post('/api/v1/admin/inbound-sources', { key: 'shop-app', name: 'again', kind: 'app' })
    expect(dup.status).toBe(409)
  })
})

interface Received {
  readonly path: string
  readonly headers: Record<string, string>
  readonly body: string
}

/** A real receiver on loopback: records each request and answers with the status set for its path. */
async function startReceiver() {
  const received: Received[] = []
  const statusFor = new Map<string, number>()
  const receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const path = request.url ?? '/'
      received.push({ path, headers: request.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') })
      response.statusCode = statusFor.get(path) ?? 200
      response.end(response.statusCode >= 300 ? 'receiver says no' : 'ok')
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
  return { url, received, statusFor, close: () => new Promise<void>((resolve) => receiver.close(() => resolve())) }
}

/** Runs outbox passes until nothing more is due now. */
async function drainOutbox(): Promise<void> {
  const handlers = outboxHandlers(server.deps)
  for (let pass = 0; pass < 20; pass++) {
    if ((await runOutboxPass(server.deps, handlers)) === 0) return
  }
}

describe('outbound webhooks', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  let good: { id: string; secret: string }
  let failing: { id: string; secret: string }

  beforeAll(async () => {
    receiver = await startReceiver()
    await drainOutbox()
    // The receivers check webhook-timestamp against the real clock (standardwebhooks uses Date.now()).
    server.clock.set(new Date())
  })
  afterAll(async () => receiver.close())

  it('validates subscriptions and lets only administrators manage them', async () => {
    const listed = await admin.get('/api/v1/admin/webhooks')
    expect(listed.body.eventTypes).toEqual(expect.arrayContaining(['ticket.created', 'ticket.message_added', 'ticket.resolved', 'ticket.sla_warning', 'ticket.sla_breached']))
    const ftp = await admin.post('/api/v1/admin/webhooks', { name: 'x', url: 'ftp://example.com/', eventTypes: ['*'] })
    expect([ftp.status, ftp.body.error.fields[0].field]).toEqual([400, 'url'])
    const unknown = await admin.post('/api/v1/admin/webhooks', { name: 'x', url: 'https://example.com/', eventTypes: ['ticket.created', 'ticket.exploded'] })
    expect([unknown.status, unknown.body.error.fields[0].field]).toEqual([400, 'eventTypes/1'])
    expect((await agent.post('/api/v1/admin/webhooks', { name: 'x', url: 'https://example.com/', eventTypes: ['*'] })).status).toBe(403)
    expect((await admin.get('/api/v1/admin/webhooks')).body.items).toHaveLength(0)
  })

  it('delivers signed events a receiver verifies with the standardwebhooks library; a failing receiver is retried without holding up the others', async () => {
    const createdGood = await admin.post('/api/v1/admin/webhooks', { name: 'CRM', url: `${receiver.url}/good`, eventTypes: ['ticket.created', 'ticket.message_added', 'ticket.resolved'] })
    expect(createdGood.status).toBe(201)
    good = { id: createdGood.body.id, secret: createdGood.body.secret }
    const createdFailing = await admin.post('/api/v1/admin/webhooks', { name: 'Flaky', url: `${receiver.url}/failing`, eventTypes: ['*'] })
    failing = { id: createdFailing.body.id, secret: createdFailing.body.secret }
    receiver.statusFor.set('/failing', 500)

    const customer = await buildCustomer(server.deps)
    const opened = await agent.post('/api/v1/tickets', { subject: '服务器宕机', description: 'Core service down', requesterId: customer.id, groupId, severity: 'P1', type: 'incident' })
    expect(opened.status).toBe(201)
    const ticketId = opened.body.id
    expect((await agent.post(`/api/v1/tickets/${ticketId}/transitions`, { action: 'accept' })).status).toBe(200)
    expect((await agent.post(`/api/v1/tickets/${ticketId}/messages`, { body: '正在处理', visibility: 'public' })).status).toBe(201)
    expect((await agent.post(`/api/v1/tickets/${ticketId}/transitions`, { action: 'start' })).status).toBe(200)
    expect((await agent.post(`/api/v1/tickets/${ticketId}/transitions`, { action: 'resolve', reason: 'restarted' })).status).toBe(200)
    await drainOutbox()

    const atGood = receiver.received.filter((r) => r.path === '/good')
    const verifier = new Webhook(good.secret)
    const events = atGood.map((request) => verifier.verify(request.body, request.headers) as { type: string; timestamp: string; data: { ticket: { id: string; number: string; status: string }; event: { type: string }; message?: { body: string; visibility: string } } })
    expect(events.map((event) => event.type)).toEqual(['ticket.created', 'ticket.message_added', 'ticket.resolved'])
    expect(events.every((event) => event.data.ticket.id === ticketId && event.data.ticket.number === opened.body.number)).toBe(true)
    expect(events[1]?.data.message).toMatchObject({ body: '正在处理', visibility: 'public' })
    expect(atGood.every((request) => /^msg_[0-9a-f]{32}$/.test(request.headers['webhook-id'] ?? ''))).toBe(true)
    expect(new Set(atGood.map((request) => request.headers['webhook-id'])).size).toBe(3)
    // Signed with the other subscription's secret, the same body would not verify.
    expect(() => new Webhook(failing.secret).verify(atGood[0]?.body ?? '', atGood[0]?.headers ?? {})).toThrow()

    const goodLog = await admin.get(`/api/v1/admin/webhooks/${good.id}/deliveries`)
    expect(goodLog.body.items.map((d: { status: string }) => d.status)).toEqual(['delivered', 'delivered', 'delivered'])
    expect(goodLog.body.items[0].attemptLog[0].statusCode).toBe(200)

    // The failing receiver got one attempt per event so far, each logged with its status and answer.
    const failingFirst = receiver.received.filter((r) => r.path === '/failing').length
    const failingLog = await admin.get(`/api/v1/admin/webhooks/${failing.id}/deliveries`)
    expect(failingLog.body.items.length).toBeGreaterThanOrEqual(5)
    // Events of one ticket go to a receiver in order: only the first is tried while it keeps failing.
    expect(failingFirst).toBe(1)
    const firstFailed = failingLog.body.items.find((d: { attempts: number }) => d.attempts === 1)
    expect(firstFailed).toMatchObject({ status: 'failed', lastStatusCode: 500, eventType: 'ticket.created' })
    expect(firstFailed.attemptLog[0]).toMatchObject({ statusCode: 500, error: 'HTTP 500: receiver says no' })

    // Nothing more happens before the backoff has passed; after it, the next attempt.
    await drainOutbox()
    expect(receiver.received.filter((r) => r.path === '/failing')).toHaveLength(1)
    server.clock.advance(2_500)
    await drainOutbox()
    expect(receiver.received.filter((r) => r.path === '/failing')).toHaveLength(2)
    const retried = (await admin.get(`/api/v1/admin/webhooks/${failing.id}/deliveries?status=failed`)).body.items[0]
    expect(retried.attempts).toBe(2)
    expect(retried.attemptLog).toHaveLength(2)

    // The receiver recovers: the retry goes through, then the rest of the ticket's events, in order.
    receiver.statusFor.set('/failing', 204)
    server.clock.advance(5_000)
    await drainOutbox()
    const atFailing = receiver.received.filter((r) => r.path === '/failing').slice(2)
    const types = atFailing.map((request) => (new Webhook(failing.secret).verify(request.body, request.headers) as { type: string }).type)
    expect(types[0]).toBe('ticket.created')
    expect(types).toEqual(expect.arrayContaining(['ticket.accepted', 'ticket.message_added', 'ticket.started', 'ticket.resolved']))
    expect(types.indexOf('ticket.resolved')).toBeGreaterThan(types.indexOf('ticket.accepted'))
    const finalLog = (await admin.get(`/api/v1/admin/webhooks/${failing.id}/deliveries`)).body.items
    expect(finalLog.every((d: { status: string }) => d.status === 'delivered')).toBe(true)
  })

  it('redelivers on request with the same webhook-id and logs the new attempt', async () => {
    const log = (await admin.get(`/api/v1/admin/webhooks/${good.id}/deliveries`)).body.items
    const delivery = log[0]
    const redelivered = await admin.post(`/api/v1/admin/webhook-deliveries/${delivery.id}/redeliver`)
    expect(redelivered.status).toBe(202)
    expect(redelivered.body.status).toBe('pending')
    // Already queued: a second request is refused rather than sending twice.
    expect((await admin.post(`/api/v1/admin/webhook-deliveries/${delivery.id}/redeliver`)).status).toBe(409)
    const before = receiver.received.length
    await drainOutbox()
    const again = receiver.received.slice(before)
    expect(again).toHaveLength(1)
    expect(again[0]?.headers['webhook-id']).toBe(delivery.id)
    expect(() => new Webhook(good.secret).verify(again[0]?.body ?? '', again[0]?.headers ?? {})).not.toThrow()
    const updated = (await admin.get(`/api/v1/admin/webhooks/${good.id}/deliveries`)).body.items.find((d: { id: string }) => d.id === delivery.id)
    expect(updated).toMatchObject({ status: 'delivered', attempts: 2 })
    expect(updated.attemptLog).toHaveLength(2)
    expect((await admin.post('/api/v1/admin/webhook-deliveries/msg_00000000000000000000000000000000/redeliver')).status).toBe(404)
  })

  it('pings a receiver on demand, signs with both secrets after rotation, and stops at 410 Gone', async () => {
    const ping = await admin.post(`/api/v1/admin/webhooks/${good.id}/test`)
    expect(ping.status).toBe(200)
    expect(ping.body).toMatchObject({ eventType: 'webhook.ping', status: 'delivered', attempts: 1 })
    const last = receiver.received.at(-1)
    expect((new Webhook(good.secret).verify(last?.body ?? '', last?.headers ?? {}) as { type: string }).type).toBe('webhook.ping')

    const rotated = await admin.post(`/api/v1/admin/webhooks/${good.id}/rotate-secret`)
    expect(rotated.status).toBe(200)
    await admin.post(`/api/v1/admin/webhooks/${good.id}/test`)
    const signed = receiver.received.at(-1)
    expect(signed?.headers['webhook-signature']?.split(' ')).toHaveLength(2)
    expect(() => new Webhook(rotated.body.secret).verify(signed?.body ?? '', signed?.headers ?? {})).not.toThrow()
    expect(() => new Webhook(good.secret).verify(signed?.body ?? '', signed?.headers ?? {})).not.toThrow()

    receiver.statusFor.set('/good', 410)
    const customer = await buildCustomer(server.deps)
    await agent.post('/api/v1/tickets', { subject: 'Gone', description: 'receiver gone', requesterId: customer.id, groupId })
    await drainOutbox()
    const subscription = (await admin.get('/api/v1/admin/webhooks')).body.items.find((s: { id: string }) => s.id === good.id)
    expect(subscription.isActive).toBe(false)
    const dead = (await admin.get(`/api/v1/admin/webhooks/${good.id}/deliveries?status=dead`)).body.items
    expect(dead.some((d: { lastStatusCode: number; eventType: string }) => d.lastStatusCode === 410 && d.eventType === 'ticket.created')).toBe(true)
  })

  it('reports a receiver that does not answer in time, or not at all, as a failed attempt', async () => {
    const silent = http.createServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`
    const timedOut = await postWebhook({ url: silentUrl, secrets: [good.secret] }, 'msg_t', '{}', new Date(), 300)
    expect(timedOut).toMatchObject({ statusCode: null, error: 'no answer within 300 ms' })
    silent.closeAllConnections()
    await new Promise<void>((resolve) => silent.close(() => resolve()))
    const refused = await postWebhook({ url: silentUrl, secrets: [good.secret] }, 'msg_t', '{}', new Date(), 300)
    expect(refused.statusCode).toBeNull()
    expect(refused.error).toMatch(/ECONNREFUSED/)
    // A redirect is an answer to fix in the configuration, not one to follow.
    receiver.statusFor.set('/moved', 301)
    const moved = await postWebhook({ url: `${receiver.url}/moved`, secrets: [good.secret] }, 'msg_t', '{}', new Date())
    expect(moved.statusCode).toBe(301)
    expect(moved.error).toMatch(/^HTTP 301/)
  })

  it('deletes a subscription with its log', async () => {
    expect((await admin.delete(`/api/v1/admin/webhooks/${failing.id}`)).status).toBe(204)
    expect((await admin.get(`/api/v1/admin/webhooks/${failing.id}/deliveries`)).status).toBe(404)
  })
})
