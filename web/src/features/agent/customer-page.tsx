import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { ApiError, api } from '../../api/client.ts'
import type { Organisation, TicketPage } from '../../api/types.ts'
import { StatusBadge } from '../../components/badges.tsx'
import { ChannelLabel } from '../../components/channel-label.tsx'
import { formatDateTime } from '../../components/format.ts'
import { useLoad } from '../../components/use-load.ts'
import { type Customer, OPEN_STATUSES } from './agent-types.ts'
import './customer-page.css'
import { Dialog } from './dialog.tsx'

/** `GET /customers/:id/history` items. */
interface HistoryItem {
  readonly kind: 'ticket' | 'message' | 'call' | 'chat' | 'email'
  readonly id: string
  readonly at: string
  readonly channel: string
  readonly summary: string
  readonly detail: string | null
  readonly ticketId: string | null
  readonly ticketNumber: string | null
}
interface HistoryPage {
  readonly items: HistoryItem[]
  readonly nextCursor: string | null
}
interface DuplicateBrief {
  readonly id: string
  readonly name: string
  readonly email: string | null
  readonly phone: string | null
  readonly organisationId: string | null
}
interface Duplicate {
  readonly customer: DuplicateBrief
  readonly score: number
  readonly reasons: { code: string; evidence: string; weight: number }[]
}
interface Merge {
  readonly id: string
  readonly survivorId: string
  readonly survivorName: string
  readonly mergedId: string
  readonly mergedName: string
  readonly mergedAt: string
  readonly undoneAt: string | null
  readonly moved: {
    tickets: string[]
    messages: string[]
    chatSessions: string[]
    calls: string[]
    callbackTasks: string[]
    identities: { source: string; externalId: string }[]
    contactPoints: Record<string, string>
  }
}
interface Identity {
  readonly source: string
  readonly externalId: string
}

