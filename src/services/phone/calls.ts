import { sql } from 'kysely'
import { isCallActive } from '../../domain/phone/call-state.ts'
import type { CallOutcome, CallStatus } from '../../domain/phone/call-state.ts'
import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayUseChannels, ticketScope } from '../../domain/policy/policy.ts'
import { AppError, invalidField } from '../../domain/shared/app-error.ts'
import { OPEN_STATUSES } from '../../domain/tickets/ticket.ts'
import type { Db } from '../../db/connection.ts'
import { insertEvents } from '../../db/events.ts'
import { scopeCondition } from '../../db/tickets.ts'
import { type ServiceDeps, inTransaction, joinTransaction } from '../deps.ts'
import { resolveCustomer } from '../people/resolve-customer.ts'
import { createTicket } from '../tickets/create-ticket.ts'

/** A row of the call log. */
export interface CallView {
  readonly id: string
  readonly callId: string
  readonly direction: 'in' | 'out'
  readonly from: string
  readonly to: string
  readonly queue: string | null
  readonly status: CallStatus
  readonly outcome: CallOutcome | null
  readonly cause: string | null
  readonly agent: { readonly id: string; readonly name: string } | null
  readonly customer: { readonly id: string; readonly name: string } | null
  readonly ticketId: string | null
  readonly ticketNumber: string | null
  readonly recordingUrl: string | null
  readonly startedAt: string
  readonly answeredAt: string | null
  readonly endedAt: string | null
  readonly waitMs: number | null
  readonly talkMs: number | null
}

/** One call as the screen pop shows it: the caller, their organisation and open tickets, and whether it pops for the viewer. */
export interface CallDetail extends CallView {
  readonly customerDetail: {
    readonly id: string
    readonly name: string
    readonly email: string | null
    readonly phone: string | null
    readonly organisation: { readonly id: string; readonly name: string; readonly vipLevel: string } | null
  } | null
  readonly openTickets: readonly { readonly id: string; readonly number: string; readonly subject: string; readonly status: string }[]
  /** True while the call is live and meant for the viewer: they are its agent, or nobody is and they are available. */
  readonly popForMe: boolean
}

export interface CallListFilter {
  readonly from?: string
  readonly to?: string
  readonly outcome?: CallOutcome
  readonly agentId?: string
  readonly cursor?: string
  readonly limit?: number
}

const DEFAULT_LIMIT = 50

function baseQuery(trx: Db) {
  return trx
    .selectFrom('calls')
    .leftJoin('users as agent', 'agent.id', 'calls.agent_id')
    .leftJoin('users as customer', 'customer.id', 'calls.customer_id')
    .leftJoin('tickets', 'tickets.id', 'calls.ticket_id')
    .selectAll('calls')
    .select(['agent.name as agent_name', 'customer.name as customer_name', 'tickets.number as ticket_number'])
}

type CallJoinRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>

function viewCall(row: CallJoinRow): CallView {
  return {
    id: row.id,
    callId: row.call_id,
    direction: row.direction,
    from: row.from_number,
    to: row.to_number,
    queue: row.queue,
    status: row.status as CallStatus,
    outcome: row.outcome as CallOutcome | null,
    cause: row.cause,
    agent: row.agent_id === null ? null : { id: row.agent_id, name: row.agent_name ?? '' },
    customer: row.customer_id === null ? null : { id: row.customer_id, name: row.customer_name ?? '' },
    ticketId: row.ticket_id,
    ticketNumber: row.ticket_number,
    recordingUrl: row.recording_url,
    startedAt: row.started_at.toISOString(),
    answeredAt: row.answered_at?.toISOString() ?? null,
    endedAt: row.ended_at?.toISOString() ?? null,
    waitMs: row.wait_ms === null ? null : Number(row.wait_ms),
    talkMs: row.talk_ms === null ? null : Number(row.talk_ms),
  }
}

/** The call log, newest first, a page at a time (keyset cursor). */
export async function listCalls(deps: ServiceDeps, actor: Actor, filter: CallListFilter): Promise<{ items: CallView[]; nextCursor: string | null }> {
  assertMayUseChannels(actor)
  const limit = filter.limit ?? DEFAULT_LIMIT
  let query = baseQuery(deps.db)
  if (filter.from !== undefined) query = query.where('calls.started_at', '>=', new Date(filter.from))
  if (filter.to !== undefined) query = query.where('calls.started_at', '<', new Date(filter.to))
  if (filter.outcome !== undefined) query = query.where('calls.outcome', '=', filter.outcome)
  if (filter.agentId !== undefined) query = query.where('calls.agent_id', '=', filter.agentId)
  if (filter.cursor !== undefined) {
    const [at, id] = decodeCursor(filter.cursor)
    query = query.where(sql<boolean>`(calls.started_at, calls.id) < (${at}, ${id})`)
  }
  const rows = await query.orderBy('calls.started_at', 'desc').orderBy('calls.id', 'desc').limit(limit + 1).execute()
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return { items: page.map(viewCall), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.started_at, last.id) : null }
}

