import type {} from '@fastify/websocket'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { type AgentChatState, handleAgentSocket, openAgentChat } from '../../channels/chat/agent-socket.ts'
import { submitOfflineMessage } from '../../channels/chat/chat-conversation.ts'
import { ChatHub } from '../../channels/chat/chat-hub.ts'
import { getChatSettings, loadChatSettings, updateChatSettings } from '../../channels/chat/chat-settings.ts'
import { handleVisitorSocket } from '../../channels/chat/visitor-socket.ts'
import { type ChatSettings as ChatSettingsValue, MAX_CHAT_SETTING_TEXT, MAX_CHAT_TEXT, MAX_PAGE_URL, MAX_VISITOR_NAME, isChatOnline, isOriginAllowed } from '../../domain/chat/chat-rules.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import type { DatabaseHandle } from '../../db/connection.ts'
import type { ServiceDeps } from '../../services/deps.ts'
import { actorOf } from '../auth.ts'
import { Email, Nullable, StringEnum, Uuid, errorResponses } from '../schemas.ts'

const Interval = Type.Tuple([Type.Integer({ minimum: 0, maximum: 1440 }), Type.Integer({ minimum: 0, maximum: 1440 })], { description: '[start, end) in minutes from local midnight' })
const WeeklyHours = Type.Object(
  Object.fromEntries(['0', '1', '2', '3', '4', '5', '6'].map((day) => [day, Type.Optional(Type.Array(Interval, { maxItems: 12 }))])),
  { additionalProperties: false, description: 'chat intervals per weekday, 0 = Sunday' },
)
const ChatHours = Type.Object(
  {
    always: Type.Boolean({ description: 'online around the clock' }),
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    weeklyHours: WeeklyHours,
    holidays: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 2000 }),
  },
  { additionalProperties: false },
)
const WidgetText = Type.String({ maxLength: MAX_CHAT_SETTING_TEXT })
const WidgetTexts = (description: string) => Type.Object({ 'zh-CN': WidgetText, en: WidgetText }, { additionalProperties: false, description })
const GREETING = 'the widget’s line while agents answer, per language; empty: the widget’s own'
const OFFLINE_TEXT = 'the widget’s line above the message form outside the hours, per language; empty: the widget’s own'
const ChatSettings = Type.Object({
  enabled: Type.Boolean(),
  hours: Type.Object({ always: Type.Boolean(), timeZone: Type.String(), weeklyHours: Type.Unknown({ description: 'chat intervals per weekday, 0 = Sunday' }), holidays: Type.Array(Type.String()) }),
  allowedOrigins: Type.Array(Type.String({ maxLength: 300 }), { maxItems: 100, description: 'origins whose pages may open chats; empty: any' }),
  groupId: Nullable(Uuid),
  greeting: WidgetTexts(GREETING),
  offlineText: WidgetTexts(OFFLINE_TEXT),
})
const ChatSettingsInput = Type.Partial(
  Type.Object(
    {
      enabled: Type.Boolean(),
      hours: Type.Partial(ChatHours),
      allowedOrigins: Type.Array(Type.String({ maxLength: 300 }), { maxItems: 100 }),
      groupId: Nullable(Uuid),
      greeting: Type.Partial(WidgetTexts(GREETING)),
      offlineText: Type.Partial(WidgetTexts(OFFLINE_TEXT)),
    },
    { additionalProperties: false },
  ),
  { additionalProperties: false },
)
const OfflineMessage = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: MAX_VISITOR_NAME })),
    email: Type.Optional(Email),
    phone: Type.Optional(Type.String({ maxLength: 40, pattern: '^\\+?[\\d\\s()-]{5,40}$' })),
    message: Type.String({ minLength: 1, maxLength: MAX_CHAT_TEXT, pattern: '\\S' }),
    pageUrl: Type.Optional(Type.String({ maxLength: MAX_PAGE_URL })),
    locale: Type.Optional(StringEnum(['zh-CN', 'en'] as const)),
  },
  { additionalProperties: false },
)

/** Offline messages one address may leave in a window. */
const OFFLINE_LIMIT = 5
const OFFLINE_WINDOW_MS = 10 * 60_000
/** Largest offline-message request body. */
const OFFLINE_BODY_LIMIT = 16 * 1024

/**
 * Web chat: the visitor's socket (public, any origin unless an allow-list is set, no cookies
 * used), the agent's socket beside a chat ticket, the message form for offline hours, and the
 * chat settings for administrators. The protocol is described in docs/channels.md.
 */
