import type { Actor } from '../../domain/policy/actor.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import type { Severity, TicketType } from '../../domain/tickets/ticket.ts'
import { channelOfSource, decideOnKnownKey, isValidIdempotencyKey, requestHash } from '../../domain/webhooks/inbound.ts'
import { checkTimestamp, hasValidSignature } from '../../domain/webhooks/signature.ts'
import type { Db } from '../../db/connection.ts'
import type { InboundSourceRow, UserRow } from '../../db/schema.ts'
import { type ServiceDeps, inTransaction, joinTransaction } from '../deps.ts'
import { resolveCustomer } from '../people/resolve-customer.ts'
import { addMessage } from '../tickets/add-message.ts'
import { createTicket } from '../tickets/create-ticket.ts'
import { secretsInForce } from './secrets.ts'

/** The headers that authenticate an inbound request (lower-case names). */
export interface InboundHeaders {
  readonly webhookId: string | undefined
  readonly webhookTimestamp: string | undefined
  readonly webhookSignature: string | undefined
  readonly idempotencyKey: string | undefined
}

/** An inbound request body, after its signature was checked and its JSON validated. */
export interface InboundRequest {
  readonly type: 'ticket.create' | 'message.create'
  readonly customer: { readonly externalId: string; readonly name?: string; readonly email?: string; readonly phone?: string; readonly locale?: string }
  readonly ticket?: { readonly subject: string; readonly description: string; readonly type?: TicketType; readonly severity?: Severity; readonly categoryId?: string }
  readonly ticketId?: string
  readonly ticketNumber?: string
  readonly message?: { readonly id: string; readonly text: string }
}

/** The answer given (and, under the Idempotency-Key, remembered). */
export interface InboundResponse {
  readonly status: number
  readonly body: Readonly<Record<string, unknown>>
  readonly replayed: boolean
}

/** An authenticated inbound request: its source, the raw body and the headers, ready to be parsed. */
export interface VerifiedInbound {
  readonly source: InboundSourceRow
  readonly webhookId: string
  readonly idempotencyKey: string
  readonly hash: string
}

/**
 * Step one, before the body is even parsed: the source exists and is on, the Standard Webhooks
 * headers are there, the timestamp is within the source's tolerance and the signature matches
 * one of its secrets. Nothing is written; a refusal names the header at fault.
 */
export async function verifyInboundRequest(deps: ServiceDeps, sourceKey: string, headers: InboundHeaders, rawBody: Uint8Array): Promise<VerifiedInbound> {
  const source = await deps.db.selectFrom('inbound_sources').selectAll().where('key', '=', sourceKey).executeTakeFirst()
  if (source === undefined || !source.is_active) throw new AppError('NOT_FOUND', 'no active inbound source with this key', [{ field: 'sourceKey', message: 'unknown or switched off' }])
  const { webhookId, webhookTimestamp, webhookSignature } = headers
  for (const [name, value] of [['webhook-id', webhookId], ['webhook-timestamp', webhookTimestamp], ['webhook-signature', webhookSignature]] as const) {
    if (value === undefined || value === '') throw new AppError('WEBHOOK_SIGNATURE_INVALID', `the ${name} header is missing`, [{ field: name, message: 'required' }])
  }
  if (webhookId === undefined || webhookTimestamp === undefined || webhookSignature === undefined) throw new AppError('INTERNAL', 'unreachable')
  if (webhookId.length > 200) throw new AppError('WEBHOOK_SIGNATURE_INVALID', 'the webhook-id is too long', [{ field: 'webhook-id', message: 'at most 200 characters' }])
  const now = deps.clock()
  const timestamp = checkTimestamp(webhookTimestamp, now, source.tolerance_seconds)
  if (timestamp.result === 'invalid') throw new AppError('WEBHOOK_TIMESTAMP_OUT_OF_RANGE', 'the webhook-timestamp is not whole seconds since 1970', [{ field: 'webhook-timestamp', message: 'invalid' }])
  if (timestamp.result !== 'ok') {
    throw new AppError('WEBHOOK_TIMESTAMP_OUT_OF_RANGE', `the webhook-timestamp is too far in the ${timestamp.result === 'stale' ? 'past' : 'future'} (tolerance ${source.tolerance_seconds} s)`, [
      { field: 'webhook-timestamp', message: timestamp.result },
    ])
  }
  if (!hasValidSignature(secretsInForce(source, now), webhookSignature, webhookId, timestamp.seconds, rawBody)) {
    throw new AppError('WEBHOOK_SIGNATURE_INVALID', 'no signature matches this request', [{ field: 'webhook-signature', message: 'does not match' }])
  }
  const idempotencyKey = headers.idempotencyKey
  if (idempotencyKey === undefined || idempotencyKey === '') throw new AppError('VALIDATION', 'the Idempotency-Key header is required', [{ field: 'Idempotency-Key', message: 'required' }])
  if (!isValidIdempotencyKey(idempotencyKey)) throw new AppError('VALIDATION', 'the Idempotency-Key must be 1–200 visible ASCII characters', [{ field: 'Idempotency-Key', message: 'invalid' }])
  return { source, webhookId, idempotencyKey, hash: requestHash(rawBody) }
}

/**
 * Step two, in one transaction: claims the Idempotency-Key and the webhook-id, finds or
 * creates the customer by the source's external id, then opens the ticket or adds the
 * message. A key seen before with the same body answers as the first time; with another
 * body it is refused; a webhook-id seen before under another key is a replay and refused.
 */
