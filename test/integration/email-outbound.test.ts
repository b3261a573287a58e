import { v7 as uuidv7 } from 'uuid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EMAIL_TOPIC } from '../../src/channels/email/outbound-mail.ts'
import { outboxHandlers } from '../../src/channels/registry.ts'
import { retryDelayMs, runOutboxPass } from '../../src/jobs/outbox-dispatcher.ts'
import { ApiClient } from '../helpers/api-client.ts'
import { type ReceivedMail, SmtpSink } from '../helpers/smtp-sink.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildStaff, startTestServer } from '../helpers/test-server.ts'

let server: TestServer
let agent: ApiClient
let agentName: string
const sink = new SmtpSink()

beforeAll(async () => {
  await sink.start(0)
  server = await startTestServer({ smtpUrl: sink.url, mailFrom: 'Loopdesk Support <support@desk.test>', publicUrl: 'https://desk.example.com/', sessionTtlSeconds: 30 * 86_400 })
  const agentUser = await buildStaff(server.deps, { name: 'Li Lei' })
  agentName = agentUser.name
  agent = new ApiClient(server.url)
  expect((await agent.login(agentUser.email ?? '', TEST_PASSWORD)).status).toBe(200)
})
afterAll(async () => {
  await server.close()
  await sink.stop()
})

/** Runs outbox passes until one delivers nothing (reactors queue mail that the next pass sends). */
async function drain(): Promise<void> {
  for (let pass = 0; pass < 50; pass++) {
    if ((await runOutboxPass(server.deps, outboxHandlers(server.deps))) === 0) return
  }
  throw new Error('outbox did not settle')
}

async function customer(options: { locale?: 'en' | 'zh-CN'; preferred?: 'email' | 'sms' | 'none'; name?: string } = {}) {
  const user = await buildCustomer(server.deps, options.name !== undefined ? { name: options.name } : {})
  await server.deps.db
    .updateTable('users')
    .set({ locale: options.locale ?? 'zh-CN', preferred_channel: options.preferred ?? 'email' })
    .where('id', '=', user.id)
    .execute()
  return { ...user, email: user.email ?? '' }
}

async function openTicket(requesterId: string, subject: string, channel = 'email'): Promise<{ id: string; number: string }> {
  const response = await agent.post('/api/v1/tickets', { subject, description: 'Printer shows E-102.', requesterId, channel })
  expect(response.status).toBe(201)
  return response.body
}

async function reply(ticketId: string, body: string, extra: Record<string, unknown> = {}) {
  const response = await agent.post(`/api/v1/tickets/${ticketId}/messages`, { body, visibility: 'public', ...extra })
  expect(response.status).toBe(201)
  return response.body as { id: string }
}

