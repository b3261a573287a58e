import { sql } from 'kysely'
import { v7 as uuidv7 } from 'uuid'
import { type DuplicateCandidate, type DuplicateSuggestion, rankDuplicates } from '../../domain/people/duplicates.ts'
import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayMergeCustomers } from '../../domain/policy/policy.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import type { Db } from '../../db/connection.ts'
import { type NewEvent, insertEvents } from '../../db/events.ts'
import type { CustomerMergeRow, UserRow } from '../../db/schema.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { CLUES_MET_EVENT } from './resolve-customer.ts'

/** Contact points a record can hand over; each is unique across users. */
const CONTACT_COLUMNS = ['email', 'phone', 'wechat_open_id', 'app_user_id'] as const
type ContactColumn = (typeof CONTACT_COLUMNS)[number]

/** Exactly what a merge moved from the merged record to the survivor, so undo can move it back. */
export interface MovedRecord {
  readonly tickets: string[]
  readonly messages: string[]
  readonly chatSessions: string[]
  readonly calls: string[]
  readonly callbackTasks: string[]
  readonly identities: { source: string; externalId: string }[]
  /** Tickets whose watcher row moved to the survivor. */
  readonly watchersMoved: string[]
  /** Tickets the survivor already watched: the merged record's row was dropped. */
  readonly watchersDropped: string[]
  /** Contact points taken from the merged record and given to the survivor (who lacked them). */
  readonly contactPoints: Partial<Record<ContactColumn, string>>
  /** The merged record's organisation, given to a survivor that had none. */
  readonly organisationId: string | null
  readonly wasActive: boolean
}

export interface MergeInput {
  readonly mergeId: string
  /** Merge even when the two records belong to different organisations. */
  readonly force?: boolean
}

export interface MergeView extends Omit<CustomerMergeRow, 'moved'> {
  readonly moved: MovedRecord
  readonly survivor_name: string
  readonly merged_name: string
}

function notFound(field: string, what = 'customer'): AppError {
  return new AppError('NOT_FOUND', `${what} not found`, [{ field, message: 'not found' }])
}

function isCustomerRow(row: UserRow): boolean {
  return row.roles.length === 1 && row.roles[0] === 'customer'
}

/** Both records, locked in id order so two merges touching the same customers queue instead of deadlocking. */
async function lockUsers(trx: Db, ids: readonly string[]): Promise<Map<string, UserRow>> {
  const rows = await trx.selectFrom('users').selectAll().where('id', 'in', [...ids]).orderBy('id').forUpdate().execute()
  return new Map(rows.map((row) => [row.id, row]))
}

/**
 * Merges customer `mergeId` into customer `survivorId` in one transaction: their tickets,
 * messages, chat sessions, calls, callback tasks, external identities and ticket watches move
 * to the survivor, with the contact points the survivor lacks; the merged record is marked
 * merged and deactivated (its sessions end, it cannot sign in). The `customer_merges` row lists
 * exactly what moved. Refused: a record into itself, staff accounts, a record already merged
 * (either side), and two records of different organisations unless `force`.
 */
