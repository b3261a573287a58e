import { useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { ApiError, api } from '../../api/client.ts'
import { useLiveEvents } from '../../api/live.ts'
import './calls-page.css'

/** `GET /calls/:id`: a call with its caller, their organisation and open tickets. */
export interface CallDetail {
  readonly id: string
  readonly callId: string
  readonly direction: 'in' | 'out'
  readonly from: string
  readonly to: string
  readonly queue: string | null
  readonly status: 'ringing' | 'queued' | 'answered' | 'ended'
  readonly outcome: string | null
  readonly agent: { id: string; name: string } | null
  readonly customer: { id: string; name: string } | null
  readonly ticketId: string | null
  readonly startedAt: string
  readonly customerDetail: {
    readonly id: string
    readonly name: string
    readonly email: string | null
    readonly phone: string | null
    readonly organisation: { id: string; name: string; vipLevel: string } | null
  } | null
  readonly openTickets: readonly { id: string; number: string; subject: string; status: string }[]
  readonly popForMe: boolean
}

/**
 * The screen pop: when a call rings, queues or is answered for this agent (or, with no agent
 * named, for every available agent) a panel shows the caller, their organisation and VIP level,
 * their open tickets, and offers to open a ticket from the call. Mounted once in the app shell;
 * it learns of calls from the live socket (`call.*` events) and reads each through the API.
 */
export function ScreenPop() {
  const { t } = useTranslation('phone')
  const navigate = useNavigate()
  const [calls, setCalls] = useState<readonly CallDetail[]>([])
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set())
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  const refresh = useCallback(async (id: string) => {
    try {
      const call = await api.get<CallDetail>(`/calls/${id}`)
      setCalls((current) => {
        const others = current.filter((item) => item.id !== id)
        return call.popForMe ? [call, ...others] : others
      })
    } catch {
      // A call we may not read (or one gone) simply does not pop.
    }
  }, [])

  useLiveEvents((event) => {
    if (event.entityType === 'call') void refresh(event.entityId)
  })

  const visible = calls.filter((call) => !dismissed.has(call.id))
  if (visible.length === 0) return null

  const openTicket = async (call: CallDetail) => {
    setBusy(call.id)
    setError(null)
    try {
      const number = call.direction === 'in' ? call.from : call.to
      const result = await api.post<{ ticketId: string }>(`/calls/${call.id}/ticket`, {
        subject: t('pop.ticketSubject', { number }),
        description: t('pop.ticketDescription', { number, at: new Date(call.startedAt).toLocaleString() }),
        ...(call.customerDetail === null && !number.startsWith('+') ? { customerName: t('pop.anonymousCaller') } : {}),
      })
      setDismissed((current) => new Set(current).add(call.id))
      navigate(`/desk/tickets/${result.ticketId}`)
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught))
    } finally {
      setBusy(null)
    }
  }

  return (
    <div className="screen-pops">
      {visible.map((call) => {
        const number = call.direction === 'in' ? call.from : call.to
        const customer = call.customerDetail
        const headingId = `screen-pop-${call.id}`
        return (
          <section key={call.id} className="screen-pop" role="dialog" aria-modal="false" aria-labelledby={headingId}>
            <h2 id={headingId}>
              {t(`pop.title.${call.direction}`)} <span className="screen-pop-number">{number}</span>
            </h2>
            <p className="muted">
              {t(`status.${call.status}`)}
              {call.queue !== null && ` · ${t('pop.queue', { queue: call.queue })}`}
            </p>
            {customer === null ? (
              <p>{t('pop.unknownCaller')}</p>
            ) : (
              <div className="screen-pop-customer">
                <p>
                  <Link to={`/desk/customers/${customer.id}`} className="screen-pop-name">
                    {customer.name}
                  </Link>
                  {customer.organisation !== null && (
                    <>
                      {' · '}
                      {customer.organisation.name}{' '}
                      {customer.organisation.vipLevel !== 'standard' && (
                        <span className={`badge vip-${customer.organisation.vipLevel}`}>{t(`vip.${customer.organisation.vipLevel}`)}</span>
                      )}
                    </>
                  )}
                </p>
                <h3>{t('pop.openTickets', { count: call.openTickets.length })}</h3>
                {call.openTickets.length === 0 ? (
                  <p className="muted">{t('pop.noOpenTickets')}</p>
                ) : (
                  <ul className="screen-pop-tickets">
                    {call.openTickets.map((ticket) => (
                      <li key={ticket.id}>
                        <Link to={`/desk/tickets/${ticket.id}`}>
                          {ticket.number} · {ticket.subject}
                        </Link>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
            {error !== null && busy === null && (
              <p className="error" role="alert">
                {error}
              </p>
            )}
            <div className="row">
              {call.ticketId === null ? (
                <button type="button" className="button-primary" disabled={busy === call.id} onClick={() => void openTicket(call)}>
                  {t('pop.openTicket')}
                </button>
              ) : (
                <Link to={`/desk/tickets/${call.ticketId}`}>{t('pop.goToTicket')}</Link>
              )}
              <button type="button" onClick={() => setDismissed((current) => new Set(current).add(call.id))}>
                {t('pop.dismiss')}
              </button>
            </div>
          </section>
        )
      })}
    </div>
  )
}
