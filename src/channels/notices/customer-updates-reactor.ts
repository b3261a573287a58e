import { sql } from 'kysely'
import { v4 as uuidv4 } from 'uuid'
import { NOTICE_EVENT_TYPES, type PlannedUpdate, type UpdateEvent, planCustomerUpdates } from '../../domain/notices/customer-updates.ts'
import { noticeLocale, portalLink, renderNoticeEmail, renderNoticeSms, renderReplyEmail } from '../../domain/notices/templates.ts'
import { ownMessageId } from '../../domain/notices/threading.ts'
import type { Db } from '../../db/connection.ts'
import { type OutboxMessage, enqueue } from '../../db/outbox.ts'
import type { EventRow, TicketRow } from '../../db/schema.ts'
import { EMAIL_TOPIC, type EmailPayload } from '../email/outbound-mail.ts'
import type { TicketEventReactor } from '../ticket-events.ts'
import { SMS_TOPIC, type SmsPayload } from './sms.ts'

const MESSAGE_ADDED = 'ticket.message_added'
const WATCHED_TYPES: readonly string[] = [MESSAGE_ADDED, ...NOTICE_EVENT_TYPES]

/** Ordering key of all e-mail about one ticket: replies and notices leave in the order they were decided. */
export function mailOrderingKey(ticketId: string): string {
  return `mail:ticket:${ticketId}`
}

/**
 * Turns committed ticket events into messages to the customer (see `planCustomerUpdates`
 * for the rules): agents' public replies by e-mail, progress notices by e-mail or SMS. Each
 * is rendered in the customer's language and queued with a dedupe key, so an event that is
 * reacted to twice still sends one message.
 */
export const customerUpdatesReactor: TicketEventReactor = async (trx, ticket, events, { deps, now }) => {
  const watched = events.filter((event) => WATCHED_TYPES.includes(event.type))
  if (watched.length === 0) return
  const requester = await trx
    .selectFrom('users')
    .select(['id', 'name', 'email', 'phone', 'locale', 'preferred_channel'])
    .where('id', '=', ticket.requester_id)
    .executeTakeFirst()
  if (requester === undefined) return
  // Events written by one transaction share its id (xmin): that is what makes a reply and a status change one action.
  const transactionOf = sql<string>`events.xmin::text`
  const batch = await trx.selectFrom('events').select(['id', transactionOf.as('tx')]).where('id', 'in', watched.map((event) => event.id)).execute()
  const transactions = new Map(batch.map((row) => [String(row.id), row.tx]))
  const related = await trx
    .selectFrom('events')
    .selectAll()
    .select(transactionOf.as('tx'))
    .where('ticket_id', '=', ticket.id)
    .where(transactionOf, 'in', [...new Set(transactions.values())])
    .where('type', 'in', WATCHED_TYPES)
    .execute()
  for (const row of related) transactions.set(String(row.id), row.tx)
  const messages = await messagesOf(trx, [...watched, ...related], requester.id)
  const toUpdateEvent = (event: EventRow): UpdateEvent => {
    const messageId = messageIdOf(event)
    const message = messageId === null ? undefined : messages.get(messageId)
    return { id: Number(event.id), type: event.type, actorId: event.actor_id, transaction: transactions.get(String(event.id)) ?? `event:${event.id}`, message }
  }
  const plans = planCustomerUpdates({
    ticket: { channel: ticket.channel },
    requester: { id: requester.id, email: requester.email, phone: requester.phone, preferredChannel: requester.preferred_channel },
    events: watched.map(toUpdateEvent),
    related: related.map(toUpdateEvent),
    smsAvailable: deps.config.smsUrl !== undefined,
    emailAvailable: deps.config.smtpUrl !== undefined,
  })
  if (plans.length === 0) return
  const locale = noticeLocale(requester.locale)
  const portalUrl = portalLink(deps.config.publicUrl, ticket.id)
  const byId = new Map(watched.map((event) => [Number(event.id), event]))
  const outgoing: OutboxMessage[] = []
  for (const plan of plans) {
    const event = byId.get(plan.eventId)
    if (event === undefined) continue
    outgoing.push(renderPlan(plan, { ticket, requester, locale, portalUrl, event, messages, mailFrom: deps.config.mailFrom }))
  }
  await enqueue(trx, outgoing, now)
}

