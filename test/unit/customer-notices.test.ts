import { describe, expect, it } from 'vitest'
import { type UpdateEvent, type UpdateRequester, noticeChannel, planCustomerUpdates } from '../../src/domain/notices/customer-updates.ts'
import { isPermanentHttpStatus, isPermanentSmtpFailure } from '../../src/domain/notices/delivery-failures.ts'
import { escapeHtml, noticeLocale, portalLink, renderNoticeEmail, renderNoticeSms, renderReplyEmail } from '../../src/domain/notices/templates.ts'
import { messageIdHost, ownMessageId, threadHeaders } from '../../src/domain/notices/threading.ts'

const requester: UpdateRequester = { id: 'cust', email: 'c@example.test', phone: '+8613800138000', preferredChannel: 'email' }
const staffReply = (id: number, tx: string, extra: Partial<NonNullable<UpdateEvent['message']>> = {}): UpdateEvent => ({
  id,
  type: 'ticket.message_added',
  actorId: 'agent',
  transaction: tx,
  message: { id: `m${id}`, visibility: 'public', channel: 'email', authorIsStaff: true, ...extra },
})
const status = (id: number, type: string, tx: string, actorId = 'agent'): UpdateEvent => ({ id, type, actorId, transaction: tx })
const plan = (events: UpdateEvent[], options: { related?: UpdateEvent[]; who?: UpdateRequester; channel?: string; sms?: boolean; email?: boolean } = {}) =>
  planCustomerUpdates({ ticket: { channel: options.channel ?? 'email' }, requester: options.who ?? requester, events, related: options.related ?? [], smsAvailable: options.sms ?? true, emailAvailable: options.email ?? true })

describe('planCustomerUpdates', () => {
  it('e-mails a staff public reply, never an internal note, a customer message or a chat line', () => {
    expect(plan([staffReply(1, 't1')])).toEqual([{ kind: 'reply', channel: 'email', eventId: 1, messageId: 'm1', statusEvent: null }])
    expect(plan([staffReply(1, 't1', { visibility: 'internal' })])).toEqual([])
    expect(plan([staffReply(1, 't1', { authorIsStaff: false })])).toEqual([])
    expect(plan([staffReply(1, 't1', { channel: 'chat' })], { channel: 'chat' })).toEqual([])
  })

  it('replies by e-mail to e-mail tickets whatever the preference; on other channels only to those preferring e-mail', () => {
    const quiet = { ...requester, preferredChannel: 'none' }
    expect(plan([staffReply(1, 't1')], { who: quiet })).toHaveLength(1)
    expect(plan([staffReply(1, 't1', { channel: 'portal' })], { who: quiet, channel: 'portal' })).toEqual([])
    expect(plan([staffReply(1, 't1', { channel: 'portal' })], { channel: 'portal' })).toHaveLength(1)
    expect(plan([staffReply(1, 't1')], { who: { ...requester, email: null } })).toEqual([])
  })

  it('folds a status change of the same transaction into the reply, even from another batch', () => {
    expect(plan([staffReply(1, 't1'), status(2, 'ticket.waiting_on_customer', 't1')])).toEqual([{ kind: 'reply', channel: 'email', eventId: 1, messageId: 'm1', statusEvent: 'ticket.waiting_on_customer' }])
    expect(plan([status(2, 'ticket.waiting_on_customer', 't1')], { related: [staffReply(1, 't1')] })).toEqual([])
    expect(plan([status(2, 'ticket.resolved', 't2')], { related: [staffReply(1, 't1')] })).toEqual([{ kind: 'notice', channel: 'email', eventId: 2, statusEvent: 'ticket.resolved' }])
  })

  it('skips notices of the requester’s own steps, except the acknowledgement of a new ticket', () => {
    expect(plan([status(1, 'ticket.reopened', 't1', 'cust')])).toEqual([])
    expect(plan([status(1, 'ticket.created', 't1', 'cust')])).toEqual([{ kind: 'notice', channel: 'email', eventId: 1, statusEvent: 'ticket.created' }])
    expect(plan([status(1, 'ticket.started', 't1'), status(2, 'ticket.updated', 't1')])).toEqual([])
  })

  it('sends nothing by a channel that is not configured', () => {
    expect(plan([staffReply(1, 't1'), status(2, 'ticket.accepted', 't2')], { email: false })).toEqual([])
  })
})

describe('noticeChannel', () => {
  const both = { sms: true, email: true }
  it.each([
    ['email', '+86138', 'a@b', both, 'email'],
    ['sms', '+86138', 'a@b', both, 'sms'],
    ['sms', null, 'a@b', both, 'email'],
    ['sms', '+86138', 'a@b', { sms: false, email: true }, 'email'],
    ['sms', '+86138', null, { sms: false, email: true }, null],
    ['none', '+86138', 'a@b', both, null],
    ['email', '+86138', null, both, null],
  ] as const)('preferred %s, phone %s, e-mail %s → %s', (preferred, phone, email, available, expected) => {
    expect(noticeChannel({ id: 'x', preferredChannel: preferred, phone, email }, available)).toBe(expected)
  })
})

