import { v7 as uuidv7 } from 'uuid'
import { type AutomatedKind, classifyAutomatedMail } from '../../domain/email/automated-mail.ts'
import { idSpellings, threadCandidates } from '../../domain/email/message-ids.ts'
import { findTicketNumber, normaliseSubject } from '../../domain/email/subject.ts'
import { decideThreading } from '../../domain/email/threading.ts'
import { trimReply } from '../../domain/email/trim-reply.ts'
import type { Actor } from '../../domain/policy/actor.ts'
import { canSeeTicket } from '../../domain/policy/policy.ts'
import type { Role, Tier } from '../../domain/tickets/ticket.ts'
import type { Db } from '../../db/connection.ts'
import type { UserRow } from '../../db/schema.ts'
import { type TicketRecord, findTicket } from '../../db/tickets.ts'
import { groupIdsOfUser } from '../../db/users.ts'
import { isAcceptedAttachmentType, sniffBytes, writeContentAddressed } from '../../services/attachments/store-attachment.ts'
import { type ServiceDeps, inTransaction, joinTransaction } from '../../services/deps.ts'
import { resolveCustomer } from '../../services/people/resolve-customer.ts'
import { addMessage } from '../../services/tickets/add-message.ts'
import { createTicket } from '../../services/tickets/create-ticket.ts'
import { ticketFacts } from '../../services/tickets/ticket-view.ts'
import { normaliseContentId, sanitiseEmailHtml } from './html-sanitiser.ts'
import { type ParsedEmail, parseEmail } from './inbound-parse.ts'

/** The SMTP envelope (or its stand-in for a polled mailbox). */
export interface Envelope {
  /** MAIL FROM; '' for the null sender `<>`, null when unknown (IMAP). */
  readonly mailFrom: string | null
  readonly rcptTo: readonly string[]
}

/** What became of one inbound e-mail; each is the `outcome` of its row in `email_messages`. */
export type InboundOutcome = 'ticket_created' | 'follow_up_created' | 'threaded' | 'duplicate' | 'refused' | AutomatedKind

export interface InboundResult {
  readonly outcome: InboundOutcome
  readonly messageId: string
  readonly emailId: string | null
  readonly ticketId: string | null
  readonly ticketNumber: string | null
  readonly ticketMessageId: string | null
  readonly reason: string | null
}

/** Who `resolveCustomer` records as having created a customer that arrived by e-mail. */
const SYSTEM_CHANNEL_ACTOR_ID = '00000000-0000-0000-0000-000000000000'
/** Limits of the ticket and message fields (the same as over HTTP). */
const MAX_SUBJECT = 300
const MAX_BODY = 100_000
/** A new ticket's description is the start of the mail; the whole text is its first message. Indexing 100 kB of Chinese costs a third of a second. */
const MAX_DESCRIPTION = 20_000
/** The untrimmed text kept beside the body; the raw message is kept whole in the store. */
const MAX_ORIGINAL = 1_000_000

interface PreparedAttachment {
  readonly id: string
  readonly filename: string
  readonly contentType: string
  readonly size: number
  readonly sha256: string
  readonly storageKey: string
}

/**
 * Takes in one e-mail, in one transaction: claims its Message-ID (the same id twice is
 * stored once), logs it in `email_messages`, drops bounces and automatic replies, finds the
 * sender's one customer record, and threads the mail onto its ticket (by In-Reply-To and
 * References, then by the ticket number in the subject, for parties of the ticket only) or
 * opens a ticket. Files (attachments, the raw .eml) are written to the content-addressed
 * store first, so the transaction only links them. Throws on a database failure: nothing
 * is then recorded, and the caller answers so the sender tries again.
 */