/** One call with what the screen pop needs. */
export async function getCall(deps: ServiceDeps, actor: Actor, id: string): Promise<CallDetail> {
  assertMayUseChannels(actor)
  return inTransaction(deps, async (trx) => {
    const row = await baseQuery(trx).where('calls.id', '=', id).executeTakeFirst()
    if (row === undefined) throw new AppError('NOT_FOUND', 'no such call')
    const customer =
      row.customer_id === null
        ? undefined
        : await trx
            .selectFrom('users')
            .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
            .select(['users.id', 'users.name', 'users.email', 'users.phone', 'organisations.id as org_id', 'organisations.name as org_name', 'organisations.vip_level'])
            .where('users.id', '=', row.customer_id)
            .executeTakeFirst()
    const openTickets =
      row.customer_id === null
        ? []
        : await trx
            .selectFrom('tickets')
            .select(['id', 'number', 'subject', 'status'])
            .where('requester_id', '=', row.customer_id)
            .where('status', 'in', [...OPEN_STATUSES])
            .where(scopeCondition(ticketScope(actor)))
            .orderBy('received_at', 'desc')
            .limit(10)
            .execute()
    return {
      ...viewCall(row),
      customerDetail:
        customer === undefined
          ? null
          : {
              id: customer.id,
              name: customer.name,
              email: customer.email,
              phone: customer.phone,
              organisation: customer.org_id === null ? null : { id: customer.org_id, name: customer.org_name ?? '', vipLevel: customer.vip_level ?? 'standard' },
            },
      openTickets,
      popForMe: await popsFor(trx, actor.id, row.agent_id, row.status as CallStatus),
    }
  })
}

/** Who sees a call pop up: its named agent; with none named, every agent who is available. */
async function popsFor(trx: Db, viewerId: string, agentId: string | null, status: CallStatus): Promise<boolean> {
  if (!isCallActive(status)) return false
  if (agentId !== null) return agentId === viewerId
  const presence = await trx.selectFrom('agent_presence').select('state').where('user_id', '=', viewerId).executeTakeFirst()
  return presence?.state === 'available'
}

/**
 * Opens a ticket from a call (channel `phone`), once: the requester is the matched customer,
 * or the customer the number resolves to (created now if unknown); the call is linked to the
 * ticket. A second request returns the ticket already opened.
 */
export async function openTicketFromCall(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: { subject: string; description: string; customerName?: string },
): Promise<{ ticketId: string; created: boolean }> {
  assertMayUseChannels(actor)
  const now = deps.clock()
  return inTransaction(deps, async (trx) => {
    const call = await trx.selectFrom('calls').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
    if (call === undefined) throw new AppError('NOT_FOUND', 'no such call')
    if (call.ticket_id !== null) return { ticketId: call.ticket_id, created: false }
    if (call.outcome === 'rejected') throw invalidField('id', 'the call was rejected (blocked number)')
    const number = call.direction === 'in' ? call.from_number : call.to_number
    let customerId = call.customer_id
    if (customerId === null) {
      if (!number.startsWith('+') && input.customerName === undefined) {
        throw invalidField('customerName', 'the caller withheld their number: give the customer a name')
      }
      const resolved = await resolveCustomer(trx, { phone: number.startsWith('+') ? number : null, name: input.customerName ?? null }, now, actor.id)
      customerId = resolved.user.id
    }
    const { ticket } = await createTicket(joinTransaction(deps, trx), actor, {
      subject: input.subject,
      description: input.description,
      channel: 'phone',
      requesterId: customerId,
    })
    await trx.updateTable('calls').set({ ticket_id: ticket.id, customer_id: customerId, updated_at: now }).where('id', '=', id).execute()
    await insertEvents(trx, [
      { type: 'call.ticket_opened', entityType: 'call', entityId: id, actorId: actor.id, at: now, data: { ticketId: ticket.id, customerId } },
    ])
    return { ticketId: ticket.id, created: true }
  })
}

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url')
}

function decodeCursor(cursor: string): [Date, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|')
  const date = new Date(at ?? '')
  if (id === undefined || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) throw invalidField('cursor', 'not a cursor from this list')
  return [date, id]
}
