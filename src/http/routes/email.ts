import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { type EmailLogEntry, listEmailLog, readMessageOriginal } from '../../channels/email/inbound-views.ts'
import type { EmailMessageRow } from '../../db/schema.ts'
import type { ServiceDeps } from '../../services/deps.ts'
import { actorOf } from '../auth.ts'
import { DateTime, IdParams, Nullable, StringEnum, Uuid, errorResponses } from '../schemas.ts'

const EmailLogItem = Type.Object({
  id: Uuid,
  messageId: Type.String({ description: 'the Message-ID header, with angle brackets' }),
  direction: StringEnum(['in', 'out'] as const),
  outcome: Type.String({ description: 'in: ticket_created, follow_up_created, threaded, auto_reply, bounce, bulk, refused; out: as the sender records it' }),
  ticketId: Nullable(Uuid),
  ticketNumber: Nullable(Type.String()),
  ticketMessageId: Nullable(Uuid),
  from: Nullable(Type.String()),
  to: Type.Array(Type.String()),
  subject: Nullable(Type.String()),
  inReplyTo: Nullable(Type.String()),
  sizeBytes: Nullable(Type.Integer()),
  createdAt: DateTime,
})

const presentLogRow = (row: EmailMessageRow & { ticket_number?: string | null }) => ({
  id: row.id,
  messageId: row.message_id,
  direction: row.direction,
  outcome: row.outcome,
  ticketId: row.ticket_id,
  ticketNumber: row.ticket_number ?? null,
  ticketMessageId: row.ticket_message_id,
  from: row.from_address,
  to: row.to_addresses,
  subject: row.subject,
  inReplyTo: row.in_reply_to,
  sizeBytes: row.size_bytes,
  createdAt: row.created_at.toISOString(),
})

/** E-mail channel: the log of mail in and out, and a message's original text and HTML. */
export function emailRoutes(deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['email']
    app.get(
      '/email/log',
      {
        schema: {
          tags,
          summary: 'E-mail in and out, newest first, with what became of each message (staff)',
          querystring: Type.Object(
            {
              direction: Type.Optional(StringEnum(['in', 'out'] as const)),
              outcome: Type.Optional(Type.String({ pattern: '^[a-z_]{1,40}$', description: 'e.g. ticket_created, threaded, auto_reply, bounce' })),
              ticketId: Type.Optional(Uuid),
              address: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
              before: Type.Optional(DateTime),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(EmailLogItem) }), ...errorResponses },
        },
      },
      async (request) => {
        const { before, ...rest } = request.query
        const rows: EmailLogEntry[] = await listEmailLog(deps, actorOf(request), { ...rest, ...(before !== undefined ? { before: new Date(before) } : {}) })
        return { items: rows.map(presentLogRow) }
      },
    )

    app.get(
      '/messages/:id/original',
      {
        schema: {
          tags,
          summary: "A message's text as received (before quoted history and signatures were trimmed) and its sanitised HTML",
          params: IdParams,
          response: {
            200: Type.Object({
              messageId: Uuid,
              ticketId: Uuid,
              body: Type.String(),
              bodyOriginal: Type.String(),
              bodyHtml: Nullable(Type.String({ description: 'sanitised: no scripts, handlers or remote images; safe to render' })),
              email: Nullable(EmailLogItem),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const original = await readMessageOriginal(deps, actorOf(request), request.params.id)
        return { ...original, email: original.email === null ? null : presentLogRow(original.email) }
      },
    )
  }
}
