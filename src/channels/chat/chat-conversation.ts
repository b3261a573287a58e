import { createHash, randomBytes } from 'node:crypto'
import { v7 as uuidv7 } from 'uuid'
import { isChatOnline, subjectFromFirstMessage, widgetTexts } from '../../domain/chat/chat-rules.ts'
import { normaliseEmail, normalisePhone } from '../../domain/people/contact-points.ts'
import type { Actor } from '../../domain/policy/actor.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import type { Db } from '../../db/connection.ts'
import { type NewEvent, insertEvents } from '../../db/events.ts'
import type { ChatSessionRow, UserRow } from '../../db/schema.ts'
import { type ServiceDeps, inTransaction, joinTransaction } from '../../services/deps.ts'
import { followMerges, resolveCustomer } from '../../services/people/resolve-customer.ts'
import { addMessage } from '../../services/tickets/add-message.ts'
import { createTicket } from '../../services/tickets/create-ticket.ts'
import { loadChatSettings } from './chat-settings.ts'

/** Source name of the chat visitor identity in customer_identities (external id = session id). */
export const CHAT_IDENTITY_SOURCE = 'chat'

/** Who `resolveCustomer` records as having created a visitor's customer record. */
const SYSTEM_CHANNEL_ACTOR_ID = '00000000-0000-0000-0000-000000000000'

/** Most history entries sent to a returning visitor. */
const HISTORY_LIMIT = 500

/** A visitor's conversation as one socket knows it; persisted with the first message or identification. */
export interface VisitorSession {
  readonly sessionId: string
  readonly token: string
  readonly tokenHash: string
  readonly persisted: boolean
  readonly ticketId: string | null
  readonly identified: boolean
  readonly pageUrl: string | null
  readonly locale: 'zh-CN' | 'en'
}

/** One line of the conversation as the visitor sees it. */
export interface ChatHistoryItem {
  readonly id: string
  readonly from: 'visitor' | 'agent'
  readonly text: string
  readonly at: string
  readonly authorName?: string
  readonly clientId?: string
}

export interface Welcome {
  readonly type: 'welcome'
  readonly token: string
  readonly sessionId: string
  readonly history: readonly ChatHistoryItem[]
  readonly online: boolean
  readonly identified: boolean
  readonly agentName?: string
  /** The desk's own greeting and offline text for the visitor's language, when set. */
  readonly greeting?: string
  readonly offlineText?: string
}

/** The resume token is kept only as its SHA-256: a leaked table does not open anyone's chat. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * A visitor says hello: with a token of a stored conversation it resumes (history, its
 * ticket); otherwise a fresh token is issued and nothing is written until the visitor writes
 * or identifies, so page views without a chat leave no records.
 */
