import type {} from '@fastify/cookie'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Actor } from '../domain/policy/actor.ts'
import { AppError } from '../domain/shared/app-error.ts'
import type { ServiceDeps } from '../services/deps.ts'
import { type Authenticated, authenticateSession, authenticateToken } from '../services/auth/sessions.ts'

export const SESSION_COOKIE = 'loopdesk_session'
export const CSRF_HEADER = 'x-csrf-token'

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null
  }
  interface FastifyContextConfig {
    /** `public`: no sign-in needed (login, health, documentation). */
    access?: 'public'
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Authenticates every `/api/v1` request before its body is even read: a bearer API token
 * or the session cookie. Cookie-authenticated requests that change state must echo the
 * session's CSRF token in `X-CSRF-Token`; bearer tokens cannot be sent by a browser on its
 * own, so they need none.
 */
export function registerAuth(app: FastifyInstance, deps: ServiceDeps): void {
  app.decorateRequest('auth', null)
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/v1/')) return
    const header = request.headers.authorization
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header)
      request.auth = match?.[1] === undefined ? null : await authenticateToken(deps, match[1])
      if (request.auth === null && request.routeOptions.config.access !== 'public') {
        throw new AppError('UNAUTHENTICATED', 'invalid or revoked API token')
      }
      return
    }
    const cookie = request.cookies[SESSION_COOKIE]
    request.auth = cookie === undefined ? null : await authenticateSession(deps, cookie)
    if (request.routeOptions.config.access === 'public') return
    if (request.auth === null) throw new AppError('UNAUTHENTICATED', 'sign in first')
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== request.auth.csrfToken) {
      throw new AppError('CSRF', 'missing or wrong X-CSRF-Token header', [{ field: CSRF_HEADER, message: 'send the csrfToken from /auth/login or /me' }])
    }
  })
}

/** The signed-in actor of a request on a non-public route. */
export function actorOf(request: FastifyRequest): Actor {
  if (request.auth === null) throw new AppError('UNAUTHENTICATED', 'sign in first')
  return request.auth.actor
}
