import { judgeReceiverStatus } from '../../domain/webhooks/payload.ts'
import { type OutboxHandler, PermanentDeliveryError } from '../../jobs/outbox-dispatcher.ts'
import { secretsInForce } from '../../services/webhooks/secrets.ts'
import { recordWebhookAttempt, skipWebhookDelivery } from './delivery-log.ts'
import { type WebhookAttemptResult, postWebhook } from './post-webhook.ts'

/** The outbox topic of outbound webhook deliveries; the payload is `{ deliveryId }`. */
export const WEBHOOK_TOPIC = 'webhook'

/**
 * Attempts before a delivery is given up: with the dispatcher's doubling backoff (capped at
 * an hour) that is about seven hours of retries.
 */
export const WEBHOOK_MAX_ATTEMPTS = 16

/** A receiver that did not take the webhook; carries the attempt for the log. */
export class WebhookAttemptError extends Error {
  override readonly name = 'WebhookAttemptError'
  constructor(readonly attempt: WebhookAttemptResult) {
    super(attempt.error ?? `HTTP ${attempt.statusCode}`)
  }
}

/** A receiver that answered 410 Gone: no retries, and its subscription is switched off. */
export class ReceiverGoneError extends PermanentDeliveryError {
  constructor(readonly attempt: WebhookAttemptResult) {
    super(attempt.error ?? 'HTTP 410')
  }
}

type Delivered = { readonly attempt: WebhookAttemptResult } | { readonly skipped: string }

/**
 * The `webhook` outbox handler. The HTTP call runs outside any transaction (a slow receiver
 * holds no database connection, only the outbox lease); the attempt is logged in the
 * transaction that marks the message. Non-2xx answers and network errors are retried with
 * the dispatcher's backoff.
 */
export function webhookDeliveryHandler(): OutboxHandler {
  return {
    kind: 'io',
    maxAttempts: WEBHOOK_MAX_ATTEMPTS,
    deliver: async (payload, { deps, now }): Promise<Delivered> => {
      const { deliveryId } = payload as { deliveryId: string }
      const row = await deps.db
        .selectFrom('webhook_deliveries')
        .innerJoin('webhook_subscriptions', 'webhook_subscriptions.id', 'webhook_deliveries.subscription_id')
        .select([
          'webhook_deliveries.payload',
          'webhook_subscriptions.url',
          'webhook_subscriptions.secret',
          'webhook_subscriptions.previous_secret',
          'webhook_subscriptions.previous_secret_expires_at',
          'webhook_subscriptions.is_active',
        ])
        .where('webhook_deliveries.id', '=', deliveryId)
        .executeTakeFirst()
      if (row === undefined) return { skipped: 'the subscription was deleted' }
      if (!row.is_active) return { skipped: 'the subscription is switched off' }
      const attempt = await postWebhook({ url: row.url, secrets: secretsInForce(row, now) }, deliveryId, JSON.stringify(row.payload), now)
      const verdict = attempt.statusCode === null ? 'retry' : judgeReceiverStatus(attempt.statusCode)
      if (verdict === 'gone') throw new ReceiverGoneError(attempt)
      if (verdict === 'retry') throw new WebhookAttemptError(attempt)
      return { attempt }
    },
    record: async (trx, payload, outcome, { now }) => {
      const { deliveryId } = payload as { deliveryId: string }
      if (outcome.ok) {
        const result = outcome.result as Delivered
        if ('skipped' in result) await skipWebhookDelivery(trx, deliveryId, result.skipped)
        else await recordWebhookAttempt(trx, deliveryId, result.attempt, 'delivered', now)
        return
      }
      const { error, final } = outcome
      const attempt: WebhookAttemptResult =
        error instanceof WebhookAttemptError || error instanceof ReceiverGoneError
          ? error.attempt
          : { statusCode: null, durationMs: 0, error: (error instanceof Error ? error.message : String(error)).slice(0, 500) }
      await recordWebhookAttempt(trx, deliveryId, attempt, final ? 'dead' : 'failed', now, { gone: error instanceof ReceiverGoneError })
    },
  }
}
