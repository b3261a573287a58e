import type { Kysely } from 'kysely'
import { runScript } from './run-script.ts'

/**
 * One customer identity: indexes for the customer's cross-channel history (messages they wrote,
 * e-mails from or to their addresses), for moving their rows in a merge, and for finding the
 * records whose clues met in one contact.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE INDEX messages_author_idx ON messages (author_id, created_at);
    CREATE INDEX email_messages_from_idx ON email_messages (from_address, created_at) WHERE from_address IS NOT NULL;
    CREATE INDEX email_messages_to_idx ON email_messages USING gin (to_addresses);
    CREATE INDEX callback_tasks_customer_idx ON callback_tasks (customer_id) WHERE customer_id IS NOT NULL;
    CREATE INDEX events_clues_met_idx ON events ((data->>'otherId')) WHERE type = 'customer.clues_met';
  `)
}