interface LoadedMessage {
  readonly id: string
  readonly visibility: string
  readonly channel: string
  readonly authorIsStaff: boolean
  readonly body: string
  readonly authorName: string | null
}

function renderPlan(
  plan: PlannedUpdate,
  context: {
    ticket: TicketRow
    requester: { name: string; email: string | null; phone: string | null }
    locale: ReturnType<typeof noticeLocale>
    portalUrl: string | null
    event: EventRow
    messages: ReadonlyMap<string, LoadedMessage>
    mailFrom: string
  },
): OutboxMessage {
  const { ticket, requester, locale, portalUrl, event } = context
  const templateTicket = { number: ticket.number, subject: ticket.subject }
  if (plan.channel === 'sms') {
    const payload: SmsPayload = { ticketId: ticket.id, eventId: plan.eventId, to: requester.phone ?? '', text: renderNoticeSms({ locale, ticketNumber: ticket.number, statusEvent: plan.statusEvent, portalUrl }) }
    return { topic: SMS_TOPIC, payload, orderingKey: `sms:ticket:${ticket.id}`, dedupeKey: `sms:event:${plan.eventId}` }
  }
  const to = { name: requester.name, address: requester.email ?? '' }
  const messageId = ownMessageId(uuidv4(), context.mailFrom)
  if (plan.kind === 'reply') {
    const message = context.messages.get(plan.messageId)
    const rendered = renderReplyEmail({ locale, ticket: templateTicket, body: message?.body ?? '', agentName: message?.authorName ?? null, statusEvent: plan.statusEvent, portalUrl })
    const payload: EmailPayload = { kind: 'reply', ticketId: ticket.id, ticketMessageId: plan.messageId, eventId: plan.eventId, messageId, to, ...rendered, ticketNumber: ticket.number, automatic: false }
    return { topic: EMAIL_TOPIC, payload, orderingKey: mailOrderingKey(ticket.id), dedupeKey: `mail:message:${plan.messageId}` }
  }
  const rendered = renderNoticeEmail({ locale, ticket: templateTicket, statusEvent: plan.statusEvent, customerName: requester.name, reason: event.reason, portalUrl })
  const payload: EmailPayload = { kind: 'notice', ticketId: ticket.id, ticketMessageId: null, eventId: plan.eventId, messageId, to, ...rendered, ticketNumber: ticket.number, automatic: true }
  return { topic: EMAIL_TOPIC, payload, orderingKey: mailOrderingKey(ticket.id), dedupeKey: `mail:event:${plan.eventId}` }
}

function messageIdOf(event: EventRow): string | null {
  if (event.type !== MESSAGE_ADDED) return null
  const id = (event.data as { messageId?: unknown } | null)?.messageId
  return typeof id === 'string' ? id : null
}

/** The messages the events name, with whether a staff member (not the requester) wrote them. */
async function messagesOf(trx: Db, events: readonly EventRow[], requesterId: string): Promise<Map<string, LoadedMessage>> {
  const ids = [...new Set(events.map(messageIdOf).filter((id): id is string => id !== null))]
  if (ids.length === 0) return new Map()
  const rows = await trx
    .selectFrom('messages')
    .leftJoin('users', 'users.id', 'messages.author_id')
    .select(['messages.id', 'messages.visibility', 'messages.channel', 'messages.body', 'messages.author_id', 'users.name as author_name', 'users.roles as author_roles'])
    .where('messages.id', 'in', ids)
    .execute()
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        visibility: row.visibility,
        channel: row.channel,
        body: row.body,
        authorName: row.author_name,
        // The system actor has no user row; it speaks for the desk. A staff member who is the requester is the customer here.
        authorIsStaff: row.author_id !== requesterId && (row.author_roles === null || row.author_roles.some((role) => role !== 'customer')),
      },
    ]),
  )
}
