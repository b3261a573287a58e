import type { Ref } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import type { Ticket } from '../../api/types.ts'
import { SeverityBadge, StatusBadge } from '../../components/badges.tsx'
import { ChannelLabel } from '../../components/channel-label.tsx'
import { formatAge, formatDateTime, formatRelative } from '../../components/format.ts'
import { useUser } from '../../components/session.tsx'
import { SlaCountdown } from '../../components/sla.tsx'
import { useNow } from './use-now.ts'

/** How often countdowns and ages are redrawn (no request to the server). */
const TICK_MS = 30_000

export interface TicketSelection {
  readonly selected: ReadonlySet<string>
  toggle(id: string): void
}

/**
 * A table of tickets: number, subject (a link to the ticket), status, severity, priority, the
 * next SLA due time as a live countdown, type and the channel it came in by, who has it, and when it arrived and last
 * changed. Optionally a checkbox per row (bulk actions) and a highlighted row (keyboard
 * selection).
 */
export function TicketTable({
  tickets,
  caption,
  assigneeNames,
  groupNames,
  selection,
  activeIndex = -1,
  activeRef,
  showAge = false,
  busy = false,
}: {
  tickets: readonly Ticket[]
  caption: string
  assigneeNames: ReadonlyMap<string, string>
  groupNames?: ReadonlyMap<string, string>
  selection?: TicketSelection
  activeIndex?: number
  activeRef?: Ref<HTMLAnchorElement>
  showAge?: boolean
  busy?: boolean
}) {
  const { t, i18n } = useTranslation('agent')
  const now = useNow(TICK_MS)
  const language = i18n.language
  const { timeZone } = useUser()
  return (
    <div className="ag-table-scroll">
      <table className="ag-tickets" aria-busy={busy}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {selection !== undefined && (
              <th scope="col">
                <span className="visually-hidden">{t('table.select')}</span>
              </th>
            )}
            <th scope="col">{t('table.number')}</th>
            <th scope="col">{t('table.subject')}</th>
            <th scope="col">{t('table.status')}</th>
            <th scope="col">{t('table.severity')}</th>
            <th scope="col" className="ag-num ag-nowrap">
              {t('table.priority')}
            </th>
            <th scope="col" className="ag-nowrap">
              {t('table.sla')}
            </th>
            <th scope="col">{t('table.typeChannel')}</th>
            <th scope="col">{t('table.assignee')}</th>
            <th scope="col">{showAge ? t('table.age') : t('table.received')}</th>
            <th scope="col">{t('table.updated')}</th>
          </tr>
        </thead>
        <tbody>
          {tickets.map((ticket, index) => {
            const active = index === activeIndex
            const group = ticket.groupId != null ? groupNames?.get(ticket.groupId) : undefined
            return (
              <tr
                key={ticket.id}
                className={active ? 'ag-row-active' : undefined}
                aria-current={active ? 'true' : undefined}
                data-testid="ticket-row"
                data-ticket-id={ticket.id}
                data-number={ticket.number}
              >
                {selection !== undefined && (
                  <td>
                    <input
                      type="checkbox"
                      checked={selection.selected.has(ticket.id)}
                      onChange={() => selection.toggle(ticket.id)}
                      aria-label={t('table.selectTicket', { number: ticket.number })}
                      data-testid="select-ticket"
                    />
                  </td>
                )}
                <td className="ag-nowrap ag-number">{ticket.number}</td>
                <td className="ag-subject">
                  <Link to={`/desk/tickets/${ticket.id}`} ref={active ? activeRef : undefined} data-testid="ticket-link">
                    {ticket.subject}
                  </Link>
                </td>
                <td>
                  <StatusBadge status={ticket.status} />
                </td>
                <td>
                  <SeverityBadge severity={ticket.severity} />
                </td>
                <td className="ag-num" data-testid="priority-cell">
                  {ticket.priorityScore ?? '—'}
                </td>
                <td className="ag-nowrap">
                  <SlaCountdown dueAt={ticket.slaDueAt} state={ticket.slaState} now={now} timeZone={timeZone} />
                </td>
                <td className="ag-nowrap">
                  {t(`common:type.${ticket.type}`)}
                  <div className="muted ag-small">
                    <ChannelLabel channel={ticket.channel} testId="ticket-channel" />
                  </div>
                </td>
                <td className="ag-nowrap">
                  {ticket.assigneeId != null ? (assigneeNames.get(ticket.assigneeId) ?? t('table.someone')) : <span className="muted">{t('table.unassigned')}</span>}
                  {group !== undefined && <div className="muted ag-small">{group}</div>}
                </td>
                <td className="ag-nowrap">
                  <time dateTime={ticket.receivedAt} title={formatDateTime(ticket.receivedAt, language)}>
                    {showAge ? formatAge(ticket.receivedAt, language, now) : formatRelative(ticket.receivedAt, language, now)}
                  </time>
                </td>
                <td className="ag-nowrap">
                  <time dateTime={ticket.updatedAt} title={formatDateTime(ticket.updatedAt, language)}>
                    {formatRelative(ticket.updatedAt, language, now)}
                  </time>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
