import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { ServiceDeps } from '../../services/deps.ts'
import { listOutboxMessages, retryOutboxMessageNow } from '../../services/outbox/outbox-admin.ts'
import { actorOf } from '../auth.ts'
import { DateTime, Nullable, StringEnum, errorResponses } from '../schemas.ts'

const STATES = ['dead', 'pending', 'delivered'] as const

const OutboxMessage = Type.Object({
  id: Type.Integer(),
  topic: Type.String({ description: 'email, sms, webhook, ticket-events, notification …' }),
  state: StringEnum(STATES),
  inFlight: Type.Boolean({ description: 'a dispatcher is delivering it right now' }),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  orderingKey: Nullable(Type.String()),
  ticketId: Nullable(Type.String()),
  recipient: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  createdAt: DateTime,
  availableAt: DateTime,
  deliveredAt: Nullable(DateTime),
  deadAt: Nullable(DateTime),
})

const OutboxIdParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,14}$', description: 'the outbox message id' }) }, { additionalProperties: false })

/** The outbox as administrators see it: dead letters, waiting and delivered messages, and a retry. */
export function outboxRoutes(deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['outbox']
    app.get(
      '/admin/outbox',
      {
        schema: {
          tags,
          summary: 'Outbox messages by state (dead letters first of interest); administrators only',
          querystring: Type.Object(
            {
              state: Type.Optional(StringEnum(STATES, { default: 'dead' })),
              topic: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9._-]+$' })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(OutboxMessage) }), ...errorResponses },
        },
      },
      async (request) => ({
        items: await listOutboxMessages(deps, actorOf(request), { state: request.query.state ?? 'dead', topic: request.query.topic, limit: request.query.limit }),
      }),
    )
    app.post(
      '/admin/outbox/:id/retry',
      {
        schema: {
          tags,
          summary: 'Send a dead or waiting message again now (refused while delivered or in flight)',
          params: OutboxIdParams,
          response: { 200: OutboxMessage, ...errorResponses },
        },
      },
      async (request) => retryOutboxMessageNow(deps, actorOf(request), Number(request.params.id)),
    )
  }
}
