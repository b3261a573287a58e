import { v7 as uuidv7 } from 'uuid'
import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayRead, assertMayWrite } from '../../domain/policy/policy.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import type { ServicePackage, VipLevel } from '../../domain/tickets/ticket.ts'
import { insertEvents } from '../../db/events.ts'
import type { OrganisationRow } from '../../db/schema.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { diffRecords } from './diff-records.ts'

export interface OrganisationInput {
  readonly name?: string
  readonly vipLevel?: VipLevel
  readonly servicePackage?: ServicePackage
  readonly region?: string | null
  readonly notes?: string | null
}

const notFound = () => new AppError('NOT_FOUND', 'organisation not found', [{ field: 'id', message: 'not found' }])

function columnsFrom(input: OrganisationInput) {
  return {
    ...(input.name !== undefined ? { name: input.name.trim() } : {}),
    ...(input.vipLevel !== undefined ? { vip_level: input.vipLevel } : {}),
    ...(input.servicePackage !== undefined ? { service_package: input.servicePackage } : {}),
    ...(input.region !== undefined ? { region: input.region } : {}),
    ...(input.notes !== undefined ? { notes: input.notes } : {}),
  }
}

export async function createOrganisation(deps: ServiceDeps, actor: Actor, input: OrganisationInput & { name: string }): Promise<OrganisationRow> {
  assertMayWrite(actor, 'organisations')
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const row: OrganisationRow = { id: uuidv7(), name: input.name.trim(), vip_level: 'standard', service_package: 'basic', region: null, notes: null, created_at: now, updated_at: now, ...columnsFrom(input) }
    await trx.insertInto('organisations').values(row).execute()
    await insertEvents(trx, [{ type: 'organisation.created', entityType: 'organisation', entityId: row.id, actorId: actor.id, at: now, data: { organisation: row } }])
    return row
  })
}

export async function updateOrganisation(deps: ServiceDeps, actor: Actor, id: string, input: OrganisationInput): Promise<OrganisationRow> {
  assertMayWrite(actor, 'organisations')
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const before = await trx.selectFrom('organisations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
    if (before === undefined) throw notFound()
    const columns = columnsFrom(input)
    if (Object.keys(columns).length === 0) return before
    const after = await trx.updateTable('organisations').set({ ...columns, updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
    await insertEvents(trx, [{ type: 'organisation.updated', entityType: 'organisation', entityId: id, actorId: actor.id, at: now, data: { changes: diffRecords(before, after) } }])
    return after
  })
}

export async function getOrganisation(deps: ServiceDeps, actor: Actor, id: string): Promise<OrganisationRow> {
  assertMayRead(actor, 'organisations')
  const row = await inTransaction(deps, (trx) => trx.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst())
  if (row === undefined) throw notFound()
  return row
}

export async function listOrganisations(deps: ServiceDeps, actor: Actor, input: { q?: string; limit?: number; offset?: number }): Promise<{ items: OrganisationRow[]; total: number }> {
  assertMayRead(actor, 'organisations')
  return inTransaction(deps, async (trx) => {
    let query = trx.selectFrom('organisations')
    if (input.q !== undefined && input.q.trim() !== '') query = query.where('name', 'ilike', `%${input.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
    const items = await query.selectAll().orderBy('name').orderBy('id').limit(input.limit ?? 50).offset(input.offset ?? 0).execute()
    return { items, total: Number(total) }
  })
}

/** Deletes an organisation that no ticket or contact refers to (CONFLICT otherwise). */
export async function deleteOrganisation(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  assertMayWrite(actor, 'organisations')
  await inTransaction(deps, async (trx) => {
    const row = await trx.deleteFrom('organisations').where('id', '=', id).returningAll().executeTakeFirst()
    if (row === undefined) throw notFound()
    await insertEvents(trx, [{ type: 'organisation.deleted', entityType: 'organisation', entityId: id, actorId: actor.id, at: deps.clock(), data: { organisation: row } }])
  })
}
