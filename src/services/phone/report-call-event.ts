import { v7 as uuidv7 } from 'uuid'
import {
  type CallEvent,
  type CallEventType,
  type CallState,
  applyCallEvent,
  callbackDueAt,
  customerNumberOf,
  needsCallback,
  rejectedCall,
  startCall,
} from '../../domain/phone/call-state.ts'
import type { ReportedCallEvent } from '../../domain/phone/generic-cti.ts'
import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayReportCalls } from '../../domain/policy/policy.ts'
import { invalidField } from '../../domain/shared/app-error.ts'
import type { Db } from '../../db/connection.ts'
import { type NewEvent, insertEvents } from '../../db/events.ts'
import type { CallRow } from '../../db/schema.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { findAgentByRefs, findCustomerByPhone, isNumberBlocked, storedNumber } from './phone-lookups.ts'

export interface CallEventResult {
  /** The desk's id of the call (null when the event was refused before a record existed). */
  readonly id: string
  /** True when the caller's number is blocked: the PBX should refuse the call. */
  readonly rejected: boolean
  /** False when the event repeated what was known (nothing written). */
  readonly changed: boolean
}

/** How far ahead of the server's clock a PBX's own timestamp may be. */
const FUTURE_SKEW_MS = 5 * 60_000

/** Event types of the call's life, as written to the event stream (and so to the live feed). */
const EVENT_NAMES: Readonly<Record<CallEventType, string>> = {
  new_call: 'call.ringing',
  queued: 'call.queued',
  answered: 'call.answered',
  transferred: 'call.transferred',
  hangup: 'call.ended',
}

/**
 * Records one call event from a telephony integration, in one transaction: the call record
 * (created on its first event, whichever that is), the caller matched to a customer by phone
 * (never created here), an event for the live feed, and for an inbound call that ends missed
 * or abandoned one callback task (or, when the number already waits for a callback, a note on
 * that task). A `new_call` from a blocked number is logged as `rejected` and answered so the
 * PBX refuses it; nothing else is written for it.
 */
export async function reportCallEvent(deps: ServiceDeps, actor: Actor, input: ReportedCallEvent): Promise<CallEventResult> {
  assertMayReportCalls(actor)
  const now = deps.clock()
  const at = input.at ?? now
  if (at.getTime() > now.getTime() + FUTURE_SKEW_MS) throw invalidField('at', 'must not be in the future')
  const source = `cti:${actor.id}`
  return inTransaction(deps, async (trx) => {
    const agentId = input.agentRefs.length === 0 ? null : ((await findAgentByRefs(trx, input.agentRefs)) ?? null)
    const event: CallEvent = { type: input.type, at, queue: input.queue, agentId, cause: input.cause, recordingUrl: input.recordingUrl }
    for (;;) {
      const existing = await trx
        .selectFrom('calls')
        .selectAll()
        .where('source', '=', source)
        .where('call_id', '=', input.callId)
        .forUpdate()
        .executeTakeFirst()
      if (existing !== undefined) return applyToExisting(trx, actor, existing, input, event, now)
      const created = await insertCall(trx, actor, source, input, event, now)
      if (created !== undefined) return created
      // A concurrent first event for the same call inserted it meanwhile: apply ours to theirs.
    }
  })
}

async function insertCall(trx: Db, actor: Actor, source: string, input: ReportedCallEvent, event: CallEvent, now: Date): Promise<CallEventResult | undefined> {
  const number = customerNumberOf(input.direction, input.from, input.to)
  const blocked = input.type === 'new_call' && input.direction === 'in' && (await isNumberBlocked(trx, number))
  const state = blocked ? rejectedCall(input.direction, event.at, input.queue) : startCall(input.direction, event)
  const customerId = blocked ? null : ((await findCustomerByPhone(trx, number)) ?? null)
  const id = uuidv7()
  const inserted = await trx
    .insertInto('calls')
    .values({
      id,
      source,
      call_id: input.callId,
      direction: input.direction,
      from_number: storedNumber(input.from),
      to_number: storedNumber(input.to),
      customer_id: customerId,
      ticket_id: null,
      ...stateColumns(state),
      history: JSON.stringify([historyEntry(input, event, now)]),
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['source', 'call_id']).doNothing())
    .returningAll()
    .executeTakeFirst()
  if (inserted === undefined) return undefined
  await insertEvents(trx, [callEvent(blocked ? 'call.rejected' : EVENT_NAMES[input.type], inserted, actor, now)])
  await followUpEnd(trx, actor, inserted, null, state, now)
  return { id, rejected: blocked, changed: true }
}

