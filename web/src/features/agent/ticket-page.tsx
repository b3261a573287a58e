import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams } from 'react-router'
import { ApiError, api } from '../../api/client.ts'
import type { Message, Ticket, TicketAction, TicketEvent, User } from '../../api/types.ts'
import { SeverityBadge, StatusBadge } from '../../components/badges.tsx'
import { Conversation } from '../../components/conversation.tsx'
import { formatDateTime } from '../../components/format.ts'
import { ReplyEditor } from '../../components/reply-editor.tsx'
import { useUser } from '../../components/session.tsx'
import { useLoad } from '../../components/use-load.ts'
import { ChatPanel, useChatLink } from './chat-panel.tsx'
import { CustomerPanel } from './customer-panel.tsx'
import { queueHref } from './queue-query.ts'
import { type ShortcutHelpItem, ShortcutsHelp, useShortcuts } from './shortcuts.tsx'
import { SlaPanel } from './sla-panel.tsx'
import { TicketDetails } from './ticket-details.tsx'
import { TransferDialog } from './transfer-dialog.tsx'
import { namesById, useGroups, useStaff } from './use-directory.ts'
import { useLiveReload } from './use-live-reload.ts'

/** The business time left on each target moves on the server's calendars: it is read again this often. */
const SLA_REFRESH_MS = 60_000

const TICKET_SHORTCUTS: readonly ShortcutHelpItem[] = [
  { keys: ['r'], label: 'shortcuts.reply' },
  { keys: ['a'], label: 'shortcuts.accept' },
  { keys: ['u'], label: 'shortcuts.back' },
]

