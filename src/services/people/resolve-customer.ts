import { v7 as uuidv7 } from 'uuid'
import { normaliseEmail, normalisePhone } from '../../domain/people/contact-points.ts'
import type { Db } from '../../db/connection.ts'
import { insertEvents } from '../../db/events.ts'
import type { UserRow } from '../../db/schema.ts'

/** What a channel knows about whoever wrote, called or chatted: any of these may be missing. */
export interface ContactClues {
  readonly email?: string | null | undefined
  /** Any phone notation; stored as E.164 (national numbers taken as Chinese). */
  readonly phone?: string | null | undefined
  /** An id the customer has in one source (an app, a WeChat account, a chat visitor). */
  readonly identity?: { readonly source: string; readonly externalId: string } | null | undefined
  readonly name?: string | null | undefined
  readonly locale?: string | null | undefined
}

export interface ResolvedCustomer {
  readonly user: UserRow
  readonly created: boolean
}

/** How many merges deep a chain of `merged_into` links may go before it is taken as broken. */
const MAX_MERGE_DEPTH = 10

/**
 * The one customer these clues point at (统一客户ID): first by the source's external id, then by
 * e-mail, then by phone, following merges to the surviving record. Clues the customer did not
 * have yet are added to their record when no one else holds them; with no match a customer is
 * created. Runs in the caller's transaction, so the contact and what it brought commit together.
 */
export async function resolveCustomer(trx: Db, clues: ContactClues, now: Date, actorId: string): Promise<ResolvedCustomer> {
  const email = clues.email ? normaliseEmail(clues.email) : null
  const phone = clues.phone ? normalisePhone(clues.phone) : null
  const identity = clues.identity ?? null
  const found = await findByClues(trx, { email, phone, identity })
  if (found !== undefined) {
    const user = await followMerges(trx, found)
    return { user: await addMissingClues(trx, user, { email, phone, identity }, now, actorId), created: false }
  }
  const row = {
    id: uuidv7(),
    name: clues.name?.trim() || email?.split('@')[0] || phone || (identity === null ? 'Customer' : `${identity.source}:${identity.externalId}`),
    email: null as string | null,
    phone: null as string | null,
    wechat_open_id: null,
    app_user_id: null,
    roles: ['customer'],
    tier: null,
    organisation_id: null,
    password_hash: null,
    ...(clues.locale === 'en' || clues.locale === 'zh-CN' ? { locale: clues.locale } : {}),
    created_at: now,
    updated_at: now,
  }
  const inserted = await trx.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow()
  const user = await addMissingClues(trx, inserted, { email, phone, identity }, now, actorId, true)
  if (user.email === null && email !== null) {
    // Someone else took this e-mail between the lookup and now: theirs is the customer.
    await trx.deleteFrom('users').where('id', '=', inserted.id).execute()
    return resolveCustomer(trx, clues, now, actorId)
  }
  await insertEvents(trx, [
    { type: 'user.created', entityType: 'user', entityId: user.id, actorId, at: now, data: { user: { ...user, password_hash: undefined }, via: 'channel' } },
  ])
  return { user, created: true }
}

interface NormalisedClues {
  readonly email: string | null
  readonly phone: string | null
  readonly identity: { readonly source: string; readonly externalId: string } | null
}

async function findByClues(trx: Db, clues: NormalisedClues): Promise<UserRow | undefined> {
  if (clues.identity !== null) {
    const row = await trx
      .selectFrom('customer_identities')
      .innerJoin('users', 'users.id', 'customer_identities.user_id')
      .selectAll('users')
      .where('customer_identities.source', '=', clues.identity.source)
      .where('customer_identities.external_id', '=', clues.identity.externalId)
      .executeTakeFirst()
    if (row !== undefined) return row
  }
  if (clues.email !== null) {
    const row = await trx.selectFrom('users').selectAll().where('email', '=', clues.email).executeTakeFirst()
    if (row !== undefined) return row
  }
  if (clues.phone !== null) {
    const row = await trx.selectFrom('users').selectAll().where('phone', '=', clues.phone).executeTakeFirst()
    if (row !== undefined) return row
  }
  return undefined
}

/** A merged-away record stands for the record it was merged into. */
export async function followMerges(trx: Db, user: UserRow): Promise<UserRow> {
  let current = user
  for (let depth = 0; current.merged_into !== null && depth < MAX_MERGE_DEPTH; depth++) {
    const next = await trx.selectFrom('users').selectAll().where('id', '=', current.merged_into).executeTakeFirst()
    if (next === undefined) break
    current = next
  }
  return current
}

/** Records the clues the customer lacked; one already held by another record is left there (a merge decides). */
async function addMissingClues(trx: Db, user: UserRow, clues: NormalisedClues, now: Date, actorId: string, quiet = false): Promise<UserRow> {
  const changes: { email?: string; phone?: string } = {}
  if (clues.email !== null && user.email === null && !(await taken(trx, 'email', clues.email))) changes.email = clues.email
  if (clues.phone !== null && user.phone === null && !(await taken(trx, 'phone', clues.phone))) changes.phone = clues.phone
  let updated = user
  if (Object.keys(changes).length > 0) {
    updated = await trx.updateTable('users').set({ ...changes, updated_at: now }).where('id', '=', user.id).returningAll().executeTakeFirstOrThrow()
    if (!quiet) await insertEvents(trx, [{ type: 'user.updated', entityType: 'user', entityId: user.id, actorId, at: now, reason: 'contact from a channel', data: { changes } }])
  }
  if (clues.identity !== null) {
    await trx
      .insertInto('customer_identities')
      .values({ source: clues.identity.source, external_id: clues.identity.externalId, user_id: user.id, created_at: now })
      .onConflict((oc) => oc.columns(['source', 'external_id']).doNothing())
      .execute()
  }
  return updated
}

async function taken(trx: Db, column: 'email' | 'phone', value: string): Promise<boolean> {
  const row = await trx.selectFrom('users').select('id').where(column, '=', value).executeTakeFirst()
  return row !== undefined
}
