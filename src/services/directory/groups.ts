import { v7 as uuidv7 } from 'uuid'
import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayRead, assertMayWrite } from '../../domain/policy/policy.ts'
import { AppError, invalidField } from '../../domain/shared/app-error.ts'
import type { Db } from '../../db/connection.ts'
import { insertEvents } from '../../db/events.ts'
import type { GroupRow } from '../../db/schema.ts'
import { findUsersByIds } from '../../db/users.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { diffRecords } from './diff-records.ts'

export interface GroupInput {
  readonly name?: string
  readonly description?: string | null
  readonly memberIds?: readonly string[]
}

export interface GroupView extends GroupRow {
  readonly member_ids: string[]
}

const notFound = () => new AppError('NOT_FOUND', 'group not found', [{ field: 'id', message: 'not found' }])

async function setMembers(trx: Db, groupId: string, memberIds: readonly string[]): Promise<void> {
  const unique = [...new Set(memberIds)]
  const users = await findUsersByIds(trx, unique)
  const staff = new Set(users.filter((user) => user.roles.some((role) => role !== 'customer')).map((user) => user.id))
  const index = unique.findIndex((id) => !staff.has(id))
  if (index >= 0) throw invalidField(`memberIds/${index}`, 'not a staff user')
  await trx.deleteFrom('group_members').where('group_id', '=', groupId).execute()
  if (unique.length > 0) await trx.insertInto('group_members').values(unique.map((userId) => ({ group_id: groupId, user_id: userId }))).execute()
}

async function loadGroup(trx: Db, id: string): Promise<GroupView> {
  const row = await trx.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst()
  if (row === undefined) throw notFound()
  const members = await trx.selectFrom('group_members').select('user_id').where('group_id', '=', id).execute()
  return { ...row, member_ids: members.map((m) => m.user_id).sort() }
}

export async function createGroup(deps: ServiceDeps, actor: Actor, input: GroupInput & { name: string }): Promise<GroupView> {
  assertMayWrite(actor, 'groups')
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const id = uuidv7()
    await trx.insertInto('groups').values({ id, name: input.name.trim(), description: input.description ?? null, created_at: now, updated_at: now }).execute()
    await setMembers(trx, id, input.memberIds ?? [])
    const view = await loadGroup(trx, id)
    await insertEvents(trx, [{ type: 'group.created', entityType: 'group', entityId: id, actorId: actor.id, at: now, data: { group: view } }])
    return view
  })
}

export async function updateGroup(deps: ServiceDeps, actor: Actor, id: string, input: GroupInput): Promise<GroupView> {
  assertMayWrite(actor, 'groups')
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const before = await loadGroup(trx, id)
    const columns = { ...(input.name !== undefined ? { name: input.name.trim() } : {}), ...(input.description !== undefined ? { description: input.description } : {}) }
    if (Object.keys(columns).length > 0) await trx.updateTable('groups').set({ ...columns, updated_at: now }).where('id', '=', id).execute()
    if (input.memberIds !== undefined) await setMembers(trx, id, input.memberIds)
    const after = await loadGroup(trx, id)
    await insertEvents(trx, [{ type: 'group.updated', entityType: 'group', entityId: id, actorId: actor.id, at: now, data: { changes: diffRecords(before, after) } }])
    return after
  })
}

export async function getGroup(deps: ServiceDeps, actor: Actor, id: string): Promise<GroupView> {
  assertMayRead(actor, 'groups')
  return inTransaction(deps, (trx) => loadGroup(trx, id))
}

export async function listGroups(deps: ServiceDeps, actor: Actor): Promise<GroupView[]> {
  assertMayRead(actor, 'groups')
  return inTransaction(deps, async (trx) => {
    const rows = await trx.selectFrom('groups').selectAll().orderBy('name').execute()
    const members = await trx.selectFrom('group_members').selectAll().execute()
    return rows.map((row) => ({ ...row, member_ids: members.filter((m) => m.group_id === row.id).map((m) => m.user_id).sort() }))
  })
}

/** Deletes a group no ticket refers to. */
export async function deleteGroup(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  assertMayWrite(actor, 'groups')
  await inTransaction(deps, async (trx) => {
    const before = await loadGroup(trx, id)
    await trx.deleteFrom('groups').where('id', '=', id).execute()
    await insertEvents(trx, [{ type: 'group.deleted', entityType: 'group', entityId: id, actorId: actor.id, at: deps.clock(), data: { group: before } }])
  })
}
