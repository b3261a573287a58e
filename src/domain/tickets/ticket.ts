/** Vocabulary of the ticket model; the database and the API use these same strings. */
export const TICKET_STATUSES = ['new', 'accepted', 'in_progress', 'waiting', 'resolved', 'closed'] as const
export type TicketStatus = (typeof TICKET_STATUSES)[number]

export const TICKET_TYPES = ['incident', 'defect', 'consultation', 'information', 'change', 'complaint'] as const
export type TicketType = (typeof TICKET_TYPES)[number]

export const SEVERITIES = ['P1', 'P2', 'P3', 'P4'] as const
export type Severity = (typeof SEVERITIES)[number]

export const CHANNELS = ['portal', 'email', 'chat', 'phone', 'app', 'wechat', 'api', 'walk_in'] as const
export type Channel = (typeof CHANNELS)[number]

export const VIP_LEVELS = ['gold', 'silver', 'standard'] as const
export type VipLevel = (typeof VIP_LEVELS)[number]

export const SERVICE_PACKAGES = ['basic', 'value_added', 'exclusive'] as const
export type ServicePackage = (typeof SERVICE_PACKAGES)[number]

export const TIERS = ['L1', 'L2', 'L3'] as const
export type Tier = (typeof TIERS)[number]

export const ROLES = ['customer', 'agent', 'supervisor', 'manager', 'admin'] as const
export type Role = (typeof ROLES)[number]
export type StaffRole = Exclude<Role, 'customer'>

export const MESSAGE_VISIBILITIES = ['public', 'internal'] as const
export type MessageVisibility = (typeof MESSAGE_VISIBILITIES)[number]

/** Statuses in which a ticket still needs work from the desk. */
export const OPEN_STATUSES: readonly TicketStatus[] = ['new', 'accepted', 'in_progress', 'waiting']
