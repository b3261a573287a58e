/**
 * Trims what an e-mail client adds under a reply: the quoted history (English and Chinese
 * clients: Gmail, Apple Mail, Outlook, Foxmail, QQ mail, NetEase) and the signature. The
 * stored message keeps the original beside the trimmed body, so nothing is lost.
 */

export interface TrimmedReply {
  /** The new text the sender wrote. */
  readonly body: string
  /** Whether anything was cut. */
  readonly trimmed: boolean
}

/** `On Tue, 24 Nov 2026 at 10:00, Wang <w@x> wrote:` (Gmail, Apple Mail, Thunderbird). */
const ON_WROTE = /^\s*On\b.{0,300}\bwrote\s*:\s*$/i
/** `在 2026年11月24日 10:00，王伟 <w@x> 写道：` (Gmail, Apple Mail in Chinese; 寫道 in Traditional). */
const ZAI_XIEDAO = /^\s*(在|於|于).{0,300}(写道|寫道)\s*[:：]?\s*$/
/** Separator lines: `-----原始邮件-----`, `-----Original Message-----`, Foxmail's `------------------ Original ------------------`, QQ mail's `------------------ 原始邮件 ------------------`. */
const SEPARATOR = /^\s*[-_=]{2,}\s*(原始邮件|原始郵件|原邮件|原郵件|Original Message|Original|Reply Message|回复的原邮件|原始信件)\s*[-_=]{2,}\s*$/i
/** Outlook draws a line of underscores above the quoted header block. */
const UNDERSCORES = /^\s*_{10,}\s*$/
/** First line of a quoted header block: From/发件人/發件人/寄件者. */
const FROM_LINE = /^\s*\*?\s*(From|发件人|發件人|寄件者|寄件人)\s*\*?\s*[:：]/i
/** Other lines of such a block; one of them must follow the From line closely. */
const HEADER_LINE = /^\s*\*?\s*(Sent|Date|To|Cc|Subject|发送时间|發送時間|发送日期|日期|时间|時間|收件人|收件者|抄送|副本|主题|主題|寄件日期)\s*\*?\s*[:：]/i
/** The standard signature delimiter (RFC 3676): dash, dash, space (the space often lost). */
const SIGNATURE_DELIMITER = /^-- ?$/
/** A delimiter further up than this is taken as part of the text, not a signature. */
const MAX_SIGNATURE_LINES = 15
/** Lines a phone or client appends on its own. */
const CLIENT_FOOTERS = [
  /^\s*(发自|發自|来自|來自|从|從)我的\s*.{1,30}$/,
  /^\s*(从|從)我的\s*.{1,30}(发送|傳送|发出)\s*$/,
  /^\s*Sent (from|with|via) (my )?.{1,40}$/i,
  /^\s*Get Outlook for .{1,20}$/i,
  /^\s*(获取|獲取)\s*Outlook\s*.{0,20}$/i,
]

/** Splits and trims. An empty result keeps the original: a reply that is all quote is kept whole. */
export function trimReply(text: string): TrimmedReply {
  const original = text.replace(/\r\n?/g, '\n')
  const lines = original.split('\n')
  let end = findQuoteStart(lines)
  end = stripTrailingQuote(lines, end)
  end = findSignatureStart(lines, end)
  const body = lines.slice(0, end).join('\n').replace(/\s+$/, '').replace(/^\n+/, '')
  const untouched = original.replace(/\s+$/, '').replace(/^\n+/, '')
  if (body.trim() === '') return { body: untouched, trimmed: false }
  return { body, trimmed: body !== untouched }
}

/** Index of the first line of quoted history, or the number of lines when there is none. */
function findQuoteStart(lines: readonly string[]): number {
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? ''
    if (ON_WROTE.test(line) || ZAI_XIEDAO.test(line) || SEPARATOR.test(line)) return index
    // Gmail wraps a long attribution: "On Tue, … Wang Wei <w@x>" / "wrote:".
    const next = lines[index + 1] ?? ''
    if (/^\s*On\b/i.test(line) && /^.{0,200}\bwrote\s*:\s*$/i.test(next) && ON_WROTE.test(`${line} ${next}`)) return index
    if (/^\s*(在|於|于)/.test(line) && /(写道|寫道)\s*[:：]?\s*$/.test(next) && ZAI_XIEDAO.test(`${line} ${next}`)) return index
    if (UNDERSCORES.test(line) && FROM_LINE.test(firstNonBlank(lines, index + 1))) return index
    if (FROM_LINE.test(line) && hasHeaderLineNear(lines, index)) return index
  }
  return lines.length
}

function firstNonBlank(lines: readonly string[], from: number): string {
  for (let index = from; index < lines.length && index < from + 3; index++) {
    const line = lines[index] ?? ''
    if (line.trim() !== '') return line
  }
  return ''
}

function hasHeaderLineNear(lines: readonly string[], fromIndex: number): boolean {
  for (let index = fromIndex + 1; index < lines.length && index <= fromIndex + 4; index++) {
    if (HEADER_LINE.test(lines[index] ?? '')) return true
  }
  return false
}

/** A block of `>` lines at the end (with its attribution, if any); `>` lines between new text (inline answers) stay. */
function stripTrailingQuote(lines: readonly string[], end: number): number {
  let cut = end
  while (cut > 0 && (lines[cut - 1] ?? '').trim() === '') cut--
  let quoteStart = cut
  while (quoteStart > 0 && /^\s*>/.test(lines[quoteStart - 1] ?? '')) quoteStart--
  if (quoteStart === cut) return end
  return quoteStart
}

/** The signature: from the last `-- ` delimiter, else client footers on the last lines. */
function findSignatureStart(lines: readonly string[], end: number): number {
  for (let index = end - 1; index > 0 && index >= end - MAX_SIGNATURE_LINES; index--) {
    if (SIGNATURE_DELIMITER.test(lines[index] ?? '')) return index
  }
  let cut = end
  for (;;) {
    while (cut > 0 && (lines[cut - 1] ?? '').trim() === '') cut--
    const last = lines[cut - 1] ?? ''
    if (cut > 1 && CLIENT_FOOTERS.some((footer) => footer.test(last))) cut--
    else return cut
  }
}
