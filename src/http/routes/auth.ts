import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { ServiceDeps } from '../../services/deps.ts'
import { login, logout } from '../../services/auth/sessions.ts'
import { getOwnUser } from '../../services/people/users.ts'
import { SESSION_COOKIE, actorOf } from '../auth.ts'
import { presentUser } from '../presenters/present.ts'
import { User, errorResponses } from '../schemas.ts'

const Me = Type.Object({ user: User, csrfToken: Type.Union([Type.String(), Type.Null()]) })

export function authRoutes(deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/auth/login',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with e-mail and password',
          description: 'Sets the session cookie and returns the CSRF token that state-changing requests must send in `X-CSRF-Token`.',
          body: Type.Object(
            { email: Type.String({ minLength: 3, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
            { additionalProperties: false },
          ),
          response: { 200: Me, ...errorResponses },
        },
      },
      async (request, reply) => {
        const result = await login(deps, request.body)
        reply.setCookie(SESSION_COOKIE, result.sessionSecret, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: deps.config.secureCookies,
          expires: result.expiresAt,
        })
        return { user: presentUser(result.user), csrfToken: result.csrfToken }
      },
    )

    app.post(
      '/auth/logout',
      { config: { access: 'public' }, schema: { tags: ['auth'], summary: 'Sign out', response: { 204: Type.Null() } } },
      async (request, reply) => {
        const secret = request.cookies[SESSION_COOKIE]
        if (secret !== undefined) await logout(deps, secret)
        reply.clearCookie(SESSION_COOKIE, { path: '/' })
        return reply.status(204).send(null)
      },
    )

    app.get('/me', { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: Me, ...errorResponses } } }, async (request) => {
      const user = await getOwnUser(deps, actorOf(request))
      return { user: presentUser(user), csrfToken: request.auth?.csrfToken ?? null }
    })
  }
}