export async function receiveInboundWebhook(deps: ServiceDeps, verified: VerifiedInbound, request: InboundRequest): Promise<InboundResponse> {
  const { source } = verified
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const claimed = await trx
      .insertInto('inbound_deliveries')
      .values({ source_id: source.id, idempotency_key: verified.idempotencyKey, webhook_id: verified.webhookId, request_hash: verified.hash, response: '{}', received_at: now })
      .onConflict((oc) => oc.doNothing())
      .returning('idempotency_key')
      .executeTakeFirst()
    if (claimed === undefined) return answerKnown(trx, verified)

    const { user: customer } = await resolveCustomer(
      trx,
      { identity: { source: source.key, externalId: request.customer.externalId }, email: request.customer.email, phone: request.customer.phone, name: request.customer.name, locale: request.customer.locale },
      now,
      SYSTEM_CHANNEL_ACTOR_ID,
    )
    const joined = joinTransaction(deps, trx)
    const channel = channelOfSource(source.kind)
    let response: { status: number; body: Record<string, unknown> }
    if (request.type === 'ticket.create') {
      if (request.ticket === undefined) throw new AppError('VALIDATION', 'ticket.create needs a ticket', [{ field: 'ticket', message: 'required' }])
      const defaultType = (source.default_type ?? undefined) as TicketType | undefined
      const type = request.ticket.type ?? defaultType
      const { ticket } = await createTicket(joined, intakeActorFor(customer), {
        subject: request.ticket.subject,
        description: request.ticket.description,
        channel,
        requesterId: customer.id,
        ...(type !== undefined ? { type } : {}),
        ...(request.ticket.severity !== undefined ? { severity: request.ticket.severity } : {}),
        ...(request.ticket.categoryId !== undefined ? { categoryId: request.ticket.categoryId } : {}),
        ...(source.default_group_id !== null ? { groupId: source.default_group_id } : {}),
      })
      response = { status: 201, body: { ticket: { id: ticket.id, number: ticket.number, status: ticket.status, subject: ticket.subject }, customer: { id: customer.id } } }
    } else {
      if (request.message === undefined) throw new AppError('VALIDATION', 'message.create needs a message', [{ field: 'message', message: 'required' }])
      const ticket = await findCustomersTicket(trx, customer, request)
      const externalRef = `${source.key}:${request.message.id}`
      const known = await trx.selectFrom('messages').select(['id', 'ticket_id', 'created_at']).where('channel', '=', channel).where('external_ref', '=', externalRef).executeTakeFirst()
      const message =
        known ??
        (await addMessage(joined, customerActorFor(customer), ticket.id, { body: request.message.text, visibility: 'public', channel, externalRef }))
      response = {
        status: known === undefined ? 201 : 200,
        body: { message: { id: message.id, ticketId: message.ticket_id, createdAt: message.created_at.toISOString(), duplicate: known !== undefined }, ticket: { id: ticket.id, number: ticket.number }, customer: { id: customer.id } },
      }
    }
    await trx
      .updateTable('inbound_deliveries')
      .set({ response: JSON.stringify(response) })
      .where('source_id', '=', source.id)
      .where('idempotency_key', '=', verified.idempotencyKey)
      .execute()
    return { ...response, replayed: false }
  })
}

/** Who `resolveCustomer` records as having created a customer that arrived through a channel. */
const SYSTEM_CHANNEL_ACTOR_ID = '00000000-0000-0000-0000-000000000000'

/** The customer, posting through their app: replies are theirs and public. */
function customerActorFor(customer: UserRow): Actor {
  return { id: customer.id, roles: ['customer'], tier: null, organisationId: customer.organisation_id, isOrgAdmin: false, groupIds: [], via: 'token' }
}

/**
 * The customer's request entering through a configured source. It is recorded as theirs
 * (creator and event actor), but the source, set up by an administrator and authenticated by
 * its signature, decides what a customer alone may not: the channel and the team it goes to.
 */
function intakeActorFor(customer: UserRow): Actor {
  return { id: customer.id, roles: ['admin'], tier: null, organisationId: null, isOrgAdmin: false, groupIds: [], via: 'system' }
}

async function findCustomersTicket(trx: Db, customer: UserRow, request: InboundRequest) {
  let query = trx.selectFrom('tickets').select(['id', 'number', 'requester_id'])
  if (request.ticketId !== undefined) query = query.where('id', '=', request.ticketId)
  else if (request.ticketNumber !== undefined) query = query.where('number', '=', request.ticketNumber)
  else throw new AppError('VALIDATION', 'message.create needs ticketId or ticketNumber', [{ field: 'ticketId', message: 'required' }])
  const ticket = await query.executeTakeFirst()
  // Someone else's ticket looks exactly like a missing one: the caller learns nothing about it.
  if (ticket === undefined || ticket.requester_id !== customer.id) {
    throw new AppError('NOT_FOUND', 'no ticket of this customer with this id or number', [{ field: request.ticketId !== undefined ? 'ticketId' : 'ticketNumber', message: 'not found' }])
  }
  return ticket
}

async function answerKnown(trx: Db, verified: VerifiedInbound): Promise<InboundResponse> {
  const byKey = await trx
    .selectFrom('inbound_deliveries')
    .select(['request_hash', 'response'])
    .where('source_id', '=', verified.source.id)
    .where('idempotency_key', '=', verified.idempotencyKey)
    .executeTakeFirst()
  if (byKey === undefined) {
    throw new AppError('WEBHOOK_REPLAYED', 'this webhook-id was already received; send a new message id for a new request', [{ field: 'webhook-id', message: 'already received' }])
  }
  if (decideOnKnownKey(byKey.request_hash, verified.hash) === 'key_reused') {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request', [{ field: 'Idempotency-Key', message: 'already used with another body' }])
  }
  const stored = byKey.response as { status: number; body: Record<string, unknown> }
  return { status: stored.status, body: stored.body, replayed: true }
}