export async function openChat(
  deps: ServiceDeps,
  hello: { token: string | null; pageUrl: string | null; locale: 'zh-CN' | 'en' },
): Promise<{ session: VisitorSession; welcome: Welcome }> {
  const now = deps.clock()
  const settings = await loadChatSettings(deps.db)
  const online = isChatOnline(settings, now)
  const texts = widgetTexts(settings, hello.locale)
  if (hello.token !== null) {
    const tokenHash = hashToken(hello.token)
    const row = await deps.db.selectFrom('chat_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst()
    if (row !== undefined) {
      await deps.db.updateTable('chat_sessions').set({ last_seen_at: now }).where('id', '=', row.id).execute()
      const session: VisitorSession = {
        sessionId: row.id,
        token: hello.token,
        tokenHash,
        persisted: true,
        ticketId: row.ticket_id,
        identified: row.identified,
        pageUrl: hello.pageUrl ?? row.page_url,
        locale: hello.locale,
      }
      const history = row.ticket_id === null ? [] : await loadHistory(deps.db, row)
      const agentName = row.ticket_id === null ? undefined : await assigneeName(deps.db, row.ticket_id)
      return {
        session,
        welcome: { type: 'welcome', token: hello.token, sessionId: row.id, history, online, identified: row.identified, ...(agentName !== undefined ? { agentName } : {}), ...texts },
      }
    }
  }
  const token = randomBytes(32).toString('base64url')
  const session: VisitorSession = {
    sessionId: uuidv7(),
    token,
    tokenHash: hashToken(token),
    persisted: false,
    ticketId: null,
    identified: false,
    pageUrl: hello.pageUrl,
    locale: hello.locale,
  }
  return { session, welcome: { type: 'welcome', token, sessionId: session.sessionId, history: [], online, identified: false, ...texts } }
}

export interface PostedMessage {
  readonly session: VisitorSession
  readonly ack: { readonly type: 'ack'; readonly clientId: string; readonly messageId: string; readonly at: string }
  readonly duplicate: boolean
  readonly ticketCreated: boolean
}

/**
 * A visitor's message, in one transaction: the first one of a conversation opens the ticket
 * (channel chat, subject from its first words, the text as description); later ones are
 * public messages on it. The client id makes a resend (after a reconnect) a no-op that
 * answers with the stored message. A conversation whose ticket was closed starts a new one.
 */
export async function postVisitorMessage(deps: ServiceDeps, current: VisitorSession, input: { clientId: string; text: string }): Promise<PostedMessage> {
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const row = await ensureSession(trx, current, now, {})
    const session = { ...current, persisted: true, sessionId: row.id, ticketId: row.ticket_id, identified: row.identified }
    const ack = (messageId: string, at: Date) => ({ type: 'ack' as const, clientId: input.clientId, messageId, at: at.toISOString() })
    const ticket = row.ticket_id === null ? undefined : await trx.selectFrom('tickets').select(['id', 'status', 'received_at', 'requester_id']).where('id', '=', row.ticket_id).executeTakeFirst()
    if (ticket !== undefined && row.first_client_id === input.clientId) {
      return { session, ack: ack(ticket.id, ticket.received_at), duplicate: true, ticketCreated: false }
    }
    const externalRef = `${row.id}:${input.clientId}`
    const known = await trx.selectFrom('messages').select(['id', 'created_at']).where('channel', '=', 'chat').where('external_ref', '=', externalRef).executeTakeFirst()
    if (known !== undefined) return { session, ack: ack(known.id, known.created_at), duplicate: true, ticketCreated: false }

    const joined = joinTransaction(deps, trx)
    if (ticket === undefined || ticket.status === 'closed') {
      const customer = await currentCustomer(trx, row)
      const settings = await loadChatSettings(trx)
      const { ticket: created } = await createTicket(joined, intakeActorFor(customer), {
        subject: subjectFromFirstMessage(input.text),
        description: input.text,
        channel: 'chat',
        type: 'consultation',
        requesterId: customer.id,
        ...(settings.groupId !== null ? { groupId: settings.groupId } : {}),
      })
      await trx.updateTable('chat_sessions').set({ ticket_id: created.id, first_client_id: input.clientId, last_seen_at: now, status: 'open' }).where('id', '=', row.id).execute()
      await insertEvents(trx, [{ type: 'chat_session.ticket_opened', entityType: 'chat_session', entityId: row.id, actorId: customer.id, at: now, data: { ticketId: created.id } }])
      const at = created.received_at
      return { session: { ...session, ticketId: created.id }, ack: ack(created.id, at), duplicate: false, ticketCreated: true }
    }
    const requester = await trx.selectFrom('users').selectAll().where('id', '=', ticket.requester_id).executeTakeFirstOrThrow()
    const message = await addMessage(joined, customerActorFor(requester), ticket.id, { body: input.text, visibility: 'public', channel: 'chat', externalRef })
    await trx.updateTable('chat_sessions').set({ last_seen_at: now }).where('id', '=', row.id).execute()
    return { session, ack: ack(message.id, message.created_at), duplicate: false, ticketCreated: false }
  })
}

export interface Identified {
  readonly session: VisitorSession
  readonly customerId: string
  /** The conversation moved to a customer the desk already knew. */
  readonly moved: boolean
}

/**
 * The visitor gives an e-mail address or phone number (and perhaps a name). A customer the
 * desk already knows by either takes over the conversation: the session and the anonymous
 * visitor's tickets move to them in this one transaction, each move an event. Otherwise the
 * visitor's own record gets the contact details.
 */
