import { sql } from 'kysely'
import { v7 as uuidv7 } from 'uuid'
import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayRead, assertMayWrite } from '../../domain/policy/policy.ts'
import { isPhoneExtension, normaliseEmail, normalisePhone } from '../../domain/people/contact-points.ts'
import { AppError, invalidField } from '../../domain/shared/app-error.ts'
import type { Role, Tier } from '../../domain/tickets/ticket.ts'
import type { Db } from '../../db/connection.ts'
import { insertEvents } from '../../db/events.ts'
import { type UserView, countAdmins, findUserView, presentUserRow } from '../../db/users.ts'
import { hashPassword } from '../auth/passwords.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'

/** Users are staff (agents, supervisors, managers, admins) and customers (contacts); one table, one login. */
export type { UserView }

export type UserKind = 'staff' | 'customer'

export interface UserInput {
  readonly name?: string
  readonly email?: string | null
  readonly phone?: string | null
  /** Staff only: the PBX extension (分机号) telephony events name the agent by. */
  readonly phoneExtension?: string | null
  readonly wechatOpenId?: string | null
  readonly appUserId?: string | null
  readonly roles?: readonly Role[]
  readonly tier?: Tier | null
  readonly organisationId?: string | null
  readonly isOrgAdmin?: boolean
  readonly locale?: 'zh-CN' | 'en'
  readonly timeZone?: string
  readonly password?: string
  readonly isActive?: boolean
  readonly groupIds?: readonly string[]
}


function resourceOf(kind: UserKind) {
  return kind === 'staff' ? ('users' as const) : ('customers' as const)
}

