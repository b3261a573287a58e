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
  createdAt: string
  updatedAt: string
  abilities: Abilities
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
  vipLevel: 'gold' | 'silver' | 'standard'
  servicePackage: 'basic' | 'value_added' | 'exclusive'
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

export interface QueueCounts {
  mine: number
  myGroups: number
  unassigned: number
  allOpen: number
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
