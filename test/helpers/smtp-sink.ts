import type { AddressInfo } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** A message the sink received, parsed by mailparser, with the envelope it came in. */
export interface ReceivedMail {
  readonly parsed: ParsedMail
  readonly envelopeTo: readonly string[]
  readonly raw: Buffer
}

/**
 * A real SMTP server on loopback that keeps what it is sent: the stand-in for the relay behind
 * `SMTP_URL`. It can be stopped (port closed) and started again on the same port, refuse
 * recipients containing `reject` with 550, and answer 451 to everything while `tempfail` is on.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = []
  tempfail = false
  /** Delay before accepting a message's data (to hold a delivery in flight). */
  dataDelayMs = 0
  port = 0
  private server: SMTPServer | undefined

  async start(port = this.port): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onMailFrom: (_address, _session, callback) => {
        if (this.tempfail) return callback(Object.assign(new Error('try again later'), { responseCode: 451 }))
        callback()
      },
      onRcptTo: (address, _session, callback) => {
        if (address.address.includes('reject')) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }))
        callback()
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = []
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.on('end', () => {
          const raw = Buffer.concat(chunks)
          const finish = async () => {
            if (this.dataDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.dataDelayMs))
            this.received.push({ parsed: await simpleParser(raw), envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw })
            callback()
          }
          finish().catch((error: Error) => callback(error))
        })
      },
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve())
    })
    this.port = (server.server.address() as AddressInfo).port
    this.server = server
  }

  /** Closes the port: connections are refused until `start` again. */
  async stop(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`
  }
}
