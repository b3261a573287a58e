import type { Kysely } from 'kysely'
import { runScript } from './run-script.ts'

/**
 * Omnichannel intake and delivery: e-mail, web chat, phone (CTI), inbound app/WeChat
 * webhooks, outbound signed webhooks, customer notices, one customer identity.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    -- Ordered, leased outbox: messages with the same ordering key leave one after another;
    -- a lease keeps other processes off a message while its network delivery runs.
    ALTER TABLE outbox ADD COLUMN ordering_key text;
    ALTER TABLE outbox ADD COLUMN locked_until timestamptz;
    CREATE INDEX outbox_ordering_idx ON outbox (ordering_key, id) WHERE delivered_at IS NULL AND dead_at IS NULL AND ordering_key IS NOT NULL;
    CREATE INDEX outbox_dead_idx ON outbox (dead_at DESC) WHERE dead_at IS NOT NULL;

    -- Messages from channels: the untrimmed original, sanitised HTML, and the channel's own id
    -- (an e-mail Message-ID, a chat client id, an app message id) so a message is stored once.
    ALTER TABLE messages ADD COLUMN body_original text;
    ALTER TABLE messages ADD COLUMN body_html text;
    ALTER TABLE messages ADD COLUMN external_ref text;
    CREATE UNIQUE INDEX messages_external_ref_key ON messages (channel, external_ref) WHERE external_ref IS NOT NULL;

    -- Customers: how they want to hear from the desk, and where a merged record went.
    ALTER TABLE users ADD COLUMN preferred_channel text NOT NULL DEFAULT 'email' CHECK (preferred_channel IN ('email', 'sms', 'none'));
    ALTER TABLE users ADD COLUMN merged_into uuid REFERENCES users (id);

    -- External identities a customer is known by in one source (an app, a WeChat account, a chat visitor).
    CREATE TABLE customer_identities (
      source text NOT NULL,
      external_id text NOT NULL,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (source, external_id)
    );
    CREATE INDEX customer_identities_user_idx ON customer_identities (user_id);

    -- A merge of one customer record into another, with what moved, so it can be undone.
    CREATE TABLE customer_merges (
      id uuid PRIMARY KEY,
      survivor_id uuid NOT NULL REFERENCES users (id),
      merged_id uuid NOT NULL REFERENCES users (id),
      moved jsonb NOT NULL,
      merged_by uuid NOT NULL,
      merged_at timestamptz NOT NULL,
      undone_by uuid,
      undone_at timestamptz
    );
    CREATE INDEX customer_merges_survivor_idx ON customer_merges (survivor_id, merged_at DESC);
    CREATE INDEX customer_merges_merged_idx ON customer_merges (merged_id, merged_at DESC);

    -- Every e-mail seen or sent, by Message-ID: the threading index and the inbound log
    -- (auto-replies, bounces and refused mail are logged here and go no further).
    CREATE TABLE email_messages (
      id uuid PRIMARY KEY,
      message_id text NOT NULL UNIQUE,
      direction text NOT NULL CHECK (direction IN ('in', 'out')),
      ticket_id uuid REFERENCES tickets (id) ON DELETE CASCADE,
      ticket_message_id uuid REFERENCES messages (id) ON DELETE SET NULL,
      in_reply_to text,
      reference_ids text[] NOT NULL DEFAULT '{}',
      from_address text,
      to_addresses text[] NOT NULL DEFAULT '{}',
      subject text,
      outcome text NOT NULL,
      raw_storage_key text,
      size_bytes integer,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX email_messages_ticket_idx ON email_messages (ticket_id, created_at);

    -- Web chat: a visitor's conversation; the resume token (hashed) survives reloads.
    CREATE TABLE chat_sessions (
      id uuid PRIMARY KEY,
      token_hash text NOT NULL UNIQUE,
      customer_id uuid NOT NULL REFERENCES users (id),
      ticket_id uuid REFERENCES tickets (id) ON DELETE SET NULL,
      status text NOT NULL CHECK (status IN ('open', 'closed')),
      identified boolean NOT NULL DEFAULT false,
      page_url text,
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      closed_at timestamptz
    );
    CREATE INDEX chat_sessions_ticket_idx ON chat_sessions (ticket_id);

    -- Phone: one row per call, built up from the PBX's call events.
    CREATE TABLE calls (
      id uuid PRIMARY KEY,
      source text NOT NULL,
      call_id text NOT NULL,
      direction text NOT NULL CHECK (direction IN ('in', 'out')),
      from_number text NOT NULL,
      to_number text NOT NULL,
      queue text,
      agent_id uuid REFERENCES users (id),
      customer_id uuid REFERENCES users (id),
      ticket_id uuid REFERENCES tickets (id) ON DELETE SET NULL,
      status text NOT NULL,
      outcome text,
      cause text,
      recording_url text,
      started_at timestamptz NOT NULL,
      queued_at timestamptz,
      answered_at timestamptz,
      ended_at timestamptz,
      wait_ms bigint,
      talk_ms bigint,
      history jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      UNIQUE (source, call_id)
    );
    CREATE INDEX calls_started_idx ON calls (started_at DESC, id);
    CREATE INDEX calls_customer_idx ON calls (customer_id, started_at DESC);
    CREATE INDEX calls_agent_idx ON calls (agent_id, started_at DESC);

    CREATE TABLE agent_presence (
      user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
      state text NOT NULL CHECK (state IN ('available', 'busy', 'wrap_up', 'away', 'offline')),
      since timestamptz NOT NULL
    );

    CREATE TABLE blocked_numbers (
      number text PRIMARY KEY,
      reason text,
      created_by uuid NOT NULL,
      created_at timestamptz NOT NULL
    );

    CREATE TABLE callback_tasks (
      id uuid PRIMARY KEY,
      call_id uuid NOT NULL UNIQUE REFERENCES calls (id) ON DELETE CASCADE,
      phone text NOT NULL,
      customer_id uuid REFERENCES users (id),
      reason text NOT NULL CHECK (reason IN ('missed', 'abandoned')),
      status text NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
      assignee_id uuid REFERENCES users (id),
      due_at timestamptz NOT NULL,
      note text,
      created_at timestamptz NOT NULL,
      done_at timestamptz
    );
    CREATE INDEX callback_tasks_open_idx ON callback_tasks (due_at) WHERE status = 'open';

    -- Inbound webhook sources (apps, WeChat): each signs its requests with its own secret.
    CREATE TABLE inbound_sources (
      id uuid PRIMARY KEY,
      key text NOT NULL UNIQUE,
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('app', 'wechat', 'other')),
      secret text NOT NULL,
      tolerance_seconds integer NOT NULL DEFAULT 300,
      default_group_id uuid REFERENCES groups (id),
      default_type text,
      is_active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );

    CREATE TABLE inbound_deliveries (
      source_id uuid NOT NULL REFERENCES inbound_sources (id) ON DELETE CASCADE,
      idempotency_key text NOT NULL,
      request_hash text NOT NULL,
      response jsonb NOT NULL,
      received_at timestamptz NOT NULL,
      PRIMARY KEY (source_id, idempotency_key)
    );

    -- Outbound webhooks (Standard Webhooks): subscriptions, deliveries and each attempt.
    CREATE TABLE webhook_subscriptions (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      url text NOT NULL,
      secret text NOT NULL,
      event_types text[] NOT NULL,
      is_active boolean NOT NULL DEFAULT true,
      created_by uuid NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );

    CREATE TABLE webhook_deliveries (
      id text PRIMARY KEY,
      subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
      event_id bigint,
      event_type text NOT NULL,
      payload jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      last_status_code integer,
      last_error text,
      last_attempt_at timestamptz,
      delivered_at timestamptz,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX webhook_deliveries_subscription_idx ON webhook_deliveries (subscription_id, created_at DESC);

    CREATE TABLE webhook_attempts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      delivery_id text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
      attempted_at timestamptz NOT NULL,
      status_code integer,
      error text,
      duration_ms integer NOT NULL
    );
    CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);
  `)
}