export async function mergeCustomers(deps: ServiceDeps, actor: Actor, survivorId: string, input: MergeInput): Promise<MergeView> {
  assertMayMergeCustomers(actor)
  if (survivorId === input.mergeId) throw new AppError('VALIDATION', 'a customer cannot be merged into itself', [{ field: 'mergeId', message: 'same as the customer' }])
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const users = await lockUsers(trx, [survivorId, input.mergeId])
    const survivor = users.get(survivorId)
    const merged = users.get(input.mergeId)
    if (survivor === undefined || !isCustomerRow(survivor)) throw notFound('id')
    if (merged === undefined) throw notFound('mergeId')
    if (!isCustomerRow(merged)) throw new AppError('VALIDATION', 'staff accounts are not merged', [{ field: 'mergeId', message: 'a staff account' }])
    if (survivor.merged_into !== null) throw new AppError('CONFLICT', 'this customer was itself merged into another record', [{ field: 'id', message: 'already merged' }])
    if (merged.merged_into !== null) throw new AppError('CONFLICT', 'that customer is already merged into another record', [{ field: 'mergeId', message: 'already merged' }])
    if (survivor.organisation_id !== null && merged.organisation_id !== null && survivor.organisation_id !== merged.organisation_id && input.force !== true) {
      throw new AppError('CONFLICT', 'the customers belong to different organisations; confirm with force to merge anyway', [{ field: 'force', message: 'different organisations' }])
    }

    const ids = async (query: Promise<{ id: string }[]>) => (await query).map((row) => row.id)
    const tickets = await ids(trx.updateTable('tickets').set({ requester_id: survivor.id }).where('requester_id', '=', merged.id).returning('id').execute())
    const messages = await ids(trx.updateTable('messages').set({ author_id: survivor.id }).where('author_id', '=', merged.id).returning('id').execute())
    const chatSessions = await ids(trx.updateTable('chat_sessions').set({ customer_id: survivor.id }).where('customer_id', '=', merged.id).returning('id').execute())
    const calls = await ids(trx.updateTable('calls').set({ customer_id: survivor.id }).where('customer_id', '=', merged.id).returning('id').execute())
    const callbackTasks = await ids(trx.updateTable('callback_tasks').set({ customer_id: survivor.id }).where('customer_id', '=', merged.id).returning('id').execute())
    const identities = (
      await trx.updateTable('customer_identities').set({ user_id: survivor.id }).where('user_id', '=', merged.id).returning(['source', 'external_id']).execute()
    ).map((row) => ({ source: row.source, externalId: row.external_id }))
    const watched = await trx.selectFrom('ticket_watchers').select('ticket_id').where('user_id', '=', merged.id).execute()
    const alreadyWatching = new Set(
      watched.length === 0
        ? []
        : (await trx.selectFrom('ticket_watchers').select('ticket_id').where('user_id', '=', survivor.id).where('ticket_id', 'in', watched.map((row) => row.ticket_id)).execute()).map((row) => row.ticket_id),
    )
    const watchersDropped = watched.map((row) => row.ticket_id).filter((id) => alreadyWatching.has(id))
    const watchersMoved = watched.map((row) => row.ticket_id).filter((id) => !alreadyWatching.has(id))
    if (watchersDropped.length > 0) await trx.deleteFrom('ticket_watchers').where('user_id', '=', merged.id).where('ticket_id', 'in', watchersDropped).execute()
    if (watchersMoved.length > 0) await trx.updateTable('ticket_watchers').set({ user_id: survivor.id }).where('user_id', '=', merged.id).where('ticket_id', 'in', watchersMoved).execute()

    const contactPoints: Partial<Record<ContactColumn, string>> = {}
    for (const column of CONTACT_COLUMNS) {
      const value = merged[column]
      if (value !== null && survivor[column] === null) contactPoints[column] = value
    }
    const organisationId = survivor.organisation_id === null ? merged.organisation_id : null
    // The unique indexes: take the contact points off the merged record before the survivor gets them.
    const cleared = Object.fromEntries(Object.keys(contactPoints).map((column) => [column, null]))
    await trx.updateTable('users').set({ ...cleared, merged_into: survivor.id, is_active: false, updated_at: now }).where('id', '=', merged.id).execute()
    if (Object.keys(contactPoints).length > 0 || organisationId !== null) {
      await trx.updateTable('users').set({ ...contactPoints, ...(organisationId !== null ? { organisation_id: organisationId } : {}), updated_at: now }).where('id', '=', survivor.id).execute()
    }
    await trx.deleteFrom('sessions').where('user_id', '=', merged.id).execute()

    const moved: MovedRecord = {
      tickets, messages, chatSessions, calls, callbackTasks, identities, watchersMoved, watchersDropped, contactPoints, organisationId, wasActive: merged.is_active,
    }
    const id = uuidv7()
    await trx.insertInto('customer_merges').values({ id, survivor_id: survivor.id, merged_id: merged.id, moved: JSON.stringify(moved), merged_by: actor.id, merged_at: now, undone_by: null, undone_at: null }).execute()
    const reason = 'customer merge'
    const events: NewEvent[] = [
      { type: 'customer.merged', entityType: 'customer_merge', entityId: id, actorId: actor.id, at: now, data: { survivorId: survivor.id, mergedId: merged.id, moved: summarise(moved), force: input.force === true } },
      { type: 'user.updated', entityType: 'user', entityId: merged.id, actorId: actor.id, at: now, reason, data: { changes: { mergedInto: { before: null, after: survivor.id }, isActive: { before: merged.is_active, after: false } }, mergeId: id } },
      ...tickets.map((ticketId): NewEvent => ({ type: 'ticket.updated', entityType: 'ticket', entityId: ticketId, actorId: actor.id, at: now, reason, data: { changes: { requesterId: { before: merged.id, after: survivor.id } }, mergeId: id } })),
    ]
    await insertEvents(trx, events)
    return loadMerge(trx, id)
  })
}

