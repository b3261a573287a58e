import { createHash } from 'node:crypto'
import { v7 as uuidv7 } from 'uuid'
import type { Actor } from '../../domain/policy/actor.ts'
import { isCustomer, isStaff } from '../../domain/policy/actor.ts'
import {
  CUSTOMER_CREATE_FIELDS,
  assertMayCreateTicket,
  assertMaySetTicketFields,
  maySetReceivedAt,
} from '../../domain/policy/policy.ts'
import { AppError, invalidField } from '../../domain/shared/app-error.ts'
import { indexWords } from '../../domain/text/segment.ts'
import type { Channel, Severity, TicketType } from '../../domain/tickets/ticket.ts'
import { formatTicketNumber } from '../../domain/tickets/ticket-number.ts'
import type { Db } from '../../db/connection.ts'
import { insertEvents } from '../../db/events.ts'
import { findTicket, insertTicket, nextTicketSerial } from '../../db/tickets.ts'
import { findUserById } from '../../db/users.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { resolveCustomer } from '../people/resolve-customer.ts'
import { escalateRepeatedComplaints } from '../sla/complaint-escalation.ts'
import {
  assertAssignable,
  assertCategoryExists,
  assertGroupExists,
  assertOrganisationExists,
  assertWatchersExist,
} from './ticket-references.ts'
import { type TicketView, finishTicketChange, viewTicket } from './ticket-view.ts'

export interface CreateTicketInput {
  readonly subject: string
  readonly description: string
  readonly type?: TicketType
  readonly severity?: Severity
  readonly channel?: Channel
  readonly categoryId?: string
  readonly requesterId?: string
  readonly requesterEmail?: string
  readonly requesterName?: string
  readonly organisationId?: string
  readonly groupId?: string
  readonly assigneeId?: string
  readonly tags?: readonly string[]
  readonly watcherIds?: readonly string[]
  readonly receivedAt?: string
}

export interface CreateTicketResult extends TicketView {
  /** True when an earlier request with the same idempotency key created the ticket. */
  readonly replayed: boolean
}

/** No service desk imports requests older than this; earlier years are typing mistakes. */
const EARLIEST_RECEIVED_AT = Date.UTC(2000, 0, 1)

/** Allowed clock skew for a `receivedAt` slightly ahead of the server's clock. */
const RECEIVED_AT_SKEW_MS = 60_000

/**
 * Opens a ticket: a customer for themselves, or an agent on behalf of a customer (by id or
 * e-mail; an unknown e-mail creates the customer). With an idempotency key, the same key and
 * body return the first ticket; the same key with another body is refused.
 */