function validateRoles(kind: UserKind, roles: readonly Role[] | undefined): Role[] | undefined {
  if (roles === undefined) return undefined
  if (kind === 'customer') {
    if (roles.some((role) => role !== 'customer')) throw invalidField('roles', 'a customer has the role customer only')
    return ['customer']
  }
  if (roles.length === 0) throw invalidField('roles', 'give at least one role')
  if (roles.includes('customer') && roles.length > 1) throw invalidField('roles', 'customer cannot be combined with staff roles')
  return [...new Set(roles)]
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

async function columnsFrom(trx: Db, input: UserInput, kind: UserKind) {
  const columns: Record<string, unknown> = {}
  if (input.name !== undefined) columns.name = input.name.trim()
  if (input.email !== undefined) columns.email = input.email === null ? null : normaliseEmail(input.email)
  if (input.phone !== undefined) {
    const phone = input.phone === null ? null : normalisePhone(input.phone)
    if (input.phone !== null && phone === null) throw invalidField('phone', 'not a valid phone number')
    columns.phone = phone
  }
  if (input.phoneExtension !== undefined) {
    if (kind === 'customer' && input.phoneExtension !== null) throw invalidField('phoneExtension', 'only staff have an extension')
    if (input.phoneExtension !== null && !isPhoneExtension(input.phoneExtension)) throw invalidField('phoneExtension', 'digits, * and # only, 1 to 20 characters')
    columns.phone_extension = input.phoneExtension
  }
  if (input.wechatOpenId !== undefined) columns.wechat_open_id = input.wechatOpenId
  if (input.appUserId !== undefined) columns.app_user_id = input.appUserId
  const roles = validateRoles(kind, input.roles)
  if (roles !== undefined) columns.roles = roles
  if (input.tier !== undefined) columns.tier = input.tier
  if (input.organisationId !== undefined) {
    if (input.organisationId !== null) {
      const org = await trx.selectFrom('organisations').select('id').where('id', '=', input.organisationId).executeTakeFirst()
      if (org === undefined) throw invalidField('organisationId', 'no such organisation')
    }
    columns.organisation_id = input.organisationId
  }
  if (input.isOrgAdmin !== undefined) columns.is_org_admin = input.isOrgAdmin
  if (input.locale !== undefined) columns.locale = input.locale
  if (input.timeZone !== undefined) {
    if (!validTimeZone(input.timeZone)) throw invalidField('timeZone', 'not an IANA time zone')
    columns.time_zone = input.timeZone
  }
  if (input.isActive !== undefined) columns.is_active = input.isActive
  if (input.password !== undefined) columns.password_hash = await hashPassword(input.password)
  return columns
}

/** An organisation admin contact sees the organisation's tickets, so they must belong to one. */
function assertOrgAdminHasOrganisation(user: UserView): void {
  if (user.is_org_admin && user.organisation_id === null) throw invalidField('isOrgAdmin', 'an organisation admin needs an organisation')
}

async function replaceGroups(trx: Db, userId: string, groupIds: readonly string[]): Promise<void> {
  const unique = [...new Set(groupIds)]
  if (unique.length > 0) {
    const found = await trx.selectFrom('groups').select('id').where('id', 'in', unique).execute()
    const known = new Set(found.map((row) => row.id))
    const index = unique.findIndex((id) => !known.has(id))
    if (index >= 0) throw invalidField(`groupIds/${index}`, 'no such group')
  }
  await trx.deleteFrom('group_members').where('user_id', '=', userId).execute()
  if (unique.length > 0) await trx.insertInto('group_members').values(unique.map((groupId) => ({ group_id: groupId, user_id: userId }))).execute()
}

async function loadUserView(trx: Db, id: string, kind: UserKind): Promise<UserView> {
  const view = await findUserView(trx, id)
  const isCustomerRow = view?.roles.length === 1 && view.roles[0] === 'customer'
  if (view === undefined || (kind === 'customer') !== isCustomerRow) {
    throw new AppError('NOT_FOUND', `${kind === 'staff' ? 'user' : 'customer'} not found`, [{ field: 'id', message: 'not found' }])
  }
  return view
}

/** The signed-in person's own record: anyone may read themselves. */
export async function getOwnUser(deps: ServiceDeps, actor: Actor): Promise<UserView> {
  const view = await inTransaction(deps, (trx) => findUserView(trx, actor.id))
  if (view === undefined) throw new AppError('UNAUTHENTICATED', 'unknown user')
  return view
}

/** Creates a staff user (admins only) or a customer (any agent). */
export async function createUser(deps: ServiceDeps, actor: Actor, kind: UserKind, input: UserInput & { name: string }): Promise<UserView> {
  assertMayWrite(actor, resourceOf(kind))
  if (kind === 'staff' && input.roles === undefined) throw invalidField('roles', 'required')
  if (kind === 'staff' && input.tier === undefined && input.roles?.includes('agent')) throw invalidField('tier', 'an agent needs a tier (L1, L2 or L3)')
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const id = uuidv7()
    const columns = await columnsFrom(trx, { ...input, roles: input.roles ?? ['customer'] }, kind)
    await trx
      .insertInto('users')
      .values({ id, created_at: now, updated_at: now, email: null, phone: null, wechat_open_id: null, app_user_id: null, tier: null, organisation_id: null, password_hash: null, ...columns } as never)
      .execute()
    if (input.groupIds !== undefined && kind === 'staff') await replaceGroups(trx, id, input.groupIds)
    const view = await loadUserView(trx, id, kind)
    assertOrgAdminHasOrganisation(view)
    await insertEvents(trx, [{ type: 'user.created', entityType: 'user', entityId: id, actorId: actor.id, at: now, data: { user: view } }])
    return view
  })
}

export async function updateUser(deps: ServiceDeps, actor: Actor, kind: UserKind, id: string, input: UserInput): Promise<UserView> {
  assertMayWrite(actor, resourceOf(kind))
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const before = await loadUserView(trx, id, kind)
    const columns = await columnsFrom(trx, input, kind)
    if (before.roles.includes('admin') && (columns.is_active === false || (columns.roles !== undefined && !(columns.roles as Role[]).includes('admin')))) {
      if ((await countAdmins(trx)) <= 1) throw new AppError('CONFLICT', 'the last administrator cannot be removed', [{ field: 'roles', message: 'last admin' }])
    }
    if (Object.keys(columns).length > 0) await trx.updateTable('users').set({ ...columns, updated_at: now }).where('id', '=', id).execute()
    if (columns.is_active === false || columns.password_hash !== undefined) {
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute()
    }
    if (input.groupIds !== undefined && kind === 'staff') await replaceGroups(trx, id, input.groupIds)
    const after = await loadUserView(trx, id, kind)
    assertOrgAdminHasOrganisation(after)
    const changed = Object.keys(after).filter((key) => key !== 'updated_at' && JSON.stringify(after[key as keyof UserView]) !== JSON.stringify(before[key as keyof UserView]))
    const changes = Object.fromEntries(changed.map((key) => [key, { before: before[key as keyof UserView], after: after[key as keyof UserView] }]))
    if (input.password !== undefined) changes.password = { before: '***', after: '***' }
    await insertEvents(trx, [{ type: 'user.updated', entityType: 'user', entityId: id, actorId: actor.id, at: now, data: { changes } }])
    return after
  })
}

