import { useTranslation } from 'react-i18next'
import type { Severity, TicketStatus } from '../api/types.ts'

/** The status of a ticket in words, never by colour alone. */
export function StatusBadge({ status, testId }: { status: TicketStatus; testId?: string }) {
  const { t } = useTranslation()
  return (
    <span className={`badge status-${status}`} data-testid={testId} data-status={status}>
      {t(`status.${status}`)}
    </span>
  )
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useTranslation()
  return <span className={`badge sev-${severity}`}>{t(`severity.${severity}`)}</span>
}
