import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import nodemailer from 'nodemailer'
import pg from 'pg'
import { startSmtpListener } from '../../src/channels/email/smtp-listener.ts'
import { loadConfig } from '../../src/config.ts'
import { connectDatabase } from '../../src/db/connection.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import type { ServiceDeps } from '../../src/services/deps.ts'
import { ensureSlaDefaults } from '../../src/services/sla/sla-config.ts'

export interface EmailBenchOptions {
  /** Messages to send (default 300). */
  readonly count?: number
  /** Size of each body in bytes before transfer encoding (default 100 kB). */
  readonly bodyBytes?: number
  /** Concurrent SMTP connections (default 4). */
  readonly connections?: number
  /** A PostgreSQL server URL: the bench makes a fresh database there; without it, in-memory PGlite. */
  readonly postgresUrl?: string
}

export interface EmailBenchResult {
  readonly messagesPerSecond: number
  readonly bodyBytes: number
  readonly count: number
  readonly database: string
  readonly connections: number
  /** How many became tickets, and how many were threaded onto one. */
  readonly ticketsCreated: number
  readonly threaded: number
}

/** A body of `size` UTF-8 bytes: Chinese and English lines, like a long customer report with a log. */
function makeBody(size: number, seed: number): string {
  const lines = [`报告编号 ${seed}：系统在高峰时段响应缓慢，以下是日志摘录。`, `Report ${seed}: the system slows down at peak hours; log excerpt follows.`]
  let body = ''
  for (let i = 0; Buffer.byteLength(body) < size; i++) body += `${lines[i % 2]} ${i} 2026-11-24T10:${String(i % 60).padStart(2, '0')}:00Z ERROR timeout after 30000 ms\n`
  return body
}

function makeMessage(index: number, bodyBytes: number, replyTo: string | null): { id: string; raw: string; from: string } {
  const id = `<bench-${index}-${randomBytes(4).toString('hex')}@customer.test>`
  const from = `customer${Math.floor(index / 2) % 50}@customer.test`
  const body = Buffer.from(makeBody(bodyBytes, index)).toString('base64').replace(/.{76}/g, '$&\r\n')
  const headers = [
    `From: =?UTF-8?B?${Buffer.from(`客户 ${Math.floor(index / 2) % 50}`).toString('base64')}?= <${from}>`,
    'To: support@desk.test',
    `Subject: =?UTF-8?B?${Buffer.from(replyTo === null ? `系统响应缓慢 ${index}` : `回复：系统响应缓慢 ${index - 1}`).toString('base64')}?=`,
    `Message-ID: ${id}`,
    ...(replyTo === null ? [] : [`In-Reply-To: ${replyTo}`, `References: ${replyTo}`]),
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
  ]
  return { id, raw: `${headers.join('\r\n')}\r\n\r\n${body}\r\n`, from }
}

/**
 * Inbound e-mails per second, parsed and stored: `count` messages with 100 kB bodies sent over
 * real SMTP sessions (a few at a time) into the listener, each answered 250 only after its
 * transaction committed; every second message answers the one before it (threaded).
 */
export async function benchInboundEmail(options: EmailBenchOptions = {}): Promise<EmailBenchResult> {
  const count = options.count ?? 300
  const bodyBytes = options.bodyBytes ?? 100 * 1024
  const connections = options.connections ?? 4
  let databaseUrl: string | undefined
  let drop = async () => undefined as void
  if (options.postgresUrl !== undefined) {
    const name = `loopdesk_mailbench_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: options.postgresUrl })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    await admin.end()
    const url = new URL(options.postgresUrl)
    url.pathname = `/${name}`
    databaseUrl = url.toString()
    drop = async () => {
      const cleanup = new pg.Client({ connectionString: options.postgresUrl })
      await cleanup.connect()
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await cleanup.end()
    }
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopdesk-mailbench-'))
  const handle = await connectDatabase({ databaseUrl, dataDir: 'memory://' })
  try {
    await migrateToLatest(handle.db as never)
    const deps: ServiceDeps = { db: handle.db, clock: () => new Date(), config: loadConfig({}, { logLevel: 'silent', dataDir }) }
    await ensureSlaDefaults(deps)
    const listener = await startSmtpListener(deps, { port: 0, host: '127.0.0.1', domains: [], limitBytes: deps.config.inboundEmailLimitBytes })
    const messages: Array<{ id: string; raw: string; from: string }> = []
    for (let i = 0; i < count; i++) messages.push(makeMessage(i, bodyBytes, i % 2 === 1 ? (messages[i - 1]?.id ?? null) : null))
    const transports = Array.from({ length: connections }, () =>
      nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Number.POSITIVE_INFINITY }),
    )
    try {
      // Warm-up: parser, first customers, code paths.
      const warm = makeMessage(count + 1, bodyBytes, null)
      await transports[0]?.sendMail({ envelope: { from: warm.from, to: ['support@desk.test'] }, raw: warm.raw })
      const started = performance.now()
      // A reply goes on the same connection right after the message it answers, so it finds it stored.
      await Promise.all(
        transports.map(async (transport, lane) => {
          for (let i = lane * 2; i < count; i += connections * 2) {
            for (const message of messages.slice(i, i + 2)) {
              await transport.sendMail({ envelope: { from: message.from, to: ['support@desk.test'] }, raw: message.raw })
            }
          }
        }),
      )
      const seconds = (performance.now() - started) / 1000
      const outcomes = await handle.db.selectFrom('email_messages').select(['outcome']).where('message_id', 'like', '<bench-%').execute()
      const committed = outcomes.length - 1
      return {
        messagesPerSecond: Math.round((committed / seconds) * 10) / 10,
        bodyBytes,
        count: committed,
        database: databaseUrl === undefined ? 'pglite' : 'postgres',
        connections,
        ticketsCreated: outcomes.filter((row) => row.outcome === 'ticket_created').length - 1,
        threaded: outcomes.filter((row) => row.outcome === 'threaded').length,
      }
    } finally {
      for (const transport of transports) transport.close()
      await listener.stop()
    }
  } finally {
    await handle.close()
    await drop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const postgresUrl = process.argv[2] ?? process.env.BENCH_POSTGRES_URL
  const count = Number(process.env.BENCH_EMAIL_COUNT ?? 300)
  const result = await benchInboundEmail({ count, ...(postgresUrl ? { postgresUrl } : {}) })
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
}