/** Counts per kind, for events and lists. */
function summarise(moved: MovedRecord) {
  return {
    tickets: moved.tickets.length,
    messages: moved.messages.length,
    chatSessions: moved.chatSessions.length,
    calls: moved.calls.length,
    callbackTasks: moved.callbackTasks.length,
    identities: moved.identities.length,
    watchers: moved.watchersMoved.length + moved.watchersDropped.length,
    contactPoints: Object.keys(moved.contactPoints),
  }
}

/**
 * Undoes a merge: moves back exactly what the merge record lists — only rows still with the
 * survivor (a ticket an agent since gave to someone else stays there) — and nothing created
 * after the merge, which stays with the survivor. Contact points go back when the survivor
 * still holds them; the merged record is active again (if it was) and no longer merged.
 * Refused twice, and while the survivor is itself merged into a later record (undo that first).
 */
export async function undoCustomerMerge(deps: ServiceDeps, actor: Actor, mergeId: string): Promise<MergeView & { notRestored: string[] }> {
  assertMayMergeCustomers(actor)
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const merge = await trx.selectFrom('customer_merges').selectAll().where('id', '=', mergeId).forUpdate().executeTakeFirst()
    if (merge === undefined) throw notFound('id', 'merge')
    if (merge.undone_at !== null) throw new AppError('CONFLICT', 'this merge was already undone', [{ field: 'id', message: 'already undone' }])
    const users = await lockUsers(trx, [merge.survivor_id, merge.merged_id])
    const survivor = users.get(merge.survivor_id)
    const merged = users.get(merge.merged_id)
    if (survivor === undefined || merged === undefined) throw notFound('id', 'merged customer')
    if (survivor.merged_into !== null) {
      throw new AppError('CONFLICT', 'the surviving customer was merged again later; undo that merge first', [{ field: 'id', message: 'a later merge depends on it' }])
    }
    if (merged.merged_into !== merge.survivor_id) throw new AppError('CONFLICT', 'the merged record no longer points at the survivor', [{ field: 'id', message: 'inconsistent' }])
    const moved = merge.moved as MovedRecord

    const back = async <T extends 'tickets' | 'messages' | 'chat_sessions' | 'calls' | 'callback_tasks'>(table: T, column: string, rowIds: readonly string[]) => {
      if (rowIds.length === 0) return [] as string[]
      const { rows } = await sql<{ id: string }>`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${merged.id} WHERE id = ANY(${sql.val([...rowIds])}::uuid[]) AND ${sql.ref(column)} = ${survivor.id} RETURNING id`.execute(trx)
      return rows.map((row) => row.id)
    }
    const tickets = await back('tickets', 'requester_id', moved.tickets)
    await back('messages', 'author_id', moved.messages)
    await back('chat_sessions', 'customer_id', moved.chatSessions)
    await back('calls', 'customer_id', moved.calls)
    await back('callback_tasks', 'customer_id', moved.callbackTasks)
    for (const identity of moved.identities) {
      await trx.updateTable('customer_identities').set({ user_id: merged.id }).where('source', '=', identity.source).where('external_id', '=', identity.externalId).where('user_id', '=', survivor.id).execute()
    }
    if (moved.watchersMoved.length > 0) {
      await trx.updateTable('ticket_watchers').set({ user_id: merged.id }).where('user_id', '=', survivor.id).where('ticket_id', 'in', moved.watchersMoved).execute()
    }
    if (moved.watchersDropped.length > 0) {
      await trx.insertInto('ticket_watchers').values(moved.watchersDropped.map((ticketId) => ({ ticket_id: ticketId, user_id: merged.id }))).onConflict((oc) => oc.doNothing()).execute()
    }

    const notRestored: string[] = []
    const restore: Partial<Record<ContactColumn, string>> = {}
    const takeBack: Partial<Record<ContactColumn, null>> = {}
    for (const column of CONTACT_COLUMNS) {
      const value = moved.contactPoints[column]
      if (value === undefined) continue
      if (survivor[column] === value) {
        takeBack[column] = null
        restore[column] = value
      } else if (merged[column] === null) {
        // The survivor changed it since; the value goes back only if no one holds it now.
        const holder = await trx.selectFrom('users').select('id').where(column, '=', value).executeTakeFirst()
        if (holder === undefined) restore[column] = value
        else notRestored.push(column)
      }
    }
    const organisationBack = moved.organisationId !== null && survivor.organisation_id === moved.organisationId
    if (Object.keys(takeBack).length > 0 || organisationBack) {
      await trx.updateTable('users').set({ ...takeBack, ...(organisationBack ? { organisation_id: null } : {}), updated_at: now }).where('id', '=', survivor.id).execute()
    }
    await trx.updateTable('users').set({ ...restore, merged_into: null, is_active: moved.wasActive, updated_at: now }).where('id', '=', merged.id).execute()
    await trx.updateTable('customer_merges').set({ undone_by: actor.id, undone_at: now }).where('id', '=', merge.id).execute()

    const reason = 'customer merge undone'
    await insertEvents(trx, [
      { type: 'customer.merge_undone', entityType: 'customer_merge', entityId: merge.id, actorId: actor.id, at: now, data: { survivorId: survivor.id, mergedId: merged.id, notRestored } },
      { type: 'user.updated', entityType: 'user', entityId: merged.id, actorId: actor.id, at: now, reason, data: { changes: { mergedInto: { before: survivor.id, after: null }, isActive: { before: false, after: moved.wasActive } }, mergeId: merge.id } },
      ...tickets.map((ticketId): NewEvent => ({ type: 'ticket.updated', entityType: 'ticket', entityId: ticketId, actorId: actor.id, at: now, reason, data: { changes: { requesterId: { before: survivor.id, after: merged.id } }, mergeId: merge.id } })),
    ])
    return { ...(await loadMerge(trx, merge.id)), notRestored }
  })
}