export async function identifyVisitor(
  deps: ServiceDeps,
  current: VisitorSession,
  input: { email: string | null; phone: string | null; name: string | null },
): Promise<Identified> {
  const email = input.email === null ? null : normaliseEmail(input.email)
  const phone = input.phone === null ? null : normalisePhone(input.phone)
  if (input.phone !== null && phone === null) throw new AppError('VALIDATION', 'not a phone number', [{ field: 'phone', message: 'not a phone number' }])
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const known = await findKnownCustomer(trx, email, phone)
    const row = await ensureSession(trx, current, now, known === undefined ? { email, phone, name: input.name } : { known })
    const visitor = await currentCustomer(trx, row)
    const events: NewEvent[] = []
    let customerId = visitor.id
    let moved = false
    if (known !== undefined && known.id !== visitor.id) {
      // Tickets of an anonymous visitor are this conversation's alone; an identified one keeps theirs.
      let tickets = trx.selectFrom('tickets').select(['id', 'requester_id']).where('requester_id', '=', visitor.id)
      if (row.identified) tickets = tickets.where('id', '=', row.ticket_id ?? SYSTEM_CHANNEL_ACTOR_ID)
      const toMove = await tickets.execute()
      if (toMove.length > 0) {
        await trx
          .updateTable('tickets')
          .set({ requester_id: known.id, organisation_id: known.organisation_id, updated_at: now })
          .where('id', 'in', toMove.map((ticket) => ticket.id))
          .execute()
      }
      for (const ticket of toMove) {
        events.push({
          type: 'ticket.updated',
          entityType: 'ticket',
          entityId: ticket.id,
          actorId: known.id,
          at: now,
          reason: 'identified in web chat',
          data: { changes: { requesterId: { before: visitor.id, after: known.id } } },
        })
      }
      if (!row.identified) {
        await trx.updateTable('customer_identities').set({ user_id: known.id }).where('source', '=', CHAT_IDENTITY_SOURCE).where('user_id', '=', visitor.id).execute()
      }
      customerId = known.id
      moved = true
    } else if (known === undefined) {
      await resolveCustomer(trx, { identity: { source: CHAT_IDENTITY_SOURCE, externalId: row.id }, email, phone }, now, SYSTEM_CHANNEL_ACTOR_ID)
      if (input.name !== null && !row.identified) {
        await trx.updateTable('users').set({ name: input.name, updated_at: now }).where('id', '=', visitor.id).execute()
      }
    }
    await trx.updateTable('chat_sessions').set({ customer_id: customerId, identified: true, last_seen_at: now }).where('id', '=', row.id).execute()
    events.push({
      type: 'chat_session.identified',
      entityType: 'chat_session',
      entityId: row.id,
      actorId: customerId,
      at: now,
      data: { ticketId: row.ticket_id, customerId, previousCustomerId: visitor.id, moved, by: email !== null ? 'email' : 'phone' },
    })
    await insertEvents(trx, events)
    return { session: { ...current, persisted: true, sessionId: row.id, ticketId: row.ticket_id, identified: true }, customerId, moved }
  })
}

/** The visitor's page address and last-seen time, kept up to date while they are connected. */
export async function touchSession(deps: ServiceDeps, session: VisitorSession): Promise<void> {
  if (!session.persisted) return
  await deps.db.updateTable('chat_sessions').set({ last_seen_at: deps.clock() }).where('id', '=', session.sessionId).execute()
}

/** The conversation of a session as its visitor sees it: the first message (the ticket's description) and the public messages. */
export async function loadHistory(trx: Db, row: Pick<ChatSessionRow, 'ticket_id' | 'first_client_id'>): Promise<ChatHistoryItem[]> {
  if (row.ticket_id === null) return []
  const ticket = await trx.selectFrom('tickets').select(['id', 'description', 'received_at']).where('id', '=', row.ticket_id).executeTakeFirst()
  if (ticket === undefined) return []
  const messages = await trx
    .selectFrom('messages')
    .leftJoin('users', 'users.id', 'messages.author_id')
    .select(['messages.id', 'messages.body', 'messages.created_at', 'messages.external_ref', 'users.name', 'users.roles'])
    .where('messages.ticket_id', '=', ticket.id)
    .where('messages.visibility', '=', 'public')
    .orderBy('messages.created_at', 'desc')
    .orderBy('messages.id', 'desc')
    .limit(HISTORY_LIMIT)
    .execute()
  const first: ChatHistoryItem = {
    id: ticket.id,
    from: 'visitor',
    text: ticket.description,
    at: ticket.received_at.toISOString(),
    ...(row.first_client_id !== null ? { clientId: row.first_client_id } : {}),
  }
  return [first, ...messages.reverse().map((message) => historyItem(message))]
}

/** A stored message as the visitor's widget shows it. */
export function historyItem(message: { id: string; body: string; created_at: Date; external_ref: string | null; name: string | null; roles: readonly string[] | null }): ChatHistoryItem {
  const isAgent = (message.roles ?? []).some((role) => role !== 'customer')
  const clientId = message.external_ref?.split(':')[1]
  return {
    id: message.id,
    from: isAgent ? 'agent' : 'visitor',
    text: message.body,
    at: message.created_at.toISOString(),
    ...(isAgent && message.name !== null ? { authorName: message.name } : {}),
    ...(!isAgent && clientId !== undefined ? { clientId } : {}),
  }
}

async function assigneeName(trx: Db, ticketId: string): Promise<string | undefined> {
  const row = await trx.selectFrom('tickets').innerJoin('users', 'users.id', 'tickets.assignee_id').select('users.name').where('tickets.id', '=', ticketId).executeTakeFirst()
  return row?.name
}

