import { AppError } from '../shared/app-error.ts'
import type { TicketAction } from '../tickets/ticket-state-machine.ts'
import { allowedActions } from '../tickets/ticket-state-machine.ts'
import type { MessageVisibility, TicketStatus } from '../tickets/ticket.ts'
import type { Actor } from './actor.ts'
import { hasRole, isCustomer, isStaff, seesAllTickets } from './actor.ts'

/**
 * The one authorisation policy. Every route reaches the data through a use case, and every
 * use case asks here. Rules are pure: they see the actor and the facts of the record.
 */

/** The facts of a ticket that decide who may see and change it. */
export interface TicketFacts {
  readonly status: TicketStatus
  readonly requesterId: string
  readonly organisationId: string | null
  readonly groupId: string | null
  readonly assigneeId: string | null
  readonly ownerId: string | null
  readonly watcherIds: readonly string[]
}

/**
 * Which tickets an actor may see, as a filter the query layer turns into SQL. Keeping it
 * as data means lists and single reads use the same rule.
 */
export type TicketScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'requester'; readonly userId: string; readonly organisationId: string | null }
  | { readonly kind: 'agent'; readonly userId: string; readonly groupIds: readonly string[] }
  | { readonly kind: 'none' }

export function ticketScope(actor: Actor): TicketScope {
  if (seesAllTickets(actor)) return { kind: 'all' }
  if (hasRole(actor, 'agent')) return { kind: 'agent', userId: actor.id, groupIds: actor.groupIds }
  if (isCustomer(actor)) {
    return { kind: 'requester', userId: actor.id, organisationId: actor.isOrgAdmin ? actor.organisationId : null }
  }
  return { kind: 'none' }
}

/** The same rule as `ticketScope`, for one ticket already loaded. */
export function canSeeTicket(actor: Actor, ticket: TicketFacts): boolean {
  const scope = ticketScope(actor)
  switch (scope.kind) {
    case 'all':
      return true
    case 'none':
      return false
    case 'requester':
      return ticket.requesterId === scope.userId || (scope.organisationId !== null && ticket.organisationId === scope.organisationId)
    case 'agent':
      return (
        ticket.groupId === null ||
        scope.groupIds.includes(ticket.groupId) ||
        ticket.assigneeId === scope.userId ||
        ticket.ownerId === scope.userId ||
        ticket.watcherIds.includes(scope.userId)
      )
  }
}

/** Fields of a ticket only staff may set or change. */
export const AGENT_ONLY_TICKET_FIELDS = [
  'type',
  'severity',
  'categoryId',
  'groupId',
  'assigneeId',
  'tags',
  'watcherIds',
  'organisationId',
  'requesterId',
  'channel',
] as const

/** Fields a customer may set when submitting a request (type, category and a severity hint). */
export const CUSTOMER_CREATE_FIELDS = ['subject', 'description', 'type', 'severity', 'categoryId'] as const

/** Fields a customer may change afterwards. */
export const CUSTOMER_UPDATE_FIELDS = ['subject'] as const

/** Actions on a ticket a customer may take: confirm the fix, or say it is not fixed. */
const CUSTOMER_ACTIONS: readonly TicketAction[] = ['close', 'reopen']

/** Actions the actor may take on a visible ticket now. */
export function ticketActionsFor(actor: Actor, ticket: TicketFacts): TicketAction[] {
  const possible = allowedActions(ticket.status)
  if (isStaff(actor)) return possible
  if (isCustomer(actor)) return possible.filter((action) => CUSTOMER_ACTIONS.includes(action))
  return []
}

/** What the actor may do on a ticket, sent with the ticket so the web app shows only allowed buttons. */
export interface TicketAbilities {
  readonly update: boolean
  readonly updatableFields: readonly string[]
  readonly transfer: boolean
  readonly reply: boolean
  readonly addInternalNote: boolean
  readonly seeInternal: boolean
  readonly actions: readonly TicketAction[]
}

export function ticketAbilities(actor: Actor, ticket: TicketFacts): TicketAbilities {
  const staff = isStaff(actor)
  const open = ticket.status !== 'closed'
  return {
    update: open,
    updatableFields: open ? (staff ? ['subject', 'description', ...AGENT_ONLY_TICKET_FIELDS] : [...CUSTOMER_UPDATE_FIELDS]) : [],
    transfer: staff && open,
    reply: open || staff,
    addInternalNote: staff,
    seeInternal: staff,
    actions: ticketActionsFor(actor, ticket),
  }
}

/** Throws FORBIDDEN naming the fields the actor may not set. */
export function assertMaySetTicketFields(actor: Actor, fields: readonly string[], allowedForCustomer: readonly string[]): void {
  if (isStaff(actor)) return
  const refused = fields.filter((field) => !allowedForCustomer.includes(field))
  if (refused.length > 0) {
    throw new AppError(
      'FORBIDDEN',
      `only agents may set ${refused.join(', ')}`,
      refused.map((field) => ({ field, message: 'reserved to agents' })),
    )
  }
}