/** One ticket: what it is, what can be done with it now, the conversation, and who asked. */
export function TicketPage() {
  const { t } = useTranslation('agent')
  const { id = '' } = useParams()
  const ticket = useLoad(() => api.get<Ticket>(`/tickets/${id}`), [id])
  const history = useLoad(async () => {
    const [messages, events] = await Promise.all([
      api.get<{ items: Message[] }>(`/tickets/${id}/messages`),
      api.get<{ items: TicketEvent[] }>(`/tickets/${id}/events`),
    ])
    return { id, messages: messages.items, events: events.items }
  }, [id])

  useLiveReload(
    (event) => event.ticketId === id,
    () => {
      ticket.reload()
      history.reload()
    },
  )
  const reloadTicket = ticket.reload
  useEffect(() => {
    const timer = setInterval(reloadTicket, SLA_REFRESH_MS)
    return () => clearInterval(timer)
  }, [reloadTicket])

  const current = ticket.data?.id === id ? ticket.data : undefined
  if (current === undefined) {
    if (ticket.error !== null && !ticket.loading) {
      const notFound = ticket.error instanceof ApiError && (ticket.error.status === 404 || ticket.error.status === 403)
      return (
        <div className="stack">
          <p className="error" role="alert">
            {notFound ? t('ticket.notFound') : t('common:error.generic')}
          </p>
          <p>
            <Link to={queueHref()}>{t('ticket.back')}</Link>
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
  return (
    <TicketView
      ticket={current}
      messages={history.data?.id === id ? history.data.messages : []}
      events={history.data?.id === id ? history.data.events : []}
      reload={() => {
        ticket.reload()
        history.reload()
      }}
    />
  )
}

function TicketView({ ticket, messages, events, reload }: { ticket: Ticket; messages: readonly Message[]; events: readonly TicketEvent[]; reload: () => void }) {
  const { t, i18n } = useTranslation('agent')
  const user = useUser()
  const navigate = useNavigate()
  const staff = useStaff()
  const groups = useGroups()
  const agentNames = useMemo(() => namesById(staff), [staff])
  const groupNames = useMemo(() => namesById(groups), [groups])
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [transferOpen, setTransferOpen] = useState(false)
  const [helpOpen, setHelpOpen] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)
  const page = useRef<HTMLDivElement>(null)
  const language = i18n.language
  const abilities = ticket.abilities
  const canAssignToMe = (ticket.assigneeId ?? null) === null && abilities.updatableFields.includes('assigneeId')
  const chat = useChatLink(ticket.channel === 'chat' ? ticket.id : null)

  async function run(label: string, change: () => Promise<unknown>) {
    setBusy(true)
    setError(null)
    setNotice(null)
    try {
      await change()
      setNotice(label)
      reload()
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('common:error.generic'))
    } finally {
      setBusy(false)
    }
  }

  function act(action: TicketAction) {
    const why = reason.trim()
    void run(t('ticket.done', { action: t(`common:action.${action}`) }), async () => {
      await api.post<Ticket>(`/tickets/${ticket.id}/transitions`, { action, ...(why !== '' ? { reason: why } : {}) })
      setReason('')
    })
  }

  function assignToMe() {
    void run(t('ticket.assignedToMe'), () => api.patch<Ticket>(`/tickets/${ticket.id}`, { assigneeId: user.id }))
  }

  useShortcuts({
    r: () => page.current?.querySelector<HTMLTextAreaElement>('[data-testid="reply-body"]')?.focus(),
    a: () => {
      if (abilities.actions.includes('accept') && !busy) act('accept')
    },
    u: () => {
      void navigate(queueHref())
    },
    '?': () => setHelpOpen(true),
  })

  const nobody = <span className="muted">{t('ticket.nobody')}</span>
  // Until the agent list is in, a name is pending; someone not on it is read once by id.
  const person = (id: string | null | undefined) => (id == null ? nobody : (agentNames.get(id) ?? (staff === undefined ? '…' : <UserName id={id} />)))
  const groupName = (id: string | null | undefined) => (id == null ? nobody : (groupNames.get(id) ?? '…'))

  return (
    <div className="stack ag-ticket" ref={page}>
      <div className="ag-page-head">
        <Link to={queueHref()} data-testid="back-to-queue">
          {t('ticket.back')}
        </Link>
        <button type="button" className="button-quiet" onClick={() => setHelpOpen(true)} data-testid="shortcuts-open">
          {t('shortcuts.button')} <kbd>?</kbd>
        </button>
      </div>
      <header className="ag-ticket-head">
        <p className="muted ag-number" data-testid="ticket-number">
          {ticket.number}
        </p>
        <h1 data-testid="ticket-subject">{ticket.subject}</h1>
        <div className="row">
          <StatusBadge status={ticket.status} testId="ticket-status" />
          <SeverityBadge severity={ticket.severity} />
          <span className="badge" data-testid="ticket-type">
            {t(`common:type.${ticket.type}`)}
          </span>
          <span className="muted">{t(`common:channel.${ticket.channel}`, { defaultValue: ticket.channel })}</span>
        </div>
      </header>

      <section className="card ag-actions" aria-label={t('ticket.actions')}>
        {abilities.actions.length > 0 && (
          <>
            <div className="ag-field">
              <label htmlFor="ag-action-reason">{t('ticket.reason')}</label>
              <input
                id="ag-action-reason"
                value={reason}
                maxLength={2000}
                onChange={(event) => setReason(event.target.value)}
                placeholder={t('ticket.reasonPlaceholder')}
                data-testid="action-reason"
              />
            </div>
            <div className="row" role="group" aria-label={t('ticket.lifecycle')}>
              {abilities.actions.map((action, index) => (
                <button
                  key={action}
                  type="button"
                  className={index === 0 ? 'button-primary' : undefined}
                  disabled={busy}
                  onClick={() => act(action)}
                  data-testid={`action-${action}`}
                >
                  {t(`common:action.${action}`)}
                </button>
              ))}
            </div>
          </>
        )}
        <div className="row">
          {canAssignToMe && (
            <button type="button" disabled={busy} onClick={assignToMe} data-testid="assign-me">
              {t('ticket.assignToMe')}
            </button>
          )}
          {abilities.transfer && (
            <button type="button" disabled={busy} onClick={() => setTransferOpen(true)} data-testid="transfer-open">
              {(ticket.assigneeId ?? null) === null ? t('ticket.assign') : t('ticket.transfer')}
            </button>
          )}
        </div>
        {error !== null && (
          <p className="error" role="alert" data-testid="action-error">
            {error}
          </p>
        )}
        <p className="muted ag-small" role="status">
          {notice ?? ''}
        </p>
      </section>

      <div className="ag-ticket-layout">
        <div className="stack ag-ticket-main">
          <TicketDetails ticket={ticket} onSaved={reload} />
          <section className="card" aria-labelledby="ag-description">
            <h2 id="ag-description">{t('ticket.description')}</h2>
            <div className="message-body" data-testid="ticket-description">
              {ticket.description}
            </div>
          </section>
          <section aria-labelledby="ag-conversation" className="stack">
            <h2 id="ag-conversation">{t('ticket.conversation')}</h2>
            <Conversation messages={messages} events={events} />
          </section>
          {abilities.reply && (
            // Typing in the reply editor of a chat ticket shows the visitor "agent is typing".
            <div onInput={ticket.channel === 'chat' ? chat.typing : undefined}>
              <ReplyEditor ticketId={ticket.id} allowInternal={abilities.addInternalNote} canWait={abilities.actions.includes('wait')} onSent={reload} />
            </div>
          )}
        </div>
        <div className="stack ag-ticket-side">
          {ticket.channel === 'chat' && <ChatPanel link={chat} />}
          <SlaPanel ticket={ticket} />
          <section className="card" aria-labelledby="ag-facts">
            <h2 id="ag-facts">{t('ticket.facts')}</h2>
            <dl className="ag-facts">
              <dt>{t('ticket.assignee')}</dt>
              <dd data-testid="ticket-assignee">{person(ticket.assigneeId)}</dd>
              <dt>{t('ticket.group')}</dt>
              <dd data-testid="ticket-group">{groupName(ticket.groupId)}</dd>
              <dt>{t('ticket.owner')}</dt>
              <dd>{person(ticket.ownerId)}</dd>
              <dt>{t('ticket.received')}</dt>
              <dd>{formatDateTime(ticket.receivedAt, language)}</dd>
              <dt>{t('ticket.accepted')}</dt>
              <dd>{formatDateTime(ticket.acceptedAt, language)}</dd>
              <dt>{t('ticket.firstResponse')}</dt>
              <dd>{formatDateTime(ticket.firstResponseAt, language)}</dd>
              <dt>{t('ticket.resolved')}</dt>
              <dd>{formatDateTime(ticket.resolvedAt, language)}</dd>
              {ticket.closedAt !== null && (
                <>
                  <dt>{t('ticket.closed')}</dt>
                  <dd>{formatDateTime(ticket.closedAt, language)}</dd>
                </>
              )}
              <dt>{t('ticket.transfers')}</dt>
              <dd>{ticket.transferCount ?? 0}</dd>
              <dt>{t('ticket.reopens')}</dt>
              <dd>{ticket.reopenCount}</dd>
            </dl>
          </section>
          <CustomerPanel ticket={ticket} reloadKey={ticket.updatedAt} />
        </div>
      </div>

      {transferOpen && (
        <TransferDialog
          ticket={ticket}
          onClose={() => setTransferOpen(false)}
          onDone={() => {
            setTransferOpen(false)
            setNotice(t('ticket.transferred'))
            reload()
          }}
        />
      )}
      {helpOpen && <ShortcutsHelp items={TICKET_SHORTCUTS} onClose={() => setHelpOpen(false)} />}
    </div>
  )
}

/** A staff member outside the agent list (a supervisor who took a ticket): read once by id. */
function UserName({ id }: { id: string }) {
  const { t } = useTranslation('agent')
  const user = useLoad(() => api.get<User>(`/users/${id}`), [id])
  return <>{user.data?.name ?? (user.error !== null ? t('ticket.someone') : '…')}</>
}
