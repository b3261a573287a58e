import { v7 as uuidv7 } from 'uuid'
import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayRead, assertMayWrite } from '../../domain/policy/policy.ts'
import { AppError, invalidField } from '../../domain/shared/app-error.ts'
import type { Db } from '../../db/connection.ts'
import { insertEvents } from '../../db/events.ts'
import type { CategoryRow } from '../../db/schema.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { diffRecords } from './diff-records.ts'

export interface CategoryInput {
  readonly nameZh?: string
  readonly nameEn?: string
  readonly parentId?: string | null
}

const notFound = () => new AppError('NOT_FOUND', 'category not found', [{ field: 'id', message: 'not found' }])

/** Refuses a parent that does not exist or that would put the category under itself. */
async function assertParentFits(trx: Db, id: string, parentId: string): Promise<void> {
  let current: string | null = parentId
  for (let depth = 0; current !== null; depth++) {
    if (current === id) throw invalidField('parentId', 'a category cannot be placed under itself')
    if (depth > 64) throw invalidField('parentId', 'the category tree is too deep')
    const row: { parent_id: string | null } | undefined = await trx.selectFrom('categories').select('parent_id').where('id', '=', current).executeTakeFirst()
    if (row === undefined) throw invalidField('parentId', 'no such category')
    current = row.parent_id
  }
}

export async function createCategory(deps: ServiceDeps, actor: Actor, input: Required<Pick<CategoryInput, 'nameZh' | 'nameEn'>> & CategoryInput): Promise<CategoryRow> {
  assertMayWrite(actor, 'categories')
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const id = uuidv7()
    if (input.parentId != null) await assertParentFits(trx, id, input.parentId)
    const row: CategoryRow = { id, parent_id: input.parentId ?? null, name_zh: input.nameZh.trim(), name_en: input.nameEn.trim(), created_at: now, updated_at: now }
    await trx.insertInto('categories').values(row).execute()
    await insertEvents(trx, [{ type: 'category.created', entityType: 'category', entityId: id, actorId: actor.id, at: now, data: { category: row } }])
    return row
  })
}

export async function updateCategory(deps: ServiceDeps, actor: Actor, id: string, input: CategoryInput): Promise<CategoryRow> {
  assertMayWrite(actor, 'categories')
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const before = await trx.selectFrom('categories').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
    if (before === undefined) throw notFound()
    if (input.parentId != null) await assertParentFits(trx, id, input.parentId)
    const columns = {
      ...(input.nameZh !== undefined ? { name_zh: input.nameZh.trim() } : {}),
      ...(input.nameEn !== undefined ? { name_en: input.nameEn.trim() } : {}),
      ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
    }
    if (Object.keys(columns).length === 0) return before
    const after = await trx.updateTable('categories').set({ ...columns, updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
    await insertEvents(trx, [{ type: 'category.updated', entityType: 'category', entityId: id, actorId: actor.id, at: now, data: { changes: diffRecords(before, after) } }])
    return after
  })
}

/** All categories, by English name; each names its parent, so clients build the tree. */
export async function listCategories(deps: ServiceDeps, actor: Actor): Promise<CategoryRow[]> {
  assertMayRead(actor, 'categories')
  return inTransaction(deps, (trx) => trx.selectFrom('categories').selectAll().orderBy('name_en').execute())
}

export async function getCategory(deps: ServiceDeps, actor: Actor, id: string): Promise<CategoryRow> {
  assertMayRead(actor, 'categories')
  const row = await inTransaction(deps, (trx) => trx.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst())
  if (row === undefined) throw notFound()
  return row
}

/** Deletes a category with no children and no tickets (CONFLICT otherwise). */
export async function deleteCategory(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  assertMayWrite(actor, 'categories')
  await inTransaction(deps, async (trx) => {
    const row = await trx.deleteFrom('categories').where('id', '=', id).returningAll().executeTakeFirst()
    if (row === undefined) throw notFound()
    await insertEvents(trx, [{ type: 'category.deleted', entityType: 'category', entityId: id, actorId: actor.id, at: deps.clock(), data: { category: row } }])
  })
}
