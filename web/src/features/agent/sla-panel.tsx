import { useTranslation } from 'react-i18next'
import type { SlaTargetState, Ticket } from '../../api/types.ts'
import { formatDateTime } from '../../components/format.ts'
import { useUser } from '../../components/session.tsx'
import { formatDuration, formatPoints, priorityValueLabel, targetDisplayStatus } from '../../components/sla.tsx'

/**
 * The ticket's committed response times: each target with its state, when it falls due (in
 * the reader's time zone) and the business time left or overdue on its calendar; then the
 * dynamic priority and the inputs that made it.
 */
export function SlaPanel({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation('agent')
  const { timeZone } = useUser()
  const targets = ticket.sla ?? []
  const factors = ticket.priorityFactors ?? []
  return (
    <section className="card ag-sla" aria-labelledby="ag-sla-title" data-testid="sla-panel" data-sla-state={ticket.slaState ?? 'none'}>
      <h2 id="ag-sla-title">{t('sla.title')}</h2>
      {targets.length === 0 ? (
        <p className="muted ag-small" data-testid="sla-none">
          {t('sla.noPolicy')}
        </p>
      ) : (
        <>
          <p className="muted ag-small">{t('sla.timeZone', { zone: timeZone })}</p>
          <ul className="ag-sla-targets">
            {targets.map((target) => (
              <TargetItem key={target.target} target={target} language={i18n.language} timeZone={timeZone} />
            ))}
          </ul>
        </>
      )}
      {ticket.priorityScore !== undefined && (
        <div className="ag-priority" data-testid="priority-explanation">
          <h3 className="ag-priority-head">
            {t('sla.priority')} <span data-testid="priority-score">{ticket.priorityScore}</span>
          </h3>
          {factors.length > 0 && (
            <table className="ag-priority-factors">
              <caption className="visually-hidden">{t('sla.priorityCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('sla.factorInput')}</th>
                  <th scope="col">{t('sla.factorValue')}</th>
                  <th scope="col" className="ag-num">
                    {t('sla.factorPoints')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {factors.map((factor, index) => (
                  <tr key={`${factor.input}-${index}`} data-testid="priority-factor" data-input={factor.input}>
                    <th scope="row">{t(`common:priority.input.${factor.input}`, { defaultValue: factor.input })}</th>
                    <td>{priorityValueLabel(factor, t)}</td>
                    <td className="ag-num">{formatPoints(factor.points)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={2}>
                    {t('sla.priorityTotal')}
                  </th>
                  <td className="ag-num">{ticket.priorityScore}</td>
                </tr>
              </tfoot>
            </table>
          )}
        </div>
      )}
    </section>
  )
}

function TargetItem({ target, language, timeZone }: { target: SlaTargetState; language: string; timeZone: string }) {
  const { t } = useTranslation('agent')
  const shown = targetDisplayStatus(target)
  const seconds = target.businessSecondsLeft
  const counting = target.status === 'running' || target.status === 'paused' || target.status === 'breached'
  return (
    <li className="ag-sla-target" data-testid="sla-target" data-target={target.target} data-status={target.status}>
      <div className="ag-sla-target-head">
        <span className="ag-sla-name">{t(`common:sla.target.${target.target}`)}</span>
        <span className={`badge sla-badge sla-${shown}`}>{t(`common:sla.status.${shown}`)}</span>
      </div>
      <dl className="ag-sla-facts">
        <dt>{t('sla.due')}</dt>
        <dd>{target.dueAt === null ? t('sla.notStarted') : <time dateTime={target.dueAt}>{formatDateTime(target.dueAt, language, timeZone)}</time>}</dd>
        {counting && (
          <>
            <dt>{t('sla.businessTime')}</dt>
            <dd className={seconds < 0 || target.status === 'breached' ? 'sla-text-breached' : shown === 'at_risk' ? 'sla-text-at_risk' : undefined}>
              {seconds >= 0 && target.status !== 'breached'
                ? t('sla.businessLeft', { time: formatDuration(seconds * 1000, t, true) })
                : t('sla.businessOverdue', { time: formatDuration(seconds * 1000, t) })}
              {target.status === 'paused' && ` ${t('sla.pausedNote')}`}
            </dd>
          </>
        )}
        {target.escalationLevel > 0 && (
          <>
            <dt>{t('sla.escalation')}</dt>
            <dd>{t('sla.escalationLevel', { level: target.escalationLevel })}</dd>
          </>
        )}
      </dl>
    </li>
  )
}
