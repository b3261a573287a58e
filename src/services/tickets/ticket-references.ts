import { AppError, invalidField } from '../../domain/shared/app-error.ts'
import type { Db } from '../../db/connection.ts'
import { findUserById, findUsersByIds, isGroupMember } from '../../db/users.ts'

/** Checks that the records a ticket points at exist and fit; throws VALIDATION naming the field. */
export async function assertCategoryExists(trx: Db, categoryId: string): Promise<void> {
  const row = await trx.selectFrom('categories').select('id').where('id', '=', categoryId).executeTakeFirst()
  if (row === undefined) throw invalidField('categoryId', 'no such category')
}

export async function assertGroupExists(trx: Db, groupId: string): Promise<void> {
  const row = await trx.selectFrom('groups').select('id').where('id', '=', groupId).executeTakeFirst()
  if (row === undefined) throw invalidField('groupId', 'no such group')
}

export async function assertOrganisationExists(trx: Db, organisationId: string): Promise<void> {
  const row = await trx.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst()
  if (row === undefined) throw invalidField('organisationId', 'no such organisation')
}

/** The assignee must be an active agent and, when the ticket has a group, a member of it. */
export async function assertAssignable(trx: Db, assigneeId: string, groupId: string | null): Promise<void> {
  const user = await findUserById(trx, assigneeId)
  if (user === undefined || !user.is_active || !user.roles.some((role) => role !== 'customer')) {
    throw invalidField('assigneeId', 'not an active agent')
  }
  if (groupId !== null && !(await isGroupMember(trx, groupId, assigneeId))) {
    throw new AppError('VALIDATION', 'the assignee is not a member of the group', [
      { field: 'assigneeId', message: 'not a member of the group' },
    ])
  }
}

export async function assertWatchersExist(trx: Db, watcherIds: readonly string[]): Promise<void> {
  const found = await findUsersByIds(trx, watcherIds)
  const known = new Set(found.filter((user) => user.is_active).map((user) => user.id))
  const index = watcherIds.findIndex((id) => !known.has(id))
  if (index >= 0) throw invalidField(`watcherIds/${index}`, 'no such user')
}
