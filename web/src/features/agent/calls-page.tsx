import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { ApiError, api } from '../../api/client.ts'
import { useLiveEvents } from '../../api/live.ts'
import { formatDateTime } from '../../components/format.ts'
import { useSession } from '../../components/session.tsx'
import { useLoad } from '../../components/use-load.ts'
import './calls-page.css'

/** A row of `GET /calls`. */
interface CallRow {
  readonly id: string
  readonly direction: 'in' | 'out'
  readonly from: string
  readonly to: string
  readonly queue: string | null
  readonly status: string
  readonly outcome: string | null
  readonly agent: { id: string; name: string } | null
  readonly customer: { id: string; name: string } | null
  readonly ticketId: string | null
  readonly ticketNumber: string | null
  readonly recordingUrl: string | null
  readonly startedAt: string
  readonly waitMs: number | null
  readonly talkMs: number | null
}
interface CallbackRow {
  readonly id: string
  readonly callId: string
  readonly phone: string
  readonly customer: { id: string; name: string } | null
  readonly reason: 'missed' | 'abandoned'
  readonly assignee: { id: string; name: string } | null
  readonly dueAt: string
  readonly ticketId: string | null
}

const OUTCOMES = ['answered', 'missed', 'abandoned', 'forwarded', 'unreached', 'rejected'] as const
const PRESENCE = ['available', 'busy', 'wrap_up', 'away', 'offline'] as const

/** "1:05" (minutes:seconds) for a duration, "—" when there is none. */
function formatDuration(ms: number | null): string {
  if (ms === null) return '—'
  const seconds = Math.round(ms / 1000)
  const hours = Math.floor(seconds / 3600)
  const rest = `${Math.floor((seconds % 3600) / 60)}:${String(seconds % 60).padStart(2, '0')}`
  return hours > 0 ? `${hours}:${rest.padStart(5, '0')}` : rest
}

