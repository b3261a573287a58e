import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ServiceDeps } from '../../services/deps.ts'

/** Outbox channel routes. */
export function outboxRoutes(_deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async () => {}
}
