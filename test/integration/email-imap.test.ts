import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type RunningImapPoller, type ImapPollerOptions, startImapPoller } from '../../src/channels/email/imap-poller.ts'
import type { InboundResult } from '../../src/channels/email/inbound-service.ts'
import { startChannels } from '../../src/channels/start.ts'
import { loadConfig } from '../../src/config.ts'
import { type ImapServer, hasDovecot, startImapServer } from '../helpers/imap-server.ts'
import { type TestServer, startTestServer } from '../helpers/test-server.ts'

const corpusDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'email')
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== '0' && process.env.CI !== 'false'
const runWithDovecot = hasDovecot() || inCi ? describe : describe.skip
if (!hasDovecot()) console.warn(`email-imap: no Dovecot at ${process.env.DOVECOT_PATH ?? '/usr/sbin/dovecot'} (apt-get install dovecot-imapd, or set DOVECOT_PATH)${inCi ? '' : '; IMAP tests skipped'}`)

function fixture(name: string): Buffer {
  return fs.readFileSync(path.join(corpusDir, name))
}

function mail(messageId: string, from: string, subject: string, body: string, extraHeaders = ''): string {
  return `${extraHeaders}From: ${from}\r\nTo: support@desk.test\r\nSubject: ${subject}\r\nDate: Tue, 24 Nov 2026 10:00:00 +0800\r\nMessage-ID: ${messageId}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${body}\r\n`
}

