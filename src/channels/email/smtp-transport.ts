import nodemailer from 'nodemailer'
import { isPermanentSmtpFailure } from '../../domain/notices/delivery-failures.ts'
import { PermanentDeliveryError } from '../../jobs/outbox-dispatcher.ts'

/** One outgoing e-mail, fully formed: headers decided before the first attempt, so every retry sends the same message. */
export interface OutgoingMail {
  readonly from: string
  readonly to: { readonly name: string | null; readonly address: string }
  readonly subject: string
  readonly text: string
  readonly html: string
  /** `<id@host>`: our own Message-ID, which replies name in In-Reply-To. */
  readonly messageId: string
  readonly inReplyTo: string | null
  readonly references: readonly string[]
  readonly headers?: Readonly<Record<string, string>>
}

export interface SmtpSendResult {
  readonly response: string
  readonly accepted: readonly string[]
}

/** Sends mail to one relay. */
export interface SmtpSender {
  send(mail: OutgoingMail): Promise<SmtpSendResult>
  close(): void
}

/** Connection, greeting and idle-socket limits: a hung relay fails the attempt, which is then retried. */
const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 } as const

/**
 * An SMTP sender for a relay URL (`smtp://user:pass@host:587`, `smtps://…:465`; STARTTLS is
 * used when the relay offers it). No pool: one connection per message, so nothing lingers
 * between outbox passes. A failure no retry can mend throws `PermanentDeliveryError`.
 */
export function createSmtpSender(smtpUrl: string): SmtpSender {
  const transport = nodemailer.createTransport({ url: smtpUrl, pool: false, ...TIMEOUTS } as Parameters<typeof nodemailer.createTransport>[0])
  return {
    send: async (mail) => {
      try {
        const info = await transport.sendMail({
          from: mail.from,
          to: mail.to.name ? { name: mail.to.name, address: mail.to.address } : mail.to.address,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          ...(mail.inReplyTo !== null ? { inReplyTo: mail.inReplyTo } : {}),
          ...(mail.references.length > 0 ? { references: [...mail.references] } : {}),
          headers: { ...mail.headers },
        })
        return { response: String(info.response ?? ''), accepted: (info.accepted ?? []).map(String) }
      } catch (error) {
        const failure = error as { code?: string; responseCode?: number; command?: string; message?: string }
        if (isPermanentSmtpFailure(failure)) throw new PermanentDeliveryError(`SMTP refused the message: ${failure.message ?? String(error)}`)
        throw error
      }
    },
    close: () => transport.close(),
  }
}
