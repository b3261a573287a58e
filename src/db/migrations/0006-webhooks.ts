import type { Kysely } from 'kysely'
import { runScript } from './run-script.ts'

/**
 * Webhooks in and out: the `webhook-id` of each inbound request is kept so a captured request
 * cannot be replayed under a fresh Idempotency-Key; a rotated secret stays valid for a grace
 * period (inbound: still accepted; outbound: still signed with) so integrations can switch over.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    ALTER TABLE inbound_deliveries ADD COLUMN webhook_id text;
    CREATE UNIQUE INDEX inbound_deliveries_webhook_id_key ON inbound_deliveries (source_id, webhook_id);
    ALTER TABLE inbound_sources ADD COLUMN previous_secret text;
    ALTER TABLE inbound_sources ADD COLUMN previous_secret_expires_at timestamptz;
    ALTER TABLE webhook_subscriptions ADD COLUMN previous_secret text;
    ALTER TABLE webhook_subscriptions ADD COLUMN previous_secret_expires_at timestamptz;
    CREATE INDEX webhook_subscriptions_active_idx ON webhook_subscriptions (is_active);
  `)
}
