import fs from 'node:fs'
import path from 'node:path'
import type { Actor } from '../../domain/policy/actor.ts'
import { canSeeInternal } from '../../domain/policy/policy.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import { findAttachment } from '../../db/messages.ts'
import type { AttachmentRow } from '../../db/schema.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { loadVisibleTicket } from '../tickets/ticket-view.ts'

/**
 * An attachment the actor may download: one on a message of a ticket they can see (an
 * internal note's only for agents), or their own upload not yet sent.
 */
export async function readAttachment(deps: ServiceDeps, actor: Actor, id: string): Promise<{ row: AttachmentRow; stream: fs.ReadStream }> {
  const notFound = new AppError('NOT_FOUND', 'attachment not found', [{ field: 'id', message: 'no such attachment' }])
  const found = await inTransaction(deps, async (trx) => {
    const attachment = await findAttachment(trx, id)
    if (attachment === undefined) throw notFound
    const { ticket_id: ticketId, visibility, ...row } = attachment
    if (ticketId === null) {
      if (attachment.uploaded_by !== actor.id) throw notFound
      return row
    }
    await loadVisibleTicket(trx, actor, ticketId).catch(() => {
      throw notFound
    })
    if (visibility === 'internal' && !canSeeInternal(actor)) throw notFound
    return row
  })
  return { row: found, stream: fs.createReadStream(path.join(deps.config.attachmentsDir, found.storage_key)) }
}
