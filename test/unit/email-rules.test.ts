import { describe, expect, it } from 'vitest'
import { type MailFacts, classifyAutomatedMail } from '../../src/domain/email/automated-mail.ts'
import { parseMessageIds, syntheticMessageId, threadCandidates } from '../../src/domain/email/message-ids.ts'
import { findTicketNumber, normaliseSubject } from '../../src/domain/email/subject.ts'
import { decideThreading } from '../../src/domain/email/threading.ts'

describe('ticket number in a subject', () => {
  it.each([
    ['Re: [#20261124-000123] Printer', '20261124-000123'],
    ['回复：[#20261124-000123] 打印机', '20261124-000123'],
    ['答复: 【#20261124-000123】 打印机', '20261124-000123'],
    ['Fwd: AW: (#20261124-1234567) x', '20261124-1234567'],
    ['About ticket #20261124-000009 again', '20261124-000009'],
    ['[20261124-000123]', '20261124-000123'],
    ['Order 20261124-000123 shipped', null],
    ['Re: #2026112-000123', null],
    ['', null],
  ])('%s → %s', (subject, number) => {
    expect(findTicketNumber(subject)).toBe(number)
  })
})

describe('subject normalisation', () => {
  it.each([
    ['Re: RE: Fwd: Printer jam', 'Printer jam'],
    ['回复：答复: 转发:打印机', '打印机'],
    ['回覆: 轉寄：帳單', '帳單'],
    ['AW: WG: Rechnung', 'Rechnung'],
    ['Re[2]: Hello', 'Hello'],
    ['Re: [#20261124-000123] 打印机  无法 连接', '打印机 无法 连接'],
    ['Printer [#20261124-000123]', 'Printer'],
    ['Reply needed', 'Reply needed'],
    ['Regarding: invoices', 'Regarding: invoices'],
  ])('%s → %s', (subject, normalised) => {
    expect(normaliseSubject(subject)).toBe(normalised)
  })
})

describe('Message-IDs', () => {
  it('reads ids in order without duplicates, with or without brackets', () => {
    expect(parseMessageIds('<a@x> <b@x>\r\n <a@x>')).toEqual(['<a@x>', '<b@x>'])
    expect(parseMessageIds(['<a@x>', '<c@x>'])).toEqual(['<a@x>', '<c@x>'])
    expect(parseMessageIds('bare@x.test')).toEqual(['<bare@x.test>'])
    expect(parseMessageIds(undefined)).toEqual([])
  })
  it('looks up In-Reply-To first, then References newest first', () => {
    expect(threadCandidates(['<c@x>'], ['<a@x>', '<b@x>', '<c@x>'])).toEqual(['<c@x>', '<b@x>', '<a@x>'])
  })
  it('derives a stable stand-in id from the bytes', () => {
    expect(syntheticMessageId('ab'.repeat(32))).toBe(`<${'ab'.repeat(32)}@no-message-id.loopdesk.invalid>`)
  })
})

const facts = (overrides: Omit<Partial<MailFacts>, 'headers'> & { headers?: Record<string, string> } = {}): MailFacts => ({
  from: overrides.from === undefined ? 'wang@customer.test' : overrides.from,
  envelopeFrom: overrides.envelopeFrom === undefined ? 'wang@customer.test' : overrides.envelopeFrom,
  subject: overrides.subject ?? 'Printer',
  contentType: overrides.contentType ?? 'text/plain',
  reportType: overrides.reportType ?? null,
  headers: new Map(Object.entries(overrides.headers ?? {})),
})