const mailFor = (address: string) => sink.received.filter((mail) => mail.envelopeTo.includes(address))
const references = (mail: ReceivedMail) => {
  const value = mail.parsed.references
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

async function emailRows(ticketId: string) {
  const rows = await server.deps.db.selectFrom('outbox').selectAll().where('topic', '=', EMAIL_TOPIC).where('ordering_key', '=', `mail:ticket:${ticketId}`).orderBy('id').execute()
  return rows
}

describe('e-mail out over real SMTP', () => {
  it('sends an agent reply to the requester with the ticket number, threading headers and the customer language', async () => {
    const alice = await customer({ locale: 'en', name: 'Alice Wong' })
    const ticket = await openTicket(alice.id, 'Printer <b>jam</b> & smoke')
    // The customer's original e-mail, as the inbound side logs it: our reply must answer it.
    const inboundId = `<original-${uuidv7()}@mail.example.com>`
    await server.deps.db
      .insertInto('email_messages')
      .values({ id: uuidv7(), message_id: inboundId, direction: 'in', ticket_id: ticket.id, ticket_message_id: null, in_reply_to: null, from_address: alice.email, subject: 'Printer jam', outcome: 'ticket', raw_storage_key: null, size_bytes: 100, created_at: server.clock.now() })
      .execute()
    await drain()
    // The acknowledgement of the new ticket came first.
    const [ack] = mailFor(alice.email)
    expect(ack?.parsed.subject).toBe(`[#${ticket.number}] Request received: Printer <b>jam</b> & smoke`)
    expect(ack?.parsed.headers.get('auto-submitted')).toBe('auto-generated')
    expect(ack?.parsed.inReplyTo).toBe(inboundId)

    await reply(ticket.id, 'Please switch it off.\n\nThen <script>alert(1)</script> wait.')
    await drain()
    const mails = mailFor(alice.email)
    expect(mails).toHaveLength(2)
    const first = mails[1]
    if (first === undefined) throw new Error('no reply mail')
    expect(first.parsed.to && !Array.isArray(first.parsed.to) ? first.parsed.to.value[0]?.address : null).toBe(alice.email)
    expect(first.parsed.from?.value[0]?.address).toBe('support@desk.test')
    expect(first.parsed.subject).toBe(`Re: [#${ticket.number}] Printer <b>jam</b> & smoke`)
    expect(first.parsed.messageId).toMatch(/^<[0-9a-f-]{36}@desk\.test>$/)
    expect(first.parsed.inReplyTo).toBe(ack?.parsed.messageId)
    expect(references(first)).toEqual([inboundId, ack?.parsed.messageId])
    expect(first.parsed.headers.get('auto-submitted')).toBeUndefined()
    expect(first.parsed.text).toContain('Please switch it off.')
    expect(first.parsed.text).toContain(`${agentName}, Customer Service`)
    expect(first.parsed.text).toContain(`https://desk.example.com/portal/requests/${ticket.id}`)
    expect(first.parsed.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(first.parsed.html).not.toContain('<script>')

    await reply(ticket.id, 'Any news?')
    await drain()
    const second = mailFor(alice.email)[2]
    expect(second?.parsed.inReplyTo).toBe(first.parsed.messageId)
    expect(references(second as ReceivedMail)).toEqual([inboundId, ack?.parsed.messageId, first.parsed.messageId])

    // Each sent mail is logged as outbound e-mail of the ticket, so the customer's answer threads back.
    const logged = await server.deps.db.selectFrom('email_messages').selectAll().where('ticket_id', '=', ticket.id).where('direction', '=', 'out').orderBy('created_at').execute()
    expect(logged.map((row) => row.message_id)).toEqual([ack?.parsed.messageId, first.parsed.messageId, second?.parsed.messageId])
    expect(logged.every((row) => row.outcome === 'sent' && row.to_addresses[0] === alice.email)).toBe(true)
    expect(logged[1]?.in_reply_to).toBe(ack?.parsed.messageId)
  })

  it('writes in Chinese to a Chinese-speaking customer', async () => {
    const wang = await customer({ locale: 'zh-CN', name: '王芳' })
    const ticket = await openTicket(wang.id, '打印机卡纸')
    await reply(ticket.id, '请先关机再重启。')
    await drain()
    const [ack, answer] = mailFor(wang.email)
    expect(ack?.parsed.subject).toBe(`[#${ticket.number}] 已收到您的请求：打印机卡纸`)
    expect(ack?.parsed.text).toContain('王芳，您好')
    expect(answer?.parsed.subject).toBe(`回复：[#${ticket.number}] 打印机卡纸`)
    expect(answer?.parsed.text).toContain('请先关机再重启。')
    expect(answer?.parsed.text).toContain('客服中心')
    expect(answer?.parsed.html).toContain('lang="zh-CN"')
  })

  it('never sends internal notes or echoes the customer’s own messages', async () => {
    const bob = await customer({ locale: 'en' })
    const ticket = await openTicket(bob.id, 'Scanner offline')
    await drain()
    const before = mailFor(bob.email).length
    expect((await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: 'internal: customer is difficult', visibility: 'internal' })).status).toBe(201)
    const bobClient = new ApiClient(server.url)
    expect((await bobClient.login(bob.email, TEST_PASSWORD)).status).toBe(200)
    expect((await bobClient.post(`/api/v1/tickets/${ticket.id}/messages`, { body: 'It is still offline.', visibility: 'public' })).status).toBe(201)
    await drain()
    expect(mailFor(bob.email)).toHaveLength(before)
    expect(sink.received.some((mail) => mail.parsed.text?.includes('customer is difficult'))).toBe(false)
  })

  it('folds a reply and the status change taken with it into one e-mail', async () => {
    const carol = await customer({ locale: 'en' })
    const ticket = await openTicket(carol.id, 'Toner smudges')
    expect((await agent.post(`/api/v1/tickets/${ticket.id}/transitions`, { action: 'accept' })).status).toBe(200)
    await drain()
    // The acknowledgement and the notice of acceptance.
    expect(mailFor(carol.email).map((mail) => mail.parsed.subject)).toEqual([`[#${ticket.number}] Request received: Toner smudges`, `[#${ticket.number}] Request accepted: Toner smudges`])
    const before = mailFor(carol.email).length
    await reply(ticket.id, 'Which model is it?', { then: 'wait' })
    await drain()
    const mails = mailFor(carol.email).slice(before)
    expect(mails).toHaveLength(1)
    expect(mails[0]?.parsed.subject).toBe(`Re: [#${ticket.number}] Toner smudges`)
    expect(mails[0]?.parsed.text).toContain('We are waiting for your reply.')
    // A status change on its own is a notice, with the reason the agent gave.
    expect((await agent.post(`/api/v1/tickets/${ticket.id}/transitions`, { action: 'resolve', reason: 'Replaced the drum unit.' })).status).toBe(200)
    await drain()
    const notice = mailFor(carol.email).at(-1)
    expect(notice?.parsed.subject).toBe(`[#${ticket.number}] Request resolved: Toner smudges`)
    expect(notice?.parsed.text).toContain('Replaced the drum unit.')
  })

  it('sets a mail the relay refuses for good (550) aside as dead at once', async () => {
    const dave = await customer({ locale: 'en' })
    await server.deps.db.updateTable('users').set({ email: `reject-${dave.id}@example.test` }).where('id', '=', dave.id).execute()
    const ticket = await openTicket(dave.id, 'Bounce me')
    await drain()
    const [row] = await emailRows(ticket.id)
    expect(row?.dead_at).not.toBeNull()
    expect(row?.attempts).toBe(1)
    expect(row?.last_error).toContain('550')
    const logged = await server.deps.db.selectFrom('email_messages').select('outcome').where('ticket_id', '=', ticket.id).execute()
    expect(logged).toEqual([{ outcome: 'failed' }])
  })

  it('retries a temporary refusal (451) and sends once the relay accepts', async () => {
    const erin = await customer({ locale: 'en' })
    sink.tempfail = true
    const ticket = await openTicket(erin.id, 'Greylisted')
    await drain()
    const [waiting] = await emailRows(ticket.id)
    expect(waiting?.attempts).toBe(1)
    expect(waiting?.dead_at).toBeNull()
    expect(waiting?.last_error).toContain('451')
    sink.tempfail = false
    server.clock.advance(retryDelayMs(1) + 1)
    await drain()
    expect(mailFor(erin.email)).toHaveLength(1)
    const [sent] = await emailRows(ticket.id)
    expect(sent?.delivered_at).not.toBeNull()
    expect(sent?.attempts).toBe(2)
  })
})

