import type { Kysely } from 'kysely'
import { runScript } from './run-script.ts'

/**
 * SLA engine: calendars, policies, special periods, escalation chains, the live state of each
 * target of each ticket (with its next check instant, indexed for the scheduler), an outbox
 * for notifications, and in-app notifications.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE TABLE calendars (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      time_zone text NOT NULL,
      is_24x7 boolean NOT NULL DEFAULT false,
      weekly_hours jsonb NOT NULL,
      make_up_day_hours jsonb,
      holidays text[] NOT NULL DEFAULT '{}',
      workdays text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE UNIQUE INDEX calendars_name_key ON calendars (lower(name));

    CREATE TABLE escalation_chains (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      levels jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );

    CREATE TABLE sla_policies (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      position integer NOT NULL,
      is_active boolean NOT NULL DEFAULT true,
      conditions jsonb NOT NULL,
      targets jsonb NOT NULL,
      escalation_chain_id uuid REFERENCES escalation_chains (id),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE UNIQUE INDEX sla_policies_name_key ON sla_policies (lower(name));

    CREATE TABLE special_periods (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      priority_boost integer NOT NULL DEFAULT 0,
      target_factor double precision NOT NULL DEFAULT 1 CHECK (target_factor > 0 AND target_factor <= 1),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CHECK (ends_at > starts_at)
    );

    ALTER TABLE tickets ADD COLUMN sla_policy_id uuid;
    ALTER TABLE tickets ADD COLUMN priority_score integer NOT NULL DEFAULT 0;
    ALTER TABLE tickets ADD COLUMN priority_factors jsonb NOT NULL DEFAULT '[]';
    ALTER TABLE tickets ADD COLUMN sla_due_at timestamptz;
    ALTER TABLE tickets ADD COLUMN sla_state text;
    ALTER TABLE tickets ADD COLUMN followed_up_at timestamptz;
    ALTER TABLE tickets ADD COLUMN emotion text;
    ALTER TABLE tickets ADD COLUMN asset_risk double precision;
    CREATE INDEX tickets_priority_idx ON tickets (priority_score DESC, received_at DESC, id);
    CREATE INDEX tickets_sla_due_idx ON tickets (sla_due_at, id) WHERE sla_due_at IS NOT NULL;
    CREATE INDEX tickets_sla_state_idx ON tickets (sla_state) WHERE sla_state IN ('at_risk', 'breached');

    CREATE TABLE ticket_sla (
      ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
      target text NOT NULL,
      policy_id uuid NOT NULL,
      calendar_id uuid NOT NULL,
      status text NOT NULL,
      duration_ms bigint NOT NULL,
      elapsed_ms bigint NOT NULL,
      remaining_ms bigint NOT NULL,
      started_at timestamptz,
      stopped_at timestamptz,
      due_at timestamptz,
      warn_at timestamptz,
      warned_at timestamptz,
      breached_at timestamptz,
      escalation_level integer NOT NULL DEFAULT 0,
      next_check_at timestamptz,
      computed_at timestamptz NOT NULL,
      PRIMARY KEY (ticket_id, target)
    );
    CREATE INDEX ticket_sla_next_check_idx ON ticket_sla (next_check_at) WHERE next_check_at IS NOT NULL;

    CREATE TABLE outbox (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      topic text NOT NULL,
      payload jsonb NOT NULL,
      dedupe_key text UNIQUE,
      created_at timestamptz NOT NULL,
      available_at timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      delivered_at timestamptz,
      last_error text,
      dead_at timestamptz
    );
    CREATE INDEX outbox_pending_idx ON outbox (available_at, id) WHERE delivered_at IS NULL AND dead_at IS NULL;

    CREATE TABLE notifications (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      kind text NOT NULL,
      ticket_id uuid REFERENCES tickets (id) ON DELETE CASCADE,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      read_at timestamptz
    );
    CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);
  `)
}
