/**
 * Web-chat benchmark: a real server on 127.0.0.1 (PGlite in memory, or a fresh PostgreSQL
 * database when DATABASE_URL is set), 200 concurrent visitor WebSockets. Measured:
 * - message round trip: a visitor sends `message` → receives its `ack` (stored: the first
 *   message of each session opens a ticket, the others are messages on it);
 * - agent reply delivery: an agent's public reply posted over HTTP → the visitor's socket
 *   receives it (commit, NOTIFY, fan-out).
 * The visitors run in the same process as the server, so their own work counts in the figures.
 * Standalone: `node --import tsx test/bench/chat-bench.ts` prints JSON.
 */
import { performance } from 'node:perf_hooks'
import WebSocket from 'ws'
import { updateChatSettings } from '../../src/channels/chat/chat-settings.ts'
import { loadConfig } from '../../src/config.ts'
import { SYSTEM_ACTOR } from '../../src/domain/policy/actor.ts'
import { buildApp } from '../../src/http/app.ts'
import { issueApiToken } from '../../src/services/auth/api-tokens.ts'
import type { ServiceDeps } from '../../src/services/deps.ts'
import { createUser } from '../../src/services/people/users.ts'
import { ensureSlaDefaults } from '../../src/services/sla/sla-config.ts'
import { createTestDatabase } from '../helpers/test-database.ts'

export interface ChatBenchOptions {
  readonly sessions?: number
  readonly messagesPerSession?: number
  /** A visitor's pause between messages, in ms, drawn evenly from [min, max]; [0, 0] is a burst. */
  readonly thinkMs?: readonly [number, number]
  /** A PostgreSQL server URL: a fresh database there; without it, DATABASE_URL or in-memory PGlite. */
  readonly postgresUrl?: string
}

export interface ChatBenchResult {
  readonly sessions: number
  readonly messages: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly maxMs: number
  readonly agentReplies: number
  readonly replyP50Ms: number
  readonly replyP99Ms: number
  readonly totalSeconds: number
  readonly thinkMs: readonly [number, number]
  readonly database: string
}

type Frame = { type: string } & Record<string, unknown>

/** One visitor: a socket and a way to wait for the next frame that matches. */
class BenchVisitor {
  private waiters: { match: (frame: Frame) => boolean; resolve: (frame: Frame) => void }[] = []
  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame
      const index = this.waiters.findIndex((waiter) => waiter.match(frame))
      if (index >= 0) this.waiters.splice(index, 1)[0]?.resolve(frame)
    })
  }
  next(match: (frame: Frame) => boolean, timeoutMs = 60_000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bench: no answer in time')), timeoutMs)
      this.waiters.push({
        match,
        resolve: (frame) => {
          clearTimeout(timer)
          resolve(frame)
        },
      })
    })
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0
}

const round = (ms: number) => Math.round(ms * 10) / 10

