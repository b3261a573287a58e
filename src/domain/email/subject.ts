/**
 * Subjects of inbound e-mail: the ticket number we put in our own subjects
 * (`Re: [#20261124-000123] …`) and the subject stripped of reply and forward prefixes.
 */

/** A ticket number as `formatTicketNumber` writes it: local date and a serial of six or more digits. */
const TICKET_NUMBER = String.raw`\d{8}-\d{6,9}`

/** `[#n]`, `[n]`, `#n`, `(#n)` or `【#n】`; a bare number in prose is not taken. */
const TAGGED_NUMBER = new RegExp(String.raw`[\[【(（]\s*#?\s*(${TICKET_NUMBER})\s*[\]】)）]|#(${TICKET_NUMBER})(?!\d)`)

/** Reply and forward prefixes of English, Chinese, German, Nordic, Dutch, Italian and French clients. */
const PREFIX = new RegExp(
  String.raw`^\s*(?:re|fw|fwd|aw|wg|sv|vs|antw|rif|tr|réf|回复|回覆|答复|答覆|转发|轉發|转寄|轉寄)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*`,
  'i',
)

/** The ticket number tagged in a subject, or null. */
export function findTicketNumber(subject: string | null | undefined): string | null {
  if (!subject) return null
  const match = TAGGED_NUMBER.exec(subject)
  return match?.[1] ?? match?.[2] ?? null
}

/** The subject without reply/forward prefixes, our ticket tag and runs of white space. */
export function normaliseSubject(subject: string | null | undefined): string {
  let rest = (subject ?? '').replace(/\s+/g, ' ').trim()
  for (;;) {
    const stripped = rest.replace(PREFIX, '').replace(new RegExp(String.raw`^\s*[\[【]\s*#?\s*${TICKET_NUMBER}\s*[\]】]\s*`), '')
    if (stripped === rest) break
    rest = stripped
  }
  return rest.replace(new RegExp(String.raw`\s*[\[【]\s*#?\s*${TICKET_NUMBER}\s*[\]】]`, 'g'), '').trim()
}
