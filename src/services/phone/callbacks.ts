import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayConfigureChannels, assertMayUseChannels } from '../../domain/policy/policy.ts'
import { AppError, invalidField } from '../../domain/shared/app-error.ts'
import { normalisePhone } from '../../domain/people/contact-points.ts'
import { insertEvents } from '../../db/events.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'

/** Blocked-number changes are settings events; settings have one fixed entity id. */
const SETTINGS_ENTITY_ID = '00000000-0000-0000-0000-000000000000'

/** A callback owed to a caller whose call was missed or abandoned. */
export interface CallbackView {
  readonly id: string
  readonly callId: string
  readonly phone: string
  readonly customer: { readonly id: string; readonly name: string } | null
  readonly reason: 'missed' | 'abandoned'
  readonly status: 'open' | 'done' | 'cancelled'
  readonly assignee: { readonly id: string; readonly name: string } | null
  readonly dueAt: string
  readonly note: string | null
  readonly ticketId: string | null
  readonly createdAt: string
  readonly doneAt: string | null
}

/** Callback tasks, earliest due first. */
export async function listCallbacks(deps: ServiceDeps, actor: Actor, status: CallbackView['status'] = 'open'): Promise<CallbackView[]> {
  assertMayUseChannels(actor)
  const rows = await deps.db
    .selectFrom('callback_tasks')
    .innerJoin('calls', 'calls.id', 'callback_tasks.call_id')
    .leftJoin('users as customer', 'customer.id', 'callback_tasks.customer_id')
    .leftJoin('users as assignee', 'assignee.id', 'callback_tasks.assignee_id')
    .selectAll('callback_tasks')
    .select(['customer.name as customer_name', 'assignee.name as assignee_name', 'calls.ticket_id'])
    .where('callback_tasks.status', '=', status)
    .orderBy(status === 'open' ? 'callback_tasks.due_at' : 'callback_tasks.done_at', status === 'open' ? 'asc' : 'desc')
    .limit(200)
    .execute()
  return rows.map((row) => ({
    id: row.id,
    callId: row.call_id,
    phone: row.phone,
    customer: row.customer_id === null ? null : { id: row.customer_id, name: row.customer_name ?? '' },
    reason: row.reason,
    status: row.status,
    assignee: row.assignee_id === null ? null : { id: row.assignee_id, name: row.assignee_name ?? '' },
    dueAt: row.due_at.toISOString(),
    note: row.note,
    ticketId: row.ticket_id,
    createdAt: row.created_at.toISOString(),
    doneAt: row.done_at?.toISOString() ?? null,
  }))
}

/** Marks a callback as done (the agent called back); only an open task can be completed. */
export async function completeCallback(deps: ServiceDeps, actor: Actor, id: string, note?: string): Promise<void> {
  assertMayUseChannels(actor)
  const now = deps.clock()
  await inTransaction(deps, async (trx) => {
    const task = await trx.selectFrom('callback_tasks').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst()
    if (task === undefined) throw new AppError('NOT_FOUND', 'no such callback task')
    if (task.status !== 'open') throw new AppError('INVALID_TRANSITION', `the callback is already ${task.status}`, [{ field: 'status', message: task.status }])
    await trx
      .updateTable('callback_tasks')
      .set({ status: 'done', done_at: now, assignee_id: actor.id, ...(note !== undefined ? { note } : {}) })
      .where('id', '=', id)
      .execute()
    await insertEvents(trx, [{ type: 'callback_task.completed', entityType: 'callback_task', entityId: id, actorId: actor.id, at: now, data: { note: note ?? null } }])
  })
}

export interface BlockedNumberView {
  readonly number: string
  readonly reason: string | null
  readonly createdAt: string
}

export async function listBlockedNumbers(deps: ServiceDeps, actor: Actor): Promise<BlockedNumberView[]> {
  assertMayConfigureChannels(actor)
  const rows = await deps.db.selectFrom('blocked_numbers').selectAll().orderBy('created_at', 'desc').execute()
  return rows.map((row) => ({ number: row.number, reason: row.reason, createdAt: row.created_at.toISOString() }))
}

/** Blocks a number (any notation, stored E.164) or `anonymous` (withheld numbers); blocking twice keeps the first. */
export async function blockNumber(deps: ServiceDeps, actor: Actor, input: { number: string; reason?: string }): Promise<BlockedNumberView> {
  assertMayConfigureChannels(actor)
  const number = input.number.trim().toLowerCase() === 'anonymous' ? 'anonymous' : normalisePhone(input.number)
  if (number === null) throw invalidField('number', 'not a valid phone number')
  const now = deps.clock()
  return inTransaction(deps, async (trx) => {
    const inserted = await trx
      .insertInto('blocked_numbers')
      .values({ number, reason: input.reason ?? null, created_by: actor.id, created_at: now })
      .onConflict((oc) => oc.column('number').doNothing())
      .returningAll()
      .executeTakeFirst()
    if (inserted !== undefined) {
      await insertEvents(trx, [{ type: 'cti.number_blocked', entityType: 'settings', entityId: SETTINGS_ENTITY_ID, actorId: actor.id, at: now, data: { number } }])
    }
    const row = inserted ?? (await trx.selectFrom('blocked_numbers').selectAll().where('number', '=', number).executeTakeFirstOrThrow())
    return { number: row.number, reason: row.reason, createdAt: row.created_at.toISOString() }
  })
}

export async function unblockNumber(deps: ServiceDeps, actor: Actor, raw: string): Promise<void> {
  assertMayConfigureChannels(actor)
  const number = raw.trim().toLowerCase() === 'anonymous' ? 'anonymous' : (normalisePhone(raw) ?? raw)
  const now = deps.clock()
  await inTransaction(deps, async (trx) => {
    const deleted = await trx.deleteFrom('blocked_numbers').where('number', '=', number).returning('number').executeTakeFirst()
    if (deleted === undefined) throw new AppError('NOT_FOUND', 'this number is not blocked')
    await insertEvents(trx, [{ type: 'cti.number_unblocked', entityType: 'settings', entityId: SETTINGS_ENTITY_ID, actorId: actor.id, at: now, data: { number } }])
  })
}