describe('templates', () => {
  const ticket = { number: '20261124-000123', subject: 'Printer <b>jam</b>\r\nBcc: evil@example.test' }
  it('puts the ticket number in every subject, on one line', () => {
    const reply = renderReplyEmail({ locale: 'en', ticket, body: 'Hi', agentName: 'Li', statusEvent: null, portalUrl: null })
    expect(reply.subject).toBe('Re: [#20261124-000123] Printer <b>jam</b> Bcc: evil@example.test')
    const zh = renderNoticeEmail({ locale: 'zh-CN', ticket, statusEvent: 'ticket.resolved', customerName: '王芳', reason: null, portalUrl: null })
    expect(zh.subject).toBe('[#20261124-000123] 工单已解决：Printer <b>jam</b> Bcc: evil@example.test')
  })

  it('escapes everything a person wrote in the HTML body', () => {
    const reply = renderReplyEmail({ locale: 'en', ticket, body: '<img src=x onerror=alert(1)>\n"quoted" & more', agentName: '<b>Li</b>', statusEvent: 'ticket.waiting_on_customer', portalUrl: 'https://desk.test/portal/requests/1?a=1&b="2"' })
    expect(reply.html).not.toMatch(/<img|<b>/)
    expect(reply.html).toContain('&lt;img src=x onerror=alert(1)&gt;<br>&quot;quoted&quot; &amp; more')
    expect(reply.html).toContain('href="https://desk.test/portal/requests/1?a=1&amp;b=&quot;2&quot;"')
    expect(reply.text).toContain('We are waiting for your reply.')
    const notice = renderNoticeEmail({ locale: 'en', ticket, statusEvent: 'ticket.closed', customerName: '<script>x</script>', reason: '<i>done</i>', portalUrl: null })
    expect(notice.html).not.toMatch(/<script|<i>/)
  })

  it('speaks the customer’s language', () => {
    expect(noticeLocale('en')).toBe('en')
    expect(noticeLocale('en-GB')).toBe('en')
    expect(noticeLocale('zh-CN')).toBe('zh-CN')
    expect(noticeLocale(null)).toBe('zh-CN')
    expect(renderNoticeSms({ locale: 'zh-CN', ticketNumber: '1', statusEvent: 'ticket.accepted', portalUrl: null })).toBe('您的工单 1 已受理，正在处理中。')
    expect(renderNoticeSms({ locale: 'en', ticketNumber: '1', statusEvent: 'ticket.accepted', portalUrl: 'https://d/p' })).toBe('Your request 1 has been accepted and is being handled. https://d/p')
  })

  it('links to the portal only when the public address is known', () => {
    expect(portalLink(undefined, 'abc')).toBeNull()
    expect(portalLink('https://desk.test//', 'abc')).toBe('https://desk.test/portal/requests/abc')
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;')
  })
})

describe('threading', () => {
  it('makes our Message-IDs from the sender domain', () => {
    expect(messageIdHost('客服中心 <support@Example.COM>')).toBe('example.com')
    expect(messageIdHost('support@desk.test')).toBe('desk.test')
    expect(messageIdHost('nobody')).toBe('loopdesk.invalid')
    expect(ownMessageId('u-1', 'a@b.test')).toBe('<u-1@b.test>')
  })
  it('answers the newest message and keeps the first and newest references', () => {
    expect(threadHeaders([])).toEqual({ inReplyTo: null, references: [] })
    expect(threadHeaders(['<a@x>', '<b@x>', '<a@x>', 'junk'])).toEqual({ inReplyTo: '<b@x>', references: ['<a@x>', '<b@x>'] })
    const many = Array.from({ length: 30 }, (_, i) => `<m${i}@x>`)
    const headers = threadHeaders(many)
    expect(headers.references).toHaveLength(20)
    expect(headers.references[0]).toBe('<m0@x>')
    expect(headers.references.at(-1)).toBe('<m29@x>')
    expect(headers.inReplyTo).toBe('<m29@x>')
  })
})

describe('delivery failures', () => {
  it.each([
    [{ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }, true],
    [{ code: 'EMESSAGE', responseCode: 554, command: 'DATA' }, true],
    [{ code: 'EENVELOPE', command: 'API' }, true],
    [{ code: 'EMESSAGE', command: 'MAIL FROM' }, true],
    [{ code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO' }, false],
    [{ code: 'EENVELOPE', responseCode: 553, command: 'MAIL FROM' }, false],
    [{ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }, false],
    [{ code: 'ESOCKET', command: 'CONN' }, false],
    [{ code: 'ETIMEDOUT', command: 'CONN' }, false],
  ])('SMTP %o permanent: %s', (failure, expected) => {
    expect(isPermanentSmtpFailure(failure)).toBe(expected)
  })
  it.each([
    [400, true],
    [401, true],
    [404, true],
    [408, false],
    [429, false],
    [500, false],
    [503, false],
  ])('HTTP %i permanent: %s', (status, expected) => {
    expect(isPermanentHttpStatus(status)).toBe(expected)
  })
})
