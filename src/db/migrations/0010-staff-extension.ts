import type { Kysely } from 'kysely'
import { runScript } from './run-script.ts'

/**
 * A staff member's PBX extension (分机号, `8001`): how telephony systems name their agents.
 * Digits, `*` and `#`, 1–20 characters; one person per extension (customers have none, which
 * the service enforces).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    ALTER TABLE users ADD COLUMN phone_extension text CHECK (phone_extension ~ '^[0-9*#]{1,20}$');
    CREATE UNIQUE INDEX users_phone_extension_key ON users (phone_extension) WHERE phone_extension IS NOT NULL;
  `)
}
