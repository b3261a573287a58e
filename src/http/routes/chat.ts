import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ServiceDeps } from '../../services/deps.ts'

/** Chat channel routes. */
export function chatRoutes(_deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async () => {}
}
