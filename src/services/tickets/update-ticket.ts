import type { Actor } from '../../domain/policy/actor.ts'
import { CUSTOMER_UPDATE_FIELDS, assertMaySetTicketFields } from '../../domain/policy/policy.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import { indexWords } from '../../domain/text/segment.ts'
import type { Severity, TicketType } from '../../domain/tickets/ticket.ts'
import type { Db } from '../../db/connection.ts'
import { type NewEvent, insertEvents } from '../../db/events.ts'
import type { TicketUpdate } from '../../db/schema.ts'
import { type TicketRecord, appendSearchWords, findTicket, replaceWatchers, updateTicket as updateTicketRow } from '../../db/tickets.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import {
  assertAssignable,
  assertCategoryExists,
  assertGroupExists,
  assertOrganisationExists,
  assertWatchersExist,
} from './ticket-references.ts'
import { type TicketView, finishTicketChange, loadVisibleTicket } from './ticket-view.ts'

export interface UpdateTicketInput {
  readonly subject?: string
  readonly description?: string
  readonly type?: TicketType
  readonly severity?: Severity
  readonly categoryId?: string | null
  readonly organisationId?: string | null
  readonly groupId?: string | null
  readonly assigneeId?: string | null
  readonly tags?: readonly string[]
  readonly watcherIds?: readonly string[]
  /** Why: stored on the events (a transfer needs one, see `transferTicket`). */
  readonly reason?: string
}

const COLUMN_OF = {
  subject: 'subject',
  description: 'description',
  type: 'type',
  severity: 'severity',
  categoryId: 'category_id',
  organisationId: 'organisation_id',
  groupId: 'group_id',
  assigneeId: 'assignee_id',
  tags: 'tags',
} as const satisfies Record<string, keyof TicketRecord>

type ColumnField = keyof typeof COLUMN_OF

/**
 * Changes fields of a ticket. Only fields whose value changes are written and recorded; a
 * change of assignee away from someone, or of group while assigned, is a transfer and is
 * counted as one. The first agent who accepted stays the owner (首问负责) whatever changes.
 */
export async function updateTicket(deps: ServiceDeps, actor: Actor, id: string, input: UpdateTicketInput): Promise<TicketView> {
  const given = (Object.keys(input) as (keyof UpdateTicketInput)[]).filter((key) => input[key] !== undefined && key !== 'reason')
  assertMaySetTicketFields(actor, given, CUSTOMER_UPDATE_FIELDS)
  return inTransaction(deps, async (trx) => {
    const ticket = await loadVisibleTicket(trx, actor, id, { forUpdate: true })
    await applyTicketChanges(trx, deps.clock(), actor, ticket, input)
    const inputsChanged = ['severity', 'type', 'categoryId', 'organisationId'].filter((field) => input[field as keyof UpdateTicketInput] !== undefined)
    return finishTicketChange(deps, trx, actor, ticket.id, inputsChanged.length > 0 ? `${inputsChanged.join(', ')} changed` : input.reason)
  })
}

/** Shared by updates and transfers: validates, writes the changed columns and records the events. */
export async function applyTicketChanges(trx: Db, now: Date, actor: Actor, ticket: TicketRecord, input: UpdateTicketInput): Promise<TicketRecord> {
  if (ticket.status === 'closed') {
    throw new AppError('CONFLICT', 'a closed ticket is archived and cannot change', [{ field: 'status', message: 'closed' }])
  }
  const patch: Record<string, unknown> = {}
  const changes: Record<string, { before: unknown; after: unknown }> = {}
  for (const field of Object.keys(COLUMN_OF) as ColumnField[]) {
    const value = input[field]
    if (value === undefined) continue
    const after = field === 'tags' ? [...new Set(value as string[])] : value
    const before = ticket[COLUMN_OF[field]]
    if (JSON.stringify(before) === JSON.stringify(after)) continue
    patch[COLUMN_OF[field]] = after
    changes[field] = { before, after }
  }
  const groupId = 'groupId' in changes ? (input.groupId ?? null) : ticket.group_id
  const assigneeId = 'assigneeId' in changes ? (input.assigneeId ?? null) : ticket.assignee_id
  if ('categoryId' in changes && input.categoryId != null) await assertCategoryExists(trx, input.categoryId)
  if ('organisationId' in changes && input.organisationId != null) await assertOrganisationExists(trx, input.organisationId)
  if ('groupId' in changes && groupId !== null) await assertGroupExists(trx, groupId)
  if (('assigneeId' in changes || 'groupId' in changes) && assigneeId !== null) await assertAssignable(trx, assigneeId, groupId)

  const events: NewEvent[] = []
  const base = { entityType: 'ticket', entityId: ticket.id, actorId: actor.id, at: now, reason: input.reason ?? null } as const
  if (input.watcherIds !== undefined) {
    const watcherIds = [...new Set(input.watcherIds)]
    if (JSON.stringify([...watcherIds].sort()) !== JSON.stringify([...ticket.watcher_ids].sort())) {
      await assertWatchersExist(trx, watcherIds)
      await replaceWatchers(trx, ticket.id, watcherIds)
      changes.watcherIds = { before: ticket.watcher_ids, after: watcherIds }
    }
  }
  if (Object.keys(changes).length === 0) return ticket

  const isTransfer =
    ('assigneeId' in changes && ticket.assignee_id !== null) || ('groupId' in changes && ticket.group_id !== null && ticket.assignee_id !== null)
  if (isTransfer) {
    patch.transfer_count = ticket.transfer_count + 1
    events.push({
      ...base,
      type: 'ticket.transferred',
      data: { from: { assigneeId: ticket.assignee_id, groupId: ticket.group_id }, to: { assigneeId, groupId } },
    })
  } else if ('assigneeId' in changes && assigneeId !== null) {
    events.push({ ...base, type: 'ticket.assigned', data: { assigneeId, groupId } })
  }
  // A transfer or assignment event tells the routing change; the update lists the rest.
  const routingTold = isTransfer || ('assigneeId' in changes && assigneeId !== null)
  const otherChanges = Object.fromEntries(Object.entries(changes).filter(([field]) => !routingTold || (field !== 'assigneeId' && field !== 'groupId')))
  if (Object.keys(otherChanges).length > 0) events.unshift({ ...base, type: 'ticket.updated', data: { changes: otherChanges } })
  patch.updated_at = now
  await updateTicketRow(trx, ticket.id, patch as TicketUpdate)
  if ('subject' in changes || 'description' in changes) {
    await appendSearchWords(trx, ticket.id, 'public', indexWords(`${input.subject ?? ''}\n${input.description ?? ''}`))
  }
  await insertEvents(trx, events)
  const updated = await findTicket(trx, ticket.id)
  if (updated === undefined) throw new AppError('INTERNAL', 'ticket vanished during update')
  return updated
}
