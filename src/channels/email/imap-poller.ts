import { ImapFlow } from 'imapflow'
import type { ServiceDeps } from '../../services/deps.ts'
import { type InboundResult, receiveEmail } from './inbound-service.ts'

export interface ImapPollerOptions {
  /** `imap://user:pass@host:143/INBOX` or `imaps://…:993/INBOX`; user and password URL-encoded. */
  readonly url: string
  readonly pollSeconds: number
  /** Messages larger than this are left unread in the mailbox and logged. */
  readonly limitBytes: number
  readonly onReceived?: (result: InboundResult) => void
  readonly log?: (message: string, error?: unknown) => void
}

export interface RunningImapPoller {
  /** One pass now (also what the timer runs); resolves when the pass is over. */
  pollOnce(): Promise<number>
  stop(): Promise<void>
}

/** Connection settings from an IMAP URL. */
export function parseImapUrl(url: string): { host: string; port: number; secure: boolean; user: string; pass: string; mailbox: string } {
  const parsed = new URL(url)
  if (parsed.protocol !== 'imap:' && parsed.protocol !== 'imaps:') throw new Error('IMAP_URL must start with imap:// or imaps://')
  const secure = parsed.protocol === 'imaps:'
  return {
    host: parsed.hostname,
    port: parsed.port === '' ? (secure ? 993 : 143) : Number(parsed.port),
    secure,
    user: decodeURIComponent(parsed.username),
    pass: decodeURIComponent(parsed.password),
    mailbox: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'INBOX',
  }
}

/**
 * Polls a mailbox for unseen messages, one connection per pass: each is fed to
 * `receiveEmail` and marked \Seen only after its transaction committed, so a crash or a
 * database failure leaves it unseen and the next pass takes it again (the Message-ID makes
 * the second take a duplicate, never a second ticket).
 */
export function startImapPoller(deps: ServiceDeps, options: ImapPollerOptions): RunningImapPoller {
  const settings = parseImapUrl(options.url)
  const log = options.log ?? (() => {})
  let running: Promise<number> | null = null
  let stopped = false

  const pass = async (): Promise<number> => {
    const client = new ImapFlow({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: { user: settings.user, pass: settings.pass },
      logger: false,
    })
    let taken = 0
    await client.connect()
    try {
      const lock = await client.getMailboxLock(settings.mailbox)
      try {
        const unseen = await client.search({ seen: false }, { uid: true })
        for (const uid of unseen || []) {
          if (stopped) break
          const message = await client.fetchOne(String(uid), { source: true, size: true }, { uid: true })
          if (message === false || message.source === undefined) continue
          if ((message.size ?? message.source.length) > options.limitBytes) {
            log(`IMAP message ${uid} is larger than ${options.limitBytes} bytes; left unread`)
            continue
          }
          const result = await receiveEmail(deps, message.source, { mailFrom: null, rcptTo: [] })
          options.onReceived?.(result)
          await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true })
          taken++
        }
      } finally {
        lock.release()
      }
    } finally {
      await client.logout().catch(() => client.close())
    }
    return taken
  }

  const pollOnce = (): Promise<number> => {
    running ??= pass().finally(() => {
      running = null
    })
    return running
  }

  const timer = setInterval(() => {
    pollOnce().catch((error: unknown) => log('IMAP poll failed; retrying next interval', error))
  }, Math.max(1, options.pollSeconds) * 1000)
  timer.unref()

  return {
    pollOnce,
    stop: async () => {
      stopped = true
      clearInterval(timer)
      await running?.catch(() => {})
    },
  }
}
