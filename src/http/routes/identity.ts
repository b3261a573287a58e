import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { UserRow } from '../../db/schema.ts'
import type { ServiceDeps } from '../../services/deps.ts'
import { getCustomerHistory } from '../../services/people/customer-history.ts'
import { type MergeView, findCustomerDuplicates, listCustomerIdentities, listCustomerMerges, mergeCustomers, undoCustomerMerge } from '../../services/people/merge-customers.ts'
import { actorOf } from '../auth.ts'
import { DateTime, IdParams, Nullable, StringEnum, Uuid, errorResponses } from '../schemas.ts'

const CustomerBrief = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  organisationId: Nullable(Uuid),
  isActive: Type.Boolean(),
  createdAt: DateTime,
})

const Duplicate = Type.Object({
  customer: CustomerBrief,
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  reasons: Type.Array(
    Type.Object({
      code: StringEnum(['seen_together', 'same_phone', 'email_variant', 'same_email_name', 'same_name_same_organisation', 'same_name', 'similar_name'] as const),
      evidence: Type.String(),
      weight: Type.Integer(),
    }),
  ),
})

const Moved = Type.Object({
  tickets: Type.Array(Uuid),
  messages: Type.Array(Uuid),
  chatSessions: Type.Array(Uuid),
  calls: Type.Array(Uuid),
  callbackTasks: Type.Array(Uuid),
  identities: Type.Array(Type.Object({ source: Type.String(), externalId: Type.String() })),
  watchersMoved: Type.Array(Uuid),
  watchersDropped: Type.Array(Uuid),
  contactPoints: Type.Object({
    email: Type.Optional(Type.String()),
    phone: Type.Optional(Type.String()),
    wechat_open_id: Type.Optional(Type.String()),
    app_user_id: Type.Optional(Type.String()),
  }),
  organisationId: Nullable(Uuid),
  wasActive: Type.Boolean(),
})

const Merge = Type.Object({
  id: Uuid,
  survivorId: Uuid,
  survivorName: Type.String(),
  mergedId: Uuid,
  mergedName: Type.String(),
  moved: Moved,
  mergedBy: Uuid,
  mergedAt: DateTime,
  undoneBy: Nullable(Uuid),
  undoneAt: Nullable(DateTime),
  notRestored: Type.Optional(Type.Array(Type.String(), { description: 'contact points that could not go back (someone holds them now)' })),
})

const HistoryItem = Type.Object({
  kind: StringEnum(['ticket', 'message', 'call', 'chat', 'email'] as const),
  id: Type.String(),
  at: DateTime,
  channel: Type.String(),
  summary: Type.String(),
  detail: Nullable(Type.String()),
  ticketId: Nullable(Uuid),
  ticketNumber: Nullable(Type.String()),
})

const Identity = Type.Object({ source: Type.String(), externalId: Type.String(), createdAt: DateTime })

function presentBrief(row: UserRow) {
  return {
    id: row.id, name: row.name, email: row.email, phone: row.phone, organisationId: row.organisation_id, isActive: row.is_active, createdAt: row.created_at.toISOString(),
  }
}

function presentMerge(view: MergeView & { notRestored?: string[] }) {
  return {
    id: view.id,
    survivorId: view.survivor_id,
    survivorName: view.survivor_name,
    mergedId: view.merged_id,
    mergedName: view.merged_name,
    moved: view.moved,
    mergedBy: view.merged_by,
    mergedAt: view.merged_at.toISOString(),
    undoneBy: view.undone_by,
    undoneAt: view.undone_at === null ? null : view.undone_at.toISOString(),
    ...(view.notRestored !== undefined ? { notRestored: view.notRestored } : {}),
  }
}

/** One customer across channels: identities, duplicates, merge and undo, the whole history. */
export function identityRoutes(deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/customers/:id/duplicates',
      { schema: { tags: ['customers'], summary: 'Likely duplicates of a customer, with the reasons', params: IdParams, response: { 200: Type.Object({ items: Type.Array(Duplicate) }), ...errorResponses } } },
      async (request) => {
        const items = await findCustomerDuplicates(deps, actorOf(request), request.params.id)
        return { items: items.map((item) => ({ customer: presentBrief(item.customer), score: item.score, reasons: [...item.reasons] })) }
      },
    )
    app.get(
      '/customers/:id/identities',
      { schema: { tags: ['customers'], summary: 'External ids the customer is known by (app, WeChat, chat visitor)', params: IdParams, response: { 200: Type.Object({ items: Type.Array(Identity) }), ...errorResponses } } },
      async (request) => {
        const rows = await listCustomerIdentities(deps, actorOf(request), request.params.id)
        return { items: rows.map((row) => ({ source: row.source, externalId: row.external_id, createdAt: row.created_at.toISOString() })) }
      },
    )
    app.post(
      '/customers/:id/merge',
      {
        schema: {
          tags: ['customers'],
          summary: 'Merge another customer record into this one (undoable)',
          params: IdParams,
          body: Type.Object({ mergeId: Uuid, force: Type.Optional(Type.Boolean({ description: 'merge across two different organisations' })) }, { additionalProperties: false }),
          response: { 201: Merge, ...errorResponses },
        },
      },
      async (request, reply) => {
        const merge = await mergeCustomers(deps, actorOf(request), request.params.id, request.body)
        return reply.status(201).send(presentMerge(merge))
      },
    )
    app.get(
      '/customers/:id/merges',
      { schema: { tags: ['customers'], summary: 'Merges this customer took part in, newest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(Merge) }), ...errorResponses } } },
      async (request) => ({ items: (await listCustomerMerges(deps, actorOf(request), request.params.id)).map(presentMerge) }),
    )
    app.post(
      '/customer-merges/:id/undo',
      { schema: { tags: ['customers'], summary: 'Undo a merge: moves back exactly what it moved', params: IdParams, response: { 200: Merge, ...errorResponses } } },
      async (request) => presentMerge(await undoCustomerMerge(deps, actorOf(request), request.params.id)),
    )
    app.get(
      '/customers/:id/history',
      {
        schema: {
          tags: ['customers'],
          summary: "The customer's history across channels, newest first",
          params: IdParams,
          querystring: Type.Object(
            { cursor: Type.Optional(Type.String({ maxLength: 300 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(HistoryItem), nextCursor: Nullable(Type.String()) }), ...errorResponses },
        },
      },
      async (request) => {
        const page = await getCustomerHistory(deps, actorOf(request), request.params.id, request.query)
        return { items: page.items.map((item) => ({ ...item, at: item.at.toISOString() })), nextCursor: page.nextCursor }
      },
    )
  }
}
