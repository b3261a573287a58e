import { v4 as uuidv4, v7 as uuidv7 } from 'uuid'
import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayConfigureChannels } from '../../domain/policy/policy.ts'
import { AppError, invalidField } from '../../domain/shared/app-error.ts'
import { PING_EVENT_TYPE, isValidEventPattern } from '../../domain/webhooks/event-types.ts'
import { checkReceiverUrl, deliveryIdFrom, judgeReceiverStatus, shapePingPayload } from '../../domain/webhooks/payload.ts'
import { recordWebhookAttempt } from '../../channels/webhooks/delivery-log.ts'
import { WEBHOOK_TOPIC } from '../../channels/webhooks/deliver-webhook.ts'
import { postWebhook } from '../../channels/webhooks/post-webhook.ts'
import type { Db } from '../../db/connection.ts'
import { insertEvents } from '../../db/events.ts'
import { enqueue } from '../../db/outbox.ts'
import type { WebhookDeliveryRow, WebhookSubscriptionRow } from '../../db/schema.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { SECRET_GRACE_MS, generateWebhookSecret, secretsInForce } from './secrets.ts'

export interface WebhookSubscriptionView {
  readonly id: string
  readonly name: string
  readonly url: string
  readonly eventTypes: string[]
  readonly isActive: boolean
  readonly previousSecretExpiresAt: string | null
  readonly createdAt: string
  readonly updatedAt: string
}

export interface WebhookSubscriptionInput {
  readonly name?: string
  readonly url?: string
  readonly eventTypes?: readonly string[]
  readonly isActive?: boolean
}

export interface WebhookAttemptView {
  readonly attemptedAt: string
  readonly statusCode: number | null
  readonly error: string | null
  readonly durationMs: number
}

export interface WebhookDeliveryView {
  readonly id: string
  readonly subscriptionId: string
  readonly eventType: string
  readonly eventId: string | null
  readonly status: WebhookDeliveryRow['status']
  readonly attempts: number
  readonly lastStatusCode: number | null
  readonly lastError: string | null
  readonly lastAttemptAt: string | null
  readonly deliveredAt: string | null
  readonly createdAt: string
  readonly payload: unknown
  readonly attemptLog: WebhookAttemptView[]
}

export function viewSubscription(row: WebhookSubscriptionRow, now: Date): WebhookSubscriptionView {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    eventTypes: row.event_types,
    isActive: row.is_active,
    previousSecretExpiresAt: row.previous_secret_expires_at !== null && row.previous_secret_expires_at > now ? row.previous_secret_expires_at.toISOString() : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

export async function listWebhookSubscriptions(deps: ServiceDeps, actor: Actor): Promise<WebhookSubscriptionView[]> {
  assertMayConfigureChannels(actor)
  const rows = await deps.db.selectFrom('webhook_subscriptions').selectAll().orderBy('name').execute()
  const now = deps.clock()
  return rows.map((row) => viewSubscription(row, now))
}

/** Subscribes a receiver to ticket events; its signing secret is returned this once. */
export async function createWebhookSubscription(deps: ServiceDeps, actor: Actor, input: WebhookSubscriptionInput & { name: string; url: string; eventTypes: readonly string[] }): Promise<WebhookSubscriptionView & { secret: string }> {
  assertMayConfigureChannels(actor)
  checkInput(input)
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const secret = generateWebhookSecret()
    const row = await trx
      .insertInto('webhook_subscriptions')
      .values({
        id: uuidv7(),
        name: input.name.trim(),
        url: input.url,
        secret,
        event_types: [...new Set(input.eventTypes)],
        is_active: input.isActive ?? true,
        created_by: actor.id,
        created_at: now,
        updated_at: now,
        previous_secret: null,
        previous_secret_expires_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await record(trx, actor, 'webhook_subscription.created', row, now)
    return { ...viewSubscription(row, now), secret }
  })
}

export async function updateWebhookSubscription(deps: ServiceDeps, actor: Actor, id: string, input: WebhookSubscriptionInput): Promise<WebhookSubscriptionView> {
  assertMayConfigureChannels(actor)
  checkInput(input)
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    await loadSubscription(trx, id)
    const row = await trx
      .updateTable('webhook_subscriptions')
      .set({
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.eventTypes !== undefined ? { event_types: [...new Set(input.eventTypes)] } : {}),
        ...(input.isActive !== undefined ? { is_active: input.isActive } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await record(trx, actor, 'webhook_subscription.updated', row, now)
    return viewSubscription(row, now)
  })
}

/** Removes a subscription with its delivery log; messages still queued for it are dropped when their turn comes. */
export async function deleteWebhookSubscription(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  assertMayConfigureChannels(actor)
  await inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const row = await loadSubscription(trx, id)
    await trx.deleteFrom('webhook_subscriptions').where('id', '=', id).execute()
    await record(trx, actor, 'webhook_subscription.deleted', row, now)
  })
}

