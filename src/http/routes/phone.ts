import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AGENT_STATES, parseAgentState } from '../../domain/phone/agent-state.ts'
import { CALL_DIRECTIONS, CALL_EVENT_TYPES, CALL_OUTCOMES, CALL_STATUSES } from '../../domain/phone/call-state.ts'
import type { CallDirection, CallEventType } from '../../domain/phone/call-state.ts'
import { MAX_CALL_ID_LENGTH, formToBody, genericCtiAnswer, nativeCtiAnswer, parseGenericCtiEvent } from '../../domain/phone/generic-cti.ts'
import type { Actor } from '../../domain/policy/actor.ts'
import { AppError, type FieldError } from '../../domain/shared/app-error.ts'
import { authenticateToken } from '../../services/auth/sessions.ts'
import type { ServiceDeps } from '../../services/deps.ts'
import { blockNumber, completeCallback, listBlockedNumbers, listCallbacks, unblockNumber } from '../../services/phone/callbacks.ts'
import { getCall, listCalls, openTicketFromCall } from '../../services/phone/calls.ts'
import { listPresence, reportAgentState, setMyPresence } from '../../services/phone/report-agent-state.ts'
import { reportCallEvent } from '../../services/phone/report-call-event.ts'
import { actorOf } from '../auth.ts'
import { DateTime, IdParams, Nullable, StringEnum, Uuid, errorResponses } from '../schemas.ts'

/** Largest call-event body: a PBX webhook is a few hundred bytes; larger ones are refused while arriving. */
export const CTI_BODY_LIMIT_BYTES = 16 * 1024

const Number_ = Type.String({ minLength: 1, maxLength: 64 })
const HttpUrl = Type.String({ maxLength: 2000, pattern: '^https?://\\S+$', description: 'an http(s) link' })

const NativeEvent = Type.Object(
  {
    type: StringEnum([...CALL_EVENT_TYPES, 'agent_state'] as const, { description: 'a call event, or agent_state' }),
    callId: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_CALL_ID_LENGTH, description: "the telephony system's id of the call" })),
    from: Type.Optional(Number_),
    to: Type.Optional(Number_),
    direction: Type.Optional(StringEnum(CALL_DIRECTIONS)),
    queue: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    agent: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200, description: "the agent: extension (分机号, matched first), user id, e-mail, phone or name" }))),
    cause: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    recordingUrl: Type.Optional(Nullable(HttpUrl)),
    at: Type.Optional(DateTime),
    state: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: `agent_state: ${AGENT_STATES.join(', ')} (wrap-up also accepted)` })),
  },
  { additionalProperties: false },
)
const CtiAnswer = Type.Object(
  { action: Type.Optional(Type.Literal('reject')), reason: Type.Optional(Type.String()) },
  { description: '{} normally; {"action":"reject","reason":…} to a new call from a blocked number' },
)

const Person = Nullable(Type.Object({ id: Uuid, name: Type.String() }))
const Call = Type.Object({
  id: Uuid,
  callId: Type.String(),
  direction: StringEnum(CALL_DIRECTIONS),
  from: Type.String(),
  to: Type.String(),
  queue: Nullable(Type.String()),
  status: StringEnum(CALL_STATUSES),
  outcome: Nullable(StringEnum(CALL_OUTCOMES)),
  cause: Nullable(Type.String()),
  agent: Person,
  customer: Person,
  ticketId: Nullable(Uuid),
  ticketNumber: Nullable(Type.String()),
  recordingUrl: Nullable(Type.String()),
  startedAt: DateTime,
  answeredAt: Nullable(DateTime),
  endedAt: Nullable(DateTime),
  waitMs: Nullable(Type.Integer()),
  talkMs: Nullable(Type.Integer()),
})
const CallDetail = Type.Composite([
  Call,
  Type.Object({
    customerDetail: Nullable(
      Type.Object({
        id: Uuid,
        name: Type.String(),
        email: Nullable(Type.String()),
        phone: Nullable(Type.String()),
        organisation: Nullable(Type.Object({ id: Uuid, name: Type.String(), vipLevel: Type.String() })),
      }),
    ),
    openTickets: Type.Array(Type.Object({ id: Uuid, number: Type.String(), subject: Type.String(), status: Type.String() })),
    popForMe: Type.Boolean({ description: 'the call is live and meant for the viewer (its agent; with none named, every available agent)' }),
  }),
])
const Callback = Type.Object({
  id: Uuid,
  callId: Uuid,
  phone: Type.String(),
  customer: Person,
  reason: StringEnum(['missed', 'abandoned'] as const),
  status: StringEnum(['open', 'done', 'cancelled'] as const),
  assignee: Person,
  dueAt: DateTime,
  note: Nullable(Type.String()),
  ticketId: Nullable(Uuid),
  createdAt: DateTime,
  doneAt: Nullable(DateTime),
})
const BlockedNumber = Type.Object({ number: Type.String(), reason: Nullable(Type.String()), createdAt: DateTime })
const Presence = Type.Object({ userId: Uuid, name: Type.String(), state: StringEnum(AGENT_STATES), since: DateTime })

