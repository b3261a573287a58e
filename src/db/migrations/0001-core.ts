import type { Kysely } from 'kysely'
import { runScript } from './run-script.ts'

/** Core service desk: directory, tickets, messages, attachments, events, sessions and tokens. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE TABLE organisations (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      vip_level text NOT NULL DEFAULT 'standard' CHECK (vip_level IN ('gold', 'silver', 'standard')),
      service_package text NOT NULL DEFAULT 'basic' CHECK (service_package IN ('basic', 'value_added', 'exclusive')),
      region text,
      notes text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE UNIQUE INDEX organisations_name_key ON organisations (lower(name));

    CREATE TABLE users (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      email text,
      phone text,
      wechat_open_id text,
      app_user_id text,
      roles text[] NOT NULL,
      tier text CHECK (tier IN ('L1', 'L2', 'L3')),
      organisation_id uuid REFERENCES organisations (id),
      is_org_admin boolean NOT NULL DEFAULT false,
      locale text NOT NULL DEFAULT 'zh-CN',
      time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
      password_hash text,
      is_active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE UNIQUE INDEX users_email_key ON users (email) WHERE email IS NOT NULL;
    CREATE UNIQUE INDEX users_phone_key ON users (phone) WHERE phone IS NOT NULL;
    CREATE UNIQUE INDEX users_wechat_key ON users (wechat_open_id) WHERE wechat_open_id IS NOT NULL;
    CREATE UNIQUE INDEX users_app_user_key ON users (app_user_id) WHERE app_user_id IS NOT NULL;
    CREATE INDEX users_organisation_idx ON users (organisation_id);
    CREATE INDEX users_roles_idx ON users USING gin (roles);

    CREATE TABLE groups (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      description text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE UNIQUE INDEX groups_name_key ON groups (lower(name));

    CREATE TABLE group_members (
      group_id uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      PRIMARY KEY (group_id, user_id)
    );
    CREATE INDEX group_members_user_idx ON group_members (user_id);

    CREATE TABLE categories (
      id uuid PRIMARY KEY,
      parent_id uuid REFERENCES categories (id),
      name_zh text NOT NULL,
      name_en text NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE UNIQUE INDEX categories_sibling_name_key ON categories (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name_en));

    CREATE SEQUENCE ticket_number_seq;

    CREATE TABLE tickets (
      id uuid PRIMARY KEY,
      number text NOT NULL UNIQUE,
      subject text NOT NULL,
      description text NOT NULL,
      type text NOT NULL CHECK (type IN ('incident', 'defect', 'consultation', 'information', 'change', 'complaint')),
      severity text NOT NULL CHECK (severity IN ('P1', 'P2', 'P3', 'P4')),
      status text NOT NULL CHECK (status IN ('new', 'accepted', 'in_progress', 'waiting', 'resolved', 'closed')),
      channel text NOT NULL,
      category_id uuid REFERENCES categories (id),
      organisation_id uuid REFERENCES organisations (id),
      requester_id uuid NOT NULL REFERENCES users (id),
      owner_id uuid REFERENCES users (id),
      assignee_id uuid REFERENCES users (id),
      group_id uuid REFERENCES groups (id),
      tags text[] NOT NULL DEFAULT '{}',
      received_at timestamptz NOT NULL,
      accepted_at timestamptz,
      first_response_at timestamptz,
      resolved_at timestamptz,
      closed_at timestamptz,
      reopen_count integer NOT NULL DEFAULT 0,
      transfer_count integer NOT NULL DEFAULT 0,
      created_by uuid NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      search_public tsvector NOT NULL,
      search_internal tsvector NOT NULL DEFAULT ''::tsvector
    );
    CREATE INDEX tickets_queue_assignee_idx ON tickets (assignee_id, status, received_at DESC, id);
    CREATE INDEX tickets_queue_group_idx ON tickets (group_id, status, received_at DESC, id);
    CREATE INDEX tickets_requester_idx ON tickets (requester_id, received_at DESC, id);
    CREATE INDEX tickets_organisation_idx ON tickets (organisation_id, received_at DESC, id);
    CREATE INDEX tickets_owner_idx ON tickets (owner_id) WHERE owner_id IS NOT NULL;
    CREATE INDEX tickets_status_received_idx ON tickets (status, received_at DESC, id);
    CREATE INDEX tickets_received_idx ON tickets (received_at DESC, id);
    CREATE INDEX tickets_updated_idx ON tickets (updated_at DESC, id);
    CREATE INDEX tickets_search_public_idx ON tickets USING gin (search_public);
    CREATE INDEX tickets_search_internal_idx ON tickets USING gin (search_internal);
    CREATE INDEX tickets_tags_idx ON tickets USING gin (tags);

    CREATE TABLE ticket_watchers (
      ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users (id),
      PRIMARY KEY (ticket_id, user_id)
    );
    CREATE INDEX ticket_watchers_user_idx ON ticket_watchers (user_id);

    CREATE TABLE messages (
      id uuid PRIMARY KEY,
      ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
      author_id uuid NOT NULL REFERENCES users (id),
      visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
      body text NOT NULL,
      channel text NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX messages_ticket_idx ON messages (ticket_id, created_at, id);

    CREATE TABLE attachments (
      id uuid PRIMARY KEY,
      message_id uuid REFERENCES messages (id) ON DELETE CASCADE,
      uploaded_by uuid NOT NULL REFERENCES users (id),
      filename text NOT NULL,
      content_type text NOT NULL,
      size_bytes integer NOT NULL,
      sha256 text NOT NULL,
      storage_key text NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX attachments_message_idx ON attachments (message_id);

    CREATE TABLE events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      type text NOT NULL,
      entity_type text NOT NULL,
      entity_id uuid NOT NULL,
      ticket_id uuid,
      actor_id uuid NOT NULL,
      reason text,
      data jsonb NOT NULL DEFAULT '{}',
      occurred_at timestamptz NOT NULL
    );
    CREATE INDEX events_ticket_idx ON events (ticket_id, id) WHERE ticket_id IS NOT NULL;
    CREATE INDEX events_entity_idx ON events (entity_type, entity_id, id);

    -- The event log is append-only: history, audit and webhooks all read it.
    CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'events are append-only';
    END;
    $$;
    CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
      FOR EACH ROW EXECUTE FUNCTION events_append_only();

    CREATE TABLE sessions (
      id text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX sessions_user_idx ON sessions (user_id);

    CREATE TABLE api_tokens (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      name text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      prefix text NOT NULL,
      created_at timestamptz NOT NULL,
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    CREATE TABLE idempotency_keys (
      actor_id uuid NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      ticket_id uuid NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (actor_id, key)
    );

    CREATE TABLE settings (
      key text PRIMARY KEY,
      value jsonb NOT NULL,
      updated_at timestamptz NOT NULL
    );
  `)
}
