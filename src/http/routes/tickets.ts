import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { TICKET_SORTS } from '../../db/tickets.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import { CHANNELS, SEVERITIES, TICKET_STATUSES, TICKET_TYPES } from '../../domain/tickets/ticket.ts'
import type { ServiceDeps } from '../../services/deps.ts'
import { addMessage } from '../../services/tickets/add-message.ts'
import { createTicket } from '../../services/tickets/create-ticket.ts'
import { getTicket } from '../../services/tickets/get-ticket.ts'
import { listTicketEventsFor, listTicketMessages } from '../../services/tickets/list-ticket-history.ts'
import { listTickets } from '../../services/tickets/list-tickets.ts'
import { transferTicket } from '../../services/tickets/transfer-ticket.ts'
import { transitionTicket } from '../../services/tickets/transition-ticket.ts'
import { updateTicket } from '../../services/tickets/update-ticket.ts'
import { actorOf } from '../auth.ts'
import { presentEvent, presentMessage, presentTicket } from '../presenters/present.ts'
import {
  Channel,
  DateTime,
  Email,
  Event,
  IdParams,
  Message,
  Name,
  Nullable,
  Severity,
  StringEnum,
  Tag,
  Ticket,
  TicketAction,
  TicketType,
  Uuid,
  Visibility,
  errorResponses,
} from '../schemas.ts'

/** A comma-separated list of allowed values in a query string, e.g. `status=new,accepted`. */
const CsvOf = (values: readonly string[], description: string) =>
  Type.String({ pattern: `^(${values.join('|')})(,(${values.join('|')}))*$`, maxLength: 200, description })

const splitCsv = (value: string | undefined) => (value === undefined ? undefined : value.split(','))

const UUID_PATTERN = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'

const Subject = Type.String({ minLength: 1, maxLength: 300, pattern: '\\S' })
const Description = Type.String({ minLength: 1, maxLength: 100_000, pattern: '\\S' })
const Tags = Type.Array(Tag, { maxItems: 30 })
const WatcherIds = Type.Array(Uuid, { maxItems: 50 })
const Reason = Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' })

const CreateTicketBody = Type.Object(
  {
    subject: Subject,
    description: Description,
    type: Type.Optional(TicketType),
    severity: Type.Optional(Severity),
    channel: Type.Optional(Channel),
    categoryId: Type.Optional(Uuid),
    requesterId: Type.Optional(Uuid),
    requesterEmail: Type.Optional(Email),
    requesterName: Type.Optional(Name()),
    organisationId: Type.Optional(Uuid),
    groupId: Type.Optional(Uuid),
    assigneeId: Type.Optional(Uuid),
    tags: Type.Optional(Tags),
    watcherIds: Type.Optional(WatcherIds),
    receivedAt: Type.Optional(DateTime),
  },
  { additionalProperties: false },
)

const UpdateTicketBody = Type.Object(
  {
    subject: Type.Optional(Subject),
    description: Type.Optional(Description),
    type: Type.Optional(TicketType),
    severity: Type.Optional(Severity),
    categoryId: Type.Optional(Nullable(Uuid)),
    organisationId: Type.Optional(Nullable(Uuid)),
    groupId: Type.Optional(Nullable(Uuid)),
    assigneeId: Type.Optional(Nullable(Uuid)),
    tags: Type.Optional(Tags),
    watcherIds: Type.Optional(WatcherIds),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false, minProperties: 1 },
)

const ListQuery = Type.Object(
  {
    status: Type.Optional(CsvOf(TICKET_STATUSES, 'statuses, comma-separated')),
    severity: Type.Optional(CsvOf(SEVERITIES, 'severities, comma-separated')),
    type: Type.Optional(CsvOf(TICKET_TYPES, 'types, comma-separated')),
    channel: Type.Optional(CsvOf(CHANNELS, 'channels the tickets came in by, comma-separated, e.g. `chat` or `email,phone`')),
    assignee: Type.Optional(Type.String({ pattern: `^(me|none|${UUID_PATTERN})$`, description: 'a user id, `me` or `none`' })),
    group: Type.Optional(Type.String({ pattern: `^(none|${UUID_PATTERN})$`, description: 'a group id or `none`' })),
    requester: Type.Optional(Type.String({ pattern: `^(me|${UUID_PATTERN})$` })),
    organisation: Type.Optional(Uuid),
    tag: Type.Optional(Tag),
    sla: Type.Optional(CsvOf(['ok', 'at_risk', 'breached'], 'SLA states, comma-separated (at_risk: past the warning share; breached: overdue)')),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'words in subject, description or messages (Chinese or English)' })),
    sort: Type.Optional(StringEnum(TICKET_SORTS, { default: '-receivedAt' })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  },
  { additionalProperties: false },
)

