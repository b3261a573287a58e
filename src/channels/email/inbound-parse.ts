import { createHash } from 'node:crypto'
import sanitizeHtml from 'sanitize-html'
import { type AddressObject, type HeaderValue, simpleParser } from 'mailparser'
import { parseMessageIds, syntheticMessageId } from '../../domain/email/message-ids.ts'

/** One part of an inbound e-mail that is a file (an attachment or an inline image). */
export interface ParsedAttachment {
  readonly filename: string
  readonly declaredType: string
  readonly content: Buffer
  /** Content-ID without brackets, lower-case; set for inline images referenced as `cid:`. */
  readonly contentId: string | null
}

/** An inbound e-mail as the channel uses it: decoded (any charset iconv-lite knows), nothing judged yet. */
export interface ParsedEmail {
  readonly messageId: string
  readonly hadMessageId: boolean
  readonly inReplyTo: string[]
  readonly references: string[]
  readonly from: { readonly address: string; readonly name: string } | null
  readonly to: string[]
  readonly subject: string
  readonly text: string
  readonly html: string | null
  readonly headers: ReadonlyMap<string, string>
  readonly contentType: string
  readonly reportType: string | null
  readonly attachments: readonly ParsedAttachment[]
  readonly sha256: string
}

/**
 * Parses raw RFC 5322 bytes with mailparser: MIME structure, transfer encodings (base64,
 * quoted-printable), charsets (GBK, GB2312, GB18030, Big5, UTF-8 …) and RFC 2047 encoded
 * words. Malformed input gives what could be read rather than an error.
 */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  const sha256 = createHash('sha256').update(raw).digest('hex')
  const mail = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true, keepCidLinks: true, maxHtmlLengthToParse: 5 * 1024 * 1024 })
  // Raw header lines, unfolded: mailparser folds List-* and others into structured values.
  const headers = new Map<string, string>()
  for (const [name, value] of mail.headers) headers.set(name.toLowerCase(), headerText(value))
  for (const { key, line } of mail.headerLines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(key.toLowerCase(), line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim())
  }
  const contentTypeHeader = mail.headers.get('content-type')
  const contentType = isStructured(contentTypeHeader) ? contentTypeHeader.value.toLowerCase() : 'text/plain'
  const reportType = isStructured(contentTypeHeader) ? (contentTypeHeader.params['report-type'] ?? null) : null
  const ownId = parseMessageIds(mail.messageId)[0]
  const from = mail.from?.value.find((entry) => entry.address !== undefined && entry.address.includes('@'))
  return {
    messageId: ownId ?? syntheticMessageId(sha256),
    hadMessageId: ownId !== undefined,
    inReplyTo: parseMessageIds(mail.inReplyTo),
    references: parseMessageIds(mail.references),
    from: from?.address !== undefined ? { address: from.address.toLowerCase(), name: from.name ?? '' } : null,
    to: addresses(mail.to).concat(addresses(mail.cc)),
    subject: (mail.subject ?? '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').trim(),
    text: (mail.text?.trim() ? mail.text : typeof mail.html === 'string' ? htmlToText(mail.html) : '').replace(/\u0000/g, ''),
    html: typeof mail.html === 'string' && mail.html.trim() !== '' ? mail.html : null,
    headers,
    contentType,
    reportType,
    attachments: mail.attachments.map((attachment) => ({
      filename: attachment.filename ?? defaultName(attachment.contentType),
      declaredType: attachment.contentType,
      content: attachment.content,
      contentId: attachment.contentId ? attachment.contentId.replace(/^<|>$/g, '').toLowerCase() : null,
    })),
    sha256,
  }
}

/** The words of an HTML-only message, one block per line, for the plain body and the search index. */
function htmlToText(html: string): string {
  const marked = html.replace(/<\s*(br|\/p|\/div|\/li|\/tr|\/h[1-6]|\/blockquote)\b[^>]*>/gi, '$&\n')
  const text = sanitizeHtml(marked, { allowedTags: [], allowedAttributes: {}, nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head'] })
  return decodeEntities(text).replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim()
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16) || 0xfffd)
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10) || 0xfffd)
    return named[entity.toLowerCase()] ?? whole
  })
}

function isStructured(value: HeaderValue | undefined): value is { value: string; params: Record<string, string> } {
  return typeof value === 'object' && value !== null && 'value' in value && 'params' in value
}

function headerText(value: HeaderValue): string {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item : 'text' in item ? item.text : item.value)).join(', ')
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object' && value !== null) {
    if ('text' in value && typeof value.text === 'string') return value.text
    if ('value' in value && typeof value.value === 'string') return value.value
  }
  return String(value)
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  if (field === undefined) return []
  const list = Array.isArray(field) ? field : [field]
  return list.flatMap((entry) => entry.value.map((address) => address.address?.toLowerCase() ?? '')).filter((address) => address.includes('@'))
}

function defaultName(contentType: string): string {
  const subtype = contentType.split('/')[1]?.replace(/[^a-z0-9.+-]/gi, '') ?? 'bin'
  return `attachment.${subtype || 'bin'}`
}