export async function benchChat(options: ChatBenchOptions = {}): Promise<ChatBenchResult> {
  const sessions = options.sessions ?? 200
  const perSession = options.messagesPerSession ?? 5
  // People take seconds to type a chat line; 5–15 s between messages is a brisk conversation.
  const thinkMs = options.thinkMs ?? [5_000, 15_000]
  const database = await createTestDatabase(options.postgresUrl ?? process.env.DATABASE_URL)
  const config = loadConfig({}, { dataDir: 'memory://', logLevel: 'silent' })
  const deps: ServiceDeps = { db: database.db, clock: () => new Date(), config }
  await ensureSlaDefaults(deps)
  await updateChatSettings(deps, SYSTEM_ACTOR, { hours: { always: true, timeZone: 'Asia/Shanghai', weeklyHours: {}, holidays: [] } })
  const agent = await createUser(deps, SYSTEM_ACTOR, 'staff', { name: 'Bench Agent', email: 'bench.agent@desk.test', roles: ['agent'], tier: 'L1', groupIds: [], password: 'bench password 123' })
  const { token } = await issueApiToken(deps, SYSTEM_ACTOR, { name: 'bench', userId: agent.id })
  const app = await buildApp(deps, { listen: database.listen })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (typeof address !== 'object' || address === null) throw new Error('no address')
  const url = `http://127.0.0.1:${address.port}`
  const visitors: BenchVisitor[] = []
  const started = performance.now()
  try {
    // Open every session at once, as a burst of page views would.
    await Promise.all(
      Array.from({ length: sessions }, async () => {
        const socket = new WebSocket(`${url.replace('http', 'ws')}/api/v1/chat/socket`)
        await new Promise<void>((resolve, reject) => {
          socket.once('open', () => resolve())
          socket.once('error', reject)
        })
        const visitor = new BenchVisitor(socket)
        const welcome = visitor.next((frame) => frame.type === 'welcome')
        socket.send(JSON.stringify({ type: 'hello', pageUrl: 'https://shop.example.test/', locale: 'zh-CN' }))
        await welcome
        visitors.push(visitor)
      }),
    )

    const roundTrips: number[] = []
    const ticketIds: string[] = []
    await Promise.all(
      visitors.map(async (visitor, index) => {
        for (let n = 0; n < perSession; n++) {
          await new Promise((resolve) => setTimeout(resolve, thinkMs[0] + Math.random() * (thinkMs[1] - thinkMs[0])))
          const clientId = `s${index}m${n}`
          const acked = visitor.next((frame) => (frame.type === 'ack' && frame.clientId === clientId) || frame.type === 'error')
          const sent = performance.now()
          visitor.socket.send(JSON.stringify({ type: 'message', clientId, text: n === 0 ? `打印机第 ${index} 号无法连接无线网络` : `补充信息 ${n}：型号 LaserJet 1020，已重启路由器。` }))
          const ack = await acked
          roundTrips.push(performance.now() - sent)
          if (ack.type !== 'ack') throw new Error(`bench: refused ${JSON.stringify(ack)}`)
          if (n === 0) ticketIds[index] = String(ack.messageId)
        }
      }),
    )

    // Agent replies over HTTP, a few at a time as a team of agents would send them.
    const replyTimes: number[] = []
    let next = 0
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < visitors.length) {
          const index = next++
          const visitor = visitors[index] as BenchVisitor
          const text = `您好，第 ${index} 位访客，请尝试重启打印机。`
          const received = visitor.next((frame) => frame.type === 'message' && frame.from === 'agent' && frame.text === text)
          const sent = performance.now()
          const response = await fetch(`${url}/api/v1/tickets/${ticketIds[index]}/messages`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ body: text, visibility: 'public' }),
          })
          if (response.status !== 201) throw new Error(`bench: reply refused ${response.status} ${await response.text()}`)
          await received
          replyTimes.push(performance.now() - sent)
        }
      }),
    )
    const totalSeconds = (performance.now() - started) / 1000
    roundTrips.sort((a, b) => a - b)
    replyTimes.sort((a, b) => a - b)
    return {
      sessions,
      messages: roundTrips.length,
      p50Ms: round(percentile(roundTrips, 50)),
      p99Ms: round(percentile(roundTrips, 99)),
      maxMs: round(roundTrips.at(-1) ?? 0),
      agentReplies: replyTimes.length,
      replyP50Ms: round(percentile(replyTimes, 50)),
      replyP99Ms: round(percentile(replyTimes, 99)),
      totalSeconds: Math.round(totalSeconds * 10) / 10,
      thinkMs,
      database: database.kind === 'postgres' ? 'PostgreSQL' : 'PGlite (in memory)',
    }
  } finally {
    for (const visitor of visitors) visitor.socket.terminate()
    await app.close()
    await database.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // A conversation's pace, then the worst case: every visitor sending back to back at once.
  benchChat()
    .then(async (paced) => {
      const burst = await benchChat({ thinkMs: [0, 0] })
      process.stdout.write(`${JSON.stringify({ paced, burst }, null, 2)}\n`)
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
      process.exitCode = 1
    })
}