export function chatRoutes(deps: ServiceDeps, listen?: DatabaseHandle['listen']): FastifyPluginAsyncTypebox {
  return async (app) => {
    const onError = (error: unknown) => app.log.error({ err: error }, 'chat failed')
    const hub = new ChatHub(deps.db, listen, onError)
    await hub.start()
    app.addHook('onClose', async () => hub.stop())
    const offlineSenders = new Map<string, { start: number; count: number }>()

    app.get('/chat/socket', { websocket: true, config: { access: 'public' }, schema: { hide: true } }, (socket, request) => {
      handleVisitorSocket(deps, hub, socket, request.headers.origin, onError)
    })

    app.get(
      '/chat/agent-socket',
      {
        websocket: true,
        schema: { hide: true, querystring: Type.Object({ ticketId: Uuid }, { additionalProperties: false }) },
        preHandler: async (request) => {
          const origin = request.headers.origin
          // A page of another site must not open a socket with this site's cookie.
          if (origin !== undefined && new URL(origin).host !== request.headers.host) throw new AppError('FORBIDDEN', 'origin not allowed', [{ field: 'origin', message: 'not this site' }])
          const actor = actorOf(request)
          const state = await openAgentChat(deps, actor, (request.query as { ticketId: string }).ticketId)
          const user = await deps.db.selectFrom('users').select('name').where('id', '=', actor.id).executeTakeFirst()
          agentStates.set(request, { state, name: user?.name ?? '' })
        },
      },
      (socket, request) => {
        const opened = agentStates.get(request)
        if (opened === undefined) return socket.close(4403, 'not allowed')
        handleAgentSocket(hub, socket, { ...actorOf(request), name: opened.name }, (request.query as { ticketId: string }).ticketId, opened.state, onError)
      },
    )

    app.get(
      '/chat/status',
      {
        config: { access: 'public' },
        schema: { tags: ['chat'], summary: 'Whether agents answer chats now (else the widget shows the message form)', response: { 200: Type.Object({ online: Type.Boolean() }) } },
      },
      async (_request, reply) => {
        reply.header('access-control-allow-origin', '*')
        return { online: isChatOnline(await loadChatSettings(deps.db), deps.clock()) }
      },
    )

    app.options('/chat/offline-message', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
      allowAnyOrigin(reply)
      return reply.header('access-control-max-age', '600').status(204).send()
    })
    app.post(
      '/chat/offline-message',
      {
        config: { access: 'public' },
        bodyLimit: OFFLINE_BODY_LIMIT,
        onRequest: async (_request, reply) => {
          allowAnyOrigin(reply)
        },
        schema: {
          tags: ['chat'],
          summary: 'Leave a message outside chat hours (public; opens a chat ticket)',
          body: OfflineMessage,
          response: { 201: Type.Object({ ticketNumber: Type.String() }), 429: errorResponses[400], ...errorResponses },
        },
      },
      async (request, reply) => {
        const settings = await loadChatSettings(deps.db)
        if (!isOriginAllowed(request.headers.origin, settings.allowedOrigins)) throw new AppError('FORBIDDEN', 'this site may not send chat messages', [{ field: 'origin', message: 'not allowed' }])
        limitOfflineSender(offlineSenders, request)
        const body = request.body
        const result = await submitOfflineMessage(deps, {
          name: body.name?.trim() || null,
          email: body.email ?? null,
          phone: body.phone ?? null,
          message: body.message.trim(),
          pageUrl: body.pageUrl ?? null,
          locale: body.locale ?? 'zh-CN',
        })
        return reply.status(201).send(result)
      },
    )

    app.get(
      '/chat/settings',
      { schema: { tags: ['chat'], summary: 'Chat hours, allowed origins, team, widget texts (administrators)', response: { 200: ChatSettings, ...errorResponses } } },
      async (request) => presentSettings(await getChatSettings(deps, actorOf(request))),
    )
    app.put(
      '/chat/settings',
      { schema: { tags: ['chat'], summary: 'Change chat settings (administrators)', body: ChatSettingsInput, response: { 200: ChatSettings, ...errorResponses } } },
      async (request) => presentSettings(await updateChatSettings(deps, actorOf(request), request.body as Parameters<typeof updateChatSettings>[2])),
    )
  }
}

/** The settings as the API gives them. */
function presentSettings(settings: ChatSettingsValue) {
  return {
    enabled: settings.enabled,
    hours: { always: settings.hours.always, timeZone: settings.hours.timeZone, weeklyHours: settings.hours.weeklyHours, holidays: [...settings.hours.holidays] },
    allowedOrigins: [...settings.allowedOrigins],
    groupId: settings.groupId,
    greeting: { ...settings.greeting },
    offlineText: { ...settings.offlineText },
  }
}

const agentStates = new WeakMap<FastifyRequest, { state: AgentChatState; name: string }>()

function allowAnyOrigin(reply: FastifyReply): void {
  // The widget posts from customers' sites; no cookies are involved, so any origin may call.
  reply.header('access-control-allow-origin', '*')
  reply.header('access-control-allow-methods', 'POST, OPTIONS')
  reply.header('access-control-allow-headers', 'content-type')
}

/** A few offline messages per address and window: a form, not a mail relay. */
function limitOfflineSender(senders: Map<string, { start: number; count: number }>, request: FastifyRequest): void {
  const now = Date.now()
  if (senders.size > 10_000) {
    for (const [key, entry] of senders) if (now - entry.start >= OFFLINE_WINDOW_MS) senders.delete(key)
  }
  const entry = senders.get(request.ip)
  if (entry === undefined || now - entry.start >= OFFLINE_WINDOW_MS) {
    senders.set(request.ip, { start: now, count: 1 })
    return
  }
  entry.count++
  if (entry.count > OFFLINE_LIMIT) throw new AppError('RATE_LIMITED', 'too many messages from this address; try again later', [{ field: 'message', message: 'rate limited' }])
}
