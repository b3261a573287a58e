import { type KeyboardEvent, useCallback, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api } from '../api/client.ts'
import { useLiveEvents } from '../api/live.ts'
import type { AppNotification } from '../api/types.ts'
import { formatDateTime, formatRelative } from './format.ts'
import './notifications-bell.css'

/** Live events after which new notifications may be waiting. */
const NOTIFYING_EVENTS: ReadonlySet<string> = new Set(['ticket.sla_warning', 'ticket.sla_breached', 'ticket.escalated'])
/** The notice is written by the outbox a moment after the event: look again after these delays too. */
const FOLLOW_UP_DELAYS_MS = [0, 1_500, 5_000] as const
const POLL_MS = 60_000
/** Read notifications kept in view below the unread ones. */
const EARLIER_SHOWN = 10

/**
 * The bell in the top bar: how many notifications are unread, and a popover listing them (SLA
 * warnings and escalations) with a link to the ticket and a way to mark each as read. It reads
 * again on the live events that create notifications, and every minute.
 */
export function NotificationsBell() {
  const { t, i18n } = useTranslation()
  const [unread, setUnread] = useState<readonly AppNotification[] | null>(null)
  const [earlier, setEarlier] = useState<readonly AppNotification[]>([])
  const [open, setOpen] = useState(false)
  const [failed, setFailed] = useState(false)
  const [status, setStatus] = useState('')
  const panelId = useId()
  const headingId = useId()
  const wrapper = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const openRef = useRef(open)
  openRef.current = open
  const generation = useRef(0)
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>())

  const load = useCallback(async () => {
    const mine = ++generation.current
    try {
      const [fresh, all] = await Promise.all([
        api.get<{ items: AppNotification[] }>('/notifications?unread=true'),
        openRef.current ? api.get<{ items: AppNotification[] }>('/notifications') : Promise.resolve(null),
      ])
      if (mine !== generation.current) return
      setUnread(fresh.items)
      if (all !== null) setEarlier(all.items.filter((item) => item.readAt !== null).slice(0, EARLIER_SHOWN))
      setFailed(false)
    } catch {
      if (mine === generation.current) setFailed(true)
    }
  }, [])

  useEffect(() => {
    void load()
    const timer = setInterval(() => void load(), POLL_MS)
    const pending = timers.current
    return () => {
      clearInterval(timer)
      for (const id of pending) clearTimeout(id)
      pending.clear()
    }
  }, [load])

  useLiveEvents((event) => {
    if (!NOTIFYING_EVENTS.has(event.type)) return
    for (const delay of FOLLOW_UP_DELAYS_MS) {
      const id = setTimeout(() => {
        timers.current.delete(id)
        void load()
      }, delay)
      timers.current.add(id)
    }
  })

  useEffect(() => {
    if (!open) return
    void load()
    heading.current?.focus()
    const onPointer = (event: MouseEvent) => {
      if (wrapper.current !== null && !wrapper.current.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', onPointer)
    return () => document.removeEventListener('mousedown', onPointer)
  }, [open, load])

  function close() {
    setOpen(false)
    button.current?.focus()
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape' && open) {
      event.stopPropagation()
      close()
    }
  }

  async function markRead(notification: AppNotification, announce = true) {
    setUnread((before) => (before ?? []).filter((item) => item.id !== notification.id))
    setEarlier((before) => [{ ...notification, readAt: new Date().toISOString() }, ...before].slice(0, EARLIER_SHOWN))
    try {
      await api.post(`/notifications/${notification.id}/read`)
      if (announce) setStatus(t('notifications.markedRead'))
    } catch {
      setStatus(t('notifications.failed'))
    }
    void load()
  }

  async function markAllRead() {
    const items = unread ?? []
    setUnread([])
    try {
      await Promise.all(items.map((item) => api.post(`/notifications/${item.id}/read`)))
      setStatus(t('notifications.allMarkedRead'))
    } catch {
      setStatus(t('notifications.failed'))
    }
    void load()
  }

  const count = unread?.length ?? 0
  const language = i18n.language
  const item = (notification: AppNotification, isUnread: boolean) => {
    const payload = notification.payload ?? {}
    const title = [payload.number, payload.subject].filter((part) => part !== undefined && part !== '').join(' ')
    const details = [
      payload.target !== undefined ? t(`sla.target.${payload.target}`, { defaultValue: payload.target }) : null,
      payload.level !== undefined ? t('notifications.level', { level: payload.level }) : null,
    ].filter((part) => part !== null)
    return (
      <li key={notification.id} className={`nb-item ${isUnread ? 'nb-unread' : ''}`} data-testid="notification" data-kind={notification.kind} data-read={!isUnread}>
        <div className="nb-item-head">
          <span className={`badge nb-kind nb-kind-${notification.kind}`}>{t(`notifications.kind.${notification.kind}`, { defaultValue: notification.kind })}</span>
          <time className="nb-time" dateTime={notification.createdAt} title={formatDateTime(notification.createdAt, language)}>
            {formatRelative(notification.createdAt, language)}
          </time>
        </div>
        {notification.ticketId !== null ? (
          <Link
            to={`/desk/tickets/${notification.ticketId}`}
            className="nb-link"
            onClick={() => {
              if (isUnread) void markRead(notification, false)
              setOpen(false)
            }}
            data-testid="notification-link"
          >
            {title || t('notifications.ticket')}
          </Link>
        ) : (
          <span>{title}</span>
        )}
        <div className="nb-item-foot">
          <p className="nb-details">{details.join(' · ')}</p>
          {isUnread && (
            <button type="button" className="nb-mark" onClick={() => void markRead(notification)} aria-label={t('notifications.markReadNamed', { name: title })} data-testid="notification-read">
              {t('notifications.markRead')}
            </button>
          )}
        </div>
      </li>
    )
  }

  return (
    <div className="nb" ref={wrapper} onKeyDown={onKeyDown}>
      <button
        type="button"
        ref={button}
        className="nb-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((before) => !before)}
        data-testid="notifications-bell"
      >
        <svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="20" height="20">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        <span className="visually-hidden">{t('notifications.label')}</span>
        <span className={count > 0 ? 'nb-count' : 'visually-hidden'} data-testid="notifications-count" data-count={count}>
          {count}
        </span>
        <span className="visually-hidden">{t('notifications.unreadSuffix')}</span>
      </button>
      <p className="visually-hidden" role="status">
        {status}
      </p>
      {open && (
        <div className="nb-panel" id={panelId} role="dialog" aria-modal="false" aria-labelledby={headingId} data-testid="notifications-panel">
          <div className="nb-panel-head">
            <h2 id={headingId} ref={heading} tabIndex={-1}>
              {t('notifications.title')}
            </h2>
            {count > 0 && (
              <button type="button" className="nb-mark" onClick={() => void markAllRead()} data-testid="notifications-read-all">
                {t('notifications.markAllRead')}
              </button>
            )}
          </div>
          {failed && (
            <p className="error" role="alert">
              {t('notifications.failed')}
            </p>
          )}
          {unread !== null && count === 0 && <p className="nb-empty">{t('notifications.none')}</p>}
          {count > 0 && (
            <ul className="nb-list" aria-label={t('notifications.unreadList')}>
              {(unread ?? []).map((notification) => item(notification, true))}
            </ul>
          )}
          {earlier.length > 0 && (
            <>
              <h3 className="nb-subhead">{t('notifications.earlier')}</h3>
              <ul className="nb-list">{earlier.map((notification) => item(notification, false))}</ul>
            </>
          )}
        </div>
      )}
    </div>
  )
}
