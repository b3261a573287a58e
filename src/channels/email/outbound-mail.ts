import { v7 as uuidv7 } from 'uuid'
import { threadHeaders } from '../../domain/notices/threading.ts'
import type { Db } from '../../db/connection.ts'
import type { OutboxHandler } from '../../jobs/outbox-dispatcher.ts'
import { type SmtpSender, createSmtpSender } from './smtp-transport.ts'

/** Outbox topic of e-mail to customers (agents' replies and progress notices). */
export const EMAIL_TOPIC = 'email'

/** Attempts before an e-mail is set aside as dead: with the dispatcher's backoff (2 s doubling, capped at 1 h) about 9 hours of outage. */
export const EMAIL_MAX_ATTEMPTS = 20

/**
 * An e-mail in the outbox: rendered and given its Message-ID when queued, so every attempt
 * sends the very same message (a receiver can drop a duplicate by its Message-ID).
 */
export interface EmailPayload {
  readonly kind: 'reply' | 'notice'
  readonly ticketId: string
  /** The ticket message the e-mail carries (a reply), or null for a notice. */
  readonly ticketMessageId: string | null
  readonly eventId: number
  /** `<uuid@host>` */
  readonly messageId: string
  readonly to: { readonly name: string | null; readonly address: string }
  readonly subject: string
  readonly text: string
  readonly html: string
  readonly ticketNumber: string
  /** Sent by the machine, not typed by a person: marked so autoresponders stay quiet (RFC 3834). */
  readonly automatic: boolean
}

/** What a successful delivery reports to `record`. */
interface SentMail {
  readonly inReplyTo: string | null
  readonly references: string[]
  readonly response: string
}

/**
 * The `email` outbox handler: sends over SMTP to `SMTP_URL`, outside any transaction; then
 * logs the message in `email_messages` (direction 'out') in the transaction that marks it
 * delivered, so a customer's reply to it threads back onto the ticket. Mail is only queued
 * while `SMTP_URL` is set; mail queued before it was unset fails each attempt with a clear
 * error and waits (with backoff, dead after the last attempt, retried from the admin outbox page).
 */
export function emailDeliveryHandler(): OutboxHandler {
  let sender: { url: string; smtp: SmtpSender } | undefined
  const senderFor = (url: string) => {
    if (sender?.url !== url) {
      sender?.smtp.close()
      sender = { url, smtp: createSmtpSender(url) }
    }
    return sender.smtp
  }
  return {
    kind: 'io',
    maxAttempts: EMAIL_MAX_ATTEMPTS,
    deliver: async (raw, { deps }) => {
      const payload = raw as EmailPayload
      const { smtpUrl, mailFrom } = deps.config
      if (smtpUrl === undefined) throw new Error('SMTP_URL not configured: e-mail waits in the outbox until it is')
      // Built now rather than when queued: mail ahead of this one on the ticket (same ordering key) has been logged by now.
      const thread = threadHeaders(await threadIdsOf(deps.db, payload.ticketId, payload.messageId))
      const result = await senderFor(smtpUrl).send({
        from: mailFrom,
        to: payload.to,
        subject: payload.subject,
        text: payload.text,
        html: payload.html,
        messageId: payload.messageId,
        inReplyTo: thread.inReplyTo,
        references: thread.references,
        headers: {
          'X-Loopdesk-Ticket': payload.ticketNumber,
          ...(payload.automatic ? { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' } : {}),
        },
      })
      return { inReplyTo: thread.inReplyTo, references: thread.references, response: result.response } satisfies SentMail
    },
    record: async (trx, raw, outcome, { now, deps }) => {
      if (!outcome.ok && !outcome.final) return
      const payload = raw as EmailPayload
      const sent = outcome.ok ? (outcome.result as SentMail) : undefined
      await trx
        .insertInto('email_messages')
        .values({
          id: uuidv7(),
          message_id: payload.messageId,
          direction: 'out',
          ticket_id: payload.ticketId,
          ticket_message_id: payload.ticketMessageId,
          in_reply_to: sent?.inReplyTo ?? null,
          reference_ids: sent?.references ?? [],
          from_address: deps.config.mailFrom,
          to_addresses: [payload.to.address],
          subject: payload.subject,
          outcome: outcome.ok ? 'sent' : 'failed',
          raw_storage_key: null,
          size_bytes: null,
          created_at: now,
        })
        .onConflict((oc) => oc.column('message_id').doUpdateSet({ outcome: outcome.ok ? 'sent' : 'failed', in_reply_to: sent?.inReplyTo ?? null, reference_ids: sent?.references ?? [], created_at: now }))
        .execute()
    },
  }
}

/** The Message-IDs of a ticket's e-mail thread, oldest first, without the one being sent. */
async function threadIdsOf(db: Db, ticketId: string, ownId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('email_messages')
    .select('message_id')
    .where('ticket_id', '=', ticketId)
    .where('message_id', '<>', ownId)
    .where((eb) => eb.or([eb('direction', '=', 'in'), eb('outcome', '=', 'sent')]))
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map((row) => row.message_id)
}
