import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayManageTokens } from '../../domain/policy/policy.ts'
import { AppError, invalidField } from '../../domain/shared/app-error.ts'
import { insertEvents } from '../../db/events.ts'
import { findUserById } from '../../db/users.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { type CreatedToken, createApiToken } from './sessions.ts'

export interface TokenSummary {
  readonly id: string
  readonly userId: string
  readonly name: string
  readonly prefix: string
  readonly createdAt: Date
  readonly lastUsedAt: Date | null
  readonly revokedAt: Date | null
}

/** Issues a personal API token to the actor, or (admins) to another user. */
export async function issueApiToken(deps: ServiceDeps, actor: Actor, input: { name: string; userId?: string }): Promise<CreatedToken> {
  const userId = input.userId ?? actor.id
  assertMayManageTokens(actor, userId)
  return inTransaction(deps, async (trx) => {
    const user = await findUserById(trx, userId)
    if (user === undefined || !user.is_active) throw invalidField('userId', 'no such active user')
    return createApiToken(trx, actor.id, userId, input.name, deps.clock())
  })
}

export async function listApiTokens(deps: ServiceDeps, actor: Actor, userId?: string): Promise<TokenSummary[]> {
  const owner = userId ?? actor.id
  assertMayManageTokens(actor, owner)
  const rows = await inTransaction(deps, (trx) => trx.selectFrom('api_tokens').selectAll().where('user_id', '=', owner).orderBy('created_at', 'desc').execute())
  return rows.map((row) => ({ id: row.id, userId: row.user_id, name: row.name, prefix: row.prefix, createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at }))
}

export async function revokeApiToken(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  await inTransaction(deps, async (trx) => {
    const row = await trx.selectFrom('api_tokens').select(['id', 'user_id', 'revoked_at']).where('id', '=', id).forUpdate().executeTakeFirst()
    if (row === undefined) throw new AppError('NOT_FOUND', 'token not found', [{ field: 'id', message: 'not found' }])
    assertMayManageTokens(actor, row.user_id)
    if (row.revoked_at !== null) return
    const now = deps.clock()
    await trx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).execute()
    await insertEvents(trx, [{ type: 'api_token.revoked', entityType: 'api_token', entityId: id, actorId: actor.id, at: now }])
  })
}
