import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ServiceDeps } from '../../services/deps.ts'

/** Email channel routes. */
export function emailRoutes(_deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async () => {}
}
