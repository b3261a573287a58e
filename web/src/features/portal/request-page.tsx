import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { ApiError, api } from '../../api/client.ts'
import type { Category, Message, Ticket, TicketAction, TicketEvent } from '../../api/types.ts'
import { StatusBadge } from '../../components/badges.tsx'
import { Conversation } from '../../components/conversation.tsx'
import { formatDateTime } from '../../components/format.ts'
import { buildCategoryTree, flattenCategoryTree } from '../../components/portal-category-tree.ts'
import { ProblemAlert, type Problem, describeProblem } from '../../components/portal-form.tsx'
import { ReplyEditor } from '../../components/reply-editor.tsx'
import { useLoad } from '../../components/use-load.ts'
import { ProgressTimeline } from './progress-timeline.tsx'
import { useLiveReload } from './use-live-reload.ts'

/** One of the customer's requests: where it stands, the conversation, and their part in closing it. */
export function RequestPage() {
  const { t } = useTranslation('portal')
  const { id = '' } = useParams()
  const ticket = useLoad(() => api.get<Ticket>(`/tickets/${id}`), [id])
  const history = useLoad(async () => {
    const [messages, events] = await Promise.all([
      api.get<{ items: Message[] }>(`/tickets/${id}/messages`),
      api.get<{ items: TicketEvent[] }>(`/tickets/${id}/events`),
    ])
    return { id, messages: messages.items, events: events.items }
  }, [id])
  const categories = useLoad(() => api.get<{ items: Category[] }>('/categories'), [])

  const reload = () => {
    ticket.reload()
    history.reload()
  }
  useLiveReload((event) => event.ticketId === id, reload)

  const current = ticket.data?.id === id ? ticket.data : undefined
  if (current === undefined) {
    if (ticket.error !== null && !ticket.loading) {
      // 404 for someone else's request (the API does not say it exists); 400 for a malformed id.
      const missing = ticket.error instanceof ApiError && [400, 403, 404].includes(ticket.error.status)
      if (missing) {
        return (
          <div className="pt-page pt-narrow stack" data-testid="not-found">
            <h1>{t('request.notFoundTitle')}</h1>
            <p>{t('request.notFound')}</p>
            <p>
              <Link to="/portal">{t('request.back')}</Link>
            </p>
          </div>
        )
      }
      return (
        <div className="pt-page pt-narrow stack">
          <h1>{t('request.errorTitle')}</h1>
          <ProblemAlert problem={describeProblem(ticket.error, t)} />
          <p>
            <button type="button" className="pt-button" onClick={reload}>
              {t('request.retry')}
            </button>
          </p>
        </div>
      )
    }
    return (
      <p className="loading" role="status">
        {t('common:loading')}
      </p>
    )
  }

  const events = history.data?.id === id ? history.data.events : []
  const messages = history.data?.id === id ? history.data.messages : []
  return <RequestView ticket={current} messages={messages} events={events} categories={categories.data?.items ?? []} reload={reload} />
}

