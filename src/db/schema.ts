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
  preferred_channel: Generated<string>
  merged_into: Generated<string | null>
  /** Staff only: the PBX extension (分机号) telephony events name the agent by. */
  phone_extension: Generated<string | null>
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
  /** The message as received, before quoted history and signatures were trimmed (null: same as body). */
  body_original: Generated<string | null>
  /** Sanitised HTML of an e-mail body, safe to render. */
  body_html: Generated<string | null>
  /** The channel's own id of the message (e-mail Message-ID, chat or app message id); unique per channel. */
  external_ref: Generated<string | null>
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
  /** Messages with the same key are delivered in id order, one after another. */
  ordering_key: Generated<string | null>
  /** While a delivery is in flight, other dispatchers leave the message alone until then. */
  locked_until: Generated<Date | null>
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

export interface CustomerIdentitiesTable {
  source: string
  external_id: string
  user_id: string
  created_at: Timestamp
}

export interface CustomerMergesTable {
  id: string
  survivor_id: string
  merged_id: string
  moved: ColumnType<unknown, string, string>
  merged_by: string
  merged_at: Timestamp
  undone_by: string | null
  undone_at: Date | null
}

export interface EmailMessagesTable {
  id: string
  message_id: string
  direction: 'in' | 'out'
  ticket_id: string | null
  ticket_message_id: string | null
  in_reply_to: string | null
  reference_ids: Generated<string[]>
  from_address: string | null
  to_addresses: Generated<string[]>
  subject: string | null
  outcome: string
  raw_storage_key: string | null
  size_bytes: number | null
  created_at: Timestamp
}

export interface ChatSessionsTable {
  id: string
  token_hash: string
  customer_id: string
  ticket_id: string | null
  status: 'open' | 'closed'
  identified: Generated<boolean>
  page_url: string | null
  created_at: Timestamp
  last_seen_at: Timestamp
  closed_at: Date | null
  /** Client id of the first visitor message, which became the ticket's description. */
  first_client_id: string | null
}

export interface CallsTable {
  id: string
  source: string
  call_id: string
  direction: 'in' | 'out'
  from_number: string
  to_number: string
  queue: string | null
  agent_id: string | null
  customer_id: string | null
  ticket_id: string | null
  status: string
  outcome: string | null
  cause: string | null
  recording_url: string | null
  started_at: Timestamp
  queued_at: Date | null
  answered_at: Date | null
  ended_at: Date | null
  wait_ms: ColumnType<number | null, number | null, number | null>
  talk_ms: ColumnType<number | null, number | null, number | null>
  history: ColumnType<unknown, string | undefined, string>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface AgentPresenceTable {
  user_id: string
  state: 'available' | 'busy' | 'wrap_up' | 'away' | 'offline'
  since: Timestamp
}

export interface BlockedNumbersTable {
  number: string
  reason: string | null
  created_by: string
  created_at: Timestamp
}

export interface CallbackTasksTable {
  id: string
  call_id: string
  phone: string
  customer_id: string | null
  reason: 'missed' | 'abandoned'
  status: 'open' | 'done' | 'cancelled'
  assignee_id: string | null
  due_at: Timestamp
  note: string | null
  created_at: Timestamp
  done_at: Date | null
}

export interface InboundSourcesTable {
  id: string
  key: string
  name: string
  kind: 'app' | 'wechat' | 'other'
  secret: string
  tolerance_seconds: Generated<number>
  default_group_id: string | null
  default_type: string | null
  is_active: Generated<boolean>
  created_at: Timestamp
  updated_at: Timestamp
  previous_secret: string | null
  previous_secret_expires_at: Date | null
}

export interface InboundDeliveriesTable {
  source_id: string
  idempotency_key: string
  request_hash: string
  response: ColumnType<unknown, string, string>
  received_at: Timestamp
  webhook_id: string | null
}

export interface WebhookSubscriptionsTable {
  id: string
  name: string
  url: string
  secret: string
  event_types: string[]
  is_active: Generated<boolean>
  created_by: string
  created_at: Timestamp
  updated_at: Timestamp
  previous_secret: string | null
  previous_secret_expires_at: Date | null
}

export interface WebhookDeliveriesTable {
  id: string
  subscription_id: string
  event_id: ColumnType<number | null, number | null, number | null>
  event_type: string
  payload: ColumnType<unknown, string, string>
  status: 'pending' | 'delivered' | 'failed' | 'dead'
  attempts: Generated<number>
  last_status_code: number | null
  last_error: string | null
  last_attempt_at: Date | null
  delivered_at: Date | null
  created_at: Timestamp
}

export interface WebhookAttemptsTable {
  id: Generated<number>
  delivery_id: string
  attempted_at: Timestamp
  status_code: number | null
  error: string | null
  duration_ms: number
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
  customer_identities: CustomerIdentitiesTable
  customer_merges: CustomerMergesTable
  email_messages: EmailMessagesTable
  chat_sessions: ChatSessionsTable
  calls: CallsTable
  agent_presence: AgentPresenceTable
  blocked_numbers: BlockedNumbersTable
  callback_tasks: CallbackTasksTable
  inbound_sources: InboundSourcesTable
  inbound_deliveries: InboundDeliveriesTable
  webhook_subscriptions: WebhookSubscriptionsTable
  webhook_deliveries: WebhookDeliveriesTable
  webhook_attempts: WebhookAttemptsTable
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
export type OutboxRow = Selectable<OutboxTable>
export type EmailMessageRow = Selectable<EmailMessagesTable>
export type ChatSessionRow = Selectable<ChatSessionsTable>
export type CallRow = Selectable<CallsTable>
export type CallbackTaskRow = Selectable<CallbackTasksTable>
export type InboundSourceRow = Selectable<InboundSourcesTable>
export type WebhookSubscriptionRow = Selectable<WebhookSubscriptionsTable>
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>
export type CustomerMergeRow = Selectable<CustomerMergesTable>
