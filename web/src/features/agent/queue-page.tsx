import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { ApiError, api } from '../../api/client.ts'
import { CHANNELS, type QueueCounts, SEVERITIES, type SavedView, TICKET_STATUSES, TICKET_TYPES, seesAllQueues } from '../../api/types.ts'
import { ChannelIcon } from '../../components/channel-label.tsx'
import { useUser } from '../../components/session.tsx'
import { useLoad } from '../../components/use-load.ts'
import { ANY_STATUS, CHAT_CHANNEL, COUNT_OF, QUEUE_KEYS, type QueueKey, SLA_FILTERS, SORTS, listQueryOf, queueOf, rememberQueueSearch, tabSearch, toQueryString, viewSearch } from './queue-query.ts'
import { SavedViews } from './saved-views.tsx'
import { type ShortcutHelpItem, ShortcutsHelp, useShortcuts } from './shortcuts.tsx'
import { TicketTable } from './ticket-table.tsx'
import { namesById, useGroups, useStaff } from './use-directory.ts'
import { isTicketEvent, useLiveReload } from './use-live-reload.ts'
import { useTicketList } from './use-ticket-list.ts'

const QUEUE_SHORTCUTS: readonly ShortcutHelpItem[] = [
  { keys: ['j'], label: 'shortcuts.next' },
  { keys: ['k'], label: 'shortcuts.previous' },
  { keys: ['Enter'], label: 'shortcuts.open' },
  { keys: ['/'], label: 'shortcuts.search' },
]

/** How long the search box waits for more typing before it asks the server. */
const SEARCH_DELAY_MS = 300

