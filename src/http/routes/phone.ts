import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ServiceDeps } from '../../services/deps.ts'

/** Phone channel routes. */
export function phoneRoutes(_deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async () => {}
}
