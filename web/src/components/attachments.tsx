import { useTranslation } from 'react-i18next'
import type { Attachment } from '../api/types.ts'

/** Files of a message, as download links with their size. */
export function AttachmentList({ attachments }: { attachments: readonly Attachment[] }) {
  const { t, i18n } = useTranslation()
  if (attachments.length === 0) return null
  const size = new Intl.NumberFormat(i18n.language, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 1 })
  return (
    <ul className="attachments" aria-label={t('attachments.label')}>
      {attachments.map((attachment) => (
        <li key={attachment.id}>
          <a href={attachment.url} download={attachment.filename} data-testid="attachment-link">
            {attachment.filename}
          </a>{' '}
          <span className="muted">({size.format(attachment.size / 1024)})</span>
        </li>
      ))}
    </ul>
  )
}
