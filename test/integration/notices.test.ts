import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { outboxHandlers } from '../../src/channels/registry.ts'
import { SMS_TOPIC } from '../../src/channels/notices/sms.ts'
import { retryDelayMs, runOutboxPass } from '../../src/jobs/outbox-dispatcher.ts'
import { ApiClient } from '../helpers/api-client.ts'
import { SmtpSink } from '../helpers/smtp-sink.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildStaff, startTestServer } from '../helpers/test-server.ts'

/** A real HTTP SMS gateway on loopback: records each request, answers with the queued statuses (then 200). */
class SmsGateway {
  readonly requests: Array<{ authorization: string | undefined; contentType: string | undefined; body: { to: string; text: string } }> = []
  readonly statuses: number[] = []
  private readonly server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const status = this.statuses.shift() ?? 200
      this.requests.push({ authorization: request.headers.authorization, contentType: request.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) })
      response.writeHead(status, { 'content-type': 'application/json' })
      response.end(status === 200 ? JSON.stringify({ id: `sms-${this.requests.length}` }) : JSON.stringify({ error: 'nope' }))
    })
  })
  url = ''
  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/send`
  }
  async stop() {
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}

let server: TestServer
let agent: ApiClient
const gateway = new SmsGateway()
const sink = new SmtpSink()

beforeAll(async () => {
  await gateway.start()
  await sink.start(0)
  server = await startTestServer({ smtpUrl: sink.url, smsUrl: gateway.url, smsToken: 'sms-secret-token', publicUrl: 'https://desk.example.com', sessionTtlSeconds: 30 * 86_400 })
  const agentUser = await buildStaff(server.deps)
  agent = new ApiClient(server.url)
  expect((await agent.login(agentUser.email ?? '', TEST_PASSWORD)).status).toBe(200)
})
afterAll(async () => {
  await server.close()
  await gateway.stop()
  await sink.stop()
})

async function drain(target: TestServer = server): Promise<void> {
  for (let pass = 0; pass < 50; pass++) if ((await runOutboxPass(target.deps, outboxHandlers(target.deps))) === 0) return
  throw new Error('outbox did not settle')
}

async function customer(target: TestServer, set: { locale?: string; preferred_channel?: string; phone?: string | null; email?: string | null }) {
  const user = await buildCustomer(target.deps)
  await target.deps.db.updateTable('users').set(set).where('id', '=', user.id).execute()
  return user
}

async function openTicket(client: ApiClient, requesterId: string, channel = 'portal') {
  const response = await client.post('/api/v1/tickets', { subject: 'Router keeps rebooting', description: 'Since Monday.', requesterId, channel })
  expect(response.status).toBe(201)
  return response.body as { id: string; number: string }
}

const smsTo = (phone: string) => gateway.requests.filter((request) => request.body.to === phone)

describe('progress notices by SMS through the HTTP gateway', () => {
  it('sends the acknowledgement and status changes by SMS, in order, in the customer language, with the bearer token', async () => {
    const phone = '+8613800138001'
    const person = await customer(server, { locale: 'zh-CN', preferred_channel: 'sms', phone })
    const ticket = await openTicket(agent, person.id)
    expect((await agent.post(`/api/v1/tickets/${ticket.id}/transitions`, { action: 'accept' })).status).toBe(200)
    expect((await agent.post(`/api/v1/tickets/${ticket.id}/transitions`, { action: 'resolve' })).status).toBe(200)
    await drain()
    const sent = smsTo(phone)
    expect(sent.map((request) => request.body.text)).toEqual([
      `我们已收到您的请求，工单号 ${ticket.number}。 https://desk.example.com/portal/requests/${ticket.id}`,
      `您的工单 ${ticket.number} 已受理，正在处理中。 https://desk.example.com/portal/requests/${ticket.id}`,
      `您的工单 ${ticket.number} 已解决。 https://desk.example.com/portal/requests/${ticket.id}`,
    ])
    expect(sent.every((request) => request.authorization === 'Bearer sms-secret-token' && request.contentType === 'application/json')).toBe(true)
    // Nothing by e-mail for a customer who prefers SMS on a portal ticket.
    expect(sink.received.filter((mail) => mail.envelopeTo.includes(person.email ?? ''))).toHaveLength(0)
  })

  it('retries 5xx and 429 with backoff and sets a 4xx aside as dead at once', async () => {
    const phone = '+8613800138002'
    const person = await customer(server, { locale: 'en', preferred_channel: 'sms', phone })
    gateway.statuses.push(503, 429)
    const ticket = await openTicket(agent, person.id)
    await drain()
    server.clock.advance(retryDelayMs(1) + 1)
    await drain()
    server.clock.advance(retryDelayMs(2) + 1)
    await drain()
    const attempts = smsTo(phone)
    expect(attempts).toHaveLength(3)
    expect(attempts[2]?.body.text).toBe(`We have received your request, number ${ticket.number}. https://desk.example.com/portal/requests/${ticket.id}`)
    const [row] = await server.deps.db.selectFrom('outbox').selectAll().where('topic', '=', SMS_TOPIC).where('ordering_key', '=', `sms:ticket:${ticket.id}`).execute()
    expect(row?.delivered_at).not.toBeNull()
    expect(row?.attempts).toBe(3)

    gateway.statuses.push(400)
    expect((await agent.post(`/api/v1/tickets/${ticket.id}/transitions`, { action: 'accept' })).status).toBe(200)
    await drain()
    const rows = await server.deps.db.selectFrom('outbox').selectAll().where('topic', '=', SMS_TOPIC).where('ordering_key', '=', `sms:ticket:${ticket.id}`).orderBy('id').execute()
    expect(rows[1]?.dead_at).not.toBeNull()
    expect(rows[1]?.attempts).toBe(1)
    expect(rows[1]?.last_error).toContain('400')
  })

  it('falls back to e-mail without a phone number, and sends nothing to a customer who wants no notices', async () => {
    const noPhone = await customer(server, { locale: 'en', preferred_channel: 'sms', phone: null })
    const ticket = await openTicket(agent, noPhone.id)
    await drain()
    const mails = sink.received.filter((mail) => mail.envelopeTo.includes(noPhone.email ?? ''))
    expect(mails.map((mail) => mail.parsed.subject)).toEqual([`[#${ticket.number}] Request received: Router keeps rebooting`])

    const quiet = await customer(server, { locale: 'en', preferred_channel: 'none', phone: '+8613800138003' })
    const quietTicket = await openTicket(agent, quiet.id)
    expect((await agent.post(`/api/v1/tickets/${quietTicket.id}/transitions`, { action: 'accept' })).status).toBe(200)
    expect((await agent.post(`/api/v1/tickets/${quietTicket.id}/messages`, { body: 'Portal reply', visibility: 'public' })).status).toBe(201)
    // Who wrote to us by e-mail still gets the answer by e-mail, notices or not.
    const mailTicket = await openTicket(agent, quiet.id, 'email')
    expect((await agent.post(`/api/v1/tickets/${mailTicket.id}/messages`, { body: 'E-mail reply', visibility: 'public' })).status).toBe(201)
    await drain()
    expect(smsTo('+8613800138003')).toHaveLength(0)
    const quietMail = sink.received.filter((mail) => mail.envelopeTo.includes(quiet.email ?? ''))
    expect(quietMail.map((mail) => mail.parsed.subject)).toEqual([`Re: [#${mailTicket.number}] Router keeps rebooting`])
  })
})

describe('without a relay or gateway', () => {
  it('queues no e-mail and no SMS at all', async () => {
    const bare = await startTestServer({ sessionTtlSeconds: 30 * 86_400 })
    try {
      const staff = await buildStaff(bare.deps)
      const client = new ApiClient(bare.url)
      expect((await client.login(staff.email ?? '', TEST_PASSWORD)).status).toBe(200)
      const byMail = await customer(bare, { preferred_channel: 'email' })
      const bySms = await customer(bare, { preferred_channel: 'sms', phone: '+8613800138004' })
      for (const person of [byMail, bySms]) {
        const ticket = await openTicket(client, person.id, 'email')
        expect((await client.post(`/api/v1/tickets/${ticket.id}/messages`, { body: 'Hello', visibility: 'public' })).status).toBe(201)
      }
      await drain(bare)
      const queued = await bare.deps.db.selectFrom('outbox').select('topic').where('topic', 'in', ['email', 'sms']).execute()
      expect(queued).toEqual([])
    } finally {
      await bare.close()
    }
  })
})