/** A new secret, returned once; for a day every webhook is signed with both, so receivers can switch over. */
export async function rotateWebhookSecret(deps: ServiceDeps, actor: Actor, id: string): Promise<WebhookSubscriptionView & { secret: string }> {
  assertMayConfigureChannels(actor)
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const current = await loadSubscription(trx, id)
    const secret = generateWebhookSecret()
    const row = await trx
      .updateTable('webhook_subscriptions')
      .set({ secret, previous_secret: current.secret, previous_secret_expires_at: new Date(now.getTime() + SECRET_GRACE_MS), updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await record(trx, actor, 'webhook_subscription.secret_rotated', row, now)
    return { ...viewSubscription(row, now), secret }
  })
}

/** The latest deliveries of a subscription, newest first, each with its attempts. */
export async function listWebhookDeliveries(deps: ServiceDeps, actor: Actor, subscriptionId: string, options: { readonly limit: number; readonly status?: WebhookDeliveryRow['status'] | undefined }): Promise<WebhookDeliveryView[]> {
  assertMayConfigureChannels(actor)
  await loadSubscription(deps.db, subscriptionId, false)
  let query = deps.db.selectFrom('webhook_deliveries').selectAll().where('subscription_id', '=', subscriptionId)
  if (options.status !== undefined) query = query.where('status', '=', options.status)
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute()
  return withAttempts(deps.db, rows)
}

/**
 * Sends a delivery again, with the same `webhook-id` and payload (receivers that already got
 * it recognise the id): a new outbox message, its attempts added to the same log. Refused
 * while the delivery still has a retry of its own scheduled.
 */
export async function redeliverWebhook(deps: ServiceDeps, actor: Actor, deliveryId: string): Promise<WebhookDeliveryView> {
  assertMayConfigureChannels(actor)
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const delivery = await trx.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).forUpdate().executeTakeFirst()
    if (delivery === undefined) throw new AppError('NOT_FOUND', 'webhook delivery not found', [{ field: 'id', message: 'not found' }])
    if (delivery.status === 'pending' || delivery.status === 'failed') {
      throw new AppError('CONFLICT', 'this delivery is still queued; its next attempt is already scheduled', [{ field: 'id', message: delivery.status }])
    }
    const row = await trx.updateTable('webhook_deliveries').set({ status: 'pending' }).where('id', '=', deliveryId).returningAll().executeTakeFirstOrThrow()
    await enqueue(trx, [{ topic: WEBHOOK_TOPIC, payload: { deliveryId, manual: true } }], now)
    await insertEvents(trx, [
      { type: 'webhook_subscription.redelivery_requested', entityType: 'webhook_subscription', entityId: delivery.subscription_id, actorId: actor.id, at: now, data: { deliveryId } },
    ])
    const [view] = await withAttempts(trx, [row])
    if (view === undefined) throw new AppError('INTERNAL', 'delivery vanished')
    return view
  })
}

