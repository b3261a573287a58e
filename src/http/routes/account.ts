import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { ServiceDeps } from '../../services/deps.ts'
import { issueApiToken, listApiTokens, revokeApiToken } from '../../services/auth/api-tokens.ts'
import { getSettings, updateSettings } from '../../services/directory/settings.ts'
import { actorOf } from '../auth.ts'
import { DateTime, IdParams, Name, Nullable, Uuid, errorResponses } from '../schemas.ts'

const TokenSummary = Type.Object({
  id: Uuid,
  userId: Uuid,
  name: Type.String(),
  prefix: Type.String(),
  createdAt: DateTime,
  lastUsedAt: Nullable(DateTime),
  revokedAt: Nullable(DateTime),
})
const Settings = Type.Object({ reopenWindowDays: Type.Integer({ minimum: 0, maximum: 365 }) })
const isoOrNull = (date: Date | null) => (date === null ? null : date.toISOString())

/** API tokens (for integrations) and desk settings. */
export function accountRoutes(deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/tokens',
      {
        schema: {
          tags: ['auth'],
          summary: 'Create a personal API token (shown once)',
          body: Type.Object({ name: Name(100), userId: Type.Optional(Uuid) }, { additionalProperties: false }),
          response: { 201: Type.Object({ id: Uuid, name: Type.String(), prefix: Type.String(), token: Type.String() }), ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await issueApiToken(deps, actorOf(request), request.body)),
    )
    app.get(
      '/tokens',
      {
        schema: {
          tags: ['auth'],
          querystring: Type.Object({ userId: Type.Optional(Uuid) }, { additionalProperties: false }),
          response: { 200: Type.Object({ items: Type.Array(TokenSummary) }), ...errorResponses },
        },
      },
      async (request) => ({
        items: (await listApiTokens(deps, actorOf(request), request.query.userId)).map((token) => ({
          ...token,
          createdAt: token.createdAt.toISOString(),
          lastUsedAt: isoOrNull(token.lastUsedAt),
          revokedAt: isoOrNull(token.revokedAt),
        })),
      }),
    )
    app.delete('/tokens/:id', { schema: { tags: ['auth'], params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
      await revokeApiToken(deps, actorOf(request), request.params.id)
      return reply.status(204).send(null)
    })

    app.get('/settings', { schema: { tags: ['settings'], response: { 200: Settings, ...errorResponses } } }, async (request) => getSettings(deps, actorOf(request)))
    app.patch(
      '/settings',
      {
        schema: {
          tags: ['settings'],
          body: Type.Object({ reopenWindowDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })) }, { additionalProperties: false, minProperties: 1 }),
          response: { 200: Settings, ...errorResponses },
        },
      },
      async (request) => updateSettings(deps, actorOf(request), request.body),
    )
  }
}