async function loadMerge(trx: Db, id: string): Promise<MergeView> {
  const rows = await mergeRows(trx).where('customer_merges.id', '=', id).execute()
  const row = rows[0]
  if (row === undefined) throw notFound('id', 'merge')
  return { ...row, moved: row.moved as MovedRecord }
}

function mergeRows(trx: Db) {
  return trx
    .selectFrom('customer_merges')
    .innerJoin('users as s', 's.id', 'customer_merges.survivor_id')
    .innerJoin('users as m', 'm.id', 'customer_merges.merged_id')
    .selectAll('customer_merges')
    .select(['s.name as survivor_name', 'm.name as merged_name'])
}

/** Merges a customer took part in, either side, newest first. */
export async function listCustomerMerges(deps: ServiceDeps, actor: Actor, customerId: string): Promise<MergeView[]> {
  assertMayMergeCustomers(actor)
  return inTransaction(deps, async (trx) => {
    await loadCustomer(trx, customerId)
    const rows = await mergeRows(trx)
      .where((eb) => eb.or([eb('customer_merges.survivor_id', '=', customerId), eb('customer_merges.merged_id', '=', customerId)]))
      .orderBy('customer_merges.merged_at', 'desc')
      .orderBy('customer_merges.id', 'desc')
      .limit(100)
      .execute()
    return rows.map((row) => ({ ...row, moved: row.moved as MovedRecord }))
  })
}

async function loadCustomer(trx: Db, id: string, field = 'id'): Promise<UserRow> {
  const row = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
  if (row === undefined || !isCustomerRow(row)) throw notFound(field)
  return row
}

/** External ids the customer is known by in each source. */
export async function listCustomerIdentities(deps: ServiceDeps, actor: Actor, customerId: string) {
  assertMayMergeCustomers(actor)
  return inTransaction(deps, async (trx) => {
    await loadCustomer(trx, customerId)
    return trx.selectFrom('customer_identities').selectAll().where('user_id', '=', customerId).orderBy('source').orderBy('external_id').limit(200).execute()
  })
}

