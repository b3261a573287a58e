import type { Kysely } from 'kysely'
import { runScript } from './run-script.ts'

/**
 * Every committed event is announced on the `loopdesk_events` channel. NOTIFY is delivered
 * only on commit, so listeners never see a change that was rolled back; on PostgreSQL every
 * app node listening on the database hears it, which is how live updates cross nodes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE FUNCTION events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('loopdesk_events', NEW.id::text);
      RETURN NULL;
    END;
    $$;
    CREATE TRIGGER events_notify AFTER INSERT ON events
      FOR EACH ROW EXECUTE FUNCTION events_notify();
  `)
}