/**
 * The stored session row, locked for this transaction; created first when the visitor had
 * not written yet, with the customer it belongs to (an anonymous visitor, a customer just
 * created from the given contact details, or a known one).
 */
async function ensureSession(
  trx: Db,
  session: VisitorSession,
  now: Date,
  who: { email?: string | null; phone?: string | null; name?: string | null; known?: UserRow },
): Promise<ChatSessionRow> {
  if (!session.persisted) {
    const customer =
      who.known ??
      (
        await resolveCustomer(
          trx,
          {
            identity: { source: CHAT_IDENTITY_SOURCE, externalId: session.sessionId },
            email: who.email,
            phone: who.phone,
            name: who.name ?? `访客 Visitor ${session.sessionId.slice(-6)}`,
            locale: session.locale,
          },
          now,
          SYSTEM_CHANNEL_ACTOR_ID,
        )
      ).user
    const inserted = await trx
      .insertInto('chat_sessions')
      .values({
        id: session.sessionId,
        token_hash: session.tokenHash,
        customer_id: customer.id,
        ticket_id: null,
        status: 'open',
        page_url: session.pageUrl,
        created_at: now,
        last_seen_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst()
    if (inserted !== undefined) {
      await insertEvents(trx, [{ type: 'chat_session.started', entityType: 'chat_session', entityId: session.sessionId, actorId: customer.id, at: now, data: { pageUrl: session.pageUrl } }])
    }
  }
  const row = await trx.selectFrom('chat_sessions').selectAll().where('token_hash', '=', session.tokenHash).forUpdate().executeTakeFirst()
  if (row === undefined) throw new AppError('NOT_FOUND', 'chat session not found')
  return row
}

async function currentCustomer(trx: Db, row: ChatSessionRow): Promise<UserRow> {
  const user = await trx.selectFrom('users').selectAll().where('id', '=', row.customer_id).executeTakeFirstOrThrow()
  return followMerges(trx, user)
}

async function findKnownCustomer(trx: Db, email: string | null, phone: string | null): Promise<UserRow | undefined> {
  for (const [column, value] of [['email', email], ['phone', phone]] as const) {
    if (value === null) continue
    const row = await trx.selectFrom('users').selectAll().where(column, '=', value).executeTakeFirst()
    if (row !== undefined) return followMerges(trx, row)
  }
  return undefined
}

/** The customer, writing in the chat: their messages are public replies. */
function customerActorFor(customer: UserRow): Actor {
  return { id: customer.id, roles: ['customer'], tier: null, organisationId: customer.organisation_id, isOrgAdmin: false, groupIds: [], via: 'session' }
}

/**
 * The customer's request entering through the chat channel: recorded as theirs, while the
 * channel decides what a customer alone may not (the channel and the team it goes to).
 */
function intakeActorFor(customer: UserRow): Actor {
  return { id: customer.id, roles: ['admin'], tier: null, organisationId: null, isOrgAdmin: false, groupIds: [], via: 'system' }
}

/** A message left outside chat hours: a ticket on the chat channel for the customer with these details. */
export async function submitOfflineMessage(
  deps: ServiceDeps,
  input: { name: string | null; email: string | null; phone: string | null; message: string; pageUrl: string | null; locale: 'zh-CN' | 'en' },
): Promise<{ ticketNumber: string }> {
  if (input.email === null && input.phone === null) {
    throw new AppError('VALIDATION', 'give an e-mail address or a phone number so the desk can answer', [{ field: 'email', message: 'e-mail or phone required' }])
  }
  const phone = input.phone === null ? null : normalisePhone(input.phone)
  if (input.phone !== null && phone === null) throw new AppError('VALIDATION', 'not a phone number', [{ field: 'phone', message: 'not a phone number' }])
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const { user } = await resolveCustomer(trx, { email: input.email, phone, name: input.name, locale: input.locale }, now, SYSTEM_CHANNEL_ACTOR_ID)
    const settings = await loadChatSettings(trx)
    const description = input.pageUrl === null ? input.message : `${input.message}\n\n— ${input.pageUrl}`
    const { ticket } = await createTicket(joinTransaction(deps, trx), intakeActorFor(user), {
      subject: subjectFromFirstMessage(input.message),
      description,
      channel: 'chat',
      type: 'consultation',
      requesterId: user.id,
      tags: ['chat-offline'],
      ...(settings.groupId !== null ? { groupId: settings.groupId } : {}),
    })
    return { ticketNumber: ticket.number }
  })
}
