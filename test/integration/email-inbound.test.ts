import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import nodemailer from 'nodemailer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InboundResult } from '../../src/channels/email/inbound-service.ts'
import { type RunningSmtpListener, startSmtpListener } from '../../src/channels/email/smtp-listener.ts'
import type { UserView } from '../../src/services/people/users.ts'
import { transitionTicket } from '../../src/services/tickets/transition-ticket.ts'
import { ApiClient } from '../helpers/api-client.ts'
import { TEST_PASSWORD, type TestServer, buildGroup, buildStaff, startTestServer } from '../helpers/test-server.ts'

const corpusDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'email')

let server: TestServer
let listener: RunningSmtpListener
let agentUser: UserView
let agent: ApiClient
let outsider: UserView
const received: InboundResult[] = []

beforeAll(async () => {
  server = await startTestServer()
  listener = await startSmtpListener(server.deps, {
    port: 0,
    host: '127.0.0.1',
    domains: [],
    limitBytes: server.config.inboundEmailLimitBytes,
    onReceived: (result) => received.push(result),
  })
  agentUser = await buildStaff(server.deps, { email: 'agent.li@desk.test', name: '李客服' })
  outsider = await buildStaff(server.deps, { email: 'other.agent@desk.test' })
  await buildGroup(server.deps, [outsider.id])
  agent = new ApiClient(server.url)
  expect((await agent.login(agentUser.email ?? '', TEST_PASSWORD)).status).toBe(200)
}, 60_000)
afterAll(async () => {
  await listener?.stop()
  await server?.close()
})

interface SmtpAnswer {
  readonly ok: boolean
  readonly code: number
  readonly response: string
}

/** Sends raw bytes through a real SMTP session (nodemailer's SMTP client) into the listener. */
async function send(raw: Buffer | string, envelope: { from?: string; to?: string[] } = {}, port = listener.port): Promise<SmtpAnswer> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 10_000 })
  try {
    const info = await transport.sendMail({ envelope: { from: envelope.from ?? 'sender@customer.test', to: envelope.to ?? ['support@desk.test'] }, raw })
    return { ok: true, code: Number(String(info.response).slice(0, 3)), response: String(info.response) }
  } catch (error) {
    const failure = error as { responseCode?: number; response?: string; message: string }
    return { ok: false, code: failure.responseCode ?? 0, response: failure.response ?? failure.message }
  } finally {
    transport.close()
  }
}

function fixture(name: string, replacements: Record<string, string> = {}): Buffer {
  let raw = fs.readFileSync(path.join(corpusDir, name))
  for (const [key, value] of Object.entries(replacements)) raw = Buffer.from(raw.toString('latin1').replaceAll(`{{${key}}}`, value), 'latin1')
  return raw
}

async function logRow(messageId: string) {
  return server.deps.db.selectFrom('email_messages').selectAll().where('message_id', '=', messageId).executeTakeFirstOrThrow()
}

async function ticketOf(messageId: string) {
  const row = await logRow(messageId)
  expect(row.ticket_id).not.toBeNull()
  return server.deps.db.selectFrom('tickets').selectAll().where('id', '=', row.ticket_id ?? '').executeTakeFirstOrThrow()
}

async function messageOf(messageId: string) {
  const row = await logRow(messageId)
  return server.deps.db.selectFrom('messages').selectAll().where('id', '=', row.ticket_message_id ?? '').executeTakeFirstOrThrow()
}

