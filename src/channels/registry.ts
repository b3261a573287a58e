import { TICKET_EVENTS_TOPIC } from '../db/events.ts'
import { type OutboxHandlers, deliverNotification } from '../jobs/outbox-dispatcher.ts'
import type { ServiceDeps } from '../services/deps.ts'
import { EMAIL_TOPIC, emailDeliveryHandler } from './email/outbound-mail.ts'
import { customerUpdatesReactor } from './notices/customer-updates-reactor.ts'
import { SMS_TOPIC, smsDeliveryHandler } from './notices/sms.ts'
import { type TicketEventReactor, ticketEventsHandler } from './ticket-events.ts'
import { WEBHOOK_TOPIC, webhookDeliveryHandler } from './webhooks/deliver-webhook.ts'
import { outboundWebhookReactor } from './webhooks/outbound-reactor.ts'

/**
 * Where the channels plug in. Reactors hear every committed ticket event (outbound webhooks,
 * customer notices, e-mail replies); outbox handlers deliver what they queue, by topic.
 */
export function ticketEventReactors(_deps: ServiceDeps): TicketEventReactor[] {
  return [outboundWebhookReactor, customerUpdatesReactor]
}

export function outboxHandlers(deps: ServiceDeps): OutboxHandlers {
  return {
    notification: deliverNotification,
    [TICKET_EVENTS_TOPIC]: ticketEventsHandler(ticketEventReactors(deps)),
    [WEBHOOK_TOPIC]: webhookDeliveryHandler(),
    [EMAIL_TOPIC]: emailDeliveryHandler(),
    [SMS_TOPIC]: smsDeliveryHandler(),
  }
}