export async function getUser(deps: ServiceDeps, actor: Actor, kind: UserKind, id: string): Promise<UserView> {
  assertMayRead(actor, resourceOf(kind))
  return inTransaction(deps, (trx) => loadUserView(trx, id, kind))
}

export interface ListUsersInput {
  readonly q?: string
  readonly organisationId?: string
  readonly role?: Role
  readonly limit?: number
  readonly offset?: number
}

/** Lists users of a kind, with a name / e-mail / phone (staff: extension) search. */
export async function listUsers(deps: ServiceDeps, actor: Actor, kind: UserKind, input: ListUsersInput): Promise<{ items: UserView[]; total: number }> {
  assertMayRead(actor, resourceOf(kind))
  return inTransaction(deps, async (trx) => {
    let query = trx.selectFrom('users')
    query = kind === 'customer' ? query.where(sql<boolean>`roles = ARRAY['customer']::text[]`) : query.where(sql<boolean>`roles <> ARRAY['customer']::text[]`)
    if (input.role !== undefined) query = query.where(sql<boolean>`${input.role} = ANY(roles)`)
    if (input.organisationId !== undefined) query = query.where('organisation_id', '=', input.organisationId)
    if (input.q !== undefined && input.q.trim() !== '') {
      const q = input.q.trim()
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      // A phone in any notation ("138 0013 8000", "+86 138-0013-8000") meets the stored E.164 form.
      const digits = /^[+\d\s().-]+$/.test(q) ? q.replace(/\D/g, '') : ''
      const phone = digits.length >= 5 ? normalisePhone(q) : null
      query = query.where((eb) =>
        eb.or([
          eb('name', 'ilike', like),
          eb('email', 'ilike', like),
          eb('phone', 'ilike', like),
          ...(digits.length >= 5 ? [eb('phone', 'like', `%${digits}%`)] : []),
          ...(phone !== null ? [eb('phone', '=', phone)] : []),
          // External ids match whole: an app user id, a WeChat openid, any source's id.
          eb('wechat_open_id', '=', q),
          eb('app_user_id', '=', q),
          // A staff member's PBX extension matches whole too.
          ...(kind === 'staff' ? [eb('phone_extension', '=', q)] : []),
          eb.exists(eb.selectFrom('customer_identities').select('customer_identities.user_id').whereRef('customer_identities.user_id', '=', 'users.id').where('customer_identities.external_id', '=', q)),
        ]),
      )
    }
    const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
    const rows = await query.selectAll().orderBy('name').orderBy('id').limit(input.limit ?? 50).offset(input.offset ?? 0).execute()
    const memberships = rows.length === 0 ? [] : await trx.selectFrom('group_members').selectAll().where('user_id', 'in', rows.map((row) => row.id)).execute()
    return {
      items: rows.map((row) => presentUserRow(row, memberships.filter((m) => m.user_id === row.id).map((m) => m.group_id))),
      total: Number(total),
    }
  })
}

/** Creates the first administrator when the database has none; returns the one-time password when it made one up. */
export async function ensureAdmin(deps: ServiceDeps, email: string, password: string | undefined): Promise<{ email: string; password: string | null } | null> {
  return inTransaction(deps, async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(727001)`.execute(trx)
    if ((await countAdmins(trx)) > 0) return null
    const now = deps.clock()
    const generated = password === undefined ? crypto.randomUUID().replaceAll('-', '').slice(0, 20) : null
    const id = uuidv7()
    await trx
      .insertInto('users')
      .values({
        id, name: 'Administrator', email: normaliseEmail(email), phone: null, wechat_open_id: null, app_user_id: null,
        roles: ['admin'], tier: null, organisation_id: null, password_hash: await hashPassword(password ?? generated ?? ''),
        created_at: now, updated_at: now,
      })
      .execute()
    await insertEvents(trx, [{ type: 'user.created', entityType: 'user', entityId: id, actorId: id, at: now, reason: 'first start', data: { email } }])
    return { email, password: generated }
  })
}

