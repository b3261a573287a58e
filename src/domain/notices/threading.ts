/** Threading headers of the e-mails we send, so mail clients show one conversation per ticket. */

/** References kept at most: the first of the thread and the newest ones (RFC 5322 §3.6.4 allows trimming the middle). */
const MAX_REFERENCES = 20

/** The host of our Message-IDs: the domain of the sender address, so they are globally unique and ours. */
export function messageIdHost(mailFrom: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(mailFrom.trim())
  const host = match?.[1]?.toLowerCase().replace(/\.+$/, '')
  return host !== undefined && host !== '' ? host : 'loopdesk.invalid'
}

/** A Message-ID of ours: `<uuid@host>`. */
export function ownMessageId(uuid: string, mailFrom: string): string {
  return `<${uuid}@${messageIdHost(mailFrom)}>`
}

/**
 * In-Reply-To and References for a new message on a thread whose earlier Message-IDs are
 * given oldest first (inbound and outbound alike): it answers the newest one, and names the
 * first and the newest ones as references.
 */
export function threadHeaders(threadIds: readonly string[]): { inReplyTo: string | null; references: string[] } {
  const ids = [...new Set(threadIds.filter((id) => /^<[^<>\s]+>$/.test(id)))]
  const inReplyTo = ids.at(-1) ?? null
  if (ids.length <= MAX_REFERENCES) return { inReplyTo, references: ids }
  const first = ids[0]
  const tail = ids.slice(-(MAX_REFERENCES - 1))
  return { inReplyTo, references: first === undefined ? tail : [first, ...tail] }
}