export async function receiveEmail(deps: ServiceDeps, raw: Buffer, envelope: Envelope): Promise<InboundResult> {
  const parsed = await parseEmail(raw)
  const automated = classifyAutomatedMail({
    headers: parsed.headers,
    from: parsed.from?.address ?? null,
    envelopeFrom: envelope.mailFrom,
    subject: parsed.subject,
    contentType: parsed.contentType,
    reportType: parsed.reportType,
  })
  const rawStored = await writeContentAddressed(deps.config.attachmentsDir, raw)
  const prepared = automated.kind === null ? await prepareAttachments(deps, parsed) : { attachments: [], skipped: [] }
  const inlineImages = new Map<string, string>()
  parsed.attachments.forEach((attachment, index) => {
    const stored = prepared.attachments.find((entry) => entry.index === index)
    if (attachment.contentId !== null && stored !== undefined) inlineImages.set(normaliseContentId(attachment.contentId), stored.row.id)
  })
  const bodyHtml = parsed.html === null ? null : sanitiseEmailHtml(parsed.html, inlineImages)
  const trimmed = trimReply(parsed.text)
  const skippedNote = prepared.skipped.length === 0 ? '' : `\n\n[${prepared.skipped.map((name) => `附件未保存 / attachment not kept: ${name}`).join('; ')}]`
  const body = (trimmed.body.trim() === '' ? '(空邮件 / empty e-mail)' : trimmed.body).slice(0, MAX_BODY - skippedNote.length) + skippedNote
  const bodyOriginal = trimmed.trimmed ? parsed.text.slice(0, MAX_ORIGINAL) : null

  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const emailId = uuidv7()
    const claimed = await trx
      .insertInto('email_messages')
      .values({
        id: emailId,
        message_id: parsed.messageId,
        direction: 'in',
        ticket_id: null,
        ticket_message_id: null,
        in_reply_to: parsed.inReplyTo[0] ?? null,
        reference_ids: parsed.references,
        from_address: parsed.from?.address ?? (envelope.mailFrom || null),
        to_addresses: envelope.rcptTo.length > 0 ? [...envelope.rcptTo] : parsed.to,
        subject: parsed.subject.slice(0, 1000),
        outcome: 'processing',
        raw_storage_key: rawStored.storageKey,
        size_bytes: raw.length,
        created_at: now,
      })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .returning('id')
      .executeTakeFirst()
    if (claimed === undefined) return known(trx, parsed.messageId)

    const record = async (outcome: InboundOutcome, reason: string | null, ticket: TicketRecord | null, ticketMessageId: string | null): Promise<InboundResult> => {
      await trx
        .updateTable('email_messages')
        .set({ outcome, ticket_id: ticket?.id ?? null, ticket_message_id: ticketMessageId })
        .where('id', '=', emailId)
        .execute()
      return { outcome, reason, messageId: parsed.messageId, emailId, ticketId: ticket?.id ?? null, ticketNumber: ticket?.number ?? null, ticketMessageId }
    }

    const matched = await findThreadTicket(trx, parsed, emailId)
    if (automated.kind !== null) return record(automated.kind, automated.reason, matched?.ticket ?? null, null)
    if (parsed.from === null) return record('refused', 'no sender address', null, null)
    if (parsed.from.address === ownAddress(deps.config.mailFrom)) return record('refused', 'sent by this desk (a loop)', null, null)

    const { user: sender } = await resolveCustomer(trx, { email: parsed.from.address, name: parsed.from.name || null }, now, SYSTEM_CHANNEL_ACTOR_ID)
    if (!sender.is_active) return record('refused', 'the sender is deactivated', null, null)
    const staff = isStaffUser(sender)
    const senderActor = staff ? await staffActor(trx, sender) : customerActor(sender, matched?.ticket ?? null)
    const decision = decideThreading(
      matched === null ? null : { requesterId: matched.ticket.requester_id, organisationId: matched.ticket.organisation_id, status: matched.ticket.status },
      {
        userId: sender.id,
        organisationId: sender.organisation_id,
        isStaff: staff,
        staffSeesTicket: staff && matched !== null && canSeeTicket(senderActor, ticketFacts(matched.ticket)),
      },
    )
    const joined = joinTransaction(deps, trx)
    const message = { bodyOriginal, bodyHtml, externalRef: parsed.messageId, channel: 'email' as const, visibility: 'public' as const }

    if (decision.action === 'thread' && matched !== null) {
      const attachmentIds = await insertAttachments(trx, prepared.attachments.map((entry) => entry.row), sender.id, now)
      const posted = await addMessage(joined, senderActor, matched.ticket.id, { ...message, body, attachmentIds })
      return record('threaded', `matched by ${matched.by}`, matched.ticket, posted.id)
    }
    if (staff) return record('refused', 'staff e-mail that answers no ticket of theirs', null, null)

    const followUpOf = decision.action === 'follow_up' ? matched?.ticket ?? null : null
    const subject = normaliseSubject(parsed.subject).slice(0, MAX_SUBJECT) || '(无主题 / no subject)'
    const { ticket } = await createTicket(joined, intakeActor(sender), {
      subject,
      description: body.length > MAX_DESCRIPTION ? `${body.slice(0, MAX_DESCRIPTION)}\n[…]` : body,
      channel: 'email',
      requesterId: sender.id,
      ...(followUpOf !== null ? { tags: [`follow-up:${followUpOf.number}`] } : {}),
    })
    const attachmentIds = await insertAttachments(trx, prepared.attachments.map((entry) => entry.row), sender.id, now)
    const requester = customerActor(sender, null)
    const posted = await addMessage(joined, requester, ticket.id, { ...message, body, attachmentIds })
    const reason = followUpOf !== null ? `follow-up of closed ticket ${followUpOf.number}` : decision.action === 'new_ticket' && decision.reason === 'not_a_party' ? 'sender is not a party of the matched ticket' : null
    return record(followUpOf !== null ? 'follow_up_created' : 'ticket_created', reason, ticket, posted.id)
  })
}

