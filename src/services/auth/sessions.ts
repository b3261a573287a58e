import { sql } from 'kysely'
import { v7 as uuidv7 } from 'uuid'
import type { Actor } from '../../domain/policy/actor.ts'
import type { Role, Tier } from '../../domain/tickets/ticket.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import { normaliseEmail } from '../../domain/people/contact-points.ts'
import type { Db } from '../../db/connection.ts'
import { insertEvents } from '../../db/events.ts'
import { type UserView, findUserByEmail, findUserView } from '../../db/users.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { verifyPassword } from './passwords.ts'
import { digestSecret, newSecret } from './secrets.ts'

export const API_TOKEN_PREFIX = 'ldt_'

export interface LoginResult {
  readonly sessionSecret: string
  readonly csrfToken: string
  readonly expiresAt: Date
  readonly user: UserView
}

/** Checks e-mail and password and opens a session; a wrong e-mail and a wrong password look the same. */
export async function login(deps: ServiceDeps, input: { email: string; password: string }): Promise<LoginResult> {
  const user = await inTransaction(deps, (trx) => findUserByEmail(trx, normaliseEmail(input.email)))
  const ok = await verifyPassword(user?.password_hash ?? null, input.password)
  if (user === undefined || !ok || !user.is_active) {
    throw new AppError('UNAUTHENTICATED', 'wrong e-mail or password', [{ field: 'password', message: 'wrong e-mail or password' }])
  }
  const now = deps.clock()
  const sessionSecret = newSecret()
  const csrfToken = newSecret()
  const expiresAt = new Date(now.getTime() + deps.config.sessionTtlSeconds * 1000)
  const view = await inTransaction(deps, async (trx) => {
    await trx.insertInto('sessions').values({ id: digestSecret(sessionSecret), user_id: user.id, csrf_token: csrfToken, created_at: now, expires_at: expiresAt }).execute()
    await insertEvents(trx, [{ type: 'user.logged_in', entityType: 'user', entityId: user.id, actorId: user.id, at: now }])
    return findUserView(trx, user.id)
  })
  if (view === undefined) throw new AppError('UNAUTHENTICATED', 'wrong e-mail or password')
  return { sessionSecret, csrfToken, expiresAt, user: view }
}

export async function logout(deps: ServiceDeps, sessionSecret: string): Promise<void> {
  await inTransaction(deps, (trx) => trx.deleteFrom('sessions').where('id', '=', digestSecret(sessionSecret)).execute())
}

export interface Authenticated {
  readonly actor: Actor
  /** Present for cookie sessions: unsafe requests must echo it. */
  readonly csrfToken: string | null
}

/** The user and group columns that make an Actor, selected with the session or token in one query. */
function actorColumns(via: Actor['via']) {
  return (row: {
    user_id: string
    roles: string[]
    tier: string | null
    organisation_id: string | null
    is_org_admin: boolean
    group_ids: string[]
  }): Actor => ({
    id: row.user_id,
    roles: row.roles as Role[],
    tier: row.tier as Tier | null,
    organisationId: row.organisation_id,
    isOrgAdmin: row.is_org_admin,
    groupIds: row.group_ids,
    via,
  })
}

const groupIdsOfUserColumn = sql<string[]>`array(SELECT group_id FROM group_members gm WHERE gm.user_id = users.id)`

/**
 * Resolves a session cookie to its user, in one query (it runs on every request). A session
 * slides: used after half its life, it is extended by a full lifetime, so an active user is
 * not signed out mid-work.
 */
export async function authenticateSession(deps: ServiceDeps, sessionSecret: string): Promise<Authenticated | null> {
  const now = deps.clock()
  const id = digestSecret(sessionSecret)
  const row = await deps.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.user_id', 'sessions.csrf_token', 'sessions.expires_at', 'users.roles', 'users.tier', 'users.organisation_id', 'users.is_org_admin'])
    .select(groupIdsOfUserColumn.as('group_ids'))
    .where('sessions.id', '=', id)
    .where('users.is_active', '=', true)
    .executeTakeFirst()
  if (row === undefined || row.expires_at.getTime() <= now.getTime()) return null
  const ttlMs = deps.config.sessionTtlSeconds * 1000
  if (row.expires_at.getTime() - now.getTime() < ttlMs / 2) {
    await deps.db.updateTable('sessions').set({ expires_at: new Date(now.getTime() + ttlMs) }).where('id', '=', id).execute()
  }
  return { actor: actorColumns('session')(row), csrfToken: row.csrf_token }
}

/** Resolves a bearer API token to its user, in one query. */
export async function authenticateToken(deps: ServiceDeps, token: string): Promise<Authenticated | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null
  const row = await deps.db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'api_tokens.user_id', 'api_tokens.last_used_at', 'users.roles', 'users.tier', 'users.organisation_id', 'users.is_org_admin'])
    .select(groupIdsOfUserColumn.as('group_ids'))
    .where('api_tokens.token_hash', '=', digestSecret(token))
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.is_active', '=', true)
    .executeTakeFirst()
  if (row === undefined) return null
  const now = deps.clock()
  // Written at most once a minute per token, so busy integrations do not write on every call.
  if (row.last_used_at === null || now.getTime() - row.last_used_at.getTime() > 60_000) {
    await deps.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute()
  }
  return { actor: actorColumns('token')(row), csrfToken: null }
}

export interface CreatedToken {
  readonly id: string
  readonly token: string
  readonly name: string
  readonly prefix: string
}

/** Creates a personal API token for `userId`; the secret is returned once and stored only hashed. */
export async function createApiToken(trx: Db, actorId: string, userId: string, name: string, now: Date): Promise<CreatedToken> {
  const token = newSecret(API_TOKEN_PREFIX)
  const id = uuidv7()
  const prefix = token.slice(0, API_TOKEN_PREFIX.length + 6)
  await trx.insertInto('api_tokens').values({ id, user_id: userId, name, token_hash: digestSecret(token), prefix, created_at: now, last_used_at: null, revoked_at: null }).execute()
  await insertEvents(trx, [{ type: 'api_token.created', entityType: 'api_token', entityId: id, actorId, at: now, data: { userId, name, prefix } }])
  return { id, token, name, prefix }
}
