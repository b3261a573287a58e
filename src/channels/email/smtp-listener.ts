import type { AddressInfo } from 'node:net'
import { SMTPServer, type SMTPServerAddress } from 'smtp-server'
import { AppError } from '../../domain/shared/app-error.ts'
import type { ServiceDeps } from '../../services/deps.ts'
import { type InboundResult, receiveEmail } from './inbound-service.ts'

export interface SmtpListenerOptions {
  readonly port: number
  readonly host: string
  /** Recipient domains accepted; empty: any recipient (the listener never relays: it delivers only here). */
  readonly domains: readonly string[]
  /** Largest message, in bytes, attachments included. */
  readonly limitBytes: number
  /** Told about every message taken in (tests, logs). */
  readonly onReceived?: (result: InboundResult) => void
  readonly log?: (message: string, error?: unknown) => void
}

export interface RunningSmtpListener {
  readonly port: number
  stop(): Promise<void>
}

/** An SMTP reply code on an error, as smtp-server reads it. */
function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode })
}

/**
 * The built-in inbound SMTP listener. It takes mail for this desk only: with domains set,
 * a recipient elsewhere is refused (550, no relaying); no AUTH and no STARTTLS (it sits
 * behind the MX, like any mail exchanger). The size limit is advertised (SIZE) and counted
 * while the data streams in, so an oversized message is refused (552) without being kept in
 * memory. 250 is answered only after the message's transaction committed; a database failure
 * answers 451, so the sending server tries again and nothing acknowledged is lost.
 */
export async function startSmtpListener(deps: ServiceDeps, options: SmtpListenerOptions): Promise<RunningSmtpListener> {
  const domains = options.domains.map((domain) => domain.toLowerCase())
  const log = options.log ?? (() => {})
  const server = new SMTPServer({
    name: 'loopdesk',
    banner: 'Loopdesk inbound mail',
    size: options.limitBytes,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    maxClients: 100,
    socketTimeout: 60_000,
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const domain = address.address.split('@').pop()?.toLowerCase() ?? ''
      if (domains.length > 0 && !domains.includes(domain)) {
        callback(smtpError(`5.7.1 Relaying denied: ${address.address} is not a mailbox of this desk`, 550))
        return
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      let size = 0
      let over = false
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length
        // Past the limit the rest is read and dropped: the client must reach the end of DATA to hear the refusal.
        if (size > options.limitBytes) {
          over = true
          chunks.length = 0
          return
        }
        chunks.push(chunk)
      })
      stream.on('error', (error) => callback(error))
      stream.on('end', () => {
        if (over || stream.sizeExceeded) {
          callback(smtpError(`5.3.4 Message too big: at most ${options.limitBytes} bytes`, 552))
          return
        }
        const raw = Buffer.concat(chunks, size)
        const mailFrom = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address
        const envelope = { mailFrom, rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()) }
        receiveEmail(deps, raw, envelope).then(
          (result) => {
            options.onReceived?.(result)
            callback(null, `2.0.0 ${result.outcome === 'duplicate' ? 'already received' : 'received'} ${result.messageId}`)
          },
          (error: unknown) => {
            if (error instanceof AppError && (error.code === 'VALIDATION' || error.code === 'FORBIDDEN')) {
              log('inbound e-mail refused', error)
              callback(smtpError(`5.6.0 Message refused: ${error.message}`, 554))
              return
            }
            log('inbound e-mail not stored; the sender will retry', error)
            callback(smtpError('4.3.0 Temporary failure, try again later', 451))
          },
        )
      })
    },
  })
  server.on('error', (error) => log('SMTP listener error', error))
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject)
      resolve()
    })
  })
  const address = server.server.address() as AddressInfo
  return {
    port: address.port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
