import { sql } from 'kysely'
import { isPhoneExtension, normalisePhone } from '../../domain/people/contact-points.ts'
import type { Db } from '../../db/connection.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A number as stored on a call: E.164 when it is a phone number, otherwise as given (`anonymous`, an extension). */
export function storedNumber(raw: string): string {
  return normalisePhone(raw) ?? raw.trim().toLowerCase()
}

/**
 * The staff member a PBX names, trying each reference in turn: first an exact extension
 * (`8001`, before any phone normalisation, which would read a 7- or 8-digit extension as a
 * Chinese landline number), then a user id, an e-mail (login), a phone number in any notation,
 * then the person's name (the three-event form sends real names). Undefined when nobody active
 * matches.
 */
export async function findAgentByRefs(trx: Db, refs: readonly string[]): Promise<string | undefined> {
  for (const ref of refs) {
    const value = ref.trim()
    if (value === '') continue
    const staff = trx
      .selectFrom('users')
      .select('id')
      .where('is_active', '=', true)
      .where(sql<boolean>`roles <> ARRAY['customer']::text[]`)
      .limit(1)
    let found: { id: string } | undefined
    if (isPhoneExtension(value)) found = await staff.where('phone_extension', '=', value).executeTakeFirst()
    if (found !== undefined) return found.id
    if (UUID.test(value)) found = await staff.where('id', '=', value).executeTakeFirst()
    else if (value.includes('@')) found = await staff.where('email', '=', value.toLowerCase()).executeTakeFirst()
    if (found === undefined) {
      const phone = normalisePhone(value)
      if (phone !== null) found = await staff.where('phone', '=', phone).executeTakeFirst()
    }
    if (found === undefined) found = await staff.where(sql<string>`lower(name)`, '=', value.toLowerCase()).executeTakeFirst()
    if (found !== undefined) return found.id
  }
  return undefined
}

/** The customer holding this phone number (any notation), or undefined. Never creates one. */
export async function findCustomerByPhone(trx: Db, raw: string): Promise<string | undefined> {
  const phone = normalisePhone(raw)
  if (phone === null) return undefined
  const row = await trx
    .selectFrom('users')
    .select('id')
    .where('phone', '=', phone)
    .where('is_active', '=', true)
    .where('merged_into', 'is', null)
    .where(sql<boolean>`'customer' = ANY(roles)`)
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst()
  return row?.id
}

/** Whether calls from this number are refused (E.164 numbers, or `anonymous` for withheld ones). */
export async function isNumberBlocked(trx: Db, raw: string): Promise<boolean> {
  const row = await trx.selectFrom('blocked_numbers').select('number').where('number', '=', storedNumber(raw)).executeTakeFirst()
  return row !== undefined
}
