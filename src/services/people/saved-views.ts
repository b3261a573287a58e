import { v7 as uuidv7 } from 'uuid'
import type { Actor } from '../../domain/policy/actor.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import type { SavedViewRow } from '../../db/schema.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'

/** A person's saved ticket views; each sees and changes only their own. */
export async function listSavedViews(deps: ServiceDeps, actor: Actor): Promise<SavedViewRow[]> {
  return inTransaction(deps, (trx) => trx.selectFrom('saved_views').selectAll().where('user_id', '=', actor.id).orderBy('name').execute())
}

export async function createSavedView(deps: ServiceDeps, actor: Actor, input: { name: string; query: string }): Promise<SavedViewRow> {
  return inTransaction(deps, async (trx) => {
    const row: SavedViewRow = { id: uuidv7(), user_id: actor.id, name: input.name.trim(), query: input.query, created_at: deps.clock() }
    await trx.insertInto('saved_views').values(row).execute()
    return row
  })
}

export async function deleteSavedView(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  await inTransaction(deps, async (trx) => {
    const deleted = await trx.deleteFrom('saved_views').where('id', '=', id).where('user_id', '=', actor.id).executeTakeFirst()
    if (Number(deleted.numDeletedRows) === 0) throw new AppError('NOT_FOUND', 'view not found', [{ field: 'id', message: 'not found' }])
  })
}
