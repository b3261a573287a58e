import type { Role, Tier } from '../tickets/ticket.ts'

/** Who is acting: resolved from a session or an API token before any use case runs. */
export interface Actor {
  readonly id: string
  readonly roles: readonly Role[]
  readonly tier: Tier | null
  readonly organisationId: string | null
  /** A customer contact who may see all tickets of their organisation. */
  readonly isOrgAdmin: boolean
  /** Groups the actor belongs to (staff only). */
  readonly groupIds: readonly string[]
  /** How the actor authenticated: an API token marks an integration. */
  readonly via: 'session' | 'token' | 'system'
}

/** The actor used by the CLI and start-up tasks. */
export const SYSTEM_ACTOR: Actor = {
  id: '00000000-0000-0000-0000-000000000000',
  roles: ['admin'],
  tier: null,
  organisationId: null,
  isOrgAdmin: false,
  groupIds: [],
  via: 'system',
}

export function isCustomer(actor: Actor): boolean {
  return actor.roles.includes('customer') && actor.roles.length === 1
}

export function isStaff(actor: Actor): boolean {
  return actor.roles.some((role) => role !== 'customer')
}

export function hasRole(actor: Actor, role: Role): boolean {
  return actor.roles.includes(role)
}

/** Supervisors, managers and admins see every queue. */
export function seesAllTickets(actor: Actor): boolean {
  return actor.roles.some((role) => role === 'supervisor' || role === 'manager' || role === 'admin')
}
