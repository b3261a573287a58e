/** Shapes of the API's answers, as the OpenAPI document at /api/openapi.json describes them. */
export type TicketStatus = 'new' | 'accepted' | 'in_progress' | 'waiting' | 'resolved' | 'closed'
export type TicketType = 'incident' | 'defect' | 'consultation' | 'information' | 'change' | 'complaint'
export type Severity = 'P1' | 'P2' | 'P3' | 'P4'
export type TicketAction = 'accept' | 'start' | 'wait' | 'resolve' | 'close' | 'reopen'
export type Role = 'customer' | 'agent' | 'supervisor' | 'manager' | 'admin'
export type Tier = 'L1' | 'L2' | 'L3'

export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'accepted', 'in_progress', 'waiting', 'resolved', 'closed']
export const TICKET_TYPES: readonly TicketType[] = ['incident', 'defect', 'consultation', 'information', 'change', 'complaint']
export const SEVERITIES: readonly Severity[] = ['P1', 'P2', 'P3', 'P4']

export interface Abilities {
  update: boolean
  updatableFields: string[]
  transfer: boolean
  reply: boolean
  addInternalNote: boolean
  seeInternal: boolean
  actions: TicketAction[]
}

export interface Ticket {
  id: string
  number: string
  subject: string
  description: string
  type: TicketType
  severity: Severity
  status: TicketStatus
  channel: string
  categoryId: string | null
  organisationId: string | null
  requesterId: string
  ownerId?: string | null
  assigneeId?: string | null
  groupId?: string | null
  tags?: string[]
  watcherIds?: string[]
  receivedAt: string
  acceptedAt: string | null
  firstResponseAt: string | null
  resolvedAt: string | null
  closedAt: string | null
  reopenCount: number
  transferCount?: number
  /** Dynamic priority (0–100+) and the inputs that made it. */
  priorityScore?: number
  priorityFactors?: PriorityFactor[]
  /** The worst state of the running targets; null when the ticket has no running target. */
  slaState?: SlaState | null
  /** When the next running target falls due. */
  slaDueAt?: string | null
  /** Every SLA target of the ticket (single reads only). */
  sla?: SlaTargetState[]
  createdAt: string
  updatedAt: string
  abilities: Abilities
}

export type SlaState = 'ok' | 'at_risk' | 'breached'
export type SlaTargetKind = 'acknowledgement' | 'first_response' | 'solution' | 'resolution' | 'follow_up'
export type SlaTargetStatus = 'pending' | 'running' | 'paused' | 'met' | 'breached'
export type SlaStartEvent = 'received' | 'resolved'
export type SlaStopEvent = 'accepted' | 'first_response' | 'resolved' | 'closed' | 'followed_up'
export type EscalationAudience = 'assignee' | 'group' | 'supervisors' | 'managers'
export type VipLevel = 'gold' | 'silver' | 'standard'
export type ServicePackage = 'basic' | 'value_added' | 'exclusive'
export type Channel = 'portal' | 'email' | 'chat' | 'phone' | 'app' | 'wechat' | 'api' | 'walk_in'

export const SLA_TARGETS: readonly SlaTargetKind[] = ['acknowledgement', 'first_response', 'solution', 'resolution', 'follow_up']
export const SLA_START_EVENTS: readonly SlaStartEvent[] = ['received', 'resolved']
export const SLA_STOP_EVENTS: readonly SlaStopEvent[] = ['accepted', 'first_response', 'resolved', 'closed', 'followed_up']
export const ESCALATION_AUDIENCES: readonly EscalationAudience[] = ['assignee', 'group', 'supervisors', 'managers']
export const VIP_LEVELS: readonly VipLevel[] = ['gold', 'silver', 'standard']
export const SERVICE_PACKAGES: readonly ServicePackage[] = ['basic', 'value_added', 'exclusive']
export const CHANNELS: readonly Channel[] = ['portal', 'email', 'chat', 'phone', 'app', 'wechat', 'api', 'walk_in']

/** One input of the dynamic priority, e.g. `{ input: 'vip_level', value: 'gold', points: 20 }`. */
export interface PriorityFactor {
  input: string
  value: string
  points: number
}

