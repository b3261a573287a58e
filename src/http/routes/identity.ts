import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ServiceDeps } from '../../services/deps.ts'

/** One customer across channels: identities, merge and undo, the whole history. */
export function identityRoutes(_deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async () => {}
}
