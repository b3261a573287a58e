import type { Actor } from '../../domain/policy/actor.ts'
import { canSeeInternal, ticketScope } from '../../domain/policy/policy.ts'
import { invalidField } from '../../domain/shared/app-error.ts'
import { queryWords } from '../../domain/text/segment.ts'
import { type TicketListFilter, type TicketSort, isValidSortKey, listTickets as listTicketRows } from '../../db/tickets.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { type TicketView, viewTicket } from './ticket-view.ts'

export interface ListTicketsInput {
  readonly statuses?: readonly string[]
  readonly severities?: readonly string[]
  readonly types?: readonly string[]
  readonly channels?: readonly string[]
  /** A user id, `me` or `none`. */
  readonly assignee?: string
  /** A group id or `none`. */
  readonly group?: string
  readonly requester?: string
  readonly organisation?: string
  readonly tag?: string
  readonly slaStates?: readonly string[]
  readonly text?: string
  readonly sort?: TicketSort
  readonly cursor?: string
  readonly limit?: number
}

export interface TicketList {
  readonly items: TicketView[]
  readonly nextCursor: string | null
}

/** A page of the tickets the actor may see; the cursor is opaque and carries the sort key of the last row. */
export async function listTickets(deps: ServiceDeps, actor: Actor, input: ListTicketsInput): Promise<TicketList> {
  const sort = input.sort ?? '-receivedAt'
  const afterKey = input.cursor === undefined ? null : decodeCursor(input.cursor, sort)
  const filter: TicketListFilter = {
    statuses: input.statuses,
    severities: input.severities,
    types: input.types,
    channels: input.channels,
    assigneeId: input.assignee === undefined ? undefined : input.assignee === 'none' ? null : input.assignee === 'me' ? actor.id : input.assignee,
    groupId: input.group === undefined ? undefined : input.group === 'none' ? null : input.group,
    requesterId: input.requester === 'me' ? actor.id : input.requester,
    organisationId: input.organisation,
    tag: input.tag,
    slaStates: input.slaStates,
    words: input.text === undefined ? undefined : queryWords(input.text),
    searchInternal: canSeeInternal(actor),
  }
  // Filters only narrow: the actor's scope is applied under them in every query.
  const page = await inTransaction(deps, (trx) => listTicketRows(trx, ticketScope(actor), filter, sort, afterKey, input.limit ?? 25))
  return {
    items: page.rows.map((ticket) => viewTicket(actor, ticket)),
    nextCursor: page.lastKey === null ? null : encodeCursor(page.lastKey, sort),
  }
}

function encodeCursor(key: readonly unknown[], sort: TicketSort): string {
  return Buffer.from(JSON.stringify({ s: sort, k: key })).toString('base64url')
}

function decodeCursor(cursor: string, sort: TicketSort): unknown[] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; k?: unknown }
    if (parsed.s === sort && Array.isArray(parsed.k) && isValidSortKey(sort, parsed.k)) return parsed.k as unknown[]
  } catch {
    // fall through to the validation error
  }
  throw invalidField('cursor', 'not a cursor of this listing (it must come from nextCursor with the same sort)')
}
