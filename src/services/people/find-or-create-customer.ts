import { v7 as uuidv7 } from 'uuid'
import type { Actor } from '../../domain/policy/actor.ts'
import { normaliseEmail } from '../../domain/people/contact-points.ts'
import type { Db } from '../../db/connection.ts'
import { insertEvents } from '../../db/events.ts'
import type { UserRow } from '../../db/schema.ts'
import { findUserByEmail } from '../../db/users.ts'
import { followMerges } from './resolve-customer.ts'

/** The customer with this e-mail, created on the spot when unknown (an agent taking a call or a walk-in). */
export async function findOrCreateCustomerByEmail(
  trx: Db,
  actor: Actor,
  contact: { readonly email: string; readonly name?: string | undefined },
  now: Date,
): Promise<UserRow> {
  const email = normaliseEmail(contact.email)
  const existing = await findUserByEmail(trx, email)
  // A merged-away record's address reaches the customer it was merged into.
  if (existing !== undefined) return followMerges(trx, existing)
  const row = {
    id: uuidv7(),
    name: contact.name ?? email.split('@')[0] ?? email,
    email,
    phone: null,
    wechat_open_id: null,
    app_user_id: null,
    roles: ['customer'],
    tier: null,
    organisation_id: null,
    password_hash: null,
    created_at: now,
    updated_at: now,
  }
  // ON CONFLICT: two requests naming the same new e-mail at once both end with the one customer.
  const inserted = await trx.insertInto('users').values(row).onConflict((oc) => oc.column('email').where('email', 'is not', null).doNothing()).returningAll().executeTakeFirst()
  if (inserted === undefined) {
    const winner = await findUserByEmail(trx, email)
    if (winner === undefined) throw new Error('customer vanished after a conflicting insert')
    return winner
  }
  await insertEvents(trx, [
    { type: 'user.created', entityType: 'user', entityId: row.id, actorId: actor.id, at: now, data: { user: { ...row, password_hash: undefined } } },
  ])
  return inserted
}