/** Polls `check` until it returns true; the deadline only guards against hanging, it measures nothing. */
async function until(check: () => Promise<boolean> | boolean, what: string, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

runWithDovecot('IMAP polling against a real Dovecot', () => {
  let server: TestServer
  let imap: ImapServer
  const pollers: RunningImapPoller[] = []
  const logs: string[] = []
  const received: InboundResult[] = []

  beforeAll(async () => {
    server = await startTestServer()
    imap = await startImapServer()
  })
  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((poller) => poller.stop()))
  })
  afterAll(async () => {
    await imap?.stop()
    await server?.close()
  })

  /** A poller on the test mailbox; its timer is an hour, so only `pollOnce` (and the pass at start) runs it. */
  function poller(overrides: Partial<ImapPollerOptions> = {}): RunningImapPoller {
    const started = startImapPoller(server.deps, {
      url: imap.url(),
      pollSeconds: 3600,
      limitBytes: server.config.inboundEmailLimitBytes,
      log: (message) => logs.push(message),
      onReceived: (result) => received.push(result),
      ...overrides,
    })
    pollers.push(started)
    return started
  }

  async function logRows(messageId: string) {
    return server.deps.db.selectFrom('email_messages').selectAll().where('message_id', '=', messageId).execute()
  }

  async function seenOf(messageId: string, mailbox = 'INBOX'): Promise<boolean[]> {
    return (await imap.list(mailbox)).filter((entry) => entry.messageId === messageId).map((entry) => entry.seen)
  }

  async function counts(): Promise<Record<string, number>> {
    const result: Record<string, number> = {}
    for (const table of ['tickets', 'messages', 'email_messages']) {
      const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(table)}`.execute(server.deps.db)
      result[table] = Number(rows[0]?.n)
    }
    return result
  }

  it('takes appended corpus messages (UTF-8, GBK, Big5, a threaded reply) once each, in order, and marks them \\Seen', async () => {
    for (const file of ['01-plain-utf8.eml', '02-gbk-base64.eml', '04-big5.eml', '34-thread-reply-1.eml']) await imap.append(fixture(file))
    const before = await counts()
    await poller().pollOnce()

    const byId = new Map(received.map((result) => [result.messageId, result]))
    expect(['<c01@customer.test>', '<c02@customer.test>', '<c04@customer.test>', '<c34@customer.test>'].map((id) => byId.get(id)?.outcome)).toEqual([
      'ticket_created',
      'ticket_created',
      'ticket_created',
      'threaded',
    ])
    const after = await counts()
    expect(after).toEqual({ tickets: (before.tickets ?? 0) + 3, messages: (before.messages ?? 0) + 4, email_messages: (before.email_messages ?? 0) + 4 })

    const subjects = await server.deps.db.selectFrom('tickets').select(['subject', 'description']).where('channel', '=', 'email').orderBy('subject').execute()
    expect(subjects.map((row) => row.subject).sort()).toEqual(['发票开错了，需要重开', '帳單金額有誤', '打印机无法连接网络'].sort())
    expect(subjects.find((row) => row.subject === '发票开错了，需要重开')?.description).toContain('上海云帆科技有限公司')
    expect(subjects.find((row) => row.subject === '帳單金額有誤')?.description).toContain('本月帳單金額與合約不符')

    // The reply went onto the first ticket, after its first message.
    const ticketId = (await logRows('<c01@customer.test>'))[0]?.ticket_id ?? 'missing'
    const thread = await server.deps.db.selectFrom('messages').select(['external_ref', 'body']).where('ticket_id', '=', ticketId).orderBy('created_at').orderBy('id').execute()
    expect(thread.map((row) => row.external_ref)).toEqual(['<c01@customer.test>', '<c34@customer.test>'])
    expect(thread[1]?.body).toBe('重启后还是不行。')

    expect((await imap.list()).every((entry) => entry.seen)).toBe(true)
  })

  it('does not take a processed message again after a restart of the poller, and takes what arrived since', async () => {
    const before = await counts()
    const restarted = poller()
    expect(await restarted.pollOnce()).toBe(0)
    expect(await counts()).toEqual(before)

    await imap.append(mail('<after-restart@customer.test>', 'Zhou <zhou@customer.test>', '会议室投影仪', '投影仪没有信号。'))
    expect(await restarted.pollOnce()).toBe(1)
    expect((await logRows('<after-restart@customer.test>')).map((row) => row.outcome)).toEqual(['ticket_created'])
    expect(await seenOf('<after-restart@customer.test>')).toEqual([true])
  })

  it('leaves a message whose store failed unseen and takes it on the next pass', async () => {
    await imap.append(mail('<retry-imap@customer.test>', 'Qian <qian@customer.test>', 'VPN 断线', 'VPN 每小时断一次。'))
    const polling = poller()
    // Whatever the pass at start took, the next pass runs with the table gone.
    await polling.pollOnce()
    await imap.append(mail('<retry-imap-2@customer.test>', 'Qian <qian@customer.test>', 'VPN 断线 2', '还是断。'))
    await imap.append(mail('<retry-imap-3@customer.test>', 'Qian <qian@customer.test>', 'VPN 断线 3', '又断了。'))
    const failedBefore = logs.filter((line) => line.includes('could not be stored; left unread for the next pass')).length
    await sql`ALTER TABLE email_messages RENAME TO email_messages_away`.execute(server.deps.db)
    try {
      expect(await polling.pollOnce()).toBe(0)
    } finally {
      await sql`ALTER TABLE email_messages_away RENAME TO email_messages`.execute(server.deps.db)
    }
    // Both were tried and logged: a failing message does not end the pass.
    expect(logs.filter((line) => line.includes('could not be stored; left unread for the next pass')).length - failedBefore).toBe(2)
    for (const id of ['<retry-imap-2@customer.test>', '<retry-imap-3@customer.test>']) {
      expect(await seenOf(id)).toEqual([false])
      expect(await logRows(id)).toEqual([])
    }

    expect(await polling.pollOnce()).toBe(2)
    for (const id of ['<retry-imap-2@customer.test>', '<retry-imap-3@customer.test>']) {
      expect((await logRows(id)).map((row) => row.outcome)).toEqual(['ticket_created'])
      expect(await seenOf(id)).toEqual([true])
    }
    expect((await logRows('<retry-imap@customer.test>')).map((row) => row.outcome)).toEqual(['ticket_created'])
  })

  it('survives the connection dropping between commit and \\Seen: the next pass finds that message a duplicate and takes the rest', async () => {
    await imap.append(mail('<cut-1@customer.test>', 'Lin <lin@customer.test>', '网络电话无声音', '对方听不到我说话。'))
    await imap.append(mail('<cut-2@customer.test>', 'Lin <lin@customer.test>', '网络电话回声', '有回声。'))
    const before = await counts()
    let dropped = -1
    const flaky = poller({
      onReceived: (result) => {
        received.push(result)
        if (dropped === -1 && result.messageId === '<cut-1@customer.test>') dropped = imap.dropSessions()
      },
    })
    await expect(flaky.pollOnce()).rejects.toThrow()
    expect(dropped).toBe(1)
    expect(await seenOf('<cut-1@customer.test>')).toEqual([false])

    expect(await flaky.pollOnce()).toBe(2)
    expect(received.filter((result) => result.messageId === '<cut-1@customer.test>').map((result) => result.outcome)).toEqual(['ticket_created', 'duplicate'])
    expect(await counts()).toEqual({ tickets: (before.tickets ?? 0) + 2, messages: (before.messages ?? 0) + 2, email_messages: (before.email_messages ?? 0) + 2 })
    expect([...(await seenOf('<cut-1@customer.test>')), ...(await seenOf('<cut-2@customer.test>'))]).toEqual([true, true])
  })

  it('leaves a message over the limit unread and unimported, logs it once, and takes the others (mailbox other than INBOX)', async () => {
    const big = mail('<too-big@customer.test>', 'Big <big@customer.test>', 'Logs attached', `${'x'.repeat(76)}\r\n`.repeat(2000))
    await imap.append(big, { mailbox: 'Support' })
    await imap.append(mail('<small-after-big@customer.test>', 'Small <small@customer.test>', 'Short one', 'Just a line.'), { mailbox: 'Support' })
    const limited = poller({ url: imap.url({ mailbox: 'Support' }), limitBytes: 64 * 1024 })
    await limited.pollOnce()
    await limited.pollOnce()

    expect(await logRows('<too-big@customer.test>')).toEqual([])
    expect(await seenOf('<too-big@customer.test>', 'Support')).toEqual([false])
    expect(await server.deps.db.selectFrom('users').select('id').where('email', '=', 'big@customer.test').executeTakeFirst()).toBeUndefined()
    expect(logs.filter((line) => line.includes('over the limit of 65536; left unread'))).toHaveLength(1)
    expect((await logRows('<small-after-big@customer.test>')).map((row) => row.outcome)).toEqual(['ticket_created'])
    expect(await seenOf('<small-after-big@customer.test>', 'Support')).toEqual([true])
  })

  it('stores the same Message-ID arriving twice once, and marks both copies \\Seen', async () => {
    const before = await counts()
    const raw = mail('<twice@customer.test>', 'Sun <sun@customer.test>', '门禁卡失效', '三号门刷不开。')
    await imap.append(raw)
    await imap.append(raw)
    received.length = 0
    await poller().pollOnce()

    expect(received.filter((result) => result.messageId === '<twice@customer.test>').map((result) => result.outcome)).toEqual(['ticket_created', 'duplicate'])
    expect(await logRows('<twice@customer.test>')).toHaveLength(1)
    expect(await counts()).toEqual({ tickets: (before.tickets ?? 0) + 1, messages: (before.messages ?? 0) + 1, email_messages: (before.email_messages ?? 0) + 1 })
    expect(await seenOf('<twice@customer.test>')).toEqual([true, true])
  })

  it('reads the null sender from Return-Path: <> (an automatic reply, no ticket) and a real one as a sender', async () => {
    await imap.append(Buffer.concat([Buffer.from('Return-Path: <>\r\n'), fixture('40-auto-reply-null-sender.eml')]))
    await imap.append(mail('<with-return-path@customer.test>', 'Wu <wu@customer.test>', '键盘失灵', '空格键没反应。', 'Return-Path: <wu@customer.test>\r\n'))
    await poller().pollOnce()
    expect((await logRows('<c40@customer.test>')).map((row) => [row.outcome, row.ticket_id])).toEqual([['auto_reply', null]])
    expect((await logRows('<with-return-path@customer.test>')).map((row) => row.outcome)).toEqual(['ticket_created'])
  })

  it('logs a refused login and retries at every interval without crashing, taking nothing', async () => {
    await imap.append(mail('<while-locked-out@customer.test>', 'Zheng <zheng@customer.test>', '打不开邮箱', '密码错了？'))
    const failures = () => logs.filter((line) => line.startsWith('IMAP poll failed') && line.includes('login refused')).length
    const already = failures()
    const locked = poller({ url: imap.url({ password: 'not the password' }), pollSeconds: 1 })
    await expect(locked.pollOnce()).rejects.toThrow(/login refused: Authentication failed/)
    // The pass at start and at least two timer passes, each refused and logged.
    await until(() => failures() >= already + 2, 'two logged login failures')
    expect(logs.every((line) => !line.includes('not the password'))).toBe(true)
    expect(await seenOf('<while-locked-out@customer.test>')).toEqual([false])
    expect(await logRows('<while-locked-out@customer.test>')).toEqual([])

    // Once the password is right, the message waiting is taken.
    await poller().pollOnce()
    expect((await logRows('<while-locked-out@customer.test>')).map((row) => row.outcome)).toEqual(['ticket_created'])
  }, 120_000)

  it('polls on its own interval when IMAP_URL and IMAP_POLL_SECONDS are set', async () => {
    const fromEnv = loadConfig({ IMAP_URL: imap.url(), IMAP_POLL_SECONDS: '1' }, { dataDir: server.config.dataDir })
    const channelLog: string[] = []
    const channels = await startChannels({ ...server.deps, config: { ...server.config, imapUrl: fromEnv.imapUrl, imapPollSeconds: fromEnv.imapPollSeconds } }, (message) =>
      channelLog.push(message),
    )
    try {
      expect(channelLog).toContain(`IMAP polling imap://desk@127.0.0.1:${imap.port}/INBOX every 1 s`)
      await imap.append(mail('<by-interval@customer.test>', 'Feng <feng@customer.test>', '空调漏水', '机房空调在漏水。'))
      await until(async () => (await logRows('<by-interval@customer.test>')).length === 1, 'the interval to take the message')
      await until(async () => (await seenOf('<by-interval@customer.test>'))[0] === true, 'the message to be marked seen')
    } finally {
      await channels.stop()
    }
    expect((await logRows('<by-interval@customer.test>')).map((row) => row.outcome)).toEqual(['ticket_created'])
  })
})
