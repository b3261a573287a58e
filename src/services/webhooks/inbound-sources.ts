import { v7 as uuidv7 } from 'uuid'
import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayConfigureChannels } from '../../domain/policy/policy.ts'
import { AppError, invalidField } from '../../domain/shared/app-error.ts'
import type { TicketType } from '../../domain/tickets/ticket.ts'
import { isValidSourceKey } from '../../domain/webhooks/inbound.ts'
import type { Db } from '../../db/connection.ts'
import { insertEvents } from '../../db/events.ts'
import type { InboundSourceRow } from '../../db/schema.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { SECRET_GRACE_MS, generateWebhookSecret } from './secrets.ts'

/** An inbound source as the admin sees it: never its secret, except right after creation or rotation. */
export interface InboundSourceView {
  readonly id: string
  readonly key: string
  readonly name: string
  readonly kind: InboundSourceRow['kind']
  readonly toleranceSeconds: number
  readonly defaultGroupId: string | null
  readonly defaultType: string | null
  readonly isActive: boolean
  readonly previousSecretExpiresAt: string | null
  readonly createdAt: string
  readonly updatedAt: string
}

export interface InboundSourceInput {
  readonly key?: string
  readonly name?: string
  readonly kind?: InboundSourceRow['kind']
  readonly toleranceSeconds?: number
  readonly defaultGroupId?: string | null
  readonly defaultType?: TicketType | null
  readonly isActive?: boolean
}

export function viewInboundSource(row: InboundSourceRow, now: Date): InboundSourceView {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    kind: row.kind,
    toleranceSeconds: row.tolerance_seconds,
    defaultGroupId: row.default_group_id,
    defaultType: row.default_type,
    isActive: row.is_active,
    previousSecretExpiresAt: row.previous_secret_expires_at !== null && row.previous_secret_expires_at > now ? row.previous_secret_expires_at.toISOString() : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

/** All inbound sources, by name. */
export async function listInboundSources(deps: ServiceDeps, actor: Actor): Promise<InboundSourceView[]> {
  assertMayConfigureChannels(actor)
  const rows = await deps.db.selectFrom('inbound_sources').selectAll().orderBy('name').execute()
  const now = deps.clock()
  return rows.map((row) => viewInboundSource(row, now))
}

/** Registers an app, WeChat account or other system that may post requests; the secret is returned once. */
export async function createInboundSource(deps: ServiceDeps, actor: Actor, input: InboundSourceInput & { key: string; name: string; kind: InboundSourceRow['kind'] }): Promise<InboundSourceView & { secret: string }> {
  assertMayConfigureChannels(actor)
  if (!isValidSourceKey(input.key)) throw invalidField('key', 'lower-case letters, digits and dashes, 1–64 characters')
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const taken = await trx.selectFrom('inbound_sources').select('id').where('key', '=', input.key).executeTakeFirst()
    if (taken !== undefined) throw new AppError('CONFLICT', 'another source uses this key', [{ field: 'key', message: 'already taken' }])
    if (input.defaultGroupId != null) await assertGroup(trx, input.defaultGroupId)
    const secret = generateWebhookSecret()
    const row = await trx
      .insertInto('inbound_sources')
      .values({
        id: uuidv7(),
        key: input.key,
        name: input.name.trim(),
        kind: input.kind,
        secret,
        tolerance_seconds: input.toleranceSeconds ?? 300,
        default_group_id: input.defaultGroupId ?? null,
        default_type: input.defaultType ?? null,
        is_active: input.isActive ?? true,
        created_at: now,
        updated_at: now,
        previous_secret: null,
        previous_secret_expires_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await record(trx, actor, 'inbound_source.created', row, now)
    return { ...viewInboundSource(row, now), secret }
  })
}

/** Changes a source's name, kind, tolerance, defaults or switches it on or off (its key stays). */
export async function updateInboundSource(deps: ServiceDeps, actor: Actor, id: string, input: InboundSourceInput): Promise<InboundSourceView> {
  assertMayConfigureChannels(actor)
  if (input.key !== undefined) throw invalidField('key', 'the key is part of the integration URL and cannot change; create a new source')
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    await loadSource(trx, id)
    if (input.defaultGroupId != null) await assertGroup(trx, input.defaultGroupId)
    const row = await trx
      .updateTable('inbound_sources')
      .set({
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.kind !== undefined ? { kind: input.kind } : {}),
        ...(input.toleranceSeconds !== undefined ? { tolerance_seconds: input.toleranceSeconds } : {}),
        ...(input.defaultGroupId !== undefined ? { default_group_id: input.defaultGroupId } : {}),
        ...(input.defaultType !== undefined ? { default_type: input.defaultType } : {}),
        ...(input.isActive !== undefined ? { is_active: input.isActive } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await record(trx, actor, 'inbound_source.updated', row, now)
    return viewInboundSource(row, now)
  })
}

/** A new secret, returned once; the old one is still accepted for a day so the sender can switch over. */
export async function rotateInboundSourceSecret(deps: ServiceDeps, actor: Actor, id: string): Promise<InboundSourceView & { secret: string }> {
  assertMayConfigureChannels(actor)
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const current = await loadSource(trx, id)
    const secret = generateWebhookSecret()
    const row = await trx
      .updateTable('inbound_sources')
      .set({ secret, previous_secret: current.secret, previous_secret_expires_at: new Date(now.getTime() + SECRET_GRACE_MS), updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await record(trx, actor, 'inbound_source.secret_rotated', row, now)
    return { ...viewInboundSource(row, now), secret }
  })
}

async function loadSource(trx: Db, id: string): Promise<InboundSourceRow> {
  const row = await trx.selectFrom('inbound_sources').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
  if (row === undefined) throw new AppError('NOT_FOUND', 'inbound source not found', [{ field: 'id', message: 'not found' }])
  return row
}

async function assertGroup(trx: Db, groupId: string): Promise<void> {
  const group = await trx.selectFrom('groups').select('id').where('id', '=', groupId).executeTakeFirst()
  if (group === undefined) throw invalidField('defaultGroupId', 'no such group')
}

async function record(trx: Db, actor: Actor, type: string, row: InboundSourceRow, now: Date): Promise<void> {
  const { secret: _secret, previous_secret: _previous, ...safe } = row
  await insertEvents(trx, [{ type, entityType: 'inbound_source', entityId: row.id, actorId: actor.id, at: now, data: { source: safe } }])
}