function RequestView({
  ticket,
  messages,
  events,
  categories,
  reload,
}: {
  ticket: Ticket
  messages: readonly Message[]
  events: readonly TicketEvent[]
  categories: readonly Category[]
  reload: () => void
}) {
  const { t, i18n } = useTranslation('portal')
  const category = flattenCategoryTree(buildCategoryTree(categories, i18n.language)).find((node) => node.category.id === ticket.categoryId)
  const headingId = useId()
  const [notice, setNotice] = useState('')
  return (
    <div className="pt-page pt-request-page stack">
      <p className="pt-back">
        <Link to="/portal">{t('request.back')}</Link>
      </p>
      <header className="pt-request-head">
        <p className="pt-request-number">{t('request.number', { number: ticket.number })}</p>
        <h1 id={headingId}>{ticket.subject}</h1>
        <p className="pt-request-state">
          <StatusBadge status={ticket.status} testId="request-status" /> <span>{t(`request.statusHint.${ticket.status}`)}</span>
        </p>
      </header>

      {(ticket.abilities.actions.includes('close') || ticket.abilities.actions.includes('reopen')) && (
        <ConfirmBox
          ticket={ticket}
          onDone={(message) => {
            setNotice(message)
            reload()
          }}
        />
      )}
      <p className={notice === '' ? 'visually-hidden' : 'notice'} role="status" data-testid="confirm-done">
        {notice}
      </p>

      <section className="card stack" aria-labelledby={`${headingId}-progress`}>
        <h2 id={`${headingId}-progress`}>{t('request.progress')}</h2>
        <ProgressTimeline ticket={ticket} events={events} />
      </section>

      <section className="card stack" aria-labelledby={`${headingId}-details`}>
        <h2 id={`${headingId}-details`}>{t('request.details')}</h2>
        <dl className="pt-facts">
          <div>
            <dt>{t('request.type')}</dt>
            <dd>{t(`common:type.${ticket.type}`)}</dd>
          </div>
          <div>
            <dt>{t('request.severity')}</dt>
            <dd>{t(`common:severity.${ticket.severity}`)}</dd>
          </div>
          <div>
            <dt>{t('request.category')}</dt>
            <dd>{category !== undefined ? category.path.join(t('new.categorySeparator')) : t('request.noCategory')}</dd>
          </div>
          <div>
            <dt>{t('request.submitted')}</dt>
            <dd>
              <time dateTime={ticket.receivedAt}>{formatDateTime(ticket.receivedAt, i18n.language)}</time>
            </dd>
          </div>
        </dl>
        <h3 className="pt-subheading">{t('request.description')}</h3>
        <div className="message-body pt-description" data-testid="request-description">
          {ticket.description}
        </div>
      </section>

      <section className="stack" aria-labelledby={`${headingId}-conversation`}>
        <h2 id={`${headingId}-conversation`}>{t('request.conversation')}</h2>
        {messages.length === 0 && events.length === 0 ? <p className="muted">{t('request.noMessages')}</p> : <Conversation messages={messages} events={events} />}
      </section>

      <section className="stack" aria-labelledby={`${headingId}-reply`}>
        <h2 id={`${headingId}-reply`}>{t('request.reply')}</h2>
        {ticket.abilities.reply ? (
          <>
            {ticket.status === 'waiting' && <p className="notice">{t('request.waitingReply')}</p>}
            <ReplyEditor ticketId={ticket.id} allowInternal={false} onSent={reload} />
          </>
        ) : (
          <p className="pt-closed-note" data-testid="request-closed">
            {t('request.closedNote')} <Link to="/portal/new">{t('request.newRequest')}</Link>
          </p>
        )}
      </section>
    </div>
  )
}

/**
 * The customer's part of closing the loop: confirm the fix (the request is archived) or say
 * it is not fixed, optionally why (the request goes back to the desk).
 */
function ConfirmBox({ ticket, onDone }: { ticket: Ticket; onDone: (message: string) => void }) {
  const { t } = useTranslation('portal')
  const id = useId()
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState<TicketAction | null>(null)
  const [problem, setProblem] = useState<Problem | null>(null)

  async function act(action: 'close' | 'reopen') {
    setBusy(action)
    setProblem(null)
    try {
      const trimmed = reason.trim()
      await api.post<Ticket>(`/tickets/${ticket.id}/transitions`, { action, ...(action === 'reopen' && trimmed !== '' ? { reason: trimmed } : {}) })
      setReason('')
      onDone(action === 'close' ? t('confirm.closedThanks') : t('confirm.reopenedThanks'))
    } catch (caught) {
      setProblem(describeProblem(caught, t))
    } finally {
      setBusy(null)
    }
  }

  return (
    <section className="pt-confirm stack" aria-labelledby={`${id}-title`} data-testid="confirm-box">
      <h2 id={`${id}-title`}>{t('confirm.title')}</h2>
      <p>{t('confirm.intro')}</p>
      <ProblemAlert problem={problem} />
      {ticket.abilities.actions.includes('close') && (
        <div>
          <button type="button" className="pt-button pt-button-primary" onClick={() => act('close')} disabled={busy !== null} data-testid="confirm-fixed">
            {t('confirm.fixed')}
          </button>
        </div>
      )}
      {ticket.abilities.actions.includes('reopen') && (
        <div className="pt-not-fixed stack">
          <div className="form-field">
            <label htmlFor={`${id}-reason`}>{t('confirm.reasonLabel')}</label>
            <textarea
              id={`${id}-reason`}
              value={reason}
              rows={3}
              maxLength={2000}
              onChange={(event) => setReason(event.target.value)}
              aria-describedby={`${id}-reason-hint`}
              data-testid="not-fixed-reason"
            />
            <p className="form-hint" id={`${id}-reason-hint`}>
              {t('confirm.reasonHint')}
            </p>
          </div>
          <div>
            <button type="button" className="pt-button" onClick={() => act('reopen')} disabled={busy !== null} data-testid="not-fixed">
              {t('confirm.notFixed')}
            </button>
          </div>
        </div>
      )}
    </section>
  )
}
