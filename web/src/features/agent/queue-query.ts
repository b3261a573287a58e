import { OPEN_STATUSES } from './agent-types.ts'

/** The queues of the workspace, in the order of their tabs. */
export const QUEUE_KEYS = ['mine', 'groups', 'unassigned', 'all'] as const
export type QueueKey = (typeof QUEUE_KEYS)[number]

/** Which count of `GET /tickets/counts` belongs to which queue. */
export const COUNT_OF: Record<QueueKey, 'mine' | 'myGroups' | 'unassigned' | 'allOpen'> = {
  mine: 'mine',
  groups: 'myGroups',
  unassigned: 'unassigned',
  all: 'allOpen',
}

/** Sort orders offered in the queue (the API's `sort`). */
export const SORTS = ['-receivedAt', 'receivedAt', '-updatedAt', 'severity', '-priority', 'slaDueAt'] as const

/** SLA filters offered in the queue (the API's `sla`). */
export const SLA_FILTERS = ['at_risk,breached', 'breached', 'at_risk', 'ok'] as const

/** Parameters of `GET /tickets` that a queue URL or a saved view may carry. */
export const FILTER_PARAMS = ['assignee', 'group', 'requester', 'organisation', 'tag', 'status', 'severity', 'type', 'channel', 'sla', 'text', 'sort'] as const

/** The channel of the "Chats" quick filter (the API's `channel`). */
export const CHAT_CHANNEL = 'chat'

/** The status filter's value for "any status" (the API's default when `status` is absent). */
export const ANY_STATUS = 'any'

export const PAGE_SIZE = 50

/** Where the queue page is: a queue tab (with its group), or a saved view / hand-made query. */
export interface QueueLocation {
  readonly queue: QueueKey | null
  readonly group: string | null
}

/** The queue the URL names; `/desk` alone is "mine", a URL with only filters is a custom view. */
export function queueOf(params: URLSearchParams, seesAll: boolean, groupIds: readonly string[]): QueueLocation {
  const named = params.get('queue')
  let queue: QueueKey | null = QUEUE_KEYS.find((key) => key === named) ?? null
  if (queue === 'all' && !seesAll) queue = 'mine'
  if (queue === null && named === null && !params.has('view') && !FILTER_PARAMS.some((name) => params.has(name))) queue = 'mine'
  const wanted = params.get('group')
  const group = queue === 'groups' ? (wanted !== null && groupIds.includes(wanted) ? wanted : (groupIds[0] ?? null)) : null
  return { queue, group }
}

/** The base of each queue's list query, before the person's own filters. */
function baseOf(location: QueueLocation): Record<string, string> {
  switch (location.queue) {
    case 'mine':
      return { assignee: 'me', status: OPEN_STATUSES }
    case 'groups':
      return location.group === null ? {} : { group: location.group, status: OPEN_STATUSES }
    case 'unassigned':
      return { assignee: 'none', status: OPEN_STATUSES }
    case 'all':
      return { status: OPEN_STATUSES }
    case null:
      return {}
  }
}

/**
 * The query string of `GET /tickets` (without paging) for the page's URL: the queue's base,
 * overridden by the filters in the URL. Commas stay readable (`status=new,accepted`), which is
 * also the form saved views keep.
 */
export function listQueryOf(params: URLSearchParams, location: QueueLocation): string {
  const query = new Map(Object.entries(baseOf(location)))
  for (const name of FILTER_PARAMS) {
    if (name === 'group' && location.queue === 'groups') continue
    const value = params.get(name)
    if (value === null || value === '') continue
    if (name === 'status' && value === ANY_STATUS) query.delete('status')
    else query.set(name, value)
  }
  if (!query.has('sort')) query.set('sort', '-receivedAt')
  return toQueryString(query)
}

export function toQueryString(entries: Iterable<[string, string]>): string {
  return new URLSearchParams([...entries]).toString().replaceAll('%2C', ',')
}

/** The desk URL of a saved view: its list query as is, remembered as the chosen view. */
export function viewSearch(viewId: string, query: string): string {
  const params = new URLSearchParams(query)
  const kept = [...params.entries()].filter(([name]) => (FILTER_PARAMS as readonly string[]).includes(name))
  return toQueryString([['view', viewId], ...kept])
}

/** The desk URL of a queue tab, keeping the sort and the person's filters. */
export function tabSearch(params: URLSearchParams, queue: QueueKey, group: string | null): string {
  const kept: [string, string][] = [['queue', queue]]
  if (queue === 'groups' && group !== null) kept.push(['group', group])
  for (const name of ['status', 'severity', 'type', 'channel', 'sla', 'text', 'sort'] as const) {
    const value = params.get(name)
    if (value !== null && value !== '') kept.push([name, value])
  }
  return toQueryString(kept)
}

/** The last queue the agent looked at, so "back to the queue" (and `u`) returns there. */
let lastQueueSearch = ''

export function rememberQueueSearch(search: string): void {
  lastQueueSearch = search
}

export function queueHref(): string {
  return lastQueueSearch === '' ? '/desk' : `/desk?${lastQueueSearch}`
}