/** The result for a Message-ID already taken in: what happened to it the first time. */
async function known(trx: Db, messageId: string): Promise<InboundResult> {
  const row = await trx
    .selectFrom('email_messages')
    .leftJoin('tickets', 'tickets.id', 'email_messages.ticket_id')
    .select(['email_messages.id', 'email_messages.ticket_id', 'email_messages.ticket_message_id', 'email_messages.outcome', 'tickets.number'])
    .where('email_messages.message_id', '=', messageId)
    .executeTakeFirst()
  return {
    outcome: 'duplicate',
    reason: row === undefined ? null : `first taken in as ${row.outcome}`,
    messageId,
    emailId: row?.id ?? null,
    ticketId: row?.ticket_id ?? null,
    ticketNumber: row?.number ?? null,
    ticketMessageId: row?.ticket_message_id ?? null,
  }
}

/** The ticket a reply belongs to: by the ids it answers (ours out, or earlier mail in), then by the number in its subject. */
async function findThreadTicket(trx: Db, parsed: ParsedEmail, ownRowId: string): Promise<{ ticket: TicketRecord; by: string } | null> {
  const candidates = threadCandidates(parsed.inReplyTo, parsed.references)
  if (candidates.length > 0) {
    const rows = await trx
      .selectFrom('email_messages')
      .select(['message_id', 'ticket_id'])
      .where('message_id', 'in', idSpellings(candidates.slice(0, 100)))
      .where('ticket_id', 'is not', null)
      .where('id', '<>', ownRowId)
      .execute()
    for (const candidate of candidates) {
      const row = rows.find((entry) => entry.message_id === candidate || `<${entry.message_id}>` === candidate)
      if (row?.ticket_id) {
        const ticket = await findTicket(trx, row.ticket_id, { forUpdate: true })
        if (ticket !== undefined) return { ticket, by: candidate === parsed.inReplyTo[0] ? 'In-Reply-To' : 'References' }
      }
    }
  }
  const number = findTicketNumber(parsed.subject)
  if (number === null) return null
  const row = await trx.selectFrom('tickets').select('id').where('number', '=', number).executeTakeFirst()
  const ticket = row === undefined ? undefined : await findTicket(trx, row.id, { forUpdate: true })
  return ticket === undefined ? null : { ticket, by: 'ticket number in the subject' }
}