/** One customer for agents: contact points, open tickets, the history across channels, duplicates to merge, merges to undo. */
export function CustomerPage() {
  const { id = '' } = useParams()
  const { t, i18n } = useTranslation('customers')
  const [version, setVersion] = useState(0)
  const refresh = () => setVersion((value) => value + 1)
  const customer = useLoad(() => api.get<Customer>(`/customers/${id}`), [id, version])
  const identities = useLoad(async () => (await api.get<{ items: Identity[] }>(`/customers/${id}/identities`)).items, [id, version])
  const organisationId = customer.data?.organisationId ?? null
  const organisation = useLoad(async () => (organisationId === null ? null : await api.get<Organisation>(`/organisations/${organisationId}`)), [organisationId])
  const openTickets = useLoad(async () => (await api.get<TicketPage>(`/tickets?requester=${id}&status=${OPEN_STATUSES}&limit=20`)).items, [id, version])
  const duplicates = useLoad(async () => (await api.get<{ items: Duplicate[] }>(`/customers/${id}/duplicates`)).items, [id, version])
  const merges = useLoad(async () => (await api.get<{ items: Merge[] }>(`/customers/${id}/merges`)).items, [id, version])
  const [merging, setMerging] = useState<Duplicate | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const mergedInto = merges.data?.find((merge) => merge.mergedId === id && merge.undoneAt === null)
  const when = (iso: string) => formatDateTime(iso, i18n.language)

  async function undo(merge: Merge) {
    setError(null)
    try {
      await api.post(`/customer-merges/${merge.id}/undo`)
      setNotice(t('merges.undone', { name: merge.mergedName }))
      refresh()
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('common:error.generic'))
    }
  }

  if (customer.error !== null && customer.data === undefined) {
    return <p className="error" role="alert">{t('notFound')}</p>
  }
  if (customer.data === undefined) return <p className="loading">{t('common:loading')}</p>
  const person = customer.data

  return (
    <div className="stack cu-page" data-testid="customer-page">
      <div className="ag-page-head">
        <h1 data-testid="customer-page-name">{person.name}</h1>
        {!person.isActive && <span className="badge">{t('inactive')}</span>}
      </div>
      {mergedInto !== undefined && (
        <p className="cu-banner" role="status" data-testid="merged-banner">
          {t('mergedInto')} <Link to={`/desk/customers/${mergedInto.survivorId}`}>{mergedInto.survivorName}</Link>
        </p>
      )}
      {notice !== null && <p role="status" className="cu-notice" data-testid="customer-notice">{notice}</p>}
      {error !== null && <p role="alert" className="error">{error}</p>}
      <div className="cu-layout">
        <div className="stack">
          <section className="card" aria-labelledby="cu-contact">
            <h2 id="cu-contact">{t('contact.title')}</h2>
            <dl className="ag-facts" data-testid="contact-points">
              <dt>{t('contact.email')}</dt>
              <dd>{person.email ?? '—'}</dd>
              <dt>{t('contact.phone')}</dt>
              <dd>{person.phone ?? '—'}</dd>
              <dt>{t('contact.wechat')}</dt>
              <dd>{person.wechatOpenId ?? '—'}</dd>
              <dt>{t('contact.app')}</dt>
              <dd>{person.appUserId ?? '—'}</dd>
              <dt>{t('contact.organisation')}</dt>
              <dd>{organisationId === null ? t('contact.noOrganisation') : (organisation.data?.name ?? '…')}</dd>
            </dl>
            <h3>{t('contact.identities')}</h3>
            {identities.data === undefined || identities.data.length === 0 ? (
              <p className="muted">{t('contact.noIdentities')}</p>
            ) : (
              <ul className="cu-plain" data-testid="identities">
                {identities.data.map((identity) => (
                  <li key={`${identity.source}:${identity.externalId}`}>
                    <span className="badge">{identity.source}</span> <code>{identity.externalId}</code>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="card" aria-labelledby="cu-open">
            <h2 id="cu-open">{t('open.title')}</h2>
            {openTickets.data === undefined ? (
              <p className="muted">{t('common:loading')}</p>
            ) : openTickets.data.length === 0 ? (
              <p className="muted">{t('open.none')}</p>
            ) : (
              <ul className="cu-plain" data-testid="open-tickets">
                {openTickets.data.map((ticket) => (
                  <li key={ticket.id}>
                    <Link to={`/desk/tickets/${ticket.id}`}>{ticket.subject}</Link>{' '}
                    <span className="ag-small muted">
                      {ticket.number} · <StatusBadge status={ticket.status} /> · {t(`common:channel.${ticket.channel}`)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="card" aria-labelledby="cu-duplicates">
            <h2 id="cu-duplicates">{t('duplicates.title')}</h2>
            {duplicates.data === undefined ? (
              <p className="muted">{t('common:loading')}</p>
            ) : duplicates.data.length === 0 || mergedInto !== undefined ? (
              <p className="muted">{t('duplicates.none')}</p>
            ) : (
              <ul className="cu-plain stack" data-testid="duplicates">
                {duplicates.data.map((duplicate) => (
                  <li key={duplicate.customer.id} className="cu-duplicate" data-testid="duplicate">
                    <div>
                      <Link to={`/desk/customers/${duplicate.customer.id}`}>{duplicate.customer.name}</Link>{' '}
                      <span className="ag-small muted">{[duplicate.customer.email, duplicate.customer.phone].filter((value) => value !== null).join(' · ')}</span>
                    </div>
                    <div className="ag-small">
                      {t('duplicates.score', { score: duplicate.score })}:{' '}
                      {duplicate.reasons.map((reason) => t(`duplicates.reason.${reason.code}`, { evidence: reason.evidence })).join('; ')}
                    </div>
                    <button type="button" onClick={() => setMerging(duplicate)} data-testid="merge-button">
                      {t('duplicates.merge', { name: duplicate.customer.name })}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="card" aria-labelledby="cu-merges">
            <h2 id="cu-merges">{t('merges.title')}</h2>
            {merges.data === undefined ? (
              <p className="muted">{t('common:loading')}</p>
            ) : merges.data.length === 0 ? (
              <p className="muted">{t('merges.none')}</p>
            ) : (
              <ul className="cu-plain stack" data-testid="merges">
                {merges.data.map((merge) => (
                  <li key={merge.id} data-testid="merge-row">
                    <div>
                      {t('merges.line', { merged: merge.mergedName, survivor: merge.survivorName })}{' '}
                      <span className="ag-small muted">
                        <time dateTime={merge.mergedAt}>{when(merge.mergedAt)}</time> · {t('merges.counts', { tickets: merge.moved.tickets.length, messages: merge.moved.messages.length, calls: merge.moved.calls.length, chats: merge.moved.chatSessions.length })}
                      </span>
                    </div>
                    {merge.undoneAt !== null ? (
                      <span className="badge">{t('merges.wasUndone', { at: when(merge.undoneAt) })}</span>
                    ) : (
                      <button type="button" onClick={() => void undo(merge)} data-testid="undo-merge">
                        {t('merges.undo', { name: merge.mergedName })}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>

        <History customerId={id} version={version} />
      </div>

      {merging !== null && (
        <MergeDialog
          survivor={person}
          duplicate={merging}
          onClose={() => setMerging(null)}
          onDone={(merge) => {
            setMerging(null)
            setNotice(t('merge.done', { merged: merge.mergedName, survivor: merge.survivorName }))
            refresh()
          }}
        />
      )}
    </div>
  )
}

/** The cross-channel history, newest first, a page at a time. */
function History({ customerId, version }: { customerId: string; version: number }) {
  const { t, i18n } = useTranslation('customers')
  const [more, setMore] = useState<{ items: HistoryItem[]; cursor: string | null; forVersion: string } | null>(null)
  const key = `${customerId}:${version}`
  const first = useLoad(() => api.get<HistoryPage>(`/customers/${customerId}/history?limit=30`), [customerId, version])
  const extra = more !== null && more.forVersion === key ? more : null
  const items = [...(first.data?.items ?? []), ...(extra?.items ?? [])]
  const cursor = extra !== null ? extra.cursor : (first.data?.nextCursor ?? null)
  const [busy, setBusy] = useState(false)
  const detailText = (item: HistoryItem): string | null => {
    if (item.detail === null || item.detail === '' || item.kind === 'message') return null
    if (item.kind === 'ticket') return t(`common:status.${item.detail}`, { defaultValue: item.detail })
    return t(`history.detail.${item.detail.replace(/\s+/g, '_')}`, { defaultValue: item.detail })
  }

  async function loadMore() {
    if (cursor === null) return
    setBusy(true)
    try {
      const page = await api.get<HistoryPage>(`/customers/${customerId}/history?limit=30&cursor=${encodeURIComponent(cursor)}`)
      setMore({ items: [...(extra?.items ?? []), ...page.items], cursor: page.nextCursor, forVersion: key })
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card cu-history" aria-labelledby="cu-history">
      <h2 id="cu-history">{t('history.title')}</h2>
      {first.data === undefined ? (
        <p className="muted">{first.error !== null ? t('history.unavailable') : t('common:loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted">{t('history.none')}</p>
      ) : (
        <ol className="cu-timeline" data-testid="history">
          {items.map((item) => (
            <li key={`${item.kind}:${item.id}`} data-testid="history-item" data-kind={item.kind}>
              <ChannelLabel channel={item.channel} className="cu-channel" />
              <div className="cu-entry">
                <div>
                  <strong>{t(`history.kind.${item.kind}`)}</strong>{' '}
                  {item.ticketId !== null ? (
                    <Link to={`/desk/tickets/${item.ticketId}`}>{item.kind === 'ticket' ? item.summary : item.ticketNumber}</Link>
                  ) : (
                    <span>{item.summary}</span>
                  )}
                </div>
                {item.kind !== 'ticket' && item.ticketId !== null && item.summary !== '' && <div className="ag-small cu-summary">{item.summary}</div>}
                <div className="ag-small muted">
                  <time dateTime={item.at}>{formatDateTime(item.at, i18n.language)}</time>
                  {detailText(item) !== null && ` · ${detailText(item)}`}
                </div>
              </div>
            </li>
          ))}
        </ol>
      )}
      {cursor !== null && (
        <button type="button" onClick={() => void loadMore()} disabled={busy} data-testid="history-more">
          {t('history.more')}
        </button>
      )}
    </section>
  )
}

/** Confirms a merge, showing what will move from the duplicate to this customer. */
function MergeDialog({ survivor, duplicate, onClose, onDone }: { survivor: Customer; duplicate: Duplicate; onClose: () => void; onDone: (merge: Merge) => void }) {
  const { t } = useTranslation('customers')
  const preview = useLoad(() => api.get<HistoryPage>(`/customers/${duplicate.customer.id}/history?limit=100`), [duplicate.customer.id])
  const [force, setForce] = useState(false)
  const [needsForce, setNeedsForce] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const count = (kind: HistoryItem['kind']) => (preview.data?.items ?? []).filter((item) => item.kind === kind).length
  const points = (['email', 'phone'] as const).filter((key) => duplicate.customer[key] !== null && survivor[key] === null)

  async function confirm() {
    setBusy(true)
    setError(null)
    try {
      onDone(await api.post<Merge>(`/customers/${survivor.id}/merge`, { mergeId: duplicate.customer.id, ...(force ? { force: true } : {}) }))
    } catch (caught) {
      if (caught instanceof ApiError && caught.fields.some((field) => field.field === 'force')) setNeedsForce(true)
      setError(caught instanceof ApiError ? caught.message : t('common:error.generic'))
      setBusy(false)
    }
  }

  return (
    <Dialog title={t('merge.title')} onClose={onClose} testId="merge-dialog">
      <div className="stack">
        <p>{t('merge.intro', { merged: duplicate.customer.name, survivor: survivor.name })}</p>
        {preview.data === undefined ? (
          <p className="muted">{t('common:loading')}</p>
        ) : (
          <ul data-testid="merge-preview">
            <li>{t('merge.tickets', { count: count('ticket') })}</li>
            <li>{t('merge.messages', { count: count('message') })}</li>
            <li>{t('merge.calls', { count: count('call') })}</li>
            <li>{t('merge.chats', { count: count('chat') })}</li>
            <li>{t('merge.identities')}</li>
            {points.length > 0 && <li>{t('merge.contactPoints', { points: points.map((key) => duplicate.customer[key]).join(', ') })}</li>}
          </ul>
        )}
        <p className="muted ag-small">{t('merge.after')}</p>
        {needsForce && (
          <label className="row">
            <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} data-testid="merge-force" />
            {t('merge.force')}
          </label>
        )}
        {error !== null && <p role="alert" className="error">{error}</p>}
        <div className="row">
          <button type="button" className="button-primary" onClick={() => void confirm()} disabled={busy} data-testid="merge-confirm">
            {t('merge.confirm')}
          </button>
          <button type="button" onClick={onClose}>
            {t('merge.cancel')}
          </button>
        </div>
      </div>
    </Dialog>
  )
}
