import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Static, Type } from '@sinclair/typebox'
import { AppError } from '../../domain/shared/app-error.ts'
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhooks/event-types.ts'
import type { ServiceDeps } from '../../services/deps.ts'
import { createInboundSource, listInboundSources, rotateInboundSourceSecret, updateInboundSource } from '../../services/webhooks/inbound-sources.ts'
import { type InboundRequest, receiveInboundWebhook, verifyInboundRequest } from '../../services/webhooks/receive-inbound-webhook.ts'
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  listWebhookDeliveries,
  listWebhookSubscriptions,
  redeliverWebhook,
  rotateWebhookSecret,
  sendWebhookPing,
  updateWebhookSubscription,
} from '../../services/webhooks/webhook-subscriptions.ts'
import { actorOf } from '../auth.ts'
import { DateTime, Email, IdParams, Name, Nullable, Severity, StringEnum, TicketType, Uuid, errorResponses } from '../schemas.ts'
import { assertWellFormedText } from '../text-guard.ts'
import { fieldErrors, validatorCompiler } from '../validation.ts'

/** Largest inbound webhook body; larger ones are refused while still arriving. */
export const INBOUND_BODY_LIMIT_BYTES = 256 * 1024

const SOURCE_KINDS = ['app', 'wechat', 'other'] as const
const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'dead'] as const

const SourceKey = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$', description: 'the URL slug: lower-case letters, digits, dashes' })
const InboundSource = Type.Object({
  id: Uuid,
  key: Type.String(),
  name: Type.String(),
  kind: StringEnum(SOURCE_KINDS),
  toleranceSeconds: Type.Integer(),
  defaultGroupId: Nullable(Uuid),
  defaultType: Nullable(Type.String()),
  isActive: Type.Boolean(),
  previousSecretExpiresAt: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
})
const WithSecret = <T extends typeof InboundSource | typeof Subscription>(schema: T) =>
  Type.Composite([schema, Type.Object({ secret: Type.String({ description: 'shown this once: `whsec_` and the base64 key' }) })])
const SourceFields = {
  name: Type.Optional(Name(100)),
  kind: Type.Optional(StringEnum(SOURCE_KINDS)),
  toleranceSeconds: Type.Optional(Type.Integer({ minimum: 30, maximum: 3600, description: 'how far webhook-timestamp may be from now, either way' })),
  defaultGroupId: Type.Optional(Nullable(Uuid)),
  defaultType: Type.Optional(Nullable(TicketType)),
  isActive: Type.Optional(Type.Boolean()),
}

const EventPattern = Type.String({ minLength: 1, maxLength: 64, description: `an event type (${WEBHOOK_EVENT_TYPES.join(', ')}), a family such as ticket.*, or * for all` })
const Subscription = Type.Object({
  id: Uuid,
  name: Type.String(),
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  isActive: Type.Boolean(),
  previousSecretExpiresAt: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
})
const SubscriptionFields = {
  name: Type.Optional(Name(100)),
  url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'http or https' })),
  eventTypes: Type.Optional(Type.Array(EventPattern, { minItems: 1, maxItems: 50 })),
  isActive: Type.Optional(Type.Boolean()),
}
const Attempt = Type.Object({ attemptedAt: DateTime, statusCode: Nullable(Type.Integer()), error: Nullable(Type.String()), durationMs: Type.Integer() })
const Delivery = Type.Object({
  id: Type.String(),
  subscriptionId: Uuid,
  eventType: Type.String(),
  eventId: Nullable(Type.String()),
  status: StringEnum(DELIVERY_STATUSES),
  attempts: Type.Integer(),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  lastAttemptAt: Nullable(DateTime),
  deliveredAt: Nullable(DateTime),
  createdAt: DateTime,
  payload: Type.Unknown(),
  attemptLog: Type.Array(Attempt),
})

