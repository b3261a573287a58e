import { sql } from 'kysely'
import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayRead, ticketScope } from '../../domain/policy/policy.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import { scopeCondition } from '../../db/tickets.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'

export type HistoryKind = 'ticket' | 'message' | 'call' | 'chat' | 'email'

/** One entry of a customer's history across channels. */
export interface HistoryItem {
  readonly kind: HistoryKind
  readonly id: string
  readonly at: Date
  readonly channel: string
  /** A line for people: a ticket's subject, the start of a message, a call's outcome, an e-mail's subject. */
  readonly summary: string
  /** A status word (ticket status, call outcome, chat state, e-mail direction and outcome). */
  readonly detail: string | null
  readonly ticketId: string | null
  readonly ticketNumber: string | null
}

export interface HistoryPage {
  readonly items: HistoryItem[]
  readonly nextCursor: string | null
}

const PAGE_SIZE_MAX = 100

function decodeCursor(cursor: string): { at: Date; key: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') {
      const at = new Date(value[0])
      if (!Number.isNaN(at.getTime())) return { at, key: value[1] }
    }
  } catch {
    // falls through to the validation error
  }
  throw new AppError('VALIDATION', 'not a cursor from this list', [{ field: 'cursor', message: 'invalid cursor' }])
}

function encodeCursor(item: HistoryItem): string {
  return Buffer.from(JSON.stringify([item.at.toISOString(), `${item.kind}:${item.id}`]), 'utf8').toString('base64url')
}

/**
 * A customer's whole history across channels, newest first: the tickets they asked for (with
 * the channel), the messages they wrote, their calls, chat sessions and e-mails (from or to
 * their addresses, or on their tickets). Staff only; an agent sees entries of tickets inside
 * their ticket scope (entries tied to a ticket they cannot see are left out). Keyset-paged.
 */
export async function getCustomerHistory(deps: ServiceDeps, actor: Actor, customerId: string, input: { cursor?: string | undefined; limit?: number | undefined }): Promise<HistoryPage> {
  assertMayRead(actor, 'customers')
  const limit = Math.min(input.limit ?? 30, PAGE_SIZE_MAX)
  const after = input.cursor === undefined ? null : decodeCursor(input.cursor)
  return inTransaction(deps, async (trx) => {
    const customer = await trx.selectFrom('users').select(['id', 'roles', 'email']).where('id', '=', customerId).executeTakeFirst()
    if (customer === undefined || !(customer.roles.length === 1 && customer.roles[0] === 'customer')) {
      throw new AppError('NOT_FOUND', 'customer not found', [{ field: 'id', message: 'not found' }])
    }
    // Addresses of this record and of records merged into it that kept their own address.
    const addressRows = await trx.selectFrom('users').select('email').where((eb) => eb.or([eb('id', '=', customerId), eb('merged_into', '=', customerId)])).where('email', 'is not', null).execute()
    const addresses = addressRows.flatMap((row) => (row.email === null ? [] : [row.email]))
    const visible = scopeCondition(ticketScope(actor))
    const ticketVisible = (column: string) => sql`(${sql.ref(column)} IS NULL OR EXISTS (SELECT 1 FROM tickets WHERE tickets.id = ${sql.ref(column)} AND ${visible}))`
    const emailMatch =
      addresses.length > 0
        ? sql`(e.from_address = ANY(${sql.val(addresses)}::text[]) OR e.to_addresses && ${sql.val(addresses)}::text[] OR e.ticket_id IN (SELECT id FROM tickets WHERE requester_id = ${customerId}))`
        : sql`e.ticket_id IN (SELECT id FROM tickets WHERE requester_id = ${customerId})`
    const keyset = after === null ? sql`true` : sql`(h.at, h.key) < (${after.at}::timestamptz, ${after.key})`
    const { rows } = await sql<{ kind: HistoryKind; id: string; at: Date | string; channel: string; summary: string | null; detail: string | null; ticket_id: string | null; ticket_number: string | null }>`
      SELECT h.kind, h.id, h.at, h.channel, h.summary, h.detail, h.ticket_id, t.number AS ticket_number
      FROM (
        SELECT 'ticket' AS kind, tk.id::text AS id, tk.received_at AS at, tk.channel, tk.subject AS summary, tk.status AS detail, tk.id AS ticket_id, 'ticket:' || tk.id AS key
          FROM tickets tk WHERE tk.requester_id = ${customerId} AND ${ticketVisible('tk.id')}
        UNION ALL
        SELECT 'message', m.id::text, m.created_at, m.channel, left(m.body, 200), m.visibility, m.ticket_id, 'message:' || m.id
          FROM messages m WHERE m.author_id = ${customerId} AND ${ticketVisible('m.ticket_id')}
        UNION ALL
        SELECT 'call', c.id::text, c.started_at, 'phone', c.from_number || ' → ' || c.to_number, coalesce(c.outcome, c.status), c.ticket_id, 'call:' || c.id
          FROM calls c WHERE c.customer_id = ${customerId} AND ${ticketVisible('c.ticket_id')}
        UNION ALL
        SELECT 'chat', s.id::text, s.created_at, 'chat', coalesce(s.page_url, ''), s.status, s.ticket_id, 'chat:' || s.id
          FROM chat_sessions s WHERE s.customer_id = ${customerId} AND ${ticketVisible('s.ticket_id')}
        UNION ALL
        SELECT 'email', e.id::text, e.created_at, 'email', coalesce(e.subject, ''), e.direction || ' ' || e.outcome, e.ticket_id, 'email:' || e.id
          FROM email_messages e
          WHERE ${emailMatch} AND ${ticketVisible('e.ticket_id')}
            -- an e-mail the customer wrote that became a message is already listed as that message
            AND NOT EXISTS (SELECT 1 FROM messages mm WHERE mm.id = e.ticket_message_id AND mm.author_id = ${customerId})
      ) h
      LEFT JOIN tickets t ON t.id = h.ticket_id
      WHERE ${keyset}
      ORDER BY h.at DESC, h.key DESC
      LIMIT ${limit + 1}
    `.execute(trx)
    const items = rows.slice(0, limit).map(
      (row): HistoryItem => ({
        kind: row.kind,
        id: row.id,
        at: row.at instanceof Date ? row.at : new Date(row.at),
        channel: row.channel,
        summary: row.summary ?? '',
        detail: row.detail,
        ticketId: row.ticket_id,
        ticketNumber: row.ticket_number,
      }),
    )
    const last = items.at(-1)
    return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last) : null }
  })
}
