import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { api } from '../../api/client.ts'
import type { Ticket, TicketPage } from '../../api/types.ts'
import { StatusBadge } from '../../components/badges.tsx'
import { formatDateTime, formatRelative } from '../../components/format.ts'
import { ProblemAlert, describeProblem, type Problem } from '../../components/portal-form.tsx'
import { isTicketEvent, useLiveReload } from './use-live-reload.ts'

const SHOWS = ['all', 'open', 'closed'] as const
type Show = (typeof SHOWS)[number]

const STATUSES: Readonly<Record<Show, string | null>> = {
  all: null,
  // A resolved request still waits for the customer's confirmation, so it counts as open.
  open: 'new,accepted,in_progress,waiting,resolved',
  closed: 'closed',
}
const PAGE_SIZE = 20
const MAX_LIMIT = 100

function listPath(show: Show, limit: number, cursor: string | null): string {
  const query = new URLSearchParams({ sort: '-updatedAt', limit: String(limit) })
  const statuses = STATUSES[show]
  if (statuses !== null) query.set('status', statuses)
  if (cursor !== null) query.set('cursor', cursor)
  return `/tickets?${query}`
}

interface ListState {
  readonly items: readonly Ticket[]
  readonly nextCursor: string | null
  readonly loaded: boolean
}

/** The customer's own requests, newest activity first, a page at a time; live while open. */
export function RequestListPage() {
  const { t, i18n } = useTranslation('portal')
  const [params, setParams] = useSearchParams()
  const requested = params.get('show')
  const show: Show = SHOWS.find((value) => value === requested) ?? 'all'
  const [state, setState] = useState<ListState>({ items: [], nextCursor: null, loaded: false })
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | null>(null)
  const generation = useRef(0)
  const onScreen = useRef({ count: 0, complete: false })
  onScreen.current = { count: state.items.length, complete: state.loaded && state.nextCursor === null }

  const load = useCallback(
    (limit: number) => {
      const mine = ++generation.current
      setBusy(true)
      api
        .get<TicketPage>(listPath(show, limit, null))
        .then((page) => {
          if (mine !== generation.current) return
          setState({ items: page.items, nextCursor: page.nextCursor, loaded: true })
          setProblem(null)
        })
        .catch((caught: unknown) => mine === generation.current && setProblem(describeProblem(caught, t)))
        .finally(() => mine === generation.current && setBusy(false))
    },
    [show, t],
  )

  useEffect(() => {
    setState({ items: [], nextCursor: null, loaded: false })
    load(PAGE_SIZE)
  }, [load])

  // Reading again keeps the rows on screen; when all were shown, room is left for new ones.
  useLiveReload(isTicketEvent, () => {
    const { count, complete } = onScreen.current
    load(Math.min(MAX_LIMIT, Math.max(PAGE_SIZE, complete ? count + PAGE_SIZE : count)))
  })

  function loadMore() {
    if (state.nextCursor === null) return
    const mine = ++generation.current
    setBusy(true)
    api
      .get<TicketPage>(listPath(show, PAGE_SIZE, state.nextCursor))
      .then((page) => {
        if (mine !== generation.current) return
        setState((previous) => {
          const known = new Set(previous.items.map((item) => item.id))
          return { items: [...previous.items, ...page.items.filter((item) => !known.has(item.id))], nextCursor: page.nextCursor, loaded: true }
        })
      })
      .catch((caught: unknown) => mine === generation.current && setProblem(describeProblem(caught, t)))
      .finally(() => mine === generation.current && setBusy(false))
  }

  return (
    <div className="pt-page stack">
      <div className="pt-page-head">
        <h1>{t('list.title')}</h1>
        <Link className="pt-button pt-button-primary" to="/portal/new" data-testid="new-request-link">
          {t('list.newRequest')}
        </Link>
      </div>
      <div className="pt-filter" role="group" aria-label={t('list.filterLabel')}>
        {SHOWS.map((value) => (
          <button
            key={value}
            type="button"
            className="pt-filter-button"
            aria-pressed={show === value}
            data-testid={`filter-${value}`}
            onClick={() => setParams(value === 'all' ? {} : { show: value }, { replace: true })}
          >
            {t(`list.show.${value}`)}
          </button>
        ))}
      </div>
      <ProblemAlert problem={problem} />
      {!state.loaded ? (
        problem === null && (
          <p className="loading" role="status">
            {t('common:loading')}
          </p>
        )
      ) : state.items.length === 0 ? (
        <div className="pt-empty" data-testid="requests-empty">
          <p>{show === 'all' ? t('list.emptyAll') : t(`list.empty.${show}`)}</p>
          <p>
            <Link className="pt-button pt-button-primary" to="/portal/new">
              {t('list.emptyAction')}
            </Link>
          </p>
        </div>
      ) : (
        <>
          <ul className="pt-requests" aria-label={t('list.label')} data-testid="request-list">
            {state.items.map((ticket) => (
              <li key={ticket.id} className="pt-request" data-testid="request-row" data-ticket-id={ticket.id} data-status={ticket.status}>
                <span className="pt-request-number">{ticket.number}</span>
                <Link className="pt-request-subject" to={`/portal/requests/${ticket.id}`}>
                  {ticket.subject}
                </Link>
                <span className="pt-request-status">
                  <StatusBadge status={ticket.status} />
                </span>
                <span className="pt-request-updated">
                  {t('list.updated')}{' '}
                  <time dateTime={ticket.updatedAt} title={formatDateTime(ticket.updatedAt, i18n.language)}>
                    {formatRelative(ticket.updatedAt, i18n.language)}
                  </time>
                </span>
              </li>
            ))}
          </ul>
          <p className="pt-list-foot" role="status">
            {state.nextCursor === null ? t('list.shownAll', { count: state.items.length }) : t('list.shown', { count: state.items.length })}
          </p>
          {state.nextCursor !== null && (
            <div>
              <button type="button" className="pt-button" onClick={loadMore} disabled={busy} data-testid="load-more">
                {t('list.loadMore')}
              </button>
            </div>
          )}
        </>
      )}
    </div>
  )
}
