import type { Kysely } from 'kysely'
import { runScript } from './run-script.ts'

/**
 * Ticket lists filtered by channel (`GET /tickets?channel=chat`). Measured on PostgreSQL 15 with
 * 500,000 tickets, 2 % of them open: the open chats of the unassigned queue or of an agent's
 * teams took 8–9 ms over the status and assignee indexes, under 1 ms over the partial index of
 * open tickets by channel; a rare channel at any status (walk-in, a handful of rows) was a
 * sequential scan of the whole table (80–200 ms, growing with the history), an index scan of
 * under 1 ms over the second index. A (channel, received_at) index alone made the planner AND
 * it with the assignee index and slowed the unassigned queue fivefold, hence the partial one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE INDEX tickets_open_channel_idx ON tickets (channel, received_at DESC, id) WHERE status IN ('new', 'accepted', 'in_progress', 'waiting');
    CREATE INDEX tickets_channel_received_idx ON tickets (channel, received_at DESC, id);
  `)
}