async function counts(): Promise<Record<string, number>> {
  const result: Record<string, number> = {}
  for (const table of ['tickets', 'messages', 'users', 'email_messages', 'attachments', 'events']) {
    const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(table)}`.execute(server.deps.db)
    result[table] = Number(rows[0]?.n)
  }
  return result
}

/** What each message of the corpus must become, sent in this order over real SMTP sessions. */
const CORPUS: ReadonlyArray<readonly [file: string, outcome: string, envelopeFrom?: string]> = [
  ['01-plain-utf8.eml', 'ticket_created'],
  ['02-gbk-base64.eml', 'ticket_created'],
  ['03-gb2312-qp.eml', 'ticket_created'],
  ['04-big5.eml', 'ticket_created'],
  ['05-gb18030.eml', 'ticket_created'],
  ['06-utf8-q-subject-qp-body.eml', 'ticket_created'],
  ['07-multipart-alternative.eml', 'ticket_created'],
  ['08-mixed-pdf-attachment.eml', 'ticket_created'],
  ['09-inline-cid-image.eml', 'ticket_created'],
  ['10-nested-multipart.eml', 'ticket_created'],
  ['11-html-only-xss.eml', 'ticket_created'],
  ['12-outlook-en-reply.eml', 'ticket_created'],
  ['13-outlook-zh-reply.eml', 'ticket_created'],
  ['14-foxmail-reply.eml', 'ticket_created'],
  ['15-qq-mail-reply.eml', 'ticket_created'],
  ['16-gmail-en-reply.eml', 'ticket_created'],
  ['17-gmail-zh-reply.eml', 'ticket_created'],
  ['18-signature-iphone.eml', 'ticket_created'],
  ['19-iphone-footer.eml', 'ticket_created'],
  ['20-auto-submitted.eml', 'auto_reply'],
  ['21-x-autoreply-zh.eml', 'auto_reply'],
  ['22-outlook-automatic-reply.eml', 'auto_reply'],
  ['23-precedence-bulk.eml', 'bulk'],
  ['24-list-id.eml', 'bulk'],
  ['25-bounce-dsn.eml', 'bounce', ''],
  ['26-bounce-qq-zh.eml', 'bounce', ''],
  ['27-missing-message-id.eml', 'ticket_created'],
  ['28-duplicate-of-01.eml', 'duplicate'],
  ['29-malformed-no-closing-boundary.eml', 'ticket_created'],
  ['30-malformed-bad-charset.eml', 'ticket_created'],
  ['31-malformed-broken-base64.eml', 'ticket_created'],
  ['32-malformed-header-without-colon.eml', 'ticket_created'],
  ['33-very-long-line.eml', 'ticket_created'],
  ['34-thread-reply-1.eml', 'threaded'],
  ['35-thread-reply-2.eml', 'threaded'],
  ['36-reply-by-subject-number.eml', 'threaded'],
  ['37-stranger-guesses-number.eml', 'ticket_created'],
  ['38-mixed-charsets-alternative.eml', 'ticket_created'],
  ['39-executable-attachment.eml', 'ticket_created'],
  ['40-auto-reply-null-sender.eml', 'auto_reply', ''],
]

describe('the corpus over real SMTP sessions', () => {
  const outcomes = new Map<string, InboundResult>()
  let ticket01 = ''

  beforeAll(async () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30)
    for (const [file, , envelopeFrom] of CORPUS) {
      const before = received.length
      const answer = await send(fixture(file, { TICKET_01: ticket01 }), envelopeFrom === undefined ? {} : { from: envelopeFrom })
      expect(answer, file).toMatchObject({ ok: true, code: 250 })
      const result = received[before]
      if (result === undefined) throw new Error(`no result for ${file}`)
      outcomes.set(file, result)
      if (file.startsWith('01-')) ticket01 = result.ticketNumber ?? ''
    }
  }, 120_000)

  it('gives every message its expected outcome', () => {
    const actual = CORPUS.map(([file]) => [file, outcomes.get(file)?.outcome])
    expect(actual).toEqual(CORPUS.map(([file, outcome]) => [file, outcome]))
  })

  it('decodes UTF-8, GBK, GB2312, Big5 and GB18030 bodies and encoded-word subjects and names', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['<c01@customer.test>', '打印机无法连接网络', '型号 HP M479', '王伟'],
      ['<c02@customer.test>', '发票开错了，需要重开', '上海云帆科技有限公司', '李娜'],
      ['<c03@customer.test>', '系统登录失败', '提示“密码错误”', 'Zhang San'],
      ['<c04@customer.test>', '帳單金額有誤', '本月帳單金額與合約不符', '陳美玲'],
      ['<c05@customer.test>', '生僻字姓名𠀀无法保存', '生僻字“𠀀”', 'Zhao'],
      ['<c06@customer.test>', 'Café machine – error E42', '“descaling needed”', 'François Müller'],
      ['<c38@customer.test>', '中文混合编码', '纯文本部分是 GBK 编码', 'Peng'],
    ]
    for (const [messageId, subject, text, name] of cases) {
      const ticket = await ticketOf(messageId)
      expect(ticket.subject).toBe(subject)
      expect(ticket.channel).toBe('email')
      expect(ticket.description).toContain(text)
      const message = await messageOf(messageId)
      expect(message.body).toContain(text)
      expect(message.external_ref).toBe(messageId)
      const requester = await server.deps.db.selectFrom('users').select(['name', 'email']).where('id', '=', ticket.requester_id).executeTakeFirstOrThrow()
      expect(requester.name).toBe(name)
    }
    expect((await messageOf('<c38@customer.test>')).body_html).toContain('HTML 部分是 UTF-8 编码。')
  })

  it('stores attachments (RFC 2231 names) and maps inline cid: images to them; refuses executables with a note', async () => {
    const pdf = await server.deps.db.selectFrom('attachments').selectAll().where('message_id', '=', (await messageOf('<c08@customer.test>')).id).execute()
    expect(pdf.map((row) => [row.filename, row.content_type])).toEqual([['合同.pdf', 'application/pdf']])
    expect(fs.existsSync(path.join(server.config.attachmentsDir, pdf[0]?.storage_key ?? 'missing'))).toBe(true)

    const inline = await messageOf('<c09@customer.test>')
    const [image] = await server.deps.db.selectFrom('attachments').selectAll().where('message_id', '=', inline.id).execute()
    expect(image?.content_type).toBe('image/png')
    expect(inline.body_html).toContain(`src="/api/v1/attachments/${image?.id}"`)
    expect(inline.body).toBe('The error looks like this:')
    const download = await agent.request('GET', `/api/v1/attachments/${image?.id}`)
    expect(download.status).toBe(200)

    const nested = await messageOf('<c10@customer.test>')
    const nestedFiles = await server.deps.db.selectFrom('attachments').select(['filename', 'content_type', 'id']).where('message_id', '=', nested.id).orderBy('filename').execute()
    expect(nestedFiles.map((row) => row.content_type).sort()).toEqual(['image/png', 'text/plain'])
    expect(nested.body_html).toContain('/api/v1/attachments/')

    const exe = await messageOf('<c39@customer.test>')
    expect(await server.deps.db.selectFrom('attachments').select('id').where('message_id', '=', exe.id).execute()).toEqual([])
    expect(exe.body).toContain('attachment not kept: tool.exe')
  })

  it('sanitises HTML: no scripts, handlers, javascript: links, frames or forms; remote images become links', async () => {
    const message = await messageOf('<c11@customer.test>')
    const html = message.body_html ?? ''
    expect(html).toContain('<b>desk</b>')
    for (const banned of ['<script', 'onerror', 'onclick', 'javascript:', '<iframe', '<form', '<input', '<style', 'document.cookie', 'display:none']) expect(html).not.toContain(banned)
    expect(html).not.toMatch(/<img[^>]+tracker\.test/)
    expect(html).toContain('href="https://tracker.test/pixel.gif"')
    expect(html).toContain('href="https://example.test/help"')
  })

  it('trims quoted history and signatures of English and Chinese clients, keeping the original', async () => {
    const expected: Array<[string, string, string]> = [
      ['<c12@customer.test>', 'Still broken after the update, see below.\n\nErin', 'Please install the BIOS update'],
      ['<c13@customer.test>', '问题依旧，今天上午又断了三次。\n\n孙丽', '请重启路由器后观察。'],
      ['<c14@customer.test>', '授权文件已收到，但导入时报错 0x80070005。', '附件是新的授权文件。'],
      ['<c15@customer.test>', '还是登不上，提示账号被锁定。', '请尝试重置密码。'],
      ['<c16@customer.test>', 'It jams again on tray 2.', 'Please clean the rollers.'],
      ['<c17@customer.test>', '导出一万条数据需要十分钟，能否优化？', '请问数据量大概多少？'],
      ['<c18@customer.test>', 'The badge reader at gate 3 is offline since 8am.', 'Facilities, Building 7'],
      ['<c19@customer.test>', '三楼会议室的投影仪无法开机。', '发自我的iPhone'],
    ]
    for (const [messageId, body, quoted] of expected) {
      const message = await messageOf(messageId)
      expect(message.body, messageId).toBe(body)
      expect(message.body_original, messageId).toContain(quoted)
      expect((await ticketOf(messageId)).description).toBe(body)
    }
    // Over HTTP, the agent reads the original and the HTML of a message of a ticket they see.
    const outlook = await messageOf('<c12@customer.test>')
    const original = await agent.request('GET', `/api/v1/messages/${outlook.id}/original`)
    expect(original.status).toBe(200)
    expect(original.body.bodyOriginal).toContain('-----Original Message-----')
    expect(original.body.email.messageId).toBe('<c12@customer.test>')
    expect(original.body.email.outcome).toBe('ticket_created')
  })

  it('opens no ticket, no customer and no reply for auto-replies, bulk mail and bounces, and logs each', async () => {
    for (const [file, outcome] of CORPUS.filter(([, outcome]) => ['auto_reply', 'bulk', 'bounce'].includes(outcome))) {
      const result = outcomes.get(file)
      expect(result?.ticketMessageId, file).toBeNull()
      const row = await logRow(result?.messageId ?? '')
      expect(row.outcome).toBe(outcome)
      expect(row.ticket_message_id).toBeNull()
    }
    for (const address of ['heidi@customer.test', 'ivan@customer.test', 'news@vendor.test', 'mailer-daemon@mx.desk.test', 'postmaster@qq.test', 'rita@customer.test']) {
      expect(await server.deps.db.selectFrom('users').select('id').where('email', '=', address).executeTakeFirst(), address).toBeUndefined()
    }
    const outbox = await server.deps.db.selectFrom('outbox').select(['topic']).where('topic', 'like', '%mail%').execute()
    expect(outbox).toEqual([])
    // 王伟's out-of-office names his ticket's subject but adds nothing to it.
    const ticket = await ticketOf('<c01@customer.test>')
    const bodies = await server.deps.db.selectFrom('messages').select('body').where('ticket_id', '=', ticket.id).execute()
    expect(bodies.map((row) => row.body).join('\n')).not.toContain('正在休假')
  })

  it('stores the same Message-ID once; a message without one gets an id from its bytes', async () => {
    expect(outcomes.get('28-duplicate-of-01.eml')?.ticketId).toBe((await ticketOf('<c01@customer.test>')).id)
    const withSameId = await server.deps.db.selectFrom('messages').select('body').where('external_ref', '=', '<c01@customer.test>').execute()
    expect(withSameId).toHaveLength(1)
    expect(withSameId[0]?.body).not.toContain('重发')

    const synthetic = outcomes.get('27-missing-message-id.eml')?.messageId ?? ''
    expect(synthetic).toMatch(/^<[0-9a-f]{64}@no-message-id\.loopdesk\.invalid>$/)
    const before = await counts()
    const again = await send(fixture('27-missing-message-id.eml'))
    expect(again).toMatchObject({ ok: true, code: 250 })
    expect(received.at(-1)?.outcome).toBe('duplicate')
    expect(await counts()).toEqual(before)
  })

  it('reads malformed MIME as far as it goes', async () => {
    expect((await messageOf('<c29@customer.test>')).body).toBe('The closing boundary of this message is missing.')
    expect((await messageOf('<c30@customer.test>')).body).toBe('Plain ASCII text under a charset name that does not exist.')
    expect((await messageOf('<c31@customer.test>')).body).toContain('The body is base64 but cut and mangled')
    expect((await ticketOf('<c32@customer.test>')).subject).toBe('Header without a colon')
    const long = await messageOf('<c33@customer.test>')
    expect(long.body.length).toBeGreaterThanOrEqual(50_000)
    expect(long.body).toContain('end of the long line')
  })

  it('threads replies by In-Reply-To/References and by the ticket number in the subject, for parties only', async () => {
    const ticket = await ticketOf('<c01@customer.test>')
    for (const messageId of ['<c34@customer.test>', '<c35@customer.test>', '<c36@customer.test>']) {
      expect((await logRow(messageId)).ticket_id, messageId).toBe(ticket.id)
    }
    const thread = await server.deps.db.selectFrom('messages').select(['body', 'external_ref']).where('ticket_id', '=', ticket.id).orderBy('created_at').orderBy('id').execute()
    expect(thread.map((row) => row.external_ref)).toEqual(['<c01@customer.test>', '<c34@customer.test>', '<c35@customer.test>', '<c36@customer.test>'])
    expect(thread[1]?.body).toBe('重启后还是不行。')
    expect(thread[2]?.body).toBe('换了网线以后好了，谢谢！')
    // A stranger who guesses the number gets a ticket of their own, and learns nothing of this one.
    const strangers = await ticketOf('<c37@stranger.test>')
    expect(strangers.id).not.toBe(ticket.id)
    expect(strangers.subject).toBe('打印机无法连接网络')
    expect(outcomes.get('37-stranger-guesses-number.eml')?.reason).toBe('sender is not a party of the matched ticket')
  })

  it('shows the log to staff over HTTP, filtered by outcome', async () => {
    const bounces = await agent.request('GET', '/api/v1/email/log?outcome=bounce')
    expect(bounces.status).toBe(200)
    expect(bounces.body.items.map((item: { messageId: string }) => item.messageId).sort()).toEqual(['<c25@mx.desk.test>', '<c26@qq.test>'])
    const bad = await agent.request('GET', '/api/v1/email/log?limit=5000')
    expect(bad.status).toBe(400)
  })
})

describe('replies onto tickets', () => {
  it('posts a staff member’s e-mail reply as theirs, in public, when it answers our outbound mail', async () => {
    const first = await send(mail('<staff-t1@customer.test>', 'Customer <cust.staffcase@customer.test>', 'Disk full', 'The disk is full.'))
    expect(first.ok).toBe(true)
    const ticket = await ticketOf('<staff-t1@customer.test>')
    // What the e-mail-out channel records for a reply it sent (direction out, our Message-ID).
    await server.deps.db
      .insertInto('email_messages')
      .values({ id: crypto.randomUUID(), message_id: '<out-77@desk.test>', direction: 'out', ticket_id: ticket.id, ticket_message_id: null, in_reply_to: null, from_address: 'support@desk.test', subject: 'Re: Disk full', outcome: 'sent', raw_storage_key: null, size_bytes: null, created_at: new Date() })
      .execute()
    const answer = await send(mail('<staff-r1@desk.test>', '李客服 <agent.li@desk.test>', 'Re: Disk full', 'Please delete the old logs.\n\nOn Tue, 24 Nov 2026 Customer wrote:\n> The disk is full.', { 'In-Reply-To': '<out-77@desk.test>' }))
    expect(answer.ok).toBe(true)
    expect(received.at(-1)?.outcome).toBe('threaded')
    const message = await messageOf('<staff-r1@desk.test>')
    expect(message).toMatchObject({ ticket_id: ticket.id, author_id: agentUser.id, visibility: 'public', body: 'Please delete the old logs.' })
    const after = await server.deps.db.selectFrom('tickets').select('first_response_at').where('id', '=', ticket.id).executeTakeFirstOrThrow()
    expect(after.first_response_at).not.toBeNull()
  })

  it('opens a follow-up ticket for a reply to a closed ticket', async () => {
    await send(mail('<closed-t1@customer.test>', 'Closer <closer@customer.test>', 'Wi-Fi slow', 'Slow Wi-Fi on floor 2.'))
    const ticket = await ticketOf('<closed-t1@customer.test>')
    const actor = { id: agentUser.id, roles: ['agent'] as const, tier: 'L1' as const, organisationId: null, isOrgAdmin: false, groupIds: [], via: 'session' as const }
    for (const action of ['accept', 'resolve'] as const) await transitionTicket(server.deps, { ...actor, roles: ['agent'] }, ticket.id, { action })
    await transitionTicket(server.deps, { ...actor, roles: ['agent'] }, ticket.id, { action: 'close' })
    await send(mail('<closed-r1@customer.test>', 'Closer <closer@customer.test>', `Re: [#${ticket.number}] Wi-Fi slow`, 'It is slow again.'))
    const result = received.at(-1)
    expect(result?.outcome).toBe('follow_up_created')
    const followUp = await ticketOf('<closed-r1@customer.test>')
    expect(followUp.id).not.toBe(ticket.id)
    expect(followUp.tags).toEqual([`follow-up:${ticket.number}`])
    expect(followUp.status).toBe('new')
  })

  it('refuses a staff member’s mail that answers no ticket of theirs', async () => {
    const before = await counts()
    await send(mail('<staff-stray@desk.test>', 'Other <other.agent@desk.test>', 'Hello', 'A note to nobody.'))
    expect(received.at(-1)?.outcome).toBe('refused')
    const after = await counts()
    expect(after.tickets).toBe(before.tickets)
    expect(after.email_messages).toBe((before.email_messages ?? 0) + 1)
  })
})

