import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/** Kysely table types; they mirror the migrations in `./migrations`. */
type Timestamp = ColumnType<Date, Date, Date>

export interface OrganisationsTable {
  id: string
  name: string
  vip_level: string
  service_package: string
  region: string | null
  notes: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface UsersTable {
  id: string
  name: string
  email: string | null
  phone: string | null
  wechat_open_id: string | null
  app_user_id: string | null
  roles: string[]
  tier: string | null
  organisation_id: string | null
  is_org_admin: Generated<boolean>
  locale: Generated<string>
  time_zone: Generated<string>
  password_hash: string | null
  is_active: Generated<boolean>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface GroupsTable {
  id: string
  name: string
  description: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface GroupMembersTable {
  group_id: string
  user_id: string
}

export interface CategoriesTable {
  id: string
  parent_id: string | null
  name_zh: string
  name_en: string
  created_at: Timestamp
  updated_at: Timestamp
}

export interface TicketsTable {
  id: string
  number: string
  subject: string
  description: string
  type: string
  severity: string
  status: string
  channel: string
  category_id: string | null
  organisation_id: string | null
  requester_id: string
  owner_id: string | null
  assignee_id: string | null
  group_id: string | null
  tags: string[]
  received_at: Timestamp
  accepted_at: Date | null
  first_response_at: Date | null
  resolved_at: Date | null
  closed_at: Date | null
  reopen_count: Generated<number>
  transfer_count: Generated<number>
  created_by: string
  created_at: Timestamp
  updated_at: Timestamp
  search_public: string
  search_internal: Generated<string>
  sla_policy_id: Generated<string | null>
  priority_score: Generated<number>
  priority_factors: ColumnType<unknown, string | undefined, string>
  sla_due_at: Generated<Date | null>
  sla_state: Generated<string | null>
  followed_up_at: Generated<Date | null>
  emotion: Generated<string | null>
  asset_risk: Generated<number | null>
}

export interface TicketWatchersTable {
  ticket_id: string
  user_id: string
}

export interface MessagesTable {
  id: string
  ticket_id: string
  author_id: string
  visibility: string
  body: string
  channel: string
  created_at: Timestamp
}

export interface AttachmentsTable {
  id: string
  message_id: string | null
  uploaded_by: string
  filename: string
  content_type: string
  size_bytes: number
  sha256: string
  storage_key: string
  created_at: Timestamp
}

export interface EventsTable {
  id: Generated<string>
  type: string
  entity_type: string
  entity_id: string
  ticket_id: string | null
  actor_id: string
  reason: string | null
  data: ColumnType<unknown, string, string>
  occurred_at: Timestamp
}

export interface SessionsTable {
  id: string
  user_id: string
  csrf_token: string
  created_at: Timestamp
  expires_at: Timestamp
}

export interface ApiTokensTable {
  id: string
  user_id: string
  name: string
  token_hash: string
  prefix: string
  created_at: Timestamp
  last_used_at: Date | null
  revoked_at: Date | null
}

export interface IdempotencyKeysTable {
  actor_id: string
  key: string
  request_hash: string
  ticket_id: string
  created_at: Timestamp
}

export interface SettingsTable {
  key: string
  value: ColumnType<unknown, string, string>
  updated_at: Timestamp
}

export interface SavedViewsTable {
  id: string
  user_id: string
  name: string
  query: string
  created_at: Timestamp
}

export interface CalendarsTable {
  id: string
  name: string
  time_zone: string
  is_24x7: boolean
  weekly_hours: ColumnType<unknown, string, string>
  make_up_day_hours: ColumnType<unknown, string | null, string | null>
  holidays: string[]
  workdays: string[]
  created_at: Timestamp
  updated_at: Timestamp
}

export interface EscalationChainsTable {
  id: string
  name: string
  levels: ColumnType<unknown, string, string>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface SlaPoliciesTable {
  id: string
  name: string
  position: number
  is_active: boolean
  conditions: ColumnType<unknown, string, string>
  targets: ColumnType<unknown, string, string>
  escalation_chain_id: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface SpecialPeriodsTable {
  id: string
  name: string
  starts_at: Timestamp
  ends_at: Timestamp
  priority_boost: number
  target_factor: number
  created_at: Timestamp
  updated_at: Timestamp
}

export interface TicketSlaTable {
  ticket_id: string
  target: string
  policy_id: string
  calendar_id: string
  status: string
  duration_ms: number
  elapsed_ms: number
  remaining_ms: number
  started_at: Date | null
  stopped_at: Date | null
  due_at: Date | null
  warn_at: Date | null
  warned_at: Date | null
  breached_at: Date | null
  escalation_level: Generated<number>
  next_check_at: Date | null
  computed_at: Timestamp
}

export interface OutboxTable {
  id: Generated<number>
  topic: string
  payload: ColumnType<unknown, string, string>
  dedupe_key: string | null
  created_at: Timestamp
  available_at: Timestamp
  attempts: Generated<number>
  delivered_at: Date | null
  last_error: string | null
  dead_at: Date | null
}

export interface NotificationsTable {
  id: string
  user_id: string
  kind: string
  ticket_id: string | null
  payload: ColumnType<unknown, string, string>
  created_at: Timestamp
  read_at: Date | null
}

export interface Database {
  organisations: OrganisationsTable
  users: UsersTable
  groups: GroupsTable
  group_members: GroupMembersTable
  categories: CategoriesTable
  tickets: TicketsTable
  ticket_watchers: TicketWatchersTable
  messages: MessagesTable
  attachments: AttachmentsTable
  events: EventsTable
  sessions: SessionsTable
  api_tokens: ApiTokensTable
  idempotency_keys: IdempotencyKeysTable
  settings: SettingsTable
  saved_views: SavedViewsTable
  calendars: CalendarsTable
  escalation_chains: EscalationChainsTable
  sla_policies: SlaPoliciesTable
  special_periods: SpecialPeriodsTable
  ticket_sla: TicketSlaTable
  outbox: OutboxTable
  notifications: NotificationsTable
}

export type TicketRow = Selectable<TicketsTable>
export type NewTicketRow = Insertable<TicketsTable>
export type TicketUpdate = Updateable<TicketsTable>
export type UserRow = Selectable<UsersTable>
export type OrganisationRow = Selectable<OrganisationsTable>
export type GroupRow = Selectable<GroupsTable>
export type CategoryRow = Selectable<CategoriesTable>
export type MessageRow = Selectable<MessagesTable>
export type AttachmentRow = Selectable<AttachmentsTable>
export type EventRow = Selectable<EventsTable>
export type SavedViewRow = Selectable<SavedViewsTable>
export type TicketSlaRow = Selectable<TicketSlaTable>
