import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ServiceDeps } from '../../services/deps.ts'

/** Webhooks channel routes. */
export function webhooksRoutes(_deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async () => {}
}