/** Setting `receivedAt` (an import of older tickets) is for admins and integration tokens. */
export function maySetReceivedAt(actor: Actor): boolean {
  return hasRole(actor, 'admin') || (isStaff(actor) && actor.via === 'token')
}

export function assertMayTakeAction(actor: Actor, action: TicketAction): void {
  if (isStaff(actor)) return
  if (isCustomer(actor) && CUSTOMER_ACTIONS.includes(action)) return
  throw new AppError('FORBIDDEN', `customers may not ${action} a ticket`, [{ field: 'action', message: 'reserved to agents' }])
}

export function assertMayPostMessage(actor: Actor, visibility: MessageVisibility): void {
  if (visibility === 'internal' && !isStaff(actor)) {
    throw new AppError('FORBIDDEN', 'only agents may add internal notes', [{ field: 'visibility', message: 'reserved to agents' }])
  }
}

export function canSeeInternal(actor: Actor): boolean {
  return isStaff(actor)
}

/** Kinds of directory records and who manages them. */
export type DirectoryResource = 'users' | 'groups' | 'categories' | 'organisations' | 'customers' | 'settings'

/** Reading the directory: staff read everything; customers read categories (to file a request). */
export function assertMayRead(actor: Actor, resource: DirectoryResource): void {
  if (isStaff(actor)) return
  if (resource === 'categories') return
  throw new AppError('FORBIDDEN', `not allowed to read ${resource}`)
}

/**
 * Writing the directory: admins manage users, groups, categories and settings; any agent
 * may create and edit customers and organisations (opening a ticket for a caller needs it).
 */
export function assertMayWrite(actor: Actor, resource: DirectoryResource): void {
  if (hasRole(actor, 'admin')) return
  if ((resource === 'customers' || resource === 'organisations') && isStaff(actor)) return
  throw new AppError('FORBIDDEN', `only administrators may change ${resource}`)
}

/** Any signed-in person may create tickets: customers for themselves, staff on behalf of a customer. */
export function assertMayCreateTicket(actor: Actor): void {
  if (!isStaff(actor) && !isCustomer(actor)) throw new AppError('FORBIDDEN', 'not allowed to create tickets')
}

/** API tokens: anyone may create their own; admins may create them for others. */
export function assertMayManageTokens(actor: Actor, ownerId: string): void {
  if (actor.id === ownerId || hasRole(actor, 'admin')) return
  throw new AppError('FORBIDDEN', 'only administrators may manage tokens of other users')
}

/** Ticket event types a customer sees on their request's timeline: its lifecycle, not internal routing. */
const CUSTOMER_EVENT_TYPES: ReadonlySet<string> = new Set([
  'ticket.created',
  'ticket.accepted',
  'ticket.started',
  'ticket.waiting_on_customer',
  'ticket.resolved',
  'ticket.closed',
  'ticket.reopened',
])

/** Whether the actor may see an event of a ticket they can see (customers: lifecycle steps and public messages). */
export function canSeeTicketEvent(actor: Actor, event: { readonly type: string; readonly data: unknown }): boolean {
  if (canSeeInternal(actor)) return true
  if (CUSTOMER_EVENT_TYPES.has(event.type)) return true
  return event.type === 'ticket.message_added' && (event.data as { visibility?: unknown } | null)?.visibility === 'public'
}

/** Channel set-up: mail, chat hours, inbound sources, outbound webhooks, the outbox, telephony, blocked numbers. */
export function assertMayConfigureChannels(actor: Actor): void {
  if (hasRole(actor, 'admin')) return
  throw new AppError('FORBIDDEN', 'only administrators may configure channels and integrations')
}

/** Reading channel logs (calls, callbacks, e-mail log, chat sessions): any staff member. */
export function assertMayUseChannels(actor: Actor): void {
  if (isStaff(actor)) return
  throw new AppError('FORBIDDEN', 'only staff may use the channel tools')
}

/**
 * A telephony system reporting call and agent-state events: an integration (API token) of an
 * administrator or supervisor; a person signed in through the browser may not forge calls.
 */
export function assertMayReportCalls(actor: Actor): void {
  if (actor.via === 'token' && (hasRole(actor, 'admin') || hasRole(actor, 'supervisor'))) return
  throw new AppError('FORBIDDEN', 'call events come from a telephony integration token (admin or supervisor)')
}

/** Merging two customer records (and undoing a merge): any agent, since they meet duplicates first. */
export function assertMayMergeCustomers(actor: Actor): void {
  if (isStaff(actor)) return
  throw new AppError('FORBIDDEN', 'only staff may merge customers')
}
