/** Message-ID handling: the ids a reply names, and a stable stand-in when a message has none. */

/** Longest Message-ID kept; longer ones are cut (RFC 5322 lines are 998 characters at most). */
const MAX_ID_LENGTH = 500

/** The `<id>` tokens of a Message-ID, In-Reply-To or References header, in order, without duplicates. */
export function parseMessageIds(value: string | readonly string[] | null | undefined): string[] {
  if (value === null || value === undefined) return []
  const text = typeof value === 'string' ? value : value.join(' ')
  const ids: string[] = []
  const bracketed = text.match(/<[^<>\s]+>/g)
  const tokens = bracketed ?? text.split(/[\s,]+/).filter((token) => token.includes('@')).map((token) => `<${token}>`)
  for (const token of tokens) {
    const id = token.slice(0, MAX_ID_LENGTH)
    if (!ids.includes(id)) ids.push(id)
  }
  return ids
}

/** The first Message-ID of a header value, or null when it holds none. */
export function firstMessageId(value: string | null | undefined): string | null {
  return parseMessageIds(value)[0] ?? null
}

/** The id given to a message that arrived without one: derived from its bytes, so a resend is still a duplicate. */
export function syntheticMessageId(sha256Hex: string): string {
  return `<${sha256Hex}@no-message-id.loopdesk.invalid>`
}

/**
 * The ids to look up, most telling first: In-Reply-To (the message answered), then
 * References from the newest back to the first of the thread.
 */
export function threadCandidates(inReplyTo: readonly string[], references: readonly string[]): string[] {
  const ordered = [...inReplyTo, ...[...references].reverse()]
  return [...new Set(ordered)]
}

/** Both spellings of an id (`<a@b>` and `a@b`), so a lookup finds rows stored either way. */
export function idSpellings(ids: readonly string[]): string[] {
  return [...new Set(ids.flatMap((id) => [id, id.replace(/^<|>$/g, '')]))]
}