/** Sniffs and stores each file outside the transaction; refused types and oversized files are named, not stored. */
async function prepareAttachments(deps: ServiceDeps, parsed: ParsedEmail): Promise<{ attachments: Array<{ index: number; row: PreparedAttachment }>; skipped: string[] }> {
  const attachments: Array<{ index: number; row: PreparedAttachment }> = []
  const skipped: string[] = []
  for (const [index, attachment] of parsed.attachments.entries()) {
    if (attachment.content.length === 0) continue
    if (attachment.content.length > deps.config.attachmentLimitBytes) {
      skipped.push(`${attachment.filename} (> ${deps.config.attachmentLimitBytes} bytes)`)
      continue
    }
    // Delivery reports and headers travel as parts too; only what a person would open is kept.
    const contentType = await sniffBytes(attachment.content)
    if (!isAcceptedAttachmentType(contentType)) {
      skipped.push(`${attachment.filename} (${contentType ?? attachment.declaredType})`)
      continue
    }
    const stored = await writeContentAddressed(deps.config.attachmentsDir, attachment.content)
    attachments.push({
      index,
      row: { id: uuidv7(), filename: cleanName(attachment.filename), contentType, size: stored.size, sha256: stored.sha256, storageKey: stored.storageKey },
    })
  }
  return { attachments, skipped }
}

function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  return Array.from(base.replace(/[\u0000-\u001f\u007f"]/g, '').trim()).slice(0, 200).join('') || 'attachment'
}

async function insertAttachments(trx: Db, rows: readonly PreparedAttachment[], uploaderId: string, now: Date): Promise<string[]> {
  if (rows.length === 0) return []
  await trx
    .insertInto('attachments')
    .values(rows.map((row) => ({ id: row.id, message_id: null, uploaded_by: uploaderId, filename: row.filename, content_type: row.contentType, size_bytes: row.size, sha256: row.sha256, storage_key: row.storageKey, created_at: now })))
    .execute()
  return rows.map((row) => row.id)
}

function ownAddress(mailFrom: string): string | null {
  const match = /<([^<>\s]+@[^<>\s]+)>/.exec(mailFrom) ?? /([^\s<>]+@[^\s<>]+)/.exec(mailFrom)
  return match?.[1]?.toLowerCase() ?? null
}

function isStaffUser(user: UserRow): boolean {
  return user.roles.some((role) => role !== 'customer')
}

async function staffActor(trx: Db, user: UserRow): Promise<Actor> {
  return {
    id: user.id,
    roles: user.roles as Role[],
    tier: user.tier as Tier | null,
    organisationId: user.organisation_id,
    isOrgAdmin: false,
    groupIds: await groupIdsOfUser(trx, user.id),
    via: 'system',
  }
}

/**
 * The customer writing by e-mail. A colleague of the requester (same organisation), whom the
 * threading rule accepts as a party, sees the organisation's ticket as an org contact would.
 */
function customerActor(user: UserRow, ticket: TicketRecord | null): Actor {
  const colleague = ticket !== null && user.organisation_id !== null && ticket.organisation_id === user.organisation_id
  return { id: user.id, roles: ['customer'], tier: null, organisationId: user.organisation_id, isOrgAdmin: user.is_org_admin || colleague, groupIds: [], via: 'system' }
}

/** The customer's request entering by e-mail: theirs, with the channel set by the desk (as for the other intake channels). */
function intakeActor(user: UserRow): Actor {
  return { id: user.id, roles: ['admin'], tier: null, organisationId: null, isOrgAdmin: false, groupIds: [], via: 'system' }
}