describe('the listener’s limits', () => {
  it('refuses a 20 MB attachment over the limit with 552 and writes nothing (SIZE declared by the client)', async () => {
    const before = await counts()
    const answer = await send(bigMail('<big-1@customer.test>'))
    expect(answer.ok).toBe(false)
    expect(answer.code).toBe(552)
    expect(await counts()).toEqual(before)
  }, 60_000)

  it('refuses the same message streamed without SIZE with 552 after DATA, without keeping it', async () => {
    const before = await counts()
    const heapBefore = process.memoryUsage().arrayBuffers
    const reply = await rawSmtpSession(listener.port, 'sender@customer.test', 'support@desk.test', bigMail('<big-2@customer.test>'))
    expect(reply.rcpt).toMatch(/^250/)
    expect(reply.data).toMatch(/^552/)
    expect(await counts()).toEqual(before)
    expect(await server.deps.db.selectFrom('email_messages').select('id').where('message_id', '=', '<big-2@customer.test>').executeTakeFirst()).toBeUndefined()
    // Not a timing: a loose bound showing the 20 MB were dropped as they came, not held.
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(60 * 1024 * 1024)
  }, 60_000)

  it('refuses relaying when recipient domains are configured (550) and accepts its own domains', async () => {
    const guarded = await startSmtpListener(server.deps, { port: 0, host: '127.0.0.1', domains: ['desk.test'], limitBytes: 1024 * 1024 })
    try {
      const before = await counts()
      const relay = await send(mail('<relay-1@customer.test>', 'R <r@customer.test>', 'relay me', 'x'), { to: ['victim@elsewhere.test'] }, guarded.port)
      expect(relay).toMatchObject({ ok: false, code: 550 })
      expect(await counts()).toEqual(before)
      const own = await send(mail('<relay-2@customer.test>', 'R <r@customer.test>', 'for the desk', 'x'), { to: ['Support@Desk.Test'] }, guarded.port)
      expect(own).toMatchObject({ ok: true, code: 250 })
    } finally {
      await guarded.stop()
    }
  })

  it('answers 451 when the database fails, so the sender retries, and takes the retry', async () => {
    const raw = mail('<retry-1@customer.test>', 'Retry <retry@customer.test>', 'Retry me', 'Please retry.')
    await sql`ALTER TABLE email_messages RENAME TO email_messages_away`.execute(server.deps.db)
    let failed: SmtpAnswer
    try {
      failed = await send(raw)
    } finally {
      await sql`ALTER TABLE email_messages_away RENAME TO email_messages`.execute(server.deps.db)
    }
    expect(failed).toMatchObject({ ok: false, code: 451 })
    expect(await server.deps.db.selectFrom('users').select('id').where('email', '=', 'retry@customer.test').executeTakeFirst()).toBeUndefined()
    expect(await send(raw)).toMatchObject({ ok: true, code: 250 })
    expect((await logRow('<retry-1@customer.test>')).outcome).toBe('ticket_created')
  })
})

