import type { Kysely } from 'kysely'
import { runScript } from './run-script.ts'

/**
 * Web chat: the first visitor message of a conversation becomes the ticket's description, not a
 * message row; its client id is kept on the session so a resend after a reconnect is stored once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    ALTER TABLE chat_sessions ADD COLUMN first_client_id text;
    CREATE INDEX chat_sessions_customer_idx ON chat_sessions (customer_id);
  `)
}
