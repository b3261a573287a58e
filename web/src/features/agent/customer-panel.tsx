import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api } from '../../api/client.ts'
import type { Organisation, Ticket, TicketPage } from '../../api/types.ts'
import { StatusBadge } from '../../components/badges.tsx'
import { formatDateTime } from '../../components/format.ts'
import { useLoad } from '../../components/use-load.ts'
import type { Customer } from './agent-types.ts'

/** Who asked: the requester's contact details, their organisation's VIP level and package, and their other tickets. */
export function CustomerPanel({ ticket, reloadKey }: { ticket: Ticket; reloadKey: string }) {
  const { t, i18n } = useTranslation('agent')
  const customer = useLoad(() => api.get<Customer>(`/customers/${ticket.requesterId}`), [ticket.requesterId])
  const organisationId = ticket.organisationId ?? customer.data?.organisationId ?? null
  const organisation = useLoad(
    async () => (organisationId === null ? null : await api.get<Organisation>(`/organisations/${organisationId}`)),
    [organisationId],
  )
  const previous = useLoad(
    async () => (await api.get<TicketPage>(`/tickets?requester=${ticket.requesterId}&limit=10`)).items,
    // A new ticket of the same customer shows up when this one changes too.
    [ticket.requesterId, reloadKey],
  )
  const others = (previous.data ?? []).filter((item) => item.id !== ticket.id)

  return (
    <aside className="card stack ag-customer" aria-label={t('customer.label')} data-testid="customer-panel">
      <section>
        <h2>{t('customer.requester')}</h2>
        {customer.data === undefined ? (
          <p className="muted">{customer.error !== null ? t('customer.unavailable') : t('common:loading')}</p>
        ) : (
          <dl className="ag-facts">
            <dt>{t('customer.name')}</dt>
            <dd data-testid="customer-name">{customer.data.name}</dd>
            <dt>{t('customer.email')}</dt>
            <dd>{customer.data.email !== null ? <a href={`mailto:${customer.data.email}`}>{customer.data.email}</a> : '—'}</dd>
            <dt>{t('customer.phone')}</dt>
            <dd>{customer.data.phone !== null ? <a href={`tel:${customer.data.phone}`}>{customer.data.phone}</a> : '—'}</dd>
          </dl>
        )}
        {customer.data !== undefined && (
          <p className="ag-small">
            <Link to={`/desk/customers/${customer.data.id}`} data-testid="customer-page-link">
              {t('customers:openPage')}
            </Link>
          </p>
        )}
      </section>
      <section>
        <h2>{t('customer.organisation')}</h2>
        {organisationId === null ? (
          <p className="muted">{t('customer.noOrganisation')}</p>
        ) : organisation.data == null ? (
          <p className="muted">{organisation.error !== null ? t('customer.unavailable') : t('common:loading')}</p>
        ) : (
          <dl className="ag-facts">
            <dt>{t('customer.orgName')}</dt>
            <dd data-testid="organisation-name">{organisation.data.name}</dd>
            <dt>{t('customer.vip')}</dt>
            <dd>
              <span className={`badge ag-vip-${organisation.data.vipLevel}`} data-testid="organisation-vip">
                {t(`common:vip.${organisation.data.vipLevel}`)}
              </span>
            </dd>
            <dt>{t('customer.package')}</dt>
            <dd data-testid="organisation-package">{t(`common:package.${organisation.data.servicePackage}`)}</dd>
            {organisation.data.region !== null && (
              <>
                <dt>{t('customer.region')}</dt>
                <dd>{organisation.data.region}</dd>
              </>
            )}
          </dl>
        )}
      </section>
      <section>
        <h2>{t('customer.previous')}</h2>
        {previous.data === undefined ? (
          <p className="muted">{previous.error !== null ? t('customer.unavailable') : t('common:loading')}</p>
        ) : others.length === 0 ? (
          <p className="muted">{t('customer.noPrevious')}</p>
        ) : (
          <ul className="ag-previous" data-testid="previous-tickets">
            {others.map((item) => (
              <li key={item.id}>
                <Link to={`/desk/tickets/${item.id}`}>{item.subject}</Link>
                <div className="ag-small muted">
                  {item.number} · <StatusBadge status={item.status} /> · <time dateTime={item.receivedAt}>{formatDateTime(item.receivedAt, i18n.language)}</time>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </aside>
  )
}
