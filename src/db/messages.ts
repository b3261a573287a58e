import { sql } from 'kysely'
import type { Db } from './connection.ts'
import type { AttachmentRow, MessageRow } from './schema.ts'

export async function insertMessage(trx: Db, row: MessageRow): Promise<void> {
  await trx.insertInto('messages').values(row).execute()
}

/** A message with its author's display name and whether the author is staff. */
export interface MessageWithAuthor extends MessageRow {
  readonly author_name: string
  readonly author_is_staff: boolean
}

/** Messages of a ticket in order; internal notes only when `includeInternal`. */
export async function listMessages(trx: Db, ticketId: string, includeInternal: boolean): Promise<MessageWithAuthor[]> {
  let query = trx
    .selectFrom('messages')
    .innerJoin('users', 'users.id', 'messages.author_id')
    .selectAll('messages')
    .select(['users.name as author_name', sql<boolean>`users.roles <> ARRAY['customer']::text[]`.as('author_is_staff')])
    .where('messages.ticket_id', '=', ticketId)
  if (!includeInternal) query = query.where('messages.visibility', '=', 'public')
  return query.orderBy('messages.created_at').orderBy('messages.id').execute()
}

export async function listAttachmentsOfMessages(trx: Db, messageIds: readonly string[]): Promise<AttachmentRow[]> {
  if (messageIds.length === 0) return []
  return trx.selectFrom('attachments').selectAll().where('message_id', 'in', [...messageIds]).orderBy('created_at').execute()
}

/** Links uploads to a message; returns how many were linked (only the uploader's unlinked ones qualify). */
export async function linkAttachments(trx: Db, attachmentIds: readonly string[], messageId: string, uploaderId: string): Promise<number> {
  if (attachmentIds.length === 0) return 0
  const result = await trx
    .updateTable('attachments')
    .set({ message_id: messageId })
    .where('id', 'in', [...attachmentIds])
    .where('uploaded_by', '=', uploaderId)
    .where('message_id', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** An attachment with the ticket and visibility of its message, for access checks. */
export async function findAttachment(trx: Db, id: string) {
  return trx
    .selectFrom('attachments')
    .leftJoin('messages', 'messages.id', 'attachments.message_id')
    .selectAll('attachments')
    .select(['messages.ticket_id', 'messages.visibility'])
    .where('attachments.id', '=', id)
    .executeTakeFirst()
}
