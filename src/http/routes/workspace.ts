import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { ServiceDeps } from '../../services/deps.ts'
import { createSavedView, deleteSavedView, listSavedViews } from '../../services/people/saved-views.ts'
import { getAgentLoad, getQueueCounts } from '../../services/tickets/queue-overview.ts'
import { BULK_TRANSFER_LIMIT, transferTickets } from '../../services/tickets/transfer-ticket.ts'
import { actorOf } from '../auth.ts'
import { presentTicket } from '../presenters/present.ts'
import { DateTime, IdParams, Name, Nullable, Ticket, Tier, Uuid, errorResponses } from '../schemas.ts'

const SavedView = Type.Object({ id: Uuid, name: Type.String(), query: Type.String(), createdAt: DateTime })

/** What the agent workspace and the supervisor view need beyond single tickets. */
export function workspaceRoutes(deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/tickets/counts',
      {
        schema: {
          tags: ['tickets'],
          summary: 'Open tickets in each of the caller’s queues',
          response: {
            200: Type.Object({
              mine: Type.Integer(),
              myGroups: Type.Integer(),
              unassigned: Type.Integer(),
              allOpen: Type.Integer(),
              chats: Type.Object(
                { mine: Type.Integer(), myGroups: Type.Integer(), unassigned: Type.Integer(), allOpen: Type.Integer() },
                { description: 'of each queue, the open tickets that came in by web chat' },
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => getQueueCounts(deps, actorOf(request)),
    )

    app.post(
      '/tickets/bulk-transfer',
      {
        schema: {
          tags: ['tickets'],
          summary: 'Transfer many tickets at once (all or none)',
          body: Type.Object(
            {
              ticketIds: Type.Array(Uuid, { minItems: 1, maxItems: BULK_TRANSFER_LIMIT }),
              assigneeId: Type.Optional(Nullable(Uuid)),
              groupId: Type.Optional(Nullable(Uuid)),
              reason: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' }),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(Ticket) }), ...errorResponses },
        },
      },
      async (request) => {
        const actor = actorOf(request)
        const { ticketIds, ...input } = request.body
        const views = await transferTickets(deps, actor, ticketIds, input)
        return { items: views.map((view) => presentTicket(view, actor)) }
      },
    )

    app.get(
      '/reports/agent-load',
      {
        schema: {
          tags: ['reports'],
          summary: 'Open tickets per agent (supervisors and managers)',
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  agentId: Uuid,
                  name: Type.String(),
                  tier: Nullable(Tier),
                  open: Type.Integer(),
                  notStarted: Type.Integer(),
                  inProgress: Type.Integer(),
                  waiting: Type.Integer(),
                  oldestReceivedAt: Nullable(DateTime),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => ({
        items: (await getAgentLoad(deps, actorOf(request))).map((row) => ({
          agentId: row.id,
          name: row.name,
          tier: row.tier as 'L1' | 'L2' | 'L3' | null,
          open: row.open,
          notStarted: row.not_started,
          inProgress: row.in_progress,
          waiting: row.waiting,
          oldestReceivedAt: row.oldest_received_at === null ? null : new Date(row.oldest_received_at).toISOString(),
        })),
      }),
    )

    app.get('/views', { schema: { tags: ['views'], summary: 'My saved ticket views', response: { 200: Type.Object({ items: Type.Array(SavedView) }), ...errorResponses } } }, async (request) => ({
      items: (await listSavedViews(deps, actorOf(request))).map((row) => ({ id: row.id, name: row.name, query: row.query, createdAt: row.created_at.toISOString() })),
    }))
    app.post(
      '/views',
      {
        schema: {
          tags: ['views'],
          summary: 'Save a ticket view (the query string of GET /tickets)',
          body: Type.Object({ name: Name(100), query: Type.String({ maxLength: 1000, pattern: '^[A-Za-z0-9_.,:%+=&-]*$' }) }, { additionalProperties: false }),
          response: { 201: SavedView, ...errorResponses },
        },
      },
      async (request, reply) => {
        const row = await createSavedView(deps, actorOf(request), request.body)
        return reply.status(201).send({ id: row.id, name: row.name, query: row.query, createdAt: row.created_at.toISOString() })
      },
    )
    app.delete('/views/:id', { schema: { tags: ['views'], params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
      await deleteSavedView(deps, actorOf(request), request.params.id)
      return reply.status(204).send(null)
    })
  }
}
