import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import type { Message, TicketEvent } from '../api/types.ts'
import { AttachmentList } from './attachments.tsx'
import { EmailOriginal } from './email-original.tsx'
import { formatDateTime } from './format.ts'

/**
 * The conversation and history of a ticket on one time line: messages in full (internal
 * notes marked and styled apart), other events as one line each with who and why.
 */
export function Conversation({ messages, events }: { messages: readonly Message[]; events: readonly TicketEvent[] }) {
  const { t, i18n } = useTranslation()
  const items = [
    ...messages.map((message) => ({ at: message.createdAt, key: `m${message.id}`, message })),
    ...events.filter((event) => event.type !== 'ticket.message_added').map((event) => ({ at: event.occurredAt, key: `e${event.id}`, event })),
  ].sort((a, b) => a.at.localeCompare(b.at))
  return (
    <ol className="timeline" aria-label={t('conversation.label')}>
      {items.map((item) =>
        'message' in item ? (
          <li
            key={item.key}
            className={`message ${item.message.visibility === 'internal' ? 'message-internal' : ''}`}
            data-testid="message"
            data-visibility={item.message.visibility}
          >
            <div className="message-meta">
              <strong>{item.message.author.name}</strong>
              {item.message.visibility === 'internal' && <span className="badge">{t('conversation.internalNote')}</span>}
              <time dateTime={item.message.createdAt}>{formatDateTime(item.message.createdAt, i18n.language)}</time>
            </div>
            <div className="message-body">{item.message.body}</div>
            <AttachmentList attachments={item.message.attachments} />
            {item.message.channel === 'email' && item.message.author.isStaff === false && <EmailOriginal messageId={item.message.id} />}
          </li>
        ) : (
          <li key={item.key} className="event-line" data-testid="event" data-type={item.event.type}>
            <time dateTime={item.event.occurredAt}>{formatDateTime(item.event.occurredAt, i18n.language)}</time> ·{' '}
            {t(`event.${item.event.type}`, { defaultValue: item.event.type })}
            {slaDetail(item.event, t)}
            {item.event.actorName !== null && ` · ${item.event.actorName}`}
            {item.event.reason !== null && !isSlaEvent(item.event) && ` — ${item.event.reason}`}
          </li>
        ),
      )}
    </ol>
  )
}

const SLA_EVENTS: ReadonlySet<string> = new Set(['ticket.sla_warning', 'ticket.sla_breached', 'ticket.escalated'])

/** SLA events name their target in data; their reason is the engine's English sentence, said here in words instead. */
function isSlaEvent(event: TicketEvent): boolean {
  return SLA_EVENTS.has(event.type)
}

/** " (First response, level 1)" for an SLA event; nothing for others. */
function slaDetail(event: TicketEvent, t: TFunction): string {
  if (!isSlaEvent(event) || typeof event.data !== 'object' || event.data === null) return ''
  const data = event.data as { target?: unknown; level?: unknown }
  const parts: string[] = []
  if (typeof data.target === 'string') parts.push(t(`sla.target.${data.target}`, { defaultValue: data.target }))
  if (typeof data.level === 'number') parts.push(t('notifications.level', { level: data.level }))
  return parts.length === 0 ? '' : t('sla.eventDetail', { detail: parts.join(t('sla.listSeparator')) })
}
