import sanitizeHtml from 'sanitize-html'

/**
 * Sanitises the HTML body of an inbound e-mail before anything stores or renders it: an
 * allow-list of formatting tags and attributes; no scripts, styles, forms, frames or event
 * handlers; only http(s) and mailto links. Remote images would tell the sender when the mail
 * is read, so they become plain links; inline `cid:` images point at their stored attachments.
 */
export function sanitiseEmailHtml(html: string, inlineImages: ReadonlyMap<string, string>): string {
  return sanitizeHtml(html, {
    allowedTags: [
      ...sanitizeHtml.defaults.allowedTags.filter((tag) => tag !== 'style'),
      'img', 'font', 'center', 'span', 'u', 's', 'strike', 'sub', 'sup', 'hr', 'br', 'colgroup', 'col',
    ],
    disallowedTagsMode: 'discard',
    allowedAttributes: {
      a: ['href', 'title', 'rel', 'target'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      td: ['colspan', 'rowspan', 'align', 'valign', 'width'],
      th: ['colspan', 'rowspan', 'align', 'valign', 'width'],
      table: ['width', 'border', 'cellpadding', 'cellspacing'],
      col: ['span', 'width'],
      font: ['color', 'size'],
      '*': ['dir', 'lang', 'align'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowProtocolRelative: false,
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } }),
      img: (tagName, attribs): sanitizeHtml.Tag => {
        const src = (attribs.src ?? '').trim()
        if (/^cid:/i.test(src)) {
          const attachmentId = inlineImages.get(normaliseContentId(src.slice(4)))
          if (attachmentId !== undefined) return { tagName, attribs: { ...attribs, src: `/api/v1/attachments/${attachmentId}` } }
          return { tagName: 'span', attribs: {}, text: attribs.alt ?? '' }
        }
        if (/^https?:\/\//i.test(src)) {
          return { tagName: 'a', attribs: { href: src, rel: 'noopener noreferrer nofollow', target: '_blank' }, text: `[${attribs.alt || 'image'}]` }
        }
        return { tagName: 'span', attribs: {}, text: attribs.alt ?? '' }
      },
    },
    // Text of removed elements that must not leak in as visible text either.
    nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head'],
  })
}

/** A Content-ID as it appears in `cid:` URLs and in the header: without angle brackets, lower-case. */
export function normaliseContentId(contentId: string): string {
  let id = contentId.trim().replace(/^<|>$/g, '')
  try {
    id = decodeURIComponent(id)
  } catch {
    // A malformed escape: keep the id as written.
  }
  return id.toLowerCase()
}