export async function createTicket(
  deps: ServiceDeps,
  actor: Actor,
  input: CreateTicketInput,
  idempotencyKey?: string,
): Promise<CreateTicketResult> {
  assertMayCreateTicket(actor)
  const given = Object.keys(input).filter((key) => input[key as keyof CreateTicketInput] !== undefined)
  assertMaySetTicketFields(actor, given, [...CUSTOMER_CREATE_FIELDS, 'receivedAt'])
  const now = deps.clock()
  const receivedAt = resolveReceivedAt(actor, input.receivedAt, now)

  return inTransaction(deps, async (trx) => {
    const id = uuidv7()
    if (idempotencyKey !== undefined) {
      const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex')
      const claimed = await trx
        .insertInto('idempotency_keys')
        .values({ actor_id: actor.id, key: idempotencyKey, request_hash: requestHash, ticket_id: id, created_at: now })
        .onConflict((oc) => oc.columns(['actor_id', 'key']).doNothing())
        .returning('ticket_id')
        .executeTakeFirst()
      if (claimed === undefined) return replay(trx, actor, idempotencyKey, requestHash)
    }

    const requester = await resolveRequester(trx, actor, input, now)
    const organisationId = input.organisationId ?? requester.organisation_id
    if (input.organisationId !== undefined) await assertOrganisationExists(trx, input.organisationId)
    if (input.categoryId !== undefined) await assertCategoryExists(trx, input.categoryId)
    if (input.groupId !== undefined) await assertGroupExists(trx, input.groupId)
    if (input.assigneeId !== undefined) await assertAssignable(trx, input.assigneeId, input.groupId ?? null)
    const watcherIds = [...new Set(input.watcherIds ?? [])]
    await assertWatchersExist(trx, watcherIds)

    const serial = await nextTicketSerial(trx)
    const row = {
      id,
      number: formatTicketNumber(receivedAt, serial, deps.config.timeZone),
      subject: input.subject,
      description: input.description,
      type: input.type ?? 'consultation',
      severity: input.severity ?? 'P3',
      status: 'new',
      channel: input.channel ?? defaultChannel(actor),
      category_id: input.categoryId ?? null,
      organisation_id: organisationId,
      requester_id: requester.id,
      owner_id: null,
      assignee_id: input.assigneeId ?? null,
      group_id: input.groupId ?? null,
      tags: [...new Set(input.tags ?? [])],
      received_at: receivedAt,
      accepted_at: null,
      first_response_at: null,
      resolved_at: null,
      closed_at: null,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
    }
    const inserted = await insertTicket(trx, row, indexWords(`${input.subject}\n${input.description}`), watcherIds)
    await escalateRepeatedComplaints(trx, inserted, now)
    await insertEvents(trx, [
      { type: 'ticket.created', entityType: 'ticket', entityId: id, actorId: actor.id, at: now, data: { ticket: row, watcherIds } },
    ])
    return { ...(await finishTicketChange(deps, trx, actor, id, undefined, true)), replayed: false }
  })
}

function defaultChannel(actor: Actor): Channel {
  if (isCustomer(actor)) return actor.via === 'token' ? 'app' : 'portal'
  return actor.via === 'token' ? 'api' : 'phone'
}

function resolveReceivedAt(actor: Actor, raw: string | undefined, now: Date): Date {
  if (raw === undefined) return now
  if (!maySetReceivedAt(actor)) {
    throw new AppError('FORBIDDEN', 'only administrators and integrations may set receivedAt', [
      { field: 'receivedAt', message: 'reserved to administrators and integration tokens' },
    ])
  }
  const at = new Date(raw)
  if (Number.isNaN(at.getTime())) throw invalidField('receivedAt', 'not a date-time')
  if (at.getTime() > now.getTime() + RECEIVED_AT_SKEW_MS) throw invalidField('receivedAt', 'must not be in the future')
  if (at.getTime() < EARLIEST_RECEIVED_AT) throw invalidField('receivedAt', 'must not be before 2000-01-01')
  return at
}

async function resolveRequester(trx: Db, actor: Actor, input: CreateTicketInput, now: Date) {
  if (!isStaff(actor)) {
    const self = await findUserById(trx, actor.id)
    if (self === undefined) throw new AppError('UNAUTHENTICATED', 'unknown user')
    return self
  }
  if (input.requesterId !== undefined) {
    const user = await findUserById(trx, input.requesterId)
    if (user === undefined || !user.is_active) throw invalidField('requesterId', 'no such customer')
    return user
  }
  if (input.requesterEmail !== undefined) {
    // The one customer with this address (following merges), created on the spot when unknown.
    return (await resolveCustomer(trx, { email: input.requesterEmail, name: input.requesterName }, now, actor.id)).user
  }
  throw new AppError('VALIDATION', 'an agent opening a ticket must name the requester', [
    { field: 'requesterId', message: 'give requesterId or requesterEmail' },
  ])
}

async function replay(trx: Db, actor: Actor, key: string, requestHash: string): Promise<CreateTicketResult> {
  const stored = await trx
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'ticket_id'])
    .where('actor_id', '=', actor.id)
    .where('key', '=', key)
    .executeTakeFirstOrThrow()
  if (stored.request_hash !== requestHash) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request', [
      { field: 'Idempotency-Key', message: 'already used with another body' },
    ])
  }
  const ticket = await findTicket(trx, stored.ticket_id)
  if (ticket === undefined) throw new AppError('INTERNAL', 'idempotency key points at a missing ticket')
  return { ...viewTicket(actor, ticket), replayed: true }
}