type NativeBody = {
  type: CallEventType | 'agent_state'
  callId?: string
  from?: string
  to?: string
  direction?: CallDirection
  queue?: string | null
  agent?: string | null
  cause?: string | null
  recordingUrl?: string | null
  at?: string
  state?: string
}

/**
 * Phone (CTI): call and agent-state events from a PBX or cloud telephony service (native form
 * and the three-event form other desks use), the call log with its screen-pop detail, callback
 * tasks, agent presence and blocked numbers.
 */
export function phoneRoutes(deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Form-encoded bodies, as many PBX connectors post them; this plugin's routes only.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: CTI_BODY_LIMIT_BYTES }, (_request, body, done) => {
      done(null, formToBody(new URLSearchParams(String(body))))
    })

    app.post(
      '/cti/events',
      {
        bodyLimit: CTI_BODY_LIMIT_BYTES,
        schema: {
          tags: ['phone'],
          summary: 'Report a call event or an agent state (telephony integration token of an admin or supervisor)',
          body: NativeEvent,
          response: { 200: CtiAnswer, ...errorResponses },
        },
      },
      async (request) => handleNative(deps, actorOf(request), request.body as NativeBody),
    )

    const genericSchema = {
      tags: ['phone'],
      summary: 'Report a call event in the three-event form (newCall / answer / hangup), JSON or form-encoded',
      response: { 200: CtiAnswer, ...errorResponses },
    }
    app.post('/cti/generic', { bodyLimit: CTI_BODY_LIMIT_BYTES, schema: genericSchema }, async (request) =>
      handleGeneric(deps, actorOf(request), request.body),
    )
    // Connectors built for other desks put the token in the URL (`…/cti/<token>`); kept for them.
    app.post(
      '/cti/generic/:token',
      {
        bodyLimit: CTI_BODY_LIMIT_BYTES,
        config: { access: 'public' },
        schema: { ...genericSchema, params: Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }) },
      },
      async (request) => handleGeneric(deps, await actorFromPathToken(deps, request.params.token), request.body),
    )

    app.get(
      '/calls',
      {
        schema: {
          tags: ['phone'],
          summary: 'The call log, newest first',
          querystring: Type.Object(
            {
              from: Type.Optional(DateTime),
              to: Type.Optional(DateTime),
              outcome: Type.Optional(StringEnum(CALL_OUTCOMES)),
              agentId: Type.Optional(Uuid),
              cursor: Type.Optional(Type.String({ maxLength: 200 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(Call), nextCursor: Nullable(Type.String()) }), ...errorResponses },
        },
      },
      async (request) => listCalls(deps, actorOf(request), request.query),
    )
    app.get(
      '/calls/:id',
      { schema: { tags: ['phone'], summary: 'One call, with the caller and their open tickets (screen pop)', params: IdParams, response: { 200: CallDetail, ...errorResponses } } },
      async (request) => {
        const call = await getCall(deps, actorOf(request), request.params.id)
        return { ...call, openTickets: [...call.openTickets] }
      },
    )
    app.post(
      '/calls/:id/ticket',
      {
        schema: {
          tags: ['phone'],
          summary: 'Open a ticket from a call (once; the second time returns the same ticket)',
          params: IdParams,
          body: Type.Object(
            {
              subject: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
              description: Type.String({ minLength: 1, maxLength: 20_000, pattern: '\\S' }),
              customerName: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ ticketId: Uuid, created: Type.Boolean() }), 201: Type.Object({ ticketId: Uuid, created: Type.Boolean() }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const result = await openTicketFromCall(deps, actorOf(request), request.params.id, request.body)
        return reply.status(result.created ? 201 : 200).send(result)
      },
    )

    app.get(
      '/callbacks',
      {
        schema: {
          tags: ['phone'],
          summary: 'Callback tasks left by missed and abandoned calls',
          querystring: Type.Object({ status: Type.Optional(StringEnum(['open', 'done', 'cancelled'] as const)) }, { additionalProperties: false }),
          response: { 200: Type.Object({ items: Type.Array(Callback) }), ...errorResponses },
        },
      },
      async (request) => ({ items: await listCallbacks(deps, actorOf(request), request.query.status) }),
    )
    app.post(
      '/callbacks/:id/complete',
      {
        schema: {
          tags: ['phone'],
          summary: 'Mark a callback as done',
          params: IdParams,
          body: Type.Optional(Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false })),
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await completeCallback(deps, actorOf(request), request.params.id, request.body?.note)
        return reply.status(204).send(null)
      },
    )

    app.get(
      '/agent-presence',
      { schema: { tags: ['phone'], summary: "Agents' telephony states", response: { 200: Type.Object({ items: Type.Array(Presence) }), ...errorResponses } } },
      async (request) => ({ items: await listPresence(deps, actorOf(request)) }),
    )
    app.post(
      '/agent-presence/me',
      {
        schema: {
          tags: ['phone'],
          summary: 'Set my own telephony state',
          body: Type.Object({ state: StringEnum(AGENT_STATES) }, { additionalProperties: false }),
          response: { 200: Type.Object({ state: StringEnum(AGENT_STATES) }), ...errorResponses },
        },
      },
      async (request) => {
        await setMyPresence(deps, actorOf(request), request.body.state)
        return { state: request.body.state }
      },
    )

    app.get(
      '/cti/blocked-numbers',
      { schema: { tags: ['phone'], summary: 'Numbers whose calls are rejected', response: { 200: Type.Object({ items: Type.Array(BlockedNumber) }), ...errorResponses } } },
      async (request) => ({ items: await listBlockedNumbers(deps, actorOf(request)) }),
    )
    app.post(
      '/cti/blocked-numbers',
      {
        schema: {
          tags: ['phone'],
          summary: 'Block a number (any notation; `anonymous` blocks withheld numbers)',
          body: Type.Object({ number: Number_, reason: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
          response: { 201: BlockedNumber, ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await blockNumber(deps, actorOf(request), request.body)),
    )
    app.delete(
      '/cti/blocked-numbers/:number',
      {
        schema: {
          tags: ['phone'],
          summary: 'Unblock a number',
          params: Type.Object({ number: Number_ }, { additionalProperties: false }),
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await unblockNumber(deps, actorOf(request), request.params.number)
        return reply.status(204).send(null)
      },
    )
  }
}

async function handleNative(deps: ServiceDeps, actor: Actor, body: NativeBody) {
  const at = body.at === undefined ? null : new Date(body.at)
  if (body.type === 'agent_state') {
    const errors: FieldError[] = []
    if (body.agent == null) errors.push({ field: 'agent', message: 'is required for agent_state' })
    const state = body.state === undefined ? undefined : parseAgentState(body.state)
    if (state === undefined) errors.push({ field: 'state', message: `must be one of ${AGENT_STATES.join(', ')}` })
    if (errors.length > 0 || state === undefined || body.agent == null) throw invalid(errors)
    await reportAgentState(deps, actor, { agent: body.agent, state, ...(at !== null ? { at } : {}) })
    return {}
  }
  const missing = (['callId', 'from', 'to', 'direction'] as const).filter((field) => body[field] === undefined)
  if (missing.length > 0 || body.callId === undefined || body.from === undefined || body.to === undefined || body.direction === undefined) {
    throw invalid(missing.map((field) => ({ field, message: `is required for ${body.type}` })))
  }
  const result = await reportCallEvent(deps, actor, {
    type: body.type,
    callId: body.callId,
    from: body.from,
    to: body.to,
    direction: body.direction,
    queue: body.queue ?? null,
    agentRefs: body.agent == null ? [] : [body.agent],
    cause: body.cause ?? null,
    recordingUrl: body.recordingUrl ?? null,
    at,
  })
  return nativeCtiAnswer(result.rejected && body.type === 'new_call')
}

async function handleGeneric(deps: ServiceDeps, actor: Actor, body: unknown) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid([{ field: '(body)', message: 'send a JSON object or a form' }])
  }
  const event = parseGenericCtiEvent(body as Record<string, unknown>)
  const result = await reportCallEvent(deps, actor, event)
  return genericCtiAnswer(result.rejected && event.type === 'new_call')
}

/** The actor of a token given in the URL path; refused as a wrong bearer token would be. */
async function actorFromPathToken(deps: ServiceDeps, token: string): Promise<Actor> {
  const authenticated = await authenticateToken(deps, token)
  if (authenticated === null) throw new AppError('UNAUTHENTICATED', 'invalid or revoked API token')
  return authenticated.actor
}

function invalid(fields: FieldError[]): AppError {
  return new AppError('VALIDATION', `invalid CTI event: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`, fields)
}