describe('fault: the relay is down for a while, then back', () => {
  it('delivers every message exactly once, in order per ticket', async () => {
    const customers = await Promise.all([0, 1, 2].map(() => customer({ locale: 'en' })))
    await sink.stop()
    const expected = new Map<string, string[]>()
    const tickets: Array<{ id: string; number: string; email: string }> = []
    for (const [index, person] of customers.entries()) {
      const ticket = await openTicket(person.id, `Outage ticket ${index}`)
      tickets.push({ ...ticket, email: person.email })
      expected.set(ticket.number, ['ack'])
    }
    // Replies interleaved across tickets, several per ticket.
    for (let round = 1; round <= 3; round++) {
      for (const ticket of tickets) {
        await reply(ticket.id, `reply ${round} on ${ticket.number}`)
        expected.get(ticket.number)?.push(`reply ${round}`)
      }
    }
    const receivedBefore = sink.received.length
    // Five passes over 10 simulated minutes while the port is closed.
    for (let pass = 0; pass < 5; pass++) {
      await drain()
      server.clock.advance(2 * 60_000)
    }
    expect(sink.received.length).toBe(receivedBefore)
    for (const ticket of tickets) {
      const rows = await emailRows(ticket.id)
      expect(rows).toHaveLength(4)
      expect(rows.every((row) => row.delivered_at === null && row.dead_at === null)).toBe(true)
      // Only the head of each ticket's line was tried; the rest wait behind it, untried.
      expect(rows[0]?.attempts).toBeGreaterThanOrEqual(3)
      expect(rows.slice(1).every((row) => row.attempts === 0)).toBe(true)
      expect(rows[0]?.last_error).toMatch(/ECONNREFUSED|connect/i)
    }

    await sink.start(sink.port)
    server.clock.advance(60 * 60_000)
    await drain()

    const arrived = sink.received.slice(receivedBefore)
    expect(arrived).toHaveLength(12)
    const ids = arrived.map((mail) => mail.parsed.messageId)
    expect(new Set(ids).size).toBe(12)
    for (const ticket of tickets) {
      const sequence = arrived
        .filter((mail) => mail.parsed.headers.get('x-loopdesk-ticket') === ticket.number)
        .map((mail) => (mail.parsed.text?.match(/reply \d/)?.[0] ?? (mail.parsed.subject?.includes('Request received') ? 'ack' : '?')))
      expect(sequence).toEqual(expected.get(ticket.number))
      const rows = await emailRows(ticket.id)
      expect(rows.every((row) => row.delivered_at !== null)).toBe(true)
    }
    // Another pass much later sends nothing again.
    server.clock.advance(24 * 3600_000)
    await drain()
    expect(sink.received.slice(receivedBefore)).toHaveLength(12)
  })

  it('a delivery in flight under another dispatcher’s lease is not sent twice', async () => {
    const frank = await customer({ locale: 'en' })
    const ticket = await openTicket(frank.id, 'Leased')
    // React to the ticket events (queue the mail) without sending: the e-mail handler is left out.
    const { [EMAIL_TOPIC]: _email, ...withoutEmail } = outboxHandlers(server.deps)
    await runOutboxPass(server.deps, withoutEmail)
    const [row] = await emailRows(ticket.id)
    if (row === undefined) throw new Error('no mail queued')
    // A dispatcher took the lease and crashed before marking the mail sent.
    await server.deps.db.updateTable('outbox').set({ locked_until: new Date(server.clock.now().getTime() + 120_000) }).where('id', '=', row.id).execute()
    await drain()
    expect(mailFor(frank.email)).toHaveLength(0)
    server.clock.advance(121_000)
    await drain()
    expect(mailFor(frank.email)).toHaveLength(1)

    // Two dispatchers at once over a slow relay: each mail leaves once.
    await reply(ticket.id, 'first of two')
    await reply(ticket.id, 'second of two')
    await runOutboxPass(server.deps, withoutEmail)
    sink.dataDelayMs = 150
    try {
      await Promise.all([drain(), drain(), drain()])
    } finally {
      sink.dataDelayMs = 0
    }
    const texts = mailFor(frank.email).map((mail) => mail.parsed.text?.match(/\w+ of two/)?.[0] ?? 'ack')
    expect(texts).toEqual(['ack', 'first of two', 'second of two'])
  })
})
