import { sql } from 'kysely'
import type { Db } from './connection.ts'
import type { UserRow } from './schema.ts'

export async function findUserById(trx: Db, id: string): Promise<UserRow | undefined> {
  return trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findUserByEmail(trx: Db, email: string): Promise<UserRow | undefined> {
  return trx.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
}

export async function findUsersByIds(trx: Db, ids: readonly string[]): Promise<UserRow[]> {
  if (ids.length === 0) return []
  return trx.selectFrom('users').selectAll().where('id', 'in', [...ids]).execute()
}

export async function groupIdsOfUser(trx: Db, userId: string): Promise<string[]> {
  const rows = await trx.selectFrom('group_members').select('group_id').where('user_id', '=', userId).execute()
  return rows.map((row) => row.group_id)
}

export async function isGroupMember(trx: Db, groupId: string, userId: string): Promise<boolean> {
  const row = await trx.selectFrom('group_members').select('user_id').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst()
  return row !== undefined
}

export async function countAdmins(trx: Db): Promise<number> {
  const row = await trx
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(sql<boolean>`'admin' = ANY(roles)`)
    .where('is_active', '=', true)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** A user without the password hash, with their groups. */
export interface UserView extends Omit<UserRow, 'password_hash'> {
  readonly group_ids: string[]
  readonly has_password: boolean
}

export function presentUserRow(row: UserRow, groupIds: string[]): UserView {
  const { password_hash: passwordHash, ...rest } = row
  return { ...rest, group_ids: groupIds, has_password: passwordHash !== null }
}

export async function findUserView(trx: Db, id: string): Promise<UserView | undefined> {
  const row = await findUserById(trx, id)
  if (row === undefined) return undefined
  return presentUserRow(row, await groupIdsOfUser(trx, id))
}