export function ticketRoutes(deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/tickets',
      {
        schema: {
          tags: ['tickets'],
          summary: 'Open a ticket',
          description:
            'A customer opens a request for themselves; an agent opens one on behalf of a customer (requesterId or requesterEmail; an unknown e-mail creates the customer). With an `Idempotency-Key` header, repeating the request returns the first ticket (200).',
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
          body: CreateTicketBody,
          response: { 200: Ticket, 201: Ticket, ...errorResponses },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request)
        const result = await createTicket(deps, actor, request.body, request.headers['idempotency-key'])
        if (result.replayed) reply.header('idempotent-replayed', 'true')
        return reply.status(result.replayed ? 200 : 201).send(presentTicket(result, actor))
      },
    )

    app.get(
      '/tickets',
      {
        schema: {
          tags: ['tickets'],
          summary: 'List tickets the caller may see',
          querystring: ListQuery,
          response: { 200: Type.Object({ items: Type.Array(Ticket), nextCursor: Nullable(Type.String()) }), ...errorResponses },
        },
      },
      async (request) => {
        const actor = actorOf(request)
        const q = request.query
        const page = await listTickets(deps, actor, {
          statuses: splitCsv(q.status),
          severities: splitCsv(q.severity),
          types: splitCsv(q.type),
          channels: splitCsv(q.channel),
          assignee: q.assignee,
          group: q.group,
          requester: q.requester,
          organisation: q.organisation,
          tag: q.tag,
          slaStates: splitCsv(q.sla),
          text: q.text,
          sort: q.sort,
          cursor: q.cursor,
          limit: q.limit,
        })
        return { items: page.items.map((view) => presentTicket(view, actor)), nextCursor: page.nextCursor }
      },
    )

    app.get(
      '/tickets/:id',
      { schema: { tags: ['tickets'], summary: 'One ticket', params: IdParams, response: { 200: Ticket, ...errorResponses } } },
      async (request) => {
        const actor = actorOf(request)
        return presentTicket(await getTicket(deps, actor, request.params.id), actor)
      },
    )

    app.patch(
      '/tickets/:id',
      {
        schema: {
          tags: ['tickets'],
          summary: 'Change fields of a ticket',
          description: 'Customers may change the subject only. Changing the assignee of an assigned ticket is a transfer.',
          params: IdParams,
          body: UpdateTicketBody,
          response: { 200: Ticket, ...errorResponses },
        },
      },
      async (request) => {
        const actor = actorOf(request)
        return presentTicket(await updateTicket(deps, actor, request.params.id, request.body), actor)
      },
    )

    app.post(
      '/tickets/:id/transitions',
      {
        schema: {
          tags: ['tickets'],
          summary: 'Move a ticket through its lifecycle',
          description: 'new → accepted → in_progress ⇄ waiting → resolved → closed; reopen brings a resolved ticket back within the reopen window.',
          params: IdParams,
          body: Type.Object({ action: TicketAction, reason: Type.Optional(Reason) }, { additionalProperties: false }),
          response: { 200: Ticket, ...errorResponses },
        },
      },
      async (request) => {
        const actor = actorOf(request)
        return presentTicket(await transitionTicket(deps, actor, request.params.id, request.body), actor)
      },
    )

    app.post(
      '/tickets/:id/transfer',
      {
        schema: {
          tags: ['tickets'],
          summary: 'Transfer a ticket to another agent or group, with a reason',
          params: IdParams,
          body: Type.Object(
            { assigneeId: Type.Optional(Nullable(Uuid)), groupId: Type.Optional(Nullable(Uuid)), reason: Reason },
            { additionalProperties: false },
          ),
          response: { 200: Ticket, ...errorResponses },
        },
      },
      async (request) => {
        const actor = actorOf(request)
        return presentTicket(await transferTicket(deps, actor, request.params.id, request.body), actor)
      },
    )

    app.post(
      '/tickets/:id/messages',
      {
        schema: {
          tags: ['tickets'],
          summary: 'Reply publicly or add an internal note',
          params: IdParams,
          body: Type.Object(
            {
              body: Type.String({ minLength: 1, maxLength: 100_000, pattern: '\\S' }),
              visibility: Visibility,
              attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 20 })),
              then: Type.Optional(StringEnum(['wait', 'resolve'] as const, { description: 'a lifecycle step taken with the reply, in the same instant (agents)' })),
            },
            { additionalProperties: false },
          ),
          response: { 201: Message, ...errorResponses },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request)
        const message = await addMessage(deps, actor, request.params.id, request.body)
        const [withAttachments] = (await listTicketMessages(deps, actor, request.params.id)).filter((m) => m.id === message.id)
        if (withAttachments === undefined) throw new AppError('INTERNAL', 'the new message is not readable')
        return reply.status(201).send(presentMessage(withAttachments))
      },
    )

    app.get(
      '/tickets/:id/messages',
      {
        schema: {
          tags: ['tickets'],
          summary: 'The conversation (customers see public replies only)',
          params: IdParams,
          response: { 200: Type.Object({ items: Type.Array(Message) }), ...errorResponses },
        },
      },
      async (request) => ({ items: (await listTicketMessages(deps, actorOf(request), request.params.id)).map(presentMessage) }),
    )

    app.get(
      '/tickets/:id/events',
      {
        schema: {
          tags: ['tickets'],
          summary: 'The history of a ticket: who, when, what and why',
          params: IdParams,
          response: { 200: Type.Object({ items: Type.Array(Event) }), ...errorResponses },
        },
      },
      async (request) => {
        const actor = actorOf(request)
        return { items: (await listTicketEventsFor(deps, actor, request.params.id)).map((event) => presentEvent(event, actor)) }
      },
    )
  }
}
