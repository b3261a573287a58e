import { v4 as uuidv4 } from 'uuid'
import { subscriptionWants } from '../../domain/webhooks/event-types.ts'
import { type WebhookTicket, deliveryIdFrom, shapeTicketEventPayload } from '../../domain/webhooks/payload.ts'
import type { Db } from '../../db/connection.ts'
import { enqueue } from '../../db/outbox.ts'
import type { EventRow, TicketRow } from '../../db/schema.ts'
import type { TicketEventReactor } from '../ticket-events.ts'
import { WEBHOOK_TOPIC } from './deliver-webhook.ts'

/**
 * Fans ticket events out to webhook subscriptions: for each event each active subscription
 * wants, one delivery (its id is the `webhook-id` receivers deduplicate on) and one outbox
 * message. The ordering key is per subscription and ticket: a receiver hears a ticket's
 * events in order, and a receiver that is down holds up nobody but itself.
 */
export const outboundWebhookReactor: TicketEventReactor = async (trx, ticket, events, { now }) => {
  const subscriptions = await trx.selectFrom('webhook_subscriptions').select(['id', 'event_types']).where('is_active', '=', true).execute()
  if (subscriptions.length === 0) return
  const wanted = events.map((event) => ({ event, subscriptions: subscriptions.filter((subscription) => subscriptionWants(subscription.event_types, event.type)) }))
  if (wanted.every((item) => item.subscriptions.length === 0)) return
  const view = webhookTicketOf(ticket)
  const requester = await requesterOf(trx, ticket.requester_id)
  const deliveries: Array<{ id: string; subscriptionId: string; event: EventRow; payload: unknown }> = []
  for (const { event, subscriptions: targets } of wanted) {
    if (targets.length === 0) continue
    const extra = { requester, ...(event.type === 'ticket.message_added' ? { message: await messageOf(trx, event) } : {}) }
    const payload = shapeTicketEventPayload(view, { id: Number(event.id), type: event.type, occurredAt: event.occurred_at.toISOString(), actorId: event.actor_id, reason: event.reason, data: (event.data ?? {}) as Record<string, unknown> }, extra)
    for (const subscription of targets) deliveries.push({ id: deliveryIdFrom(uuidv4()), subscriptionId: subscription.id, event, payload })
  }
  await trx
    .insertInto('webhook_deliveries')
    .values(
      deliveries.map((delivery) => ({
        id: delivery.id,
        subscription_id: delivery.subscriptionId,
        event_id: Number(delivery.event.id),
        event_type: delivery.event.type,
        payload: JSON.stringify(delivery.payload),
        status: 'pending' as const,
        attempts: 0,
        last_status_code: null,
        last_error: null,
        last_attempt_at: null,
        delivered_at: null,
        created_at: now,
      })),
    )
    .execute()
  await enqueue(
    trx,
    deliveries.map((delivery) => ({ topic: WEBHOOK_TOPIC, payload: { deliveryId: delivery.id }, orderingKey: `webhook:${delivery.subscriptionId}:${ticket.id}` })),
    now,
  )
}

/** The ticket as receivers see it: its state now, no search columns or internal bookkeeping. */
export function webhookTicketOf(ticket: TicketRow): WebhookTicket {
  const iso = (date: Date | null) => (date === null ? null : date.toISOString())
  return {
    id: ticket.id,
    number: ticket.number,
    subject: ticket.subject,
    status: ticket.status,
    type: ticket.type,
    severity: ticket.severity,
    channel: ticket.channel,
    priorityScore: ticket.priority_score,
    slaState: ticket.sla_state,
    slaDueAt: iso(ticket.sla_due_at),
    requesterId: ticket.requester_id,
    organisationId: ticket.organisation_id,
    ownerId: ticket.owner_id,
    assigneeId: ticket.assignee_id,
    groupId: ticket.group_id,
    categoryId: ticket.category_id,
    tags: ticket.tags,
    receivedAt: ticket.received_at.toISOString(),
    createdAt: ticket.created_at.toISOString(),
    updatedAt: ticket.updated_at.toISOString(),
    resolvedAt: iso(ticket.resolved_at),
    closedAt: iso(ticket.closed_at),
  }
}

/** The requester by id and name, with the ids other systems know them by (to route a reply into an app). */
async function requesterOf(trx: Db, userId: string) {
  const user = await trx.selectFrom('users').select(['id', 'name']).where('id', '=', userId).executeTakeFirst()
  const identities = await trx.selectFrom('customer_identities').select(['source', 'external_id']).where('user_id', '=', userId).orderBy('source').execute()
  return { id: userId, name: user?.name ?? null, identities: identities.map((identity) => ({ source: identity.source, externalId: identity.external_id })) }
}

async function messageOf(trx: Db, event: EventRow) {
  const messageId = (event.data as { messageId?: unknown } | null)?.messageId
  if (typeof messageId !== 'string') return null
  const message = await trx
    .selectFrom('messages')
    .leftJoin('users', 'users.id', 'messages.author_id')
    .select(['messages.id', 'messages.body', 'messages.visibility', 'messages.channel', 'messages.author_id', 'users.name as author_name', 'messages.external_ref', 'messages.created_at'])
    .where('messages.id', '=', messageId)
    .executeTakeFirst()
  if (message === undefined) return null
  return {
    id: message.id,
    body: message.body,
    visibility: message.visibility,
    channel: message.channel,
    authorId: message.author_id,
    authorName: message.author_name,
    externalRef: message.external_ref,
    createdAt: message.created_at.toISOString(),
  }
}