/** `/desk/calls`: the call log with filters, the open callbacks, and the agent's own telephony state. */
export function CallsPage() {
  const { t, i18n } = useTranslation('phone')
  const navigate = useNavigate()
  const { user } = useSession()
  const isAdmin = user?.roles.includes('admin') === true
  const [outcome, setOutcome] = useState('')
  const [pages, setPages] = useState<readonly CallRow[]>([])
  const [message, setMessage] = useState<string | null>(null)
  const [cursor, setCursor] = useState<string | null | undefined>(undefined)
  const calls = useLoad(async () => {
    setPages([])
    setCursor(undefined)
    return api.get<{ items: CallRow[]; nextCursor: string | null }>(`/calls${outcome === '' ? '' : `?outcome=${outcome}`}`)
  }, [outcome])
  const callbacks = useLoad(() => api.get<{ items: CallbackRow[] }>('/callbacks?status=open'), [])
  const [presence, setPresence] = useState<string>('')

  useLiveEvents((event) => {
    if (event.entityType === 'call') calls.reload()
    if (event.entityType === 'callback_task' || event.entityType === 'call') callbacks.reload()
  })

  const nextCursor = cursor === undefined ? (calls.data?.nextCursor ?? null) : cursor
  const rows = [...(calls.data?.items ?? []), ...pages]

  const loadMore = async () => {
    if (nextCursor === null) return
    const params = new URLSearchParams({ cursor: nextCursor })
    if (outcome !== '') params.set('outcome', outcome)
    const page = await api.get<{ items: CallRow[]; nextCursor: string | null }>(`/calls?${params.toString()}`)
    setPages((current) => [...current, ...page.items])
    setCursor(page.nextCursor)
  }

  const run = async (work: () => Promise<void>) => {
    setMessage(null)
    try {
      await work()
    } catch (caught) {
      setMessage(caught instanceof ApiError ? caught.message : String(caught))
    }
  }

  const openTicket = (task: CallbackRow) =>
    run(async () => {
      if (task.ticketId !== null) return navigate(`/desk/tickets/${task.ticketId}`)
      const result = await api.post<{ ticketId: string }>(`/calls/${task.callId}/ticket`, {
        subject: t('pop.ticketSubject', { number: task.phone }),
        description: t('callbacks.ticketDescription', { number: task.phone, reason: t(`outcome.${task.reason}`) }),
        ...(task.customer === null && !task.phone.startsWith('+') ? { customerName: t('pop.anonymousCaller') } : {}),
      })
      navigate(`/desk/tickets/${result.ticketId}`)
    })

  return (
    <div className="calls-page stack">
      <div className="row calls-head">
        <h1>{t('log.title')}</h1>
        <label className="row">
          {t('presence.label')}
          <select
            value={presence}
            onChange={(event) => {
              const state = event.target.value
              setPresence(state)
              if (state !== '') void run(async () => void (await api.post('/agent-presence/me', { state })))
            }}
          >
            <option value="">{t('presence.unset')}</option>
            {PRESENCE.map((state) => (
              <option key={state} value={state}>
                {t(`presence.${state}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {message !== null && (
        <p className="error" role="alert">
          {message}
        </p>
      )}

      <section aria-labelledby="callbacks-heading" className="card">
        <h2 id="callbacks-heading">{t('callbacks.title')}</h2>
        {callbacks.data === undefined ? (
          <p className="loading">{t('log.loading')}</p>
        ) : callbacks.data.items.length === 0 ? (
          <p className="muted">{t('callbacks.none')}</p>
        ) : (
          <table className="calls-table">
            <thead>
              <tr>
                <th scope="col">{t('columns.number')}</th>
                <th scope="col">{t('columns.customer')}</th>
                <th scope="col">{t('callbacks.reason')}</th>
                <th scope="col">{t('callbacks.due')}</th>
                <th scope="col">{t('columns.agent')}</th>
                <th scope="col">{t('callbacks.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {callbacks.data.items.map((task) => (
                <tr key={task.id}>
                  <td>{task.phone}</td>
                  <td>{task.customer === null ? '—' : <Link to={`/desk/customers/${task.customer.id}`}>{task.customer.name}</Link>}</td>
                  <td>{t(`outcome.${task.reason}`)}</td>
                  <td>{formatDateTime(task.dueAt, i18n.language)}</td>
                  <td>{task.assignee?.name ?? '—'}</td>
                  <td className="row">
                    <button
                      type="button"
                      aria-label={t('callbacks.doneFor', { number: task.phone })}
                      onClick={() => void run(async () => {
                        await api.post(`/callbacks/${task.id}/complete`, {})
                        callbacks.reload()
                      })}
                    >
                      {t('callbacks.done')}
                    </button>
                    <button type="button" aria-label={t('callbacks.openTicketFor', { number: task.phone })} onClick={() => void openTicket(task)}>
                      {t('pop.openTicket')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="log-heading" className="card">
        <div className="row">
          <h2 id="log-heading">{t('log.heading')}</h2>
          <label className="row">
            {t('log.outcomeFilter')}
            <select value={outcome} onChange={(event) => setOutcome(event.target.value)}>
              <option value="">{t('log.allOutcomes')}</option>
              {OUTCOMES.map((value) => (
                <option key={value} value={value}>
                  {t(`outcome.${value}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {calls.data === undefined ? (
          <p className="loading">{t('log.loading')}</p>
        ) : rows.length === 0 ? (
          <p className="muted">{t('log.empty')}</p>
        ) : (
          <div className="calls-scroll">
            <table className="calls-table">
              <thead>
                <tr>
                  <th scope="col">{t('columns.time')}</th>
                  <th scope="col">{t('columns.direction')}</th>
                  <th scope="col">{t('columns.number')}</th>
                  <th scope="col">{t('columns.customer')}</th>
                  <th scope="col">{t('columns.agent')}</th>
                  <th scope="col">{t('columns.queue')}</th>
                  <th scope="col">{t('columns.wait')}</th>
                  <th scope="col">{t('columns.talk')}</th>
                  <th scope="col">{t('columns.outcome')}</th>
                  <th scope="col">{t('columns.recording')}</th>
                  <th scope="col">{t('columns.ticket')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((call) => (
                  <tr key={call.id}>
                    <td>{formatDateTime(call.startedAt, i18n.language)}</td>
                    <td>{t(`direction.${call.direction}`)}</td>
                    <td>{call.direction === 'in' ? call.from : call.to}</td>
                    <td>{call.customer === null ? '—' : <Link to={`/desk/customers/${call.customer.id}`}>{call.customer.name}</Link>}</td>
                    <td>{call.agent?.name ?? '—'}</td>
                    <td>{call.queue ?? '—'}</td>
                    <td>{formatDuration(call.waitMs)}</td>
                    <td>{formatDuration(call.talkMs)}</td>
                    <td>
                      <span className={`badge call-outcome-${call.outcome ?? call.status}`}>
                        {call.outcome === null ? t(`status.${call.status}`) : t(`outcome.${call.outcome}`)}
                      </span>
                    </td>
                    <td>
                      {call.recordingUrl === null ? (
                        '—'
                      ) : (
                        <a href={call.recordingUrl} target="_blank" rel="noreferrer noopener">
                          {t('columns.listen')}
                        </a>
                      )}
                    </td>
                    <td>{call.ticketId === null ? '—' : <Link to={`/desk/tickets/${call.ticketId}`}>{call.ticketNumber ?? t('columns.ticket')}</Link>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {nextCursor !== null && (
          <button type="button" onClick={() => void run(loadMore)}>
            {t('log.more')}
          </button>
        )}
      </section>
      {isAdmin && <BlockedNumbers />}
    </div>
  )
}

interface BlockedRow {
  readonly number: string
  readonly reason: string | null
  readonly createdAt: string
}

/** Administrators: numbers whose calls are answered with reject. */
function BlockedNumbers() {
  const { t, i18n } = useTranslation('phone')
  const list = useLoad(() => api.get<{ items: BlockedRow[] }>('/cti/blocked-numbers'), [])
  const [number, setNumber] = useState('')
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  const act = async (work: () => Promise<unknown>) => {
    setError(null)
    try {
      await work()
      list.reload()
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught))
    }
  }
  return (
    <section aria-labelledby="blocked-heading" className="card stack">
      <h2 id="blocked-heading">{t('blocked.title')}</h2>
      <p className="muted">{t('blocked.intro')}</p>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault()
          void act(async () => {
            await api.post('/cti/blocked-numbers', { number, ...(reason.trim() !== '' ? { reason } : {}) })
            setNumber('')
            setReason('')
          })
        }}
      >
        <label className="row">
          {t('blocked.number')}
          <input value={number} onChange={(event) => setNumber(event.target.value)} required maxLength={64} />
        </label>
        <label className="row">
          {t('blocked.reason')}
          <input value={reason} onChange={(event) => setReason(event.target.value)} maxLength={200} />
        </label>
        <button type="submit">{t('blocked.add')}</button>
      </form>
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {list.data !== undefined && list.data.items.length === 0 && <p className="muted">{t('blocked.none')}</p>}
      {list.data !== undefined && list.data.items.length > 0 && (
        <table className="calls-table">
          <thead>
            <tr>
              <th scope="col">{t('blocked.number')}</th>
              <th scope="col">{t('blocked.reason')}</th>
              <th scope="col">{t('columns.time')}</th>
              <th scope="col">{t('callbacks.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((row) => (
              <tr key={row.number}>
                <td>{row.number}</td>
                <td>{row.reason ?? '—'}</td>
                <td>{formatDateTime(row.createdAt, i18n.language)}</td>
                <td>
                  <button
                    type="button"
                    aria-label={t('blocked.removeFor', { number: row.number })}
                    onClick={() => void act(() => api.delete(`/cti/blocked-numbers/${encodeURIComponent(row.number)}`))}
                  >
                    {t('blocked.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
