import { useTranslation } from 'react-i18next'
import type { Ticket, TicketEvent } from '../../api/types.ts'
import { formatDateTime } from '../../components/format.ts'
import { progressSteps } from './request-progress.ts'

/** The lifecycle as numbered steps: done ones ticked and dated, the current one marked. */
export function ProgressTimeline({ ticket, events }: { ticket: Ticket; events: readonly TicketEvent[] }) {
  const { t, i18n } = useTranslation('portal')
  const steps = progressSteps(ticket, events)
  return (
    <ol className="pt-progress" data-testid="progress">
      {steps.map((step, index) => (
        <li
          key={step.key}
          className={`pt-step ${step.done ? 'pt-step-done' : ''} ${step.current ? 'pt-step-current' : ''}`}
          data-testid="progress-step"
          data-step={step.key}
          data-done={step.done ? 'true' : 'false'}
          aria-current={step.current ? 'step' : undefined}
        >
          <span className="pt-step-marker" aria-hidden="true">
            {step.done ? '✓' : index + 1}
          </span>
          <span className="pt-step-text">
            <span className="pt-step-name">{t(`progress.${step.key}`)}</span>
            <span className="visually-hidden">
              {t('progress.separator')}
              {step.done ? t('progress.done') : t('progress.pending')}
            </span>
            {step.current && ticket.status === 'waiting' && <span className="pt-step-note">{t('progress.waitingOnYou')}</span>}
            {step.at !== null && (
              <time className="pt-step-date" dateTime={step.at}>
                {formatDateTime(step.at, i18n.language)}
              </time>
            )}
          </span>
        </li>
      ))}
    </ol>
  )
}
