/**
 * Ticket events a subscription may ask for: the types the ticket and SLA use cases write.
 * `*` asks for all of them; `ticket.*` style patterns ask for a family.
 */
export const WEBHOOK_EVENT_TYPES = [
  'ticket.created',
  'ticket.updated',
  'ticket.message_added',
  'ticket.accepted',
  'ticket.started',
  'ticket.waiting_on_customer',
  'ticket.resolved',
  'ticket.closed',
  'ticket.reopened',
  'ticket.transferred',
  'ticket.assigned',
  'ticket.escalated',
  'ticket.sla_warning',
  'ticket.sla_breached',
  'ticket.sla_updated',
] as const

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]

/** The type of the ping sent by "test" in the admin; never matched by subscriptions. */
export const PING_EVENT_TYPE = 'webhook.ping'

/** Whether a pattern (`*`, `ticket.*`, or an event type) names a known event type or family. */
export function isValidEventPattern(pattern: string): boolean {
  if (pattern === '*') return true
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -1)
    return WEBHOOK_EVENT_TYPES.some((type) => type.startsWith(prefix))
  }
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(pattern)
}

/** Whether a subscription with these patterns wants an event of this type. */
export function subscriptionWants(patterns: readonly string[], eventType: string): boolean {
  if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(eventType)) return false
  return patterns.some((pattern) => pattern === '*' || pattern === eventType || (pattern.endsWith('.*') && eventType.startsWith(pattern.slice(0, -1))))
}