describe('automatic replies and bounces', () => {
  it.each([
    [facts({ contentType: 'multipart/report', reportType: 'delivery-status' }), 'bounce'],
    [facts({ from: 'MAILER-DAEMON@mx.test' }), 'bounce'],
    [facts({ from: 'postmaster@qq.test' }), 'bounce'],
    [facts({ headers: { 'x-failed-recipients': 'a@b' } }), 'bounce'],
    [facts({ subject: 'Undeliverable: Printer' }), 'bounce'],
    [facts({ subject: 'Delivery Status Notification (Failure)' }), 'bounce'],
    [facts({ subject: '系统退信' }), 'bounce'],
    [facts({ subject: '退信：打印机' }), 'bounce'],
    [facts({ headers: { 'auto-submitted': 'auto-replied' } }), 'auto_reply'],
    [facts({ headers: { 'auto-submitted': 'auto-generated' } }), 'auto_reply'],
    [facts({ headers: { 'x-autoreply': 'yes' } }), 'auto_reply'],
    [facts({ headers: { 'x-autorespond': 'Out of office' } }), 'auto_reply'],
    [facts({ subject: '自动回复: 打印机' }), 'auto_reply'],
    [facts({ subject: 'Automatic reply: Printer' }), 'auto_reply'],
    [facts({ subject: 'Out of Office: Printer' }), 'auto_reply'],
    [facts({ subject: 'Out of the office until Monday' }), 'auto_reply'],
    [facts({ envelopeFrom: '' }), 'auto_reply'],
    [facts({ headers: { precedence: 'bulk' } }), 'bulk'],
    [facts({ headers: { precedence: 'junk' } }), 'bulk'],
    [facts({ headers: { precedence: 'list' } }), 'bulk'],
    [facts({ headers: { precedence: 'auto_reply' } }), 'auto_reply'],
    [facts({ headers: { 'list-id': '<dev.lists.test>' } }), 'bulk'],
    [facts({ headers: { 'auto-submitted': 'no' } }), null],
    [facts({ headers: { 'x-autoreply': 'no' } }), null],
    [facts({ subject: 'Re: Printer still broken' }), null],
    [facts({ subject: 'Out of paper in tray 2' }), null],
    [facts({ envelopeFrom: null }), null],
    [facts({ contentType: 'multipart/report', reportType: 'disposition-notification' }), null],
  ])('%#: %j', (input, kind) => {
    expect(classifyAutomatedMail(input).kind).toBe(kind)
  })
})

describe('threading decision', () => {
  const ticket = { requesterId: 'req', organisationId: 'org', status: 'in_progress' }
  const customer = (userId: string, organisationId: string | null = null) => ({ userId, organisationId, isStaff: false, staffSeesTicket: false })
  it('threads the requester, a colleague of the same organisation and staff who see the ticket', () => {
    expect(decideThreading(ticket, customer('req')).action).toBe('thread')
    expect(decideThreading(ticket, customer('colleague', 'org')).action).toBe('thread')
    expect(decideThreading(ticket, { userId: 'agent', organisationId: null, isStaff: true, staffSeesTicket: true }).action).toBe('thread')
  })
  it('opens a ticket of their own for a stranger, another organisation or staff who do not see it', () => {
    expect(decideThreading(ticket, customer('eve'))).toEqual({ action: 'new_ticket', reason: 'not_a_party' })
    expect(decideThreading(ticket, customer('eve', 'other-org'))).toEqual({ action: 'new_ticket', reason: 'not_a_party' })
    expect(decideThreading({ ...ticket, organisationId: null }, customer('eve', null)).action).toBe('new_ticket')
    expect(decideThreading(ticket, { userId: 'agent', organisationId: null, isStaff: true, staffSeesTicket: false }).action).toBe('new_ticket')
  })
  it('follows up a closed ticket and opens one when nothing matched', () => {
    expect(decideThreading({ ...ticket, status: 'closed' }, customer('req'))).toEqual({ action: 'follow_up' })
    expect(decideThreading({ ...ticket, status: 'resolved' }, customer('req'))).toEqual({ action: 'thread' })
    expect(decideThreading(null, customer('req'))).toEqual({ action: 'new_ticket', reason: 'no_match' })
  })
})
