/**
 * Recognises mail that no person wrote: bounces (delivery status notifications) and
 * automatic replies (out of office, autoresponders, bulk and list mail). Such mail never
 * opens a ticket and is never answered, so two desks cannot answer each other forever.
 */

export type AutomatedKind = 'bounce' | 'auto_reply' | 'bulk'

/** What the classification looks at; header names lower-case. */
export interface MailFacts {
  readonly headers: ReadonlyMap<string, string>
  /** Address of the From header (or null when missing). */
  readonly from: string | null
  /** Envelope sender (SMTP MAIL FROM / Return-Path); '' for the null sender `<>`. */
  readonly envelopeFrom: string | null
  readonly subject: string
  /** Media type of the whole message, lower-case, e.g. `multipart/report`. */
  readonly contentType: string
  /** The `report-type` parameter of a multipart/report. */
  readonly reportType: string | null
}

export interface Classification {
  readonly kind: AutomatedKind | null
  /** Why, for the e-mail log. */
  readonly reason: string | null
}

const DAEMON_SENDER = /^(mailer-daemon|mail-daemon|postmaster|mailerdaemon|bounce|bounces)([+-][^@]*)?@/i
const BOUNCE_SUBJECT =
  /^\s*(undeliverable|undelivered mail|undeliverable mail|delivery status notification|delivery failure|delivery has failed|mail delivery (failed|failure|subsystem)|returned mail|failure notice|message not delivered|系统退信|退信|邮件退信|投递失败|邮件投递失败|邮件发送失败|无法投递|無法傳遞|未送达|未能送达)/i
const AUTO_SUBJECT =
  /^\s*(auto(matic)?[ -]?(reply|response|antwort)|autoreply|out of (the )?office|ooo\b|on vacation|away from|abwesenheit|automatische antwort|自动回复|自動回覆|自动答复|自動答覆|自动应答|休假中|不在办公室|外出)/i
const BULK_PRECEDENCE = /^\s*(bulk|junk|list|auto_reply)\s*$/i

/** Looks at the headers, the senders and the subject; the first sure sign wins. */
export function classifyAutomatedMail(facts: MailFacts): Classification {
  const header = (name: string) => facts.headers.get(name)?.trim() ?? null
  if (facts.contentType === 'multipart/report' && (facts.reportType ?? '').toLowerCase() === 'delivery-status') {
    return { kind: 'bounce', reason: 'multipart/report; report-type=delivery-status' }
  }
  if (header('x-failed-recipients') !== null) return { kind: 'bounce', reason: 'X-Failed-Recipients' }
  if (facts.from !== null && DAEMON_SENDER.test(facts.from)) return { kind: 'bounce', reason: `sender ${facts.from}` }
  if (BOUNCE_SUBJECT.test(facts.subject)) return { kind: 'bounce', reason: 'subject of a delivery failure' }

  const autoSubmitted = header('auto-submitted')
  if (autoSubmitted !== null && autoSubmitted.toLowerCase() !== 'no') return { kind: 'auto_reply', reason: `Auto-Submitted: ${autoSubmitted}` }
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-autoreply-from', 'x-mail-autoreply']) {
    const value = header(name)
    if (value !== null && !/^(no|false|0)$/i.test(value)) return { kind: 'auto_reply', reason: name }
  }
  const suppress = header('x-auto-response-suppress')
  if (suppress !== null && /\b(all|oof)\b/i.test(suppress) && AUTO_SUBJECT.test(facts.subject)) return { kind: 'auto_reply', reason: 'X-Auto-Response-Suppress' }
  if (AUTO_SUBJECT.test(facts.subject)) return { kind: 'auto_reply', reason: 'subject of an automatic reply' }
  if (facts.envelopeFrom === '') return { kind: 'auto_reply', reason: 'null envelope sender' }

  for (const name of ['precedence', 'x-precedence']) {
    const value = header(name)
    if (value !== null && BULK_PRECEDENCE.test(value)) return { kind: value.toLowerCase().trim() === 'auto_reply' ? 'auto_reply' : 'bulk', reason: `${name}: ${value}` }
  }
  if (header('list-id') !== null) return { kind: 'bulk', reason: 'List-Id' }
  return { kind: null, reason: null }
}
