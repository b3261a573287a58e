/**
 * The body of an outbound webhook, shaped as Standard Webhooks recommends:
 * `{ type, timestamp, data }`, where data holds the ticket as it is now and the event.
 */
export interface WebhookTicket {
  readonly id: string
  readonly number: string
  readonly subject: string
  readonly status: string
  readonly type: string
  readonly severity: string
  readonly channel: string
  readonly priorityScore: number
  readonly slaState: string | null
  readonly slaDueAt: string | null
  readonly requesterId: string
  readonly organisationId: string | null
  readonly ownerId: string | null
  readonly assigneeId: string | null
  readonly groupId: string | null
  readonly categoryId: string | null
  readonly tags: readonly string[]
  readonly receivedAt: string
  readonly createdAt: string
  readonly updatedAt: string
  readonly resolvedAt: string | null
  readonly closedAt: string | null
}

export interface WebhookEvent {
  readonly id: number
  readonly type: string
  readonly occurredAt: string
  readonly actorId: string
  readonly reason: string | null
  readonly data: Readonly<Record<string, unknown>>
}

export interface WebhookPayload {
  readonly type: string
  readonly timestamp: string
  readonly data: Readonly<Record<string, unknown>>
}

/** Event data that only repeats what `data.ticket` already says, or is internal bookkeeping. */
const REDUNDANT_EVENT_FIELDS = new Set(['ticket'])

/**
 * The payload for one ticket event. `extra` carries what a receiver needs beyond ids: the
 * requester's external identities (to route a reply back into an app), the message of a
 * `ticket.message_added`.
 */
export function shapeTicketEventPayload(ticket: WebhookTicket, event: WebhookEvent, extra: Readonly<Record<string, unknown>> = {}): WebhookPayload {
  const eventData = Object.fromEntries(Object.entries(event.data).filter(([key]) => !REDUNDANT_EVENT_FIELDS.has(key)))
  return {
    type: event.type,
    timestamp: event.occurredAt,
    data: {
      ticket,
      event: { id: String(event.id), type: event.type, occurredAt: event.occurredAt, actorId: event.actorId, reason: event.reason, data: eventData },
      ...extra,
    },
  }
}

/** The ping sent from the admin to check a receiver. */
export function shapePingPayload(subscriptionId: string, at: Date): WebhookPayload {
  return { type: 'webhook.ping', timestamp: at.toISOString(), data: { subscriptionId, message: 'Loopdesk webhook test' } }
}

export type ReceiverVerdict = 'delivered' | 'retry' | 'gone'

/**
 * What a receiver's HTTP status means: 2xx delivered; 410 Gone asks the sender to stop
 * (the subscription is switched off); anything else, redirects included, is retried.
 */
export function judgeReceiverStatus(status: number): ReceiverVerdict {
  if (status >= 200 && status < 300) return 'delivered'
  if (status === 410) return 'gone'
  return 'retry'
}

/** A delivery id usable as `webhook-id`: `msg_` and 32 hex digits. */
export function deliveryIdFrom(uuid: string): string {
  return `msg_${uuid.replaceAll('-', '')}`
}

/** Only http and https receivers, with a host and no credentials in the address. */
export function checkReceiverUrl(raw: string): string | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'not a valid URL'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https addresses are allowed'
  if (url.hostname === '') return 'the address has no host'
  if (url.username !== '' || url.password !== '') return 'put no credentials in the address; the signature authenticates the sender'
  return null
}