function mail(messageId: string, from: string, subject: string, body: string, extra: Record<string, string> = {}): Buffer {
  const headers = { From: from, To: 'support@desk.test', Subject: subject, 'Message-ID': messageId, Date: new Date().toUTCString(), 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', ...extra }
  return Buffer.from(`${Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n`)
}

/** A message with a 20 MB attachment (base64 lines of 76 characters). */
function bigMail(messageId: string): Buffer {
  const head = `From: Big <big@customer.test>\r\nTo: support@desk.test\r\nSubject: big\r\nMessage-ID: ${messageId}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n--b\r\nContent-Type: application/zip; name="big.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n`
  const line = `${'QUJD'.repeat(19)}\r\n`
  const body = line.repeat(Math.ceil((20 * 1024 * 1024) / line.length))
  return Buffer.from(`${head}${body}--b--\r\n`)
}

/** A hand-driven SMTP session without the SIZE parameter: the listener only learns the size while reading DATA. */
async function rawSmtpSession(port: number, from: string, to: string, data: Buffer): Promise<{ rcpt: string; data: string }> {
  const socket = net.connect(port, '127.0.0.1')
  let buffer = ''
  const waiters: Array<(line: string) => void> = []
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    buffer += chunk
    for (;;) {
      const match = /^(\d{3}) .*\r\n/m.exec(buffer)
      if (match === null) break
      const end = (match.index ?? 0) + match[0].length
      const reply = buffer.slice(0, end)
      buffer = buffer.slice(end)
      waiters.shift()?.(reply.split('\r\n').filter(Boolean).at(-1) ?? '')
    }
  })
  const next = () => new Promise<string>((resolve) => waiters.push(resolve))
  const command = (line: string) => {
    const reply = next()
    socket.write(`${line}\r\n`)
    return reply
  }
  try {
    await next()
    await command('EHLO tester.test')
    await command(`MAIL FROM:<${from}>`)
    const rcpt = await command(`RCPT TO:<${to}>`)
    await command('DATA')
    const final = next()
    socket.write(data)
    socket.write('\r\n.\r\n')
    const dataReply = await final
    await command('QUIT').catch(() => '')
    return { rcpt, data: dataReply }
  } finally {
    socket.destroy()
  }
}
