import type { Kysely } from 'kysely'
import { runScript } from './run-script.ts'

/** Saved views: a person's named ticket filters, kept on the server so they follow them across devices. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE TABLE saved_views (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      name text NOT NULL,
      query text NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE UNIQUE INDEX saved_views_name_key ON saved_views (user_id, lower(name));
  `)
}
