import fs from 'node:fs'
import path from 'node:path'
import fastifyCookie from '@fastify/cookie'
import fastifyMultipart from '@fastify/multipart'
import fastifyStatic from '@fastify/static'
import fastifyWebsocket from '@fastify/websocket'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import type { DatabaseHandle } from '../db/connection.ts'
import type { ServiceDeps } from '../services/deps.ts'
import { EventFeed } from '../services/live/event-feed.ts'
import { registerAuth } from './auth.ts'
import { handleError } from './error-handler.ts'
import { assertWellFormedText } from './text-guard.ts'
import { accountRoutes } from './routes/account.ts'
import { attachmentRoutes } from './routes/attachments.ts'
import { authRoutes } from './routes/auth.ts'
import { directoryRoutes } from './routes/directory.ts'
import { customerRoutes, userRoutes } from './routes/people.ts'
import { registerLiveRoute } from './routes/live.ts'
import { slaRoutes } from './routes/sla.ts'
import { ticketRoutes } from './routes/tickets.ts'
import { workspaceRoutes } from './routes/workspace.ts'
import { chatRoutes } from './routes/chat.ts'
import { emailRoutes } from './routes/email.ts'
import { identityRoutes } from './routes/identity.ts'
import { outboxRoutes } from './routes/outbox.ts'
import { phoneRoutes } from './routes/phone.ts'
import { webhooksRoutes } from './routes/webhooks.ts'
import { validatorCompiler } from './validation.ts'

export interface AppOptions {
  readonly logger?: boolean | { level: string }
  /** Where the built web app is (default web/dist of the checkout). */
  readonly webRoot?: string
  /** NOTIFY listener of the database; enables live updates over WebSocket. */
  readonly listen?: DatabaseHandle['listen']
}

const DEFAULT_WEB_ROOT = path.resolve(import.meta.dirname, '../../web/dist')

/** Builds the HTTP application: every route under `/api/v1`, the OpenAPI document and its page. */
export async function buildApp(deps: ServiceDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: deps.config.bodyLimitBytes,
    // Behind a proxy the real client address comes from X-Forwarded-For; off unless configured.
    trustProxy: process.env.TRUST_PROXY === 'true',
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  // JSON and multipart only: a text/plain body is refused (415) instead of being read as a string.
  app.removeContentTypeParser('text/plain')
  app.addHook('preValidation', async (request) => {
    assertWellFormedText(request.query)
    assertWellFormedText(request.body)
  })
  app.setErrorHandler(handleError)
  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT
  const hasWebApp = fs.existsSync(path.join(webRoot, 'index.html'))
  app.setNotFoundHandler((request, reply) => {
    // The web app routes in the browser: any other GET outside the API gets its page.
    const isPage = request.method === 'GET' && !request.url.startsWith('/api/') && request.url !== '/healthz'
    if (isPage && hasWebApp) return reply.header('cache-control', 'no-cache').sendFile('index.html', webRoot)
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } })
  })

  await app.register(fastifyCookie)
  if (hasWebApp) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      index: false,
      setHeaders: (response, filePath) => {
        // Built assets carry a content hash in their names and never change.
        if (filePath.includes(`${path.sep}assets${path.sep}`)) response.setHeader('cache-control', 'public, max-age=31536000, immutable')
      },
    })
    app.get('/', { schema: { hide: true } }, (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html', webRoot))
  }
  await app.register(fastifyMultipart, {
    limits: { fileSize: deps.config.attachmentLimitBytes, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
  })
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Loopdesk API',
        version: '1',
        description:
          'Closed-loop customer service desk. Authenticate with the session cookie from `POST /api/v1/auth/login` (and send `X-CSRF-Token` on changes) or with `Authorization: Bearer <API token>`. Errors are `{ "error": { "code", "message", "fields"? } }`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'a personal API token (ldt_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'loopdesk_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' })

  // Before the auth hook: the WebSocket plugin's own hooks must see refused upgrades to close them.
  // 16 KiB: a chat message of 4,000 Chinese characters fits; larger frames are refused by the socket layer (1009).
  await app.register(fastifyWebsocket, { options: { maxPayload: 16 * 1024 } })
  registerAuth(app, deps)
  if (options.listen !== undefined) {
    const feed = new EventFeed(deps.db, options.listen, (error) => app.log.error({ err: error }, 'live feed failed'))
    await feed.start()
    registerLiveRoute(app, feed)
  }

  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    await sql`SELECT 1`.execute(deps.db)
    return reply.send({ status: 'ok' })
  })
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  await app.register(
    async (api) => {
      await api.register(authRoutes(deps))
      await api.register(workspaceRoutes(deps))
      await api.register(ticketRoutes(deps))
      await api.register(attachmentRoutes(deps))
      await api.register(userRoutes(deps))
      await api.register(customerRoutes(deps))
      await api.register(directoryRoutes(deps))
      await api.register(accountRoutes(deps))
      await api.register(slaRoutes(deps))
      await api.register(emailRoutes(deps))
      await api.register(chatRoutes(deps, options.listen))
      await api.register(phoneRoutes(deps))
      await api.register(webhooksRoutes(deps))
      await api.register(outboxRoutes(deps))
      await api.register(identityRoutes(deps))
    },
    { prefix: '/api/v1' },
  )
  return app
}