export interface DuplicateView extends DuplicateSuggestion {
  readonly customer: UserRow
}

/** Escapes LIKE wildcards. */
function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/**
 * Likely duplicates of a customer: candidates are fetched by cheap indexed-ish conditions
 * (same mailbox name, same phone tail, same or reordered name, clues seen together), then
 * scored by the pure rules in `domain/people/duplicates.ts`.
 */
export async function findCustomerDuplicates(deps: ServiceDeps, actor: Actor, customerId: string): Promise<DuplicateView[]> {
  assertMayMergeCustomers(actor)
  return inTransaction(deps, async (trx) => {
    const customer = await loadCustomer(trx, customerId)
    const met = await trx
      .selectFrom('events')
      .select(['entity_id', 'data'])
      .where('type', '=', CLUES_MET_EVENT)
      .where((eb) => eb.or([eb.and([eb('entity_type', '=', 'user'), eb('entity_id', '=', customer.id)]), eb(sql<string>`data->>'otherId'`, '=', customer.id)]))
      .limit(200)
      .execute()
    const seenTogether = new Map<string, string[]>()
    for (const event of met) {
      const data = event.data as { otherId?: string; clue?: string; value?: string }
      const other = event.entity_id === customer.id ? data.otherId : event.entity_id
      if (other === undefined || other === customer.id) continue
      seenTogether.set(other, [...(seenTogether.get(other) ?? []), data.value ?? data.clue ?? ''])
    }
    const conditions = []
    const at = customer.email?.lastIndexOf('@') ?? -1
    const local = customer.email !== null && at > 0 ? customer.email.slice(0, at).split('+')[0] ?? '' : ''
    if (local.length >= 2) conditions.push(sql<boolean>`split_part(split_part(email, '@', 1), '+', 1) = ${local}`)
    if (local.length >= 2) conditions.push(sql<boolean>`replace(split_part(split_part(email, '@', 1), '+', 1), '.', '') = ${local.replaceAll('.', '')}`)
    const digits = customer.phone?.replace(/\D/g, '') ?? ''
    if (digits.length >= 7) conditions.push(sql<boolean>`phone LIKE ${`%${likeEscape(digits.slice(-11))}`}`)
    const words = customer.name.trim().split(/\s+/u).filter((word) => word.length >= 2)
    conditions.push(sql<boolean>`regexp_replace(lower(name), '[\\s.\\-_]', '', 'g') = ${customer.name.normalize('NFKC').toLowerCase().replace(/[\s.\-_]/gu, '')}`)
    if (words.length >= 2) conditions.push(sql<boolean>`lower(name) LIKE ${`%${likeEscape((words.at(-1) ?? '').toLowerCase())}%`} AND lower(name) LIKE ${`%${likeEscape((words[0] ?? '').toLowerCase())}%`}`)
    else if (customer.name.trim().length >= 5) conditions.push(sql<boolean>`lower(left(name, 3)) = ${customer.name.trim().slice(0, 3).toLowerCase()}`)
    const metIds = [...seenTogether.keys()]
    if (metIds.length > 0) conditions.push(sql<boolean>`id = ANY(${sql.val(metIds)}::uuid[])`)
    const rows = await trx
      .selectFrom('users')
      .selectAll()
      .where(sql<boolean>`roles = ARRAY['customer']::text[]`)
      .where('merged_into', 'is', null)
      .where('id', '<>', customer.id)
      .where(sql<boolean>`(${sql.join(conditions, sql` OR `)})`)
      .limit(100)
      .execute()
    const toCandidate = (row: UserRow): DuplicateCandidate => ({ id: row.id, name: row.name, email: row.email, phone: row.phone, organisationId: row.organisation_id })
    const byId = new Map(rows.map((row) => [row.id, row]))
    return rankDuplicates(toCandidate(customer), rows.map(toCandidate), seenTogether)
      .slice(0, 20)
      .flatMap((suggestion) => {
        const row = byId.get(suggestion.candidateId)
        return row === undefined ? [] : [{ ...suggestion, customer: row }]
      })
  })
}