async function applyToExisting(trx: Db, actor: Actor, row: CallRow, input: ReportedCallEvent, event: CallEvent, now: Date): Promise<CallEventResult> {
  const before = stateOf(row)
  // A PBX repeating the newCall of a refused caller gets the same answer again.
  const rejected = before.outcome === 'rejected'
  const change = applyCallEvent(before, event)
  if (!change.changed) return { id: row.id, rejected, changed: false }
  const history = Array.isArray(row.history) ? (row.history as unknown[]) : []
  const updated = await trx
    .updateTable('calls')
    .set({ ...stateColumns(change.state), history: JSON.stringify([...history, historyEntry(input, event, now)]), updated_at: now })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow()
  await insertEvents(trx, [callEvent(EVENT_NAMES[input.type], updated, actor, now)])
  await followUpEnd(trx, actor, updated, before, change.state, now)
  return { id: row.id, rejected, changed: true }
}

/**
 * What an ending leaves behind: a callback task for a missed or abandoned inbound call (one
 * per number while it is open — a second missed call notes itself on the open task), and an
 * answered inbound call settles the open callbacks of its number (the customer got through).
 */
async function followUpEnd(trx: Db, actor: Actor, call: CallRow, before: CallState | null, after: CallState, now: Date): Promise<void> {
  if (after.status !== 'ended' || before?.outcome === after.outcome) return
  const phone = call.direction === 'in' ? call.from_number : call.to_number
  if (needsCallback(after)) {
    const open = await trx
      .selectFrom('callback_tasks')
      .select(['id'])
      .where('phone', '=', phone)
      .where('status', '=', 'open')
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst()
    if (open !== undefined) {
      await insertEvents(trx, [
        { type: 'callback_task.called_again', entityType: 'callback_task', entityId: open.id, actorId: actor.id, at: now, data: { callId: call.id, outcome: after.outcome } },
      ])
      return
    }
    const task = await trx
      .insertInto('callback_tasks')
      .values({
        id: uuidv7(),
        call_id: call.id,
        phone,
        customer_id: call.customer_id,
        reason: after.outcome === 'abandoned' ? 'abandoned' : 'missed',
        status: 'open',
        assignee_id: call.agent_id,
        due_at: callbackDueAt(after.endedAt ?? now),
        note: null,
        created_at: now,
        done_at: null,
      })
      .onConflict((oc) => oc.column('call_id').doNothing())
      .returning(['id'])
      .executeTakeFirst()
    if (task !== undefined) {
      await insertEvents(trx, [
        { type: 'callback_task.created', entityType: 'callback_task', entityId: task.id, actorId: actor.id, at: now, data: { callId: call.id, reason: after.outcome, phone } },
      ])
    }
    return
  }
  if (after.outcome === 'answered' && call.direction === 'in') {
    const settled = await trx
      .updateTable('callback_tasks')
      .set({ status: 'done', done_at: now, note: `answered call ${call.id}` })
      .where('phone', '=', phone)
      .where('status', '=', 'open')
      .returning(['id'])
      .execute()
    await insertEvents(
      trx,
      settled.map((task) => ({ type: 'callback_task.completed', entityType: 'callback_task' as const, entityId: task.id, actorId: actor.id, at: now, data: { byCallId: call.id } })),
    )
  }
}

export function stateOf(row: CallRow): CallState {
  return {
    direction: row.direction,
    status: row.status as CallState['status'],
    outcome: row.outcome as CallState['outcome'],
    queue: row.queue,
    agentId: row.agent_id,
    cause: row.cause,
    recordingUrl: row.recording_url,
    startedAt: row.started_at,
    queuedAt: row.queued_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    waitMs: row.wait_ms === null ? null : Number(row.wait_ms),
    talkMs: row.talk_ms === null ? null : Number(row.talk_ms),
  }
}

function stateColumns(state: CallState) {
  return {
    status: state.status,
    outcome: state.outcome,
    queue: state.queue,
    agent_id: state.agentId,
    cause: state.cause,
    recording_url: state.recordingUrl,
    started_at: state.startedAt,
    queued_at: state.queuedAt,
    answered_at: state.answeredAt,
    ended_at: state.endedAt,
    wait_ms: state.waitMs,
    talk_ms: state.talkMs,
  }
}

function historyEntry(input: ReportedCallEvent, event: CallEvent, now: Date) {
  return {
    type: input.type,
    at: event.at.toISOString(),
    receivedAt: now.toISOString(),
    agentId: event.agentId ?? null,
    agentRefs: input.agentRefs,
    queue: input.queue,
    cause: input.cause,
  }
}

function callEvent(type: string, call: CallRow, actor: Actor, now: Date): NewEvent {
  return {
    type,
    entityType: 'call',
    entityId: call.id,
    actorId: actor.id,
    at: now,
    data: { callId: call.call_id, status: call.status, outcome: call.outcome, agentId: call.agent_id, customerId: call.customer_id, queue: call.queue },
  }
}
