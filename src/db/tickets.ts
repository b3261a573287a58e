import { type Expression, type SqlBool, sql } from 'kysely'
import type { TicketScope } from '../domain/policy/policy.ts'
import type { Db } from './connection.ts'
import type { NewTicketRow, TicketRow, TicketUpdate } from './schema.ts'

/** A ticket row with its watchers, as the use cases need it. */
export interface TicketRecord extends Omit<TicketRow, 'search_public' | 'search_internal'> {
  readonly watcher_ids: string[]
}

const TICKET_COLUMNS = [
  'id', 'number', 'subject', 'description', 'type', 'severity', 'status', 'channel', 'category_id', 'organisation_id',
  'requester_id', 'owner_id', 'assignee_id', 'group_id', 'tags', 'received_at', 'accepted_at', 'first_response_at',
  'resolved_at', 'closed_at', 'reopen_count', 'transfer_count', 'created_by', 'created_at', 'updated_at',
  'sla_policy_id', 'priority_score', 'priority_factors', 'sla_due_at', 'sla_state', 'followed_up_at', 'emotion', 'asset_risk',
] as const

/** Next ticket serial; a sequence, so concurrent creations never wait on each other (gaps are possible). */
export async function nextTicketSerial(trx: Db): Promise<number> {
  const { rows } = await sql<{ value: string | number }>`SELECT nextval('ticket_number_seq') AS value`.execute(trx)
  return Number(rows[0]?.value)
}

/** Inserts a ticket and its watchers; `words` (already segmented) become its public search vector. */
export async function insertTicket(
  trx: Db,
  row: Omit<NewTicketRow, 'search_public'>,
  words: string,
  watcherIds: readonly string[],
): Promise<TicketRecord> {
  const inserted = await trx
    .insertInto('tickets')
    .values({ ...row, search_public: sql<string>`strip(to_tsvector('simple', ${words}))` })
    .returning(TICKET_COLUMNS)
    .executeTakeFirstOrThrow()
  if (watcherIds.length > 0) {
    await trx.insertInto('ticket_watchers').values(watcherIds.map((userId) => ({ ticket_id: row.id, user_id: userId }))).execute()
  }
  return { ...inserted, watcher_ids: [...watcherIds] }
}

export async function replaceWatchers(trx: Db, ticketId: string, watcherIds: readonly string[]): Promise<void> {
  await trx.deleteFrom('ticket_watchers').where('ticket_id', '=', ticketId).execute()
  if (watcherIds.length > 0) {
    await trx.insertInto('ticket_watchers').values(watcherIds.map((userId) => ({ ticket_id: ticketId, user_id: userId }))).execute()
  }
}

