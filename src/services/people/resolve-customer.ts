import { sql } from 'kysely'
import { v7 as uuidv7 } from 'uuid'
import { normaliseEmail, normalisePhone } from '../../domain/people/contact-points.ts'
import type { Db } from '../../db/connection.ts'
import { type NewEvent, insertEvents } from '../../db/events.ts'
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

/** Event written when one contact's clues point at two different customer records (a likely duplicate). */
export const CLUES_MET_EVENT = 'customer.clues_met'

/** How many merges deep a chain of `merged_into` links may go before it is taken as broken. */
const MAX_MERGE_DEPTH = 10
/** Attempts when a concurrent contact creates the same customer between our lookup and our insert. */
const MAX_ATTEMPTS = 4

/**
 * The one customer these clues point at (统一客户ID): first by the source's external id, then by
 * e-mail, then by phone, following merges to the surviving record. Clues the customer did not
 * have yet are added to their record when no one else holds them; a clue held by ANOTHER record
 * is left there and the meeting is recorded (`customer.clues_met`) so agents are offered the
 * merge. With no match a customer is created. Runs in the caller's transaction.
 *
 * Race-safe: a customer is inserted with its e-mail and phone under ON CONFLICT DO NOTHING, and
 * clues are added to an existing record under a savepoint, so two contacts arriving at once with
 * the same new e-mail or phone end with one customer instead of a unique-index failure.
 */
export async function resolveCustomer(trx: Db, clues: ContactClues, now: Date, actorId: string): Promise<ResolvedCustomer> {
  const normalised: NormalisedClues = {
    email: clues.email ? normaliseEmail(clues.email) : null,
    phone: clues.phone ? normalisePhone(clues.phone) : null,
    identity: clues.identity ?? null,
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const found = await findByClues(trx, normalised)
    if (found !== undefined) {
      const user = await followMerges(trx, found)
      return { user: await addMissingClues(trx, user, normalised, now, actorId), created: false }
    }
    const created = await insertCustomer(trx, clues, normalised, now, actorId)
    if (created !== undefined) return { user: created, created: true }
    // Someone else stored one of these clues meanwhile: look again and take theirs.
  }
  throw new Error('could not resolve the customer: the contact keeps colliding with concurrent inserts')
}

interface NormalisedClues {
  readonly email: string | null
  readonly phone: string | null
  readonly identity: { readonly source: string; readonly externalId: string } | null
}

/** Inserts a new customer holding the clues; undefined when a concurrent contact took one of them first. */
async function insertCustomer(trx: Db, clues: ContactClues, normalised: NormalisedClues, now: Date, actorId: string): Promise<UserRow | undefined> {
  const { email, phone, identity } = normalised
  const row = {
    id: uuidv7(),
    name: clues.name?.trim() || email?.split('@')[0] || phone || (identity === null ? 'Customer' : `${identity.source}:${identity.externalId}`),
    email,
    phone,
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
  // No conflict target: any unique index (e-mail or phone) taken by a concurrent insert means "not us".
  const inserted = await trx.insertInto('users').values(row).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst()
  if (inserted === undefined) return undefined
  if (identity !== null) {
    const held = await trx
      .insertInto('customer_identities')
      .values({ source: identity.source, external_id: identity.externalId, user_id: inserted.id, created_at: now })
      .onConflict((oc) => oc.columns(['source', 'external_id']).doNothing())
      .returning('user_id')
      .executeTakeFirst()
    if (held === undefined) {
      // A concurrent contact registered this external id to its own new customer: that one is the customer.
      await trx.deleteFrom('users').where('id', '=', inserted.id).execute()
      return undefined
    }
  }
  await insertEvents(trx, [
    { type: 'user.created', entityType: 'user', entityId: inserted.id, actorId, at: now, data: { user: { ...inserted, password_hash: undefined }, via: 'channel' } },
  ])
  return inserted
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

/** The surviving record holding this e-mail or phone, if any. */
async function holderOf(trx: Db, column: 'email' | 'phone', value: string): Promise<UserRow | undefined> {
  const row = await trx.selectFrom('users').selectAll().where(column, '=', value).executeTakeFirst()
  return row === undefined ? undefined : followMerges(trx, row)
}

/**
 * Records the clues the customer lacked. A clue held by another record stays there (a merge
 * decides) and the meeting is recorded; a clue the customer already has a different value for
 * is not overwritten (people have several addresses; the record keeps the one it knows).
 */
async function addMissingClues(trx: Db, user: UserRow, clues: NormalisedClues, now: Date, actorId: string): Promise<UserRow> {
  const events: NewEvent[] = []
  let updated = user
  for (const column of ['email', 'phone'] as const) {
    const value = clues[column]
    if (value === null) continue
    const holder = await holderOf(trx, column, value)
    if (holder !== undefined) {
      if (holder.id !== user.id) {
        events.push({ type: CLUES_MET_EVENT, entityType: 'user', entityId: user.id, actorId, at: now, data: { otherId: holder.id, clue: column, value } })
      }
      continue
    }
    if (updated[column] !== null) continue
    const next = await setClue(trx, updated.id, column, value, now)
    if (next === undefined) {
      // A concurrent contact stored this clue on another record first: record the meeting.
      const other = await holderOf(trx, column, value)
      if (other !== undefined && other.id !== user.id) {
        events.push({ type: CLUES_MET_EVENT, entityType: 'user', entityId: user.id, actorId, at: now, data: { otherId: other.id, clue: column, value } })
      }
      continue
    }
    updated = next
    events.push({ type: 'user.updated', entityType: 'user', entityId: user.id, actorId, at: now, reason: 'contact from a channel', data: { changes: { [column]: value } } })
  }
  if (clues.identity !== null) {
    const held = await trx
      .insertInto('customer_identities')
      .values({ source: clues.identity.source, external_id: clues.identity.externalId, user_id: user.id, created_at: now })
      .onConflict((oc) => oc.columns(['source', 'external_id']).doNothing())
      .returning('user_id')
      .executeTakeFirst()
    if (held === undefined) {
      const other = await trx.selectFrom('customer_identities').select('user_id').where('source', '=', clues.identity.source).where('external_id', '=', clues.identity.externalId).executeTakeFirst()
      if (other !== undefined && other.user_id !== user.id) {
        events.push({ type: CLUES_MET_EVENT, entityType: 'user', entityId: user.id, actorId, at: now, data: { otherId: other.user_id, clue: 'identity', value: `${clues.identity.source}:${clues.identity.externalId}` } })
      }
    }
  }
  await insertEvents(trx, events)
  return updated
}

/**
 * Sets one contact point under a savepoint: a concurrent transaction that stored the same
 * value first makes the UPDATE fail on the unique index, which would otherwise abort the
 * caller's whole transaction. Undefined when the value was taken.
 */
async function setClue(trx: Db, userId: string, column: 'email' | 'phone', value: string, now: Date): Promise<UserRow | undefined> {
  const update = () => trx.updateTable('users').set({ [column]: value, updated_at: now }).where('id', '=', userId).where(column, 'is', null).returningAll().executeTakeFirst()
  if (!trx.isTransaction) {
    try {
      return await update()
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return undefined
      throw error
    }
  }
  await sql`SAVEPOINT resolve_customer_clue`.execute(trx)
  try {
    const row = await update()
    await sql`RELEASE SAVEPOINT resolve_customer_clue`.execute(trx)
    return row
  } catch (error) {
    await sql`ROLLBACK TO SAVEPOINT resolve_customer_clue`.execute(trx)
    if ((error as { code?: string }).code === '23505') return undefined
    throw error
  }
}
