import { useTranslation } from 'react-i18next'
import { formatAge, formatDateTime } from '../../components/format.ts'
import type { AgentLoadRow } from '../agent/agent-types.ts'
import { useNow } from '../agent/use-now.ts'

/** Open tickets per agent by stage, with the age of the oldest: who is overloaded, who is free. */
export function AgentLoadTable({ rows }: { rows: readonly AgentLoadRow[] }) {
  const { t, i18n } = useTranslation('agent')
  const now = useNow()
  return (
    // Focusable so a keyboard can scroll the table sideways on a narrow screen (it holds no links).
    <div className="ag-table-scroll" tabIndex={0} role="group" aria-label={t('supervisor.loadScroll')}>
      <table className="ag-load" data-testid="agent-load">
        <caption className="visually-hidden">{t('supervisor.load')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('load.name')}</th>
            <th scope="col">{t('load.tier')}</th>
            <th scope="col" className="ag-num">
              {t('load.open')}
            </th>
            <th scope="col" className="ag-num">
              {t('load.notStarted')}
            </th>
            <th scope="col" className="ag-num">
              {t('load.inProgress')}
            </th>
            <th scope="col" className="ag-num">
              {t('load.waiting')}
            </th>
            <th scope="col">{t('load.oldest')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.agentId} data-testid="agent-load-row" data-agent-id={row.agentId}>
              <th scope="row">{row.name}</th>
              <td>{row.tier ?? '—'}</td>
              <td className="ag-num" data-testid="agent-load-open">
                {row.open}
              </td>
              <td className="ag-num">{row.notStarted}</td>
              <td className="ag-num">{row.inProgress}</td>
              <td className="ag-num">{row.waiting}</td>
              <td>
                {row.oldestReceivedAt === null ? (
                  '—'
                ) : (
                  <time dateTime={row.oldestReceivedAt} title={formatDateTime(row.oldestReceivedAt, i18n.language)}>
                    {formatAge(row.oldestReceivedAt, i18n.language, now)}
                  </time>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
