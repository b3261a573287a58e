import { ImapFlow } from 'imapflow'
import type { ServiceDeps } from '../../services/deps.ts'
import { type InboundResult, receiveEmail } from './inbound-service.ts'

export interface ImapPollerOptions {
  /** `imap://user:pass@host:143/INBOX` or `imaps://…:993/INBOX`; user and password URL-encoded. */
  readonly url: string
  readonly pollSeconds: number
  /** Messages larger than this are left unread in the mailbox and logged (once per poller). */
  readonly limitBytes: number
  /** Called once a message's intake committed, before it is marked \Seen. */
  readonly onReceived?: (result: InboundResult) => void
  readonly log?: (message: string, error?: unknown) => void
}

export interface RunningImapPoller {
  /** A pass that starts now, or right after the one under way; resolves with the number of messages taken. Rejects when the pass could not reach the mailbox. */
  pollOnce(): Promise<number>
  stop(): Promise<void>
}

export interface ImapSettings {
  readonly host: string
  readonly port: number
  readonly secure: boolean
  readonly user: string
  readonly pass: string
  readonly mailbox: string
}

/** Connection settings from an IMAP URL. */
export function parseImapUrl(url: string): ImapSettings {
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

/** The mailbox an IMAP URL names, without its password (for logs). */
function describeImapUrl(settings: ImapSettings): string {
  return `${settings.secure ? 'imaps' : 'imap'}://${settings.user}@${settings.host}:${settings.port}/${settings.mailbox}`
}

/**
 * The envelope sender the delivering server recorded in the first `Return-Path` header:
 * '' for the null sender `<>` (bounces, many automatic replies), null when there is none.
 */
export function returnPathOf(raw: Buffer): string | null {
  const start = raw.subarray(0, 64 * 1024).toString('latin1')
  const blank = /\r?\n\r?\n/.exec(start)
  const head = blank === null ? start : start.slice(0, blank.index)
  const match = /^return-path:[ \t]*<([^<>\r\n]*)>/im.exec(head)
  return match === null ? null : (match[1] ?? '').trim()
}

/** What imapflow reports as "Command failed", with the server's own words. */
function describeImapError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error)
  const failure = error as { message?: string; authenticationFailed?: boolean; responseText?: string; code?: string }
  if (failure.authenticationFailed === true) return `login refused: ${failure.responseText ?? 'authentication failed'}`
  return [failure.code, failure.responseText ?? failure.message].filter((part) => part !== undefined && part !== '').join(': ') || String(error)
}

/**
 * Polls a mailbox, one connection per pass (the first right at start, then every
 * `pollSeconds`). A pass takes the unseen messages in UID order: their sizes first, so a
 * message over `limitBytes` is never downloaded and stays unseen; each other one is fed to
 * `receiveEmail` and marked \Seen only after its transaction committed. A message whose intake
 * failed is logged and stays unseen, and the pass goes on with the next; the next pass takes it
 * again. A crash between commit and \Seen leaves it unseen too: its Message-ID then makes the
 * second take a `duplicate`, never a second ticket. Connection and login failures are logged
 * and retried at the next interval; they never end the process.
 */
export function startImapPoller(deps: ServiceDeps, options: ImapPollerOptions): RunningImapPoller {
  const settings = parseImapUrl(options.url)
  const where = describeImapUrl(settings)
  const log = options.log ?? (() => {})
  const intervalSeconds = Math.max(1, options.pollSeconds)
  const reportedOversized = new Set<string>()
  let running: Promise<number> | null = null
  let queued: Promise<number> | null = null
  let stopped = false

  const pass = async (): Promise<number> => {
    if (stopped) return 0
    const client = new ImapFlow({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: { user: settings.user, pass: settings.pass },
      logger: false,
    })
    // Without a listener, a socket error after login would be thrown as an unhandled 'error' event and end the process.
    client.on('error', (error: unknown) => log(`IMAP connection to ${where} failed: ${describeImapError(error)}`, error))
    try {
      await client.connect()
    } catch (error) {
      client.close()
      throw new Error(`IMAP ${where}: ${describeImapError(error)}`, { cause: error })
    }
    let taken = 0
    try {
      const lock = await client.getMailboxLock(settings.mailbox)
      try {
        const uidValidity = client.mailbox === false ? '' : String(client.mailbox.uidValidity)
        const unseen = (await client.search({ seen: false }, { uid: true })) || []
        if (unseen.length === 0) return 0
        const sizes = await client.fetchAll(unseen.join(','), { uid: true, size: true }, { uid: true })
        for (const { uid, size } of sizes.sort((a, b) => a.uid - b.uid)) {
          if (stopped) break
          if ((size ?? 0) > options.limitBytes) {
            const key = `${uidValidity}:${uid}`
            if (!reportedOversized.has(key)) log(`IMAP ${where}: message UID ${uid} has ${size} bytes, over the limit of ${options.limitBytes}; left unread`)
            reportedOversized.add(key)
            continue
          }
          const message = await client.fetchOne(String(uid), { source: true }, { uid: true })
          if (message === false || message.source === undefined) continue
          let result: InboundResult
          try {
            result = await receiveEmail(deps, message.source, { mailFrom: returnPathOf(message.source), rcptTo: [] })
          } catch (error) {
            log(`IMAP ${where}: message UID ${uid} could not be stored; left unread for the next pass`, error)
            continue
          }
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
    if (running === null) {
      running = pass().finally(() => {
        running = null
      })
      return running
    }
    // A pass under way may have looked at the mailbox before the caller's message arrived.
    queued ??= running
      .catch(() => 0)
      .then(() => {
        queued = null
        return pollOnce()
      })
    return queued
  }

  const tick = () => {
    if (stopped || running !== null) return
    pollOnce().catch((error: unknown) => log(`IMAP poll failed (${error instanceof Error ? error.message : String(error)}); retrying in ${intervalSeconds} s`, error))
  }
  log(`IMAP polling ${where} every ${intervalSeconds} s`)
  const first = setTimeout(tick, 0)
  const timer = setInterval(tick, intervalSeconds * 1000)
  first.unref()
  timer.unref()

  return {
    pollOnce,
    stop: async () => {
      stopped = true
      clearTimeout(first)
      clearInterval(timer)
      await queued?.catch(() => {})
      await running?.catch(() => {})
    },
  }
}