/** One SLA target of a ticket as `GET /tickets/:id` reports it. */
export interface SlaTargetState {
  target: SlaTargetKind
  status: SlaTargetStatus
  dueAt: string | null
  /** Business time left on the target's calendar; negative when overdue. */
  businessSecondsLeft: number
  warnedAt: string | null
  breachedAt: string | null
  escalationLevel: number
}

/** `[start, end)` in minutes from local midnight. */
export type MinuteInterval = [number, number]

export interface SlaCalendar {
  id: string
  name: string
  timeZone: string
  is24x7: boolean
  /** Working intervals per weekday, "0" = Sunday; absent days are closed. */
  weeklyHours: Partial<Record<string, MinuteInterval[]>>
  makeUpDayHours: MinuteInterval[] | null
  holidays: string[]
  workdays: string[]
  updatedAt: string
}

export interface SlaTargetDefinition {
  target: SlaTargetKind
  startOn: SlaStartEvent
  stopOn: SlaStopEvent
  minutes: number
  calendarId: string
  pauseStatuses: TicketStatus[]
  warnAtRatio: number
  restartOnReopen?: boolean
}

export interface SlaConditions {
  severities?: Severity[]
  types?: TicketType[]
  channels?: Channel[]
  categoryIds?: string[]
  vipLevels?: VipLevel[]
  servicePackages?: ServicePackage[]
}

export interface SlaPolicy {
  id: string
  name: string
  position: number
  isActive: boolean
  conditions: SlaConditions
  targets: SlaTargetDefinition[]
  escalationChainId: string | null
  updatedAt: string
}

export interface SpecialPeriod {
  id: string
  name: string
  startsAt: string
  endsAt: string
  priorityBoost: number
  targetFactor: number
}

export interface EscalationLevel {
  afterMinutes: number
  notify: EscalationAudience[]
  reassignToSupervisor: boolean
}

export interface EscalationChain {
  id: string
  name: string
  levels: EscalationLevel[]
}

/** An in-app notification; `payload` carries the ticket's number and subject and what happened. */
export interface AppNotification {
  id: string
  kind: string
  ticketId: string | null
  payload: { number?: string; subject?: string; target?: string; level?: number; dueAt?: string } | null
  createdAt: string
  readAt: string | null
}

export interface TicketPage {
  items: Ticket[]
  nextCursor: string | null
}

export interface Attachment {
  id: string
  filename: string
  contentType: string
  size: number
  url: string
  createdAt: string
}

export interface Message {
  id: string
  ticketId: string
  authorId: string
  visibility: 'public' | 'internal'
  body: string
  channel: string
  createdAt: string
  author: { id: string; name: string; isStaff: boolean }
  attachments: Attachment[]
}

export interface TicketEvent {
  id: string
  type: string
  actorId: string
  actorName: string | null
  reason: string | null
  occurredAt: string
  data?: unknown
}

export interface User {
  id: string
  name: string
  email: string | null
  phone: string | null
  /** Staff only (absent on customers): the PBX extension (分机号). */
  phoneExtension?: string | null
  wechatOpenId: string | null
  appUserId: string | null
  roles: Role[]
  tier: Tier | null
  organisationId: string | null
  isOrgAdmin: boolean
  locale: string
  timeZone: string
  isActive: boolean
  hasPassword: boolean
  groupIds: string[]
  createdAt: string
  updatedAt: string
}

export interface Organisation {
  id: string
  name: string
  vipLevel: VipLevel
  servicePackage: ServicePackage
  region: string | null
  notes: string | null
}

export interface Group {
  id: string
  name: string
  description: string | null
  memberIds: string[]
}

export interface Category {
  id: string
  parentId: string | null
  nameZh: string
  nameEn: string
}

/** Open tickets in each queue of the viewer. */
export interface QueueCountsOf {
  mine: number
  myGroups: number
  unassigned: number
  allOpen: number
}

/** `GET /tickets/counts`: each queue's open tickets, and of them those that came in by web chat. */
export interface QueueCounts extends QueueCountsOf {
  chats: QueueCountsOf
}

export interface SavedView {
  id: string
  name: string
  query: string
}

export interface Me {
  user: User
  csrfToken: string | null
}

export function isStaffUser(user: User): boolean {
  return user.roles.some((role) => role !== 'customer')
}

export function seesAllQueues(user: User): boolean {
  return user.roles.some((role) => role === 'supervisor' || role === 'manager' || role === 'admin')
}