/** The agent's queues: tabs with live counts, a "Chats" quick filter, filters, sorting, saved views and a paged table. */
export function QueuePage() {
  const { t } = useTranslation('agent')
  const user = useUser()
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const seesAll = seesAllQueues(user)
  const location = queueOf(params, seesAll, user.groupIds)
  const query = listQueryOf(params, location)
  const list = useTicketList(query)
  const counts = useLoad(() => api.get<QueueCounts>('/tickets/counts'), [])
  const groups = useGroups()
  const staff = useStaff()
  const agentNames = useMemo(() => namesById(staff), [staff])
  const groupNames = useMemo(() => namesById(groups), [groups])
  const [active, setActive] = useState(-1)
  const [helpOpen, setHelpOpen] = useState(false)
  const activeLink = useRef<HTMLAnchorElement>(null)
  const searchBox = useRef<HTMLInputElement>(null)
  const viewId = params.get('view')

  useLiveReload(isTicketEvent, () => {
    list.refresh()
    counts.reload()
  })

  useEffect(() => rememberQueueSearch(params.toString()), [params])
  useEffect(() => setActive(-1), [query])
  useEffect(() => {
    if (active >= 0) activeLink.current?.focus()
  }, [active])

  const [textDraft, setTextDraft] = useState(params.get('text') ?? '')
  const urlText = params.get('text') ?? ''
  // The URL holds the trimmed words; a space still being typed stays in the box.
  useEffect(() => setTextDraft((draft) => (draft.trim() === urlText ? draft : urlText)), [urlText])
  useEffect(() => {
    if (textDraft.trim() === urlText) return
    const timer = setTimeout(() => setParam('text', textDraft.trim(), true), SEARCH_DELAY_MS)
    return () => clearTimeout(timer)
    // Only a change of the draft starts the wait; the URL follows it.
  }, [textDraft])

  function setParam(name: string, value: string, replace = false) {
    const next = new URLSearchParams(params)
    if (value === '') next.delete(name)
    else next.set(name, value)
    setParams(toQueryString(next.entries()), { replace })
  }

  function applyView(view: SavedView | null) {
    navigate(view === null ? '/desk' : `/desk?${viewSearch(view.id, view.query)}`)
  }

  useShortcuts({
    j: () => setActive((index) => Math.min(list.items.length - 1, index + 1)),
    k: () => setActive((index) => Math.max(0, index - 1)),
    Enter: () => {
      const ticket = list.items[active]
      const focused = document.activeElement
      // Enter on another link or a button does what that control does.
      const elsewhere = focused !== activeLink.current && focused instanceof HTMLElement && focused.closest('a, button, summary') !== null
      if (ticket === undefined || elsewhere) return false
      navigate(`/desk/tickets/${ticket.id}`)
    },
    '/': () => searchBox.current?.focus(),
    '?': () => setHelpOpen(true),
  })

  const tabs = QUEUE_KEYS.filter((key) => key !== 'all' || seesAll)
  const status = params.get('status') ?? ''
  const severity = params.get('severity') ?? ''
  const type = params.get('type') ?? ''
  const channel = params.get('channel') ?? ''
  const chatsOnly = channel === CHAT_CHANNEL
  // Open chats of the queue on screen; a custom view has no count of its own.
  const chatCount = location.queue !== null && counts.data !== undefined ? counts.data.chats[COUNT_OF[location.queue]] : null
  const sla = params.get('sla') ?? ''
  const sort = params.get('sort') ?? '-receivedAt'
  const error = list.error instanceof ApiError ? list.error.message : list.error !== null ? t('common:error.generic') : null

  return (
    <div className="ag-queue stack">
      <div className="ag-page-head">
        <h1>{t('queue.title')}</h1>
        <button type="button" className="button-quiet" onClick={() => setHelpOpen(true)} data-testid="shortcuts-open">
          {t('shortcuts.button')} <kbd>?</kbd>
        </button>
      </div>

      <nav aria-label={t('queue.tabsLabel')}>
        <ul className="ag-tabs">
          {tabs.map((key) => (
            <li key={key}>
              <Link
                to={`/desk?${tabSearch(params, key, key === 'groups' ? location.group : null)}`}
                aria-current={location.queue === key ? 'page' : undefined}
                className={location.queue === key ? 'ag-tab ag-tab-current' : 'ag-tab'}
                data-testid={`queue-tab-${key}`}
              >
                {t(`queue.tab.${key}`)}{' '}
                <span className="ag-count" data-testid={`queue-count-${key}`}>
                  {counts.data === undefined ? '–' : counts.data[COUNT_OF[key]]}
                </span>
              </Link>
            </li>
          ))}
          {location.queue === null && (
            <li>
              <span className="ag-tab ag-tab-current" aria-current="page">
                {t('queue.tab.custom')}
              </span>
            </li>
          )}
        </ul>
      </nav>

      <div className="ag-quick" role="group" aria-label={t('filter.quick')}>
        <button
          type="button"
          className="ag-quick-filter"
          aria-pressed={chatsOnly}
          onClick={() => setParam('channel', chatsOnly ? '' : CHAT_CHANNEL)}
          title={t('filter.chatsHint')}
          data-testid="quick-chats"
        >
          <ChannelIcon channel={CHAT_CHANNEL} />
          {t('filter.chats')}
          {chatCount !== null && (
            <span className="ag-count" data-testid="quick-chats-count">
              {chatCount}
            </span>
          )}
        </button>
      </div>

      {location.queue === 'groups' && user.groupIds.length === 0 && <p className="notice">{t('queue.noGroups')}</p>}

      <div className="ag-toolbar">
        {location.queue === 'groups' && user.groupIds.length > 1 && (
          <div className="ag-field">
            <label htmlFor="ag-queue-group">{t('queue.group')}</label>
            <select id="ag-queue-group" value={location.group ?? ''} onChange={(event) => setParam('group', event.target.value)} data-testid="queue-group">
              {user.groupIds.map((id) => (
                <option key={id} value={id}>
                  {groupNames.get(id) ?? '…'}
                </option>
              ))}
            </select>
          </div>
        )}
        <form className="ag-field ag-search" role="search" onSubmit={(event) => (event.preventDefault(), setParam('text', textDraft.trim(), true))}>
          <label htmlFor="ag-filter-text">{t('filter.text')}</label>
          <input
            id="ag-filter-text"
            ref={searchBox}
            type="search"
            value={textDraft}
            maxLength={200}
            placeholder={t('filter.textPlaceholder')}
            onChange={(event) => setTextDraft(event.target.value)}
            data-testid="filter-text"
          />
        </form>
        <div className="ag-field">
          <label htmlFor="ag-filter-status">{t('filter.status')}</label>
          <select id="ag-filter-status" value={status} onChange={(event) => setParam('status', event.target.value)} data-testid="filter-status">
            {/* Without a queue tab nothing narrows the status, so "any" is the default there. */}
            <option value="">{location.queue === null ? t('filter.anyStatus') : t('filter.open')}</option>
            {location.queue !== null && <option value={ANY_STATUS}>{t('filter.anyStatus')}</option>}
            {TICKET_STATUSES.map((value) => (
              <option key={value} value={value}>
                {t(`common:status.${value}`)}
              </option>
            ))}
            <ExtraOption value={status} known={['', ANY_STATUS, ...TICKET_STATUSES]} label={(value) => t(`common:status.${value}`)} />
          </select>
        </div>
        <div className="ag-field">
          <label htmlFor="ag-filter-severity">{t('filter.severity')}</label>
          <select id="ag-filter-severity" value={severity} onChange={(event) => setParam('severity', event.target.value)} data-testid="filter-severity">
            <option value="">{t('filter.all')}</option>
            {SEVERITIES.map((value) => (
              <option key={value} value={value}>
                {t(`common:severity.${value}`)}
              </option>
            ))}
            <ExtraOption value={severity} known={['', ...SEVERITIES]} label={(value) => t(`common:severity.${value}`)} />
          </select>
        </div>
        <div className="ag-field">
          <label htmlFor="ag-filter-type">{t('filter.type')}</label>
          <select id="ag-filter-type" value={type} onChange={(event) => setParam('type', event.target.value)} data-testid="filter-type">
            <option value="">{t('filter.all')}</option>
            {TICKET_TYPES.map((value) => (
              <option key={value} value={value}>
                {t(`common:type.${value}`)}
              </option>
            ))}
            <ExtraOption value={type} known={['', ...TICKET_TYPES]} label={(value) => t(`common:type.${value}`)} />
          </select>
        </div>
        <div className="ag-field">
          <label htmlFor="ag-filter-channel">{t('filter.channel')}</label>
          <select id="ag-filter-channel" value={channel} onChange={(event) => setParam('channel', event.target.value)} data-testid="filter-channel">
            <option value="">{t('filter.all')}</option>
            {CHANNELS.map((value) => (
              <option key={value} value={value}>
                {t(`common:channel.${value}`)}
              </option>
            ))}
            <ExtraOption value={channel} known={['', ...CHANNELS]} label={(value) => t(`common:channel.${value}`, { defaultValue: value })} />
          </select>
        </div>
        <div className="ag-field">
          <label htmlFor="ag-filter-sla">{t('filter.sla')}</label>
          <select id="ag-filter-sla" value={sla} onChange={(event) => setParam('sla', event.target.value)} data-testid="filter-sla">
            <option value="">{t('filter.all')}</option>
            {SLA_FILTERS.map((value) => (
              <option key={value} value={value}>
                {t(`filter.slaOption.${value.replace(',', '_')}`)}
              </option>
            ))}
            <ExtraOption value={sla} known={['', ...SLA_FILTERS]} label={(value) => t(`common:sla.status.${value}`)} />
          </select>
        </div>
        <div className="ag-field">
          <label htmlFor="ag-filter-sort">{t('filter.sort')}</label>
          <select id="ag-filter-sort" value={sort} onChange={(event) => setParam('sort', event.target.value === '-receivedAt' ? '' : event.target.value)} data-testid="filter-sort">
            {SORTS.map((value) => (
              <option key={value} value={value}>
                {t(`sort.${value}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {sort === 'slaDueAt' && (
        <p className="muted ag-small ag-sort-hint" data-testid="sort-sla-hint">
          {t('filter.slaDueAtHint')}
        </p>
      )}

      <SavedViews currentQuery={query} selectedId={viewId} onApply={applyView} />

      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {list.loading ? (
        <p className="loading" role="status">
          {t('common:loading')}
        </p>
      ) : list.items.length === 0 && error === null ? (
        <p className="ag-empty" data-testid="queue-empty">
          {t('queue.empty')}
        </p>
      ) : (
        <TicketTable
          tickets={list.items}
          caption={t('queue.caption', { queue: location.queue === null ? t('queue.tab.custom') : t(`queue.tab.${location.queue satisfies QueueKey}`) })}
          assigneeNames={agentNames}
          groupNames={groupNames}
          activeIndex={active}
          activeRef={activeLink}
        />
      )}
      <div className="row">
        <p className="muted" role="status" data-testid="queue-shown">
          {list.loading ? '' : t('queue.shown', { count: list.items.length })}
        </p>
        {list.hasMore && (
          <button type="button" onClick={list.loadMore} disabled={list.loadingMore} data-testid="load-more">
            {list.loadingMore ? t('common:loading') : t('queue.loadMore')}
          </button>
        )}
      </div>
      {helpOpen && <ShortcutsHelp items={QUEUE_SHORTCUTS} onClose={() => setHelpOpen(false)} />}
    </div>
  )
}

/** A value from a saved view that the select does not offer (several at once), in words. */
function ExtraOption({ value, known, label }: { value: string; known: readonly string[]; label: (value: string) => string }) {
  const { t } = useTranslation('agent')
  if (known.includes(value)) return null
  return <option value={value}>{value.split(',').map(label).join(t('filter.separator'))}</option>
}
