import type { Db } from '../../db/connection.ts'
import { insertEvents } from '../../db/events.ts'
import type { WebhookAttemptResult } from './post-webhook.ts'

/** The outcome of an attempt, for the log: delivered, to be retried, or given up on. */
export type AttemptVerdict = 'delivered' | 'failed' | 'dead'

/**
 * Logs one attempt and brings the delivery up to date, in the caller's transaction (for the
 * outbox, the one that marks the message). A receiver that answered 410 Gone has its
 * subscription switched off, as the Standard Webhooks specification asks of senders.
 */
export async function recordWebhookAttempt(trx: Db, deliveryId: string, result: WebhookAttemptResult, verdict: AttemptVerdict, now: Date, options: { readonly gone?: boolean } = {}): Promise<void> {
  const delivery = await trx.selectFrom('webhook_deliveries').select(['id', 'attempts', 'subscription_id']).where('id', '=', deliveryId).forUpdate().executeTakeFirst()
  if (delivery === undefined) return
  await trx
    .insertInto('webhook_attempts')
    .values({ delivery_id: deliveryId, attempted_at: now, status_code: result.statusCode, error: result.error, duration_ms: result.durationMs })
    .execute()
  await trx
    .updateTable('webhook_deliveries')
    .set({
      status: verdict,
      attempts: delivery.attempts + 1,
      last_status_code: result.statusCode,
      last_error: result.error,
      last_attempt_at: now,
      ...(verdict === 'delivered' ? { delivered_at: now } : {}),
    })
    .where('id', '=', deliveryId)
    .execute()
  if (options.gone === true) {
    const switched = await trx
      .updateTable('webhook_subscriptions')
      .set({ is_active: false, updated_at: now })
      .where('id', '=', delivery.subscription_id)
      .where('is_active', '=', true)
      .executeTakeFirst()
    if (switched.numUpdatedRows > 0n) {
      await insertEvents(trx, [
        { type: 'webhook_subscription.deactivated', entityType: 'webhook_subscription', entityId: delivery.subscription_id, actorId: SYSTEM_ID, at: now, data: { reason: 'receiver answered 410 Gone', deliveryId } },
      ])
    }
  }
}

const SYSTEM_ID = '00000000-0000-0000-0000-000000000000'

/** Marks a delivery that will not be attempted (its subscription was switched off meanwhile). */
export async function skipWebhookDelivery(trx: Db, deliveryId: string, reason: string): Promise<void> {
  await trx.updateTable('webhook_deliveries').set({ status: 'dead', last_error: reason }).where('id', '=', deliveryId).where('status', '!=', 'delivered').execute()
}