/** The body an app or WeChat bridge sends, checked only after its signature. */
export const InboundBody = Type.Object(
  {
    type: StringEnum(['ticket.create', 'message.create'] as const),
    customer: Type.Object(
      {
        externalId: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
        name: Type.Optional(Name(200)),
        email: Type.Optional(Email),
        phone: Type.Optional(Type.String({ minLength: 3, maxLength: 40 })),
        locale: Type.Optional(StringEnum(['zh-CN', 'en'] as const)),
      },
      { additionalProperties: false },
    ),
    ticket: Type.Optional(
      Type.Object(
        {
          subject: Name(200),
          description: Type.String({ minLength: 1, maxLength: 50_000 }),
          type: Type.Optional(TicketType),
          severity: Type.Optional(Severity),
          categoryId: Type.Optional(Uuid),
        },
        { additionalProperties: false },
      ),
    ),
    ticketId: Type.Optional(Uuid),
    ticketNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    message: Type.Optional(
      Type.Object({ id: Type.String({ minLength: 1, maxLength: 200, description: "the app's own message id (deduplicated)" }), text: Type.String({ minLength: 1, maxLength: 50_000, pattern: '\\S' }) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
)
const checkInboundBody = validatorCompiler({ schema: InboundBody, httpPart: 'body', method: 'POST', url: '/inbound' }) as ((value: unknown) => boolean) & { errors?: unknown[] | null }

/** A raw request body kept as bytes; its bytes are not enumerable, so generic body walkers skip them. */
class RawBody {
  readonly #bytes: Buffer
  constructor(bytes: Buffer) {
    this.#bytes = bytes
  }
  get bytes(): Buffer {
    return this.#bytes
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function parseInbound(raw: Buffer): InboundRequest {
  let parsed: unknown
  try {
    parsed = JSON.parse(raw.toString('utf8'))
  } catch (error) {
    throw new AppError('MALFORMED_JSON', 'the request body is not valid JSON', [{ field: '(body)', message: (error as Error).message }])
  }
  assertWellFormedText(parsed)
  if (!checkInboundBody(parsed)) {
    const fields = fieldErrors(checkInboundBody.errors ?? [])
    throw new AppError('VALIDATION', `invalid body: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`, fields)
  }
  const body = parsed as Static<typeof InboundBody>
  if (body.type === 'ticket.create' && body.ticket === undefined) throw new AppError('VALIDATION', 'ticket.create needs a ticket', [{ field: 'ticket', message: 'required' }])
  if (body.type === 'message.create') {
    if (body.message === undefined) throw new AppError('VALIDATION', 'message.create needs a message', [{ field: 'message', message: 'required' }])
    if (body.ticketId === undefined && body.ticketNumber === undefined) throw new AppError('VALIDATION', 'message.create needs ticketId or ticketNumber', [{ field: 'ticketId', message: 'required' }])
  }
  return body as InboundRequest
}

/** Inbound webhooks from apps and WeChat bridges, and the administration of inbound sources and outbound webhooks. */
export function webhooksRoutes(deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    // The public endpoint lives in its own context: its JSON arrives as raw bytes, since the signature covers the exact bytes sent.
    const inboundPlugin: FastifyPluginAsyncTypebox = async (inbound) => {
      inbound.removeAllContentTypeParsers()
      inbound.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: INBOUND_BODY_LIMIT_BYTES }, (_request, body, done) => {
        done(null, new RawBody(body as Buffer))
      })
      inbound.post(
        '/inbound/:sourceKey',
        {
          config: { access: 'public' },
          bodyLimit: INBOUND_BODY_LIMIT_BYTES,
          schema: {
            tags: ['webhooks'],
            summary: 'Receive a request from an app or WeChat bridge',
            description:
              'Signed as Standard Webhooks describes: `webhook-id`, `webhook-timestamp` (seconds), `webhook-signature` (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body` with the source secret). `Idempotency-Key` is required: the same key and body answer as the first time (with `Idempotent-Replayed: true`). The body (JSON) is checked only after the signature.',
            params: Type.Object({ sourceKey: SourceKey }, { additionalProperties: false }),
            headers: Type.Object({
              'webhook-id': Type.Optional(Type.String()),
              'webhook-timestamp': Type.Optional(Type.String()),
              'webhook-signature': Type.Optional(Type.String()),
              'idempotency-key': Type.Optional(Type.String()),
            }),
            security: [],
            response: { 200: Type.Unknown(), 201: Type.Unknown(), 401: errorResponses[401], 404: errorResponses[404], 409: errorResponses[409], 400: errorResponses[400], 413: errorResponses[413], 415: errorResponses[415], 422: errorResponses[422] },
          },
        },
        async (request, reply) => {
          const raw = request.body instanceof RawBody ? request.body.bytes : Buffer.alloc(0)
          const verified = await verifyInboundRequest(
            deps,
            request.params.sourceKey,
            {
              webhookId: header(request.headers['webhook-id']),
              webhookTimestamp: header(request.headers['webhook-timestamp']),
              webhookSignature: header(request.headers['webhook-signature']),
              idempotencyKey: header(request.headers['idempotency-key']),
            },
            raw,
          )
          const result = await receiveInboundWebhook(deps, verified, parseInbound(raw))
          if (result.replayed) reply.header('idempotent-replayed', 'true')
          return reply.status(result.status === 200 ? 200 : 201).send(result.body)
        },
      )
    }
    await app.register(inboundPlugin)

    const tags = ['webhooks']
    app.get('/admin/inbound-sources', { schema: { tags, summary: 'Inbound sources (apps, WeChat bridges)', response: { 200: Type.Object({ items: Type.Array(InboundSource) }), ...errorResponses } } }, async (request) => ({
      items: await listInboundSources(deps, actorOf(request)),
    }))
    app.post(
      '/admin/inbound-sources',
      {
        schema: {
          tags,
          summary: 'Register an inbound source; its secret is in this answer only',
          body: Type.Object({ ...SourceFields, key: SourceKey, name: Name(100), kind: StringEnum(SOURCE_KINDS) }, { additionalProperties: false }),
          response: { 201: WithSecret(InboundSource), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { defaultType, ...rest } = request.body
        return reply.status(201).send(await createInboundSource(deps, actorOf(request), { ...rest, ...(defaultType !== undefined ? { defaultType } : {}) }))
      },
    )
    app.patch(
      '/admin/inbound-sources/:id',
      { schema: { tags, params: IdParams, body: Type.Object(SourceFields, { additionalProperties: false, minProperties: 1 }), response: { 200: InboundSource, ...errorResponses } } },
      async (request) => updateInboundSource(deps, actorOf(request), request.params.id, request.body),
    )
    app.post(
      '/admin/inbound-sources/:id/rotate-secret',
      { schema: { tags, summary: 'A new secret (in this answer only); the old one is accepted for 24 h more', params: IdParams, response: { 200: WithSecret(InboundSource), ...errorResponses } } },
      async (request) => rotateInboundSourceSecret(deps, actorOf(request), request.params.id),
    )

    app.get(
      '/admin/webhooks',
      { schema: { tags, summary: 'Outbound webhook subscriptions and the event types on offer', response: { 200: Type.Object({ items: Type.Array(Subscription), eventTypes: Type.Array(Type.String()) }), ...errorResponses } } },
      async (request) => ({ items: await listWebhookSubscriptions(deps, actorOf(request)), eventTypes: [...WEBHOOK_EVENT_TYPES] }),
    )
    app.post(
      '/admin/webhooks',
      {
        schema: {
          tags,
          summary: 'Subscribe a receiver to ticket events; its signing secret is in this answer only',
          body: Type.Object(
            { name: Name(100), url: Type.String({ minLength: 1, maxLength: 2000 }), eventTypes: Type.Array(EventPattern, { minItems: 1, maxItems: 50 }), isActive: Type.Optional(Type.Boolean()) },
            { additionalProperties: false },
          ),
          response: { 201: WithSecret(Subscription), ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await createWebhookSubscription(deps, actorOf(request), request.body)),
    )
    app.patch(
      '/admin/webhooks/:id',
      { schema: { tags, params: IdParams, body: Type.Object(SubscriptionFields, { additionalProperties: false, minProperties: 1 }), response: { 200: Subscription, ...errorResponses } } },
      async (request) => updateWebhookSubscription(deps, actorOf(request), request.params.id, request.body),
    )
    app.delete('/admin/webhooks/:id', { schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
      await deleteWebhookSubscription(deps, actorOf(request), request.params.id)
      return reply.status(204).send(null)
    })
    app.post(
      '/admin/webhooks/:id/rotate-secret',
      { schema: { tags, summary: 'A new secret (in this answer only); for 24 h webhooks carry signatures with both', params: IdParams, response: { 200: WithSecret(Subscription), ...errorResponses } } },
      async (request) => rotateWebhookSecret(deps, actorOf(request), request.params.id),
    )
    app.post(
      '/admin/webhooks/:id/test',
      { schema: { tags, summary: 'Send a webhook.ping now and report the answer', params: IdParams, response: { 200: Delivery, ...errorResponses } } },
      async (request) => sendWebhookPing(deps, actorOf(request), request.params.id),
    )
    app.get(
      '/admin/webhooks/:id/deliveries',
      {
        schema: {
          tags,
          summary: 'Delivery log of a subscription, newest first, with every attempt',
          params: IdParams,
          querystring: Type.Object({ status: Type.Optional(StringEnum(DELIVERY_STATUSES)), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }, { additionalProperties: false }),
          response: { 200: Type.Object({ items: Type.Array(Delivery) }), ...errorResponses },
        },
      },
      async (request) => ({ items: await listWebhookDeliveries(deps, actorOf(request), request.params.id, { limit: request.query.limit ?? 50, status: request.query.status }) }),
    )
    app.post(
      '/admin/webhook-deliveries/:id/redeliver',
      {
        schema: {
          tags,
          summary: 'Send a delivered or given-up delivery again (same webhook-id and payload)',
          params: Type.Object({ id: Type.String({ pattern: '^msg_[0-9a-f]{32}$' }) }, { additionalProperties: false }),
          response: { 202: Delivery, ...errorResponses },
        },
      },
      async (request, reply) => reply.status(202).send(await redeliverWebhook(deps, actorOf(request), request.params.id)),
    )
  }
}
