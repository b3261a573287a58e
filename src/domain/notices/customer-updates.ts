/**
 * Which messages a customer gets when their ticket changes: agents' public replies by
 * e-mail, and progress notices on status changes through the customer's preferred channel.
 * Pure: the reactor loads the facts, this decides.
 */

/** Status events a customer hears about, and `ticket.created` as the acknowledgement with the number. */
export const NOTICE_EVENT_TYPES = ['ticket.created', 'ticket.accepted', 'ticket.waiting_on_customer', 'ticket.resolved', 'ticket.closed', 'ticket.reopened'] as const
export type NoticeEventType = (typeof NOTICE_EVENT_TYPES)[number]

export function isNoticeEvent(type: string): type is NoticeEventType {
  return (NOTICE_EVENT_TYPES as readonly string[]).includes(type)
}

export interface UpdateRequester {
  readonly id: string
  readonly email: string | null
  readonly phone: string | null
  /** 'email' | 'sms' | 'none' */
  readonly preferredChannel: string
}

export interface UpdateTicket {
  readonly channel: string
}

/** A ticket event as the planner sees it. */
export interface UpdateEvent {
  readonly id: number
  readonly type: string
  readonly actorId: string
  /** The transaction that recorded the event: events of one action share it. */
  readonly transaction: string
  /** For `ticket.message_added`: the message. */
  readonly message?: { readonly id: string; readonly visibility: string; readonly channel: string; readonly authorIsStaff: boolean } | undefined
}

export type PlannedUpdate =
  | { readonly kind: 'reply'; readonly channel: 'email'; readonly eventId: number; readonly messageId: string; readonly statusEvent: NoticeEventType | null }
  | { readonly kind: 'notice'; readonly channel: 'email' | 'sms'; readonly eventId: number; readonly statusEvent: NoticeEventType }

/** Channels where an agent's reply already reaches the customer live; no e-mail copy of those. */
const LIVE_CHANNELS: readonly string[] = ['chat']

/**
 * Whether an agent's public reply goes out by e-mail: the requester has an address, the
 * reply was not typed into a live chat, and either the ticket came in by e-mail (whoever
 * writes to us by e-mail gets the answer by e-mail, whatever their notice preference) or
 * the customer prefers e-mail.
 */
export function repliesByEmail(ticket: UpdateTicket, requester: UpdateRequester, message: NonNullable<UpdateEvent['message']>, emailAvailable = true): boolean {
  if (!emailAvailable || requester.email === null || message.visibility !== 'public' || !message.authorIsStaff) return false
  if (LIVE_CHANNELS.includes(message.channel)) return false
  return ticket.channel === 'email' || requester.preferredChannel === 'email'
}

/**
 * The channel of a progress notice: the preferred one when it can reach the customer (an
 * address, and a configured relay or gateway), otherwise e-mail when there is an address and
 * a relay; 'none' means no notices at all.
 */
export function noticeChannel(requester: UpdateRequester, available: { readonly sms: boolean; readonly email: boolean }): 'email' | 'sms' | null {
  if (requester.preferredChannel === 'none') return null
  if (requester.preferredChannel === 'sms' && requester.phone !== null && available.sms) return 'sms'
  return requester.email !== null && available.email ? 'email' : null
}

/**
 * Plans the customer messages for a batch of events. `related` holds the ticket's other
 * events of the same transactions (a reply and a lifecycle step taken in one action are
 * recorded in one transaction, though they may arrive in separate batches). Rules:
 * - nothing goes by e-mail without an SMTP relay (`SMTP_URL`), nor by SMS without a gateway:
 *   a desk that has not set up mail does not pile up messages to send the day it does;
 * - a staff public reply → one e-mail (see `repliesByEmail`), naming a status change of the same action;
 * - a status change → a notice, unless a reply e-mail of the same action carries it,
 *   or the requester did it themselves (they know; the acknowledgement of a new ticket excepted).
 */
export function planCustomerUpdates(input: {
  readonly ticket: UpdateTicket
  readonly requester: UpdateRequester
  readonly events: readonly UpdateEvent[]
  readonly related: readonly UpdateEvent[]
  readonly smsAvailable: boolean
  readonly emailAvailable: boolean
}): PlannedUpdate[] {
  const { ticket, requester } = input
  const all = [...input.events, ...input.related.filter((other) => !input.events.some((event) => event.id === other.id))]
  const sameAction = (a: UpdateEvent, b: UpdateEvent) => a.transaction === b.transaction
  const emailedReply = (event: UpdateEvent) => event.type === 'ticket.message_added' && event.message !== undefined && repliesByEmail(ticket, requester, event.message, input.emailAvailable)
  const plans: PlannedUpdate[] = []
  for (const event of input.events) {
    if (emailedReply(event) && event.message !== undefined) {
      const status = [...all].reverse().find((other) => isNoticeEvent(other.type) && other.type !== 'ticket.created' && sameAction(other, event))
      plans.push({ kind: 'reply', channel: 'email', eventId: event.id, messageId: event.message.id, statusEvent: status !== undefined && isNoticeEvent(status.type) ? status.type : null })
      continue
    }
    if (!isNoticeEvent(event.type)) continue
    if (event.type !== 'ticket.created' && event.actorId === requester.id) continue
    if (event.type !== 'ticket.created' && all.some((other) => emailedReply(other) && sameAction(other, event))) continue
    const channel = noticeChannel(requester, { sms: input.smsAvailable, email: input.emailAvailable })
    if (channel !== null) plans.push({ kind: 'notice', channel, eventId: event.id, statusEvent: event.type })
  }
  return plans
}