/** Loads one ticket; `forUpdate` locks its row for the rest of the transaction. */
export async function findTicket(trx: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<TicketRecord | undefined> {
  let query = trx
    .selectFrom('tickets')
    .select(TICKET_COLUMNS)
    .select((eb) =>
      eb.fn
        .coalesce(
          eb.selectFrom('ticket_watchers').select(sql<string[]>`array_agg(user_id)`.as('ids')).whereRef('ticket_watchers.ticket_id', '=', 'tickets.id'),
          sql<string[]>`'{}'::uuid[]`,
        )
        .as('watcher_ids'),
    )
    .where('id', '=', id)
  if (options.forUpdate === true) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return row as TicketRecord | undefined
}

export async function updateTicket(trx: Db, id: string, patch: TicketUpdate): Promise<void> {
  await trx.updateTable('tickets').set(patch).where('id', '=', id).execute()
}

/** Adds words to a ticket's search vector (public or internal), without positions to keep it small. */
export async function appendSearchWords(trx: Db, id: string, visibility: 'public' | 'internal', words: string): Promise<void> {
  if (words === '') return
  if (visibility === 'public') {
    await sql`UPDATE tickets SET search_public = search_public || strip(to_tsvector('simple', ${words})) WHERE id = ${id}`.execute(trx)
  } else {
    await sql`UPDATE tickets SET search_internal = search_internal || strip(to_tsvector('simple', ${words})) WHERE id = ${id}`.execute(trx)
  }
}

export const TICKET_SORTS = ['-receivedAt', 'receivedAt', '-updatedAt', 'updatedAt', 'severity', '-priority', 'slaDueAt'] as const
export type TicketSort = (typeof TICKET_SORTS)[number]

type SortColumn = 'received_at' | 'updated_at' | 'severity' | 'priority_score' | 'sla_due_at' | 'id'

const SORT_COLUMNS: Record<TicketSort, { readonly columns: readonly SortColumn[]; readonly descending: boolean }> = {
  '-receivedAt': { columns: ['received_at', 'id'], descending: true },
  receivedAt: { columns: ['received_at', 'id'], descending: false },
  '-updatedAt': { columns: ['updated_at', 'id'], descending: true },
  updatedAt: { columns: ['updated_at', 'id'], descending: false },
  severity: { columns: ['severity', 'received_at', 'id'], descending: false },
  '-priority': { columns: ['priority_score', 'received_at', 'id'], descending: true },
  // Only tickets with a running target have a due time; they come soonest (or most overdue) first.
  slaDueAt: { columns: ['sla_due_at', 'id'], descending: false },
}

const TIME_COLUMNS: ReadonlySet<SortColumn> = new Set(['received_at', 'updated_at', 'sla_due_at'])

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether `key` has the shape of a sort key of `sort` (a cursor from a client is not trusted). */
export function isValidSortKey(sort: TicketSort, key: readonly unknown[]): boolean {
  const { columns } = SORT_COLUMNS[sort]
  return (
    key.length === columns.length &&
    columns.every((column, index) => {
      const raw = key[index]
      const value = typeof raw === 'number' ? String(raw) : raw
      if (typeof value !== 'string') return false
      if (column === 'id') return UUID.test(value)
      if (column === 'severity') return /^P[1-4]$/.test(value)
      if (column === 'priority_score') return /^-?\d{1,6}$/.test(value)
      return /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(value) && !Number.isNaN(Date.parse(value))
    })
  )
}

export interface TicketListFilter {
  readonly statuses?: readonly string[]
  readonly severities?: readonly string[]
  readonly types?: readonly string[]
  /** Channels the ticket came in by (`chat`, `email`, …). */
  readonly channels?: readonly string[]
  /** A user id, or null for unassigned. */
  readonly assigneeId?: string | null
  /** A group id, or null for tickets without a group. */
  readonly groupId?: string | null
  readonly requesterId?: string
  readonly organisationId?: string
  readonly tag?: string
  /** Query words (already segmented); each must match. */
  readonly words?: readonly string[]
  /** SLA states (`at_risk`, `breached`, `ok`). */
  readonly slaStates?: readonly string[]
  /** Whether internal notes count for the text match. */
  readonly searchInternal: boolean
}

export interface TicketPage {
  readonly rows: TicketRecord[]
  /** Sort-key values of the last row, when there may be more. */
  readonly lastKey: unknown[] | null
}

/** Lists tickets visible in `scope`, filtered and sorted, one keyset page after `afterKey`. */
export async function listTickets(
  trx: Db,
  scope: TicketScope,
  filter: TicketListFilter,
  sort: TicketSort,
  afterKey: readonly unknown[] | null,
  limit: number,
): Promise<TicketPage> {
  const { columns, descending } = SORT_COLUMNS[sort]
  let query = trx
    .selectFrom('tickets')
    .select(TICKET_COLUMNS)
    .select(sql<string[]>`array(SELECT user_id FROM ticket_watchers w WHERE w.ticket_id = tickets.id)`.as('watcher_ids'))
    .where((eb) => {
      const conditions: Expression<SqlBool>[] = [scopeCondition(scope)]
      if (filter.statuses !== undefined && filter.statuses.length > 0) conditions.push(eb('status', 'in', [...filter.statuses]))
      if (filter.severities !== undefined && filter.severities.length > 0) conditions.push(eb('severity', 'in', [...filter.severities]))
      if (filter.types !== undefined && filter.types.length > 0) conditions.push(eb('type', 'in', [...filter.types]))
      if (filter.channels !== undefined && filter.channels.length > 0) conditions.push(eb('channel', 'in', [...filter.channels]))
      if (filter.assigneeId !== undefined) conditions.push(filter.assigneeId === null ? eb('assignee_id', 'is', null) : eb('assignee_id', '=', filter.assigneeId))
      if (filter.groupId !== undefined) conditions.push(filter.groupId === null ? eb('group_id', 'is', null) : eb('group_id', '=', filter.groupId))
      if (filter.requesterId !== undefined) conditions.push(eb('requester_id', '=', filter.requesterId))
      if (filter.organisationId !== undefined) conditions.push(eb('organisation_id', '=', filter.organisationId))
      if (filter.slaStates !== undefined && filter.slaStates.length > 0) conditions.push(eb('sla_state', 'in', [...filter.slaStates]))
      if (sort === 'slaDueAt') conditions.push(eb('sla_due_at', 'is not', null))
      if (filter.tag !== undefined) conditions.push(sql<SqlBool>`tags @> ARRAY[${filter.tag}]::text[]`)
      if (filter.words !== undefined && filter.words.length > 0) {
        const query = sql`plainto_tsquery('simple', ${filter.words.join(' ')})`
        conditions.push(
          filter.searchInternal
            ? sql<SqlBool>`(search_public @@ ${query} OR search_internal @@ ${query})`
            : sql<SqlBool>`search_public @@ ${query}`,
        )
      }
      if (afterKey !== null) {
        const left = sql.join(columns.map((column) => sql.ref(column)))
        const right = sql.join(
          afterKey.map((value, index) => {
            const column = columns[index]
            if (column !== undefined && TIME_COLUMNS.has(column)) return sql`${value}::timestamptz`
            return column === 'priority_score' ? sql`${Number(value)}::integer` : sql`${value}`
          }),
        )
        conditions.push(descending ? sql<SqlBool>`(${left}) < (${right})` : sql<SqlBool>`(${left}) > (${right})`)
      }
      return eb.and(conditions)
    })
  for (const column of columns) query = query.orderBy(column, descending ? 'desc' : 'asc')
  const rows = (await query.limit(limit + 1).execute()) as TicketRecord[]
  const hasMore = rows.length > limit
  const page = hasMore ? rows.slice(0, limit) : rows
  const last = page.at(-1)
  const lastKey = hasMore && last !== undefined ? columns.map((column) => serialiseKey(last[column])) : null
  return { rows: page, lastKey }
}

function serialiseKey(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value
}

export function scopeCondition(scope: TicketScope): Expression<SqlBool> {
  switch (scope.kind) {
    case 'all':
      return sql<SqlBool>`true`
    case 'none':
      return sql<SqlBool>`false`
    case 'requester':
      return scope.organisationId === null
        ? sql<SqlBool>`requester_id = ${scope.userId}`
        : sql<SqlBool>`(requester_id = ${scope.userId} OR organisation_id = ${scope.organisationId})`
    case 'agent': {
      const groups = scope.groupIds.length > 0 ? sql`group_id = ANY(${sql.val([...scope.groupIds])}::uuid[]) OR ` : sql``
      return sql<SqlBool>`(group_id IS NULL OR ${groups}assignee_id = ${scope.userId} OR owner_id = ${scope.userId}
        OR EXISTS (SELECT 1 FROM ticket_watchers w WHERE w.ticket_id = tickets.id AND w.user_id = ${scope.userId}))`
    }
  }
}

/**
 * Open tickets per queue of the viewer: assigned to them, in their groups, unassigned, and all
 * they can see; and of each, those that came in by web chat. One pass over the open tickets.
 */
export async function countQueues(trx: Db, scope: TicketScope, userId: string, groupIds: readonly string[]) {
  const inGroups = groupIds.length > 0 ? sql<boolean>`group_id = ANY(${sql.val([...groupIds])}::uuid[])` : sql<boolean>`false`
  const row = await trx
    .selectFrom('tickets')
    .select([
      sql<number>`count(*) FILTER (WHERE assignee_id = ${userId})`.as('mine'),
      sql<number>`count(*) FILTER (WHERE ${inGroups})`.as('my_groups'),
      sql<number>`count(*) FILTER (WHERE assignee_id IS NULL)`.as('unassigned'),
      sql<number>`count(*)`.as('all_open'),
      sql<number>`count(*) FILTER (WHERE channel = 'chat' AND assignee_id = ${userId})`.as('chats_mine'),
      sql<number>`count(*) FILTER (WHERE channel = 'chat' AND ${inGroups})`.as('chats_my_groups'),
      sql<number>`count(*) FILTER (WHERE channel = 'chat' AND assignee_id IS NULL)`.as('chats_unassigned'),
      sql<number>`count(*) FILTER (WHERE channel = 'chat')`.as('chats_all_open'),
    ])
    .where('status', 'in', ['new', 'accepted', 'in_progress', 'waiting'])
    .where(scopeCondition(scope))
    .executeTakeFirstOrThrow()
  return {
    mine: Number(row.mine),
    myGroups: Number(row.my_groups),
    unassigned: Number(row.unassigned),
    allOpen: Number(row.all_open),
    chats: { mine: Number(row.chats_mine), myGroups: Number(row.chats_my_groups), unassigned: Number(row.chats_unassigned), allOpen: Number(row.chats_all_open) },
  }
}

/** Open tickets per agent, by status, with the oldest receipt: the supervisor's load view. */
export async function agentLoad(trx: Db) {
  const rows = await trx
    .selectFrom('users')
    .leftJoin('tickets', (join) => join.onRef('tickets.assignee_id', '=', 'users.id').on('tickets.status', 'in', ['new', 'accepted', 'in_progress', 'waiting']))
    .select([
      'users.id',
      'users.name',
      'users.tier',
      sql<number>`count(tickets.id)`.as('open'),
      sql<number>`count(tickets.id) FILTER (WHERE tickets.status IN ('new', 'accepted'))`.as('not_started'),
      sql<number>`count(tickets.id) FILTER (WHERE tickets.status = 'in_progress')`.as('in_progress'),
      sql<number>`count(tickets.id) FILTER (WHERE tickets.status = 'waiting')`.as('waiting'),
      sql<Date | null>`min(tickets.received_at)`.as('oldest_received_at'),
    ])
    .where(sql<boolean>`'agent' = ANY(users.roles)`)
    .where('users.is_active', '=', true)
    .groupBy(['users.id', 'users.name', 'users.tier'])
    .orderBy('users.name')
    .execute()
  return rows.map((row) => ({ ...row, open: Number(row.open), not_started: Number(row.not_started), in_progress: Number(row.in_progress), waiting: Number(row.waiting) }))
}
