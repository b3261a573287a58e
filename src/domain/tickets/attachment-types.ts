/**
 * Content types accepted as attachments, decided from the bytes (never from the file name):
 * pictures and screenshots, documents, archives of logs, call recordings and short videos.
 */
export const ALLOWED_ATTACHMENT_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/bmp',
  'image/heic',
  'application/pdf',
  'application/zip',
  'application/gzip',
  'application/x-7z-compressed',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/x-cfb',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'audio/mpeg',
  'audio/wav',
  'audio/x-wav',
  'audio/ogg',
  'audio/mp4',
  'video/mp4',
  'video/quicktime',
  'video/webm',
  'message/rfc822',
  'text/plain',
])

/**
 * Whether bytes that no magic number matched are plain text: valid UTF-8 (or GB18030/GBK
 * text, which never contains NUL) with no control characters other than whitespace.
 */
export function looksLikeText(sample: Uint8Array): boolean {
  for (const byte of sample) {
    if (byte === 0) return false
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1b) return false
  }
  return true
}

/** A file name safe to store and to send back in Content-Disposition. */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? ''
  // Cut by code points, so an emoji is never split into a lone surrogate.
  const cleaned = Array.from(base.replace(/[\u0000-\u001f\u007f"]/g, '').trim()).slice(0, 200).join('')
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'attachment' : cleaned
}