/**
 * Sends a `webhook.ping` to the receiver now and reports how it answered. The call happens
 * between two short transactions (the delivery is written first, the attempt after), never
 * inside one.
 */
export async function sendWebhookPing(deps: ServiceDeps, actor: Actor, subscriptionId: string): Promise<WebhookDeliveryView> {
  assertMayConfigureChannels(actor)
  const { subscription, deliveryId, body } = await inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const subscription = await loadSubscription(trx, subscriptionId, false)
    const deliveryId = deliveryIdFrom(uuidv4())
    const payload = shapePingPayload(subscriptionId, now)
    await trx
      .insertInto('webhook_deliveries')
      .values({ id: deliveryId, subscription_id: subscriptionId, event_id: null, event_type: PING_EVENT_TYPE, payload: JSON.stringify(payload), status: 'pending', attempts: 0, last_status_code: null, last_error: null, last_attempt_at: null, delivered_at: null, created_at: now })
      .execute()
    return { subscription, deliveryId, body: JSON.stringify(payload) }
  })
  const sentAt = deps.clock()
  const attempt = await postWebhook({ url: subscription.url, secrets: secretsInForce(subscription, sentAt) }, deliveryId, body, sentAt)
  return inTransaction(deps, async (trx) => {
    const delivered = attempt.statusCode !== null && judgeReceiverStatus(attempt.statusCode) === 'delivered'
    // A ping is tried once: a failure is final for it, and a 410 does not switch the subscription off.
    await recordWebhookAttempt(trx, deliveryId, attempt, delivered ? 'delivered' : 'dead', deps.clock())
    const row = await trx.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirstOrThrow()
    const [view] = await withAttempts(trx, [row])
    if (view === undefined) throw new AppError('INTERNAL', 'delivery vanished')
    return view
  })
}

function checkInput(input: WebhookSubscriptionInput): void {
  if (input.url !== undefined) {
    const problem = checkReceiverUrl(input.url)
    if (problem !== null) throw invalidField('url', problem)
  }
  if (input.eventTypes !== undefined) {
    if (input.eventTypes.length === 0) throw invalidField('eventTypes', 'choose at least one event type, or * for all')
    const unknown = input.eventTypes.findIndex((type) => !isValidEventPattern(type))
    if (unknown >= 0) throw invalidField(`eventTypes/${unknown}`, 'unknown event type')
  }
}

async function withAttempts(trx: Db, rows: readonly WebhookDeliveryRow[]): Promise<WebhookDeliveryView[]> {
  if (rows.length === 0) return []
  const attempts = await trx.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', rows.map((row) => row.id)).orderBy('id').execute()
  return rows.map((row) => ({
    id: row.id,
    subscriptionId: row.subscription_id,
    eventType: row.event_type,
    eventId: row.event_id === null ? null : String(row.event_id),
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    payload: row.payload,
    attemptLog: attempts
      .filter((attempt) => attempt.delivery_id === row.id)
      .map((attempt) => ({ attemptedAt: attempt.attempted_at.toISOString(), statusCode: attempt.status_code, error: attempt.error, durationMs: attempt.duration_ms })),
  }))
}

async function loadSubscription(trx: Db, id: string, lock = true): Promise<WebhookSubscriptionRow> {
  let query = trx.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id)
  if (lock) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  if (row === undefined) throw new AppError('NOT_FOUND', 'webhook subscription not found', [{ field: 'id', message: 'not found' }])
  return row
}

async function record(trx: Db, actor: Actor, type: string, row: WebhookSubscriptionRow, now: Date): Promise<void> {
  const { secret: _secret, previous_secret: _previous, ...safe } = row
  await insertEvents(trx, [{ type, entityType: 'webhook_subscription', entityId: row.id, actorId: actor.id, at: now, data: { subscription: safe } }])
}
