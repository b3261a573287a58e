import { v7 as uuidv7 } from 'uuid'
import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayRead, assertMayWrite } from '../../domain/policy/policy.ts'
import type { DayHours, Weekday } from '../../domain/sla/business-calendar.ts'
import { importICalendar } from '../../domain/sla/ical-import.ts'
import type { EscalationLevel } from '../../domain/sla/escalation.ts'
import type { SlaConditions, SlaTargetDefinition } from '../../domain/sla/sla-policy.ts'
import { AppError, invalidField } from '../../domain/shared/app-error.ts'
import type { Db } from '../../db/connection.ts'
import { insertEvents } from '../../db/events.ts'
import { requestRecompute, toBusinessCalendar } from '../../db/sla.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { refreshTicketSla } from './evaluate-ticket-sla.ts'
import { invalidateSlaConfig, slaConfigFor } from './sla-config.ts'

/**
 * Administration of the SLA engine: calendars, policies, special periods and escalation
 * chains. Every change is an event, invalidates this node's cached configuration, and marks
 * the open targets it touches for recomputation by the scheduler (so a holiday added today
 * moves the due times of the tickets it concerns, however many there are).
 */
const SETTINGS_ENTITY = '00000000-0000-0000-0000-000000000000'

async function recordChange(trx: Db, actor: Actor, type: string, entityId: string, data: Record<string, unknown>, now: Date) {
  await insertEvents(trx, [{ type, entityType: 'settings', entityId: entityId || SETTINGS_ENTITY, actorId: actor.id, at: now, data }])
}

function notFound(what: string) {
  return new AppError('NOT_FOUND', `${what} not found`, [{ field: 'id', message: 'not found' }])
}

export interface CalendarInput {
  readonly name?: string
  readonly timeZone?: string
  readonly is24x7?: boolean
  readonly weeklyHours?: Partial<Record<Weekday, DayHours>>
  readonly makeUpDayHours?: DayHours | null
  readonly holidays?: readonly string[]
  readonly workdays?: readonly string[]
}

type CalendarColumns = {
  name: string
  time_zone: string
  is_24x7: boolean
  weekly_hours: string
  make_up_day_hours: string | null
  holidays: string[]
  workdays: string[]
}

/** Validates a calendar by building it with the calendar maths (which names the field at fault). */
function calendarColumns(input: CalendarInput, base?: CalendarColumns): CalendarColumns {
  const columns: CalendarColumns = {
    name: input.name?.trim() ?? base?.name ?? '',
    time_zone: input.timeZone ?? base?.time_zone ?? 'Asia/Shanghai',
    is_24x7: input.is24x7 ?? base?.is_24x7 ?? false,
    weekly_hours: input.weeklyHours !== undefined ? JSON.stringify(input.weeklyHours) : (base?.weekly_hours ?? '{}'),
    make_up_day_hours: input.makeUpDayHours !== undefined ? (input.makeUpDayHours === null ? null : JSON.stringify(input.makeUpDayHours)) : (base?.make_up_day_hours ?? null),
    holidays: [...new Set(input.holidays ?? base?.holidays ?? [])].sort(),
    workdays: [...new Set(input.workdays ?? base?.workdays ?? [])].sort(),
  }
  if (columns.name === '') throw invalidField('name', 'required')
  toBusinessCalendar({
    ...columns,
    weekly_hours: JSON.parse(columns.weekly_hours) as unknown,
    make_up_day_hours: columns.make_up_day_hours === null ? null : (JSON.parse(columns.make_up_day_hours) as unknown),
  })
  return columns
}

export async function listCalendars(deps: ServiceDeps, actor: Actor) {
  assertMayRead(actor, 'settings')
  return inTransaction(deps, (trx) => trx.selectFrom('calendars').selectAll().orderBy('name').execute())
}

export async function createCalendar(deps: ServiceDeps, actor: Actor, input: CalendarInput & { name: string }) {
  assertMayWrite(actor, 'settings')
  const columns = calendarColumns(input)
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const row = await trx.insertInto('calendars').values({ id: uuidv7(), ...columns, created_at: now, updated_at: now }).returningAll().executeTakeFirstOrThrow()
    await recordChange(trx, actor, 'sla.calendar_created', row.id, { name: row.name }, now)
    invalidateSlaConfig(deps)
    return row
  })
}

export async function updateCalendar(deps: ServiceDeps, actor: Actor, id: string, input: CalendarInput) {
  assertMayWrite(actor, 'settings')
  return inTransaction(deps, (trx) => updateCalendarInTransaction(deps, trx, actor, id, input))
}

/** Adds the holidays and make-up working days of an iCalendar feed (e.g. the Chinese public holidays) to a calendar. */
export async function importCalendarHolidays(deps: ServiceDeps, actor: Actor, id: string, ics: string) {
  assertMayWrite(actor, 'settings')
  const imported = importICalendar(ics)
  return inTransaction(deps, async (trx) => {
    const before = await trx.selectFrom('calendars').select(['holidays', 'workdays']).where('id', '=', id).executeTakeFirst()
    if (before === undefined) throw notFound('calendar')
    const workdays = new Set([...before.workdays, ...imported.workdays])
    const holidays = new Set([...before.holidays, ...imported.holidays].filter((date) => !workdays.has(date)))
    const row = await updateCalendarInTransaction(deps, trx, actor, id, { holidays: [...holidays], workdays: [...workdays] })
    return { calendar: row, importedHolidays: imported.holidays.length, importedWorkdays: imported.workdays.length }
  })
}

async function updateCalendarInTransaction(deps: ServiceDeps, trx: Db, actor: Actor, id: string, input: CalendarInput) {
  const now = deps.clock()
  const before = await trx.selectFrom('calendars').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
  if (before === undefined) throw notFound('calendar')
  const columns = calendarColumns(input, {
    ...before,
    weekly_hours: JSON.stringify(before.weekly_hours),
    make_up_day_hours: before.make_up_day_hours == null ? null : JSON.stringify(before.make_up_day_hours),
  })
  const row = await trx.updateTable('calendars').set({ ...columns, updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
  const affected = await requestRecompute(trx, { calendarId: id }, now)
  await recordChange(trx, actor, 'sla.calendar_updated', id, { name: row.name, openTargetsToRecompute: affected }, now)
  invalidateSlaConfig(deps)
  return row
}

export async function deleteCalendar(deps: ServiceDeps, actor: Actor, id: string) {
  assertMayWrite(actor, 'settings')
  await inTransaction(deps, async (trx) => {
    const policies = await trx.selectFrom('sla_policies').select(['name', 'targets']).execute()
    const user = policies.find((policy) => (policy.targets as SlaTargetDefinition[]).some((target) => target.calendarId === id))
    if (user !== undefined) throw new AppError('CONFLICT', `the calendar is used by the policy ${user.name}`, [{ field: 'id', message: 'in use' }])
    const row = await trx.deleteFrom('calendars').where('id', '=', id).returningAll().executeTakeFirst()
    if (row === undefined) throw notFound('calendar')
    await recordChange(trx, actor, 'sla.calendar_deleted', id, { name: row.name }, deps.clock())
    invalidateSlaConfig(deps)
  })
}

export interface PolicyInput {
  readonly name?: string
  readonly position?: number
  readonly isActive?: boolean
  readonly conditions?: SlaConditions
  readonly targets?: readonly SlaTargetDefinition[]
  readonly escalationChainId?: string | null
}

async function assertPolicyReferences(trx: Db, input: PolicyInput): Promise<void> {
  for (const [index, target] of (input.targets ?? []).entries()) {
    const calendar = await trx.selectFrom('calendars').select('id').where('id', '=', target.calendarId).executeTakeFirst()
    if (calendar === undefined) throw invalidField(`targets/${index}/calendarId`, 'no such calendar')
    if (target.warnAtRatio <= 0 || target.warnAtRatio >= 1) throw invalidField(`targets/${index}/warnAtRatio`, 'between 0 and 1')
  }
  const kinds = (input.targets ?? []).map((target) => target.target)
  const duplicate = kinds.findIndex((kind, index) => kinds.indexOf(kind) !== index)
  if (duplicate >= 0) throw invalidField(`targets/${duplicate}/target`, 'each target once per policy')
  if (input.escalationChainId != null) {
    const chain = await trx.selectFrom('escalation_chains').select('id').where('id', '=', input.escalationChainId).executeTakeFirst()
    if (chain === undefined) throw invalidField('escalationChainId', 'no such escalation chain')
  }
}

export async function listPolicies(deps: ServiceDeps, actor: Actor) {
  assertMayRead(actor, 'settings')
  return inTransaction(deps, (trx) => trx.selectFrom('sla_policies').selectAll().orderBy('position').orderBy('name').execute())
}

export async function createPolicy(deps: ServiceDeps, actor: Actor, input: PolicyInput & { name: string; targets: readonly SlaTargetDefinition[] }) {
  assertMayWrite(actor, 'settings')
  return inTransaction(deps, async (trx) => {
    await assertPolicyReferences(trx, input)
    const now = deps.clock()
    const row = await trx
      .insertInto('sla_policies')
      .values({
        id: uuidv7(),
        name: input.name.trim(),
        position: input.position ?? 100,
        is_active: input.isActive ?? true,
        conditions: JSON.stringify(input.conditions ?? {}),
        targets: JSON.stringify(input.targets),
        escalation_chain_id: input.escalationChainId ?? null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    invalidateSlaConfig(deps)
    const affected = (await requestRecompute(trx, {}, now)) + (await evaluateTicketsWithoutSla(deps, trx, now))
    await recordChange(trx, actor, 'sla.policy_created', row.id, { name: row.name, openTargetsToRecompute: affected }, now)
    invalidateSlaConfig(deps)
    return row
  })
}

export async function updatePolicy(deps: ServiceDeps, actor: Actor, id: string, input: PolicyInput) {
  assertMayWrite(actor, 'settings')
  return inTransaction(deps, async (trx) => {
    await assertPolicyReferences(trx, input)
    const now = deps.clock()
    const row = await trx
      .updateTable('sla_policies')
      .set({
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
        ...(input.isActive !== undefined ? { is_active: input.isActive } : {}),
        ...(input.conditions !== undefined ? { conditions: JSON.stringify(input.conditions) } : {}),
        ...(input.targets !== undefined ? { targets: JSON.stringify(input.targets) } : {}),
        ...(input.escalationChainId !== undefined ? { escalation_chain_id: input.escalationChainId } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
    if (row === undefined) throw notFound('policy')
    // Conditions and order decide which policy each open ticket gets: all open targets are looked at again.
    invalidateSlaConfig(deps)
    const affected = (await requestRecompute(trx, {}, now)) + (await evaluateTicketsWithoutSla(deps, trx, now))
    await recordChange(trx, actor, 'sla.policy_updated', id, { name: row.name, openTargetsToRecompute: affected }, now)
    invalidateSlaConfig(deps)
    return row
  })
}

export async function deletePolicy(deps: ServiceDeps, actor: Actor, id: string) {
  assertMayWrite(actor, 'settings')
  await inTransaction(deps, async (trx) => {
    const row = await trx.deleteFrom('sla_policies').where('id', '=', id).returningAll().executeTakeFirst()
    if (row === undefined) throw notFound('policy')
    const now = deps.clock()
    await requestRecompute(trx, { policyId: id }, now)
    await recordChange(trx, actor, 'sla.policy_deleted', id, { name: row.name }, now)
    invalidateSlaConfig(deps)
  })
}

/** Most open tickets without SLA targets evaluated at once when a policy changes (the rest on the next change). */
const UNTARGETED_LIMIT = 5_000

/**
 * Open tickets that no policy covered have no target rows for the scheduler to find; when
 * a policy is added or changed they are evaluated here, so a new policy reaches them too.
 */
async function evaluateTicketsWithoutSla(deps: ServiceDeps, trx: Db, now: Date): Promise<number> {
  const ids = await trx
    .selectFrom('tickets')
    .select('id')
    .where('status', 'in', ['new', 'accepted', 'in_progress', 'waiting'])
    .where((eb) => eb.not(eb.exists(eb.selectFrom('ticket_sla').select('ticket_id').whereRef('ticket_sla.ticket_id', '=', 'tickets.id'))))
    .limit(UNTARGETED_LIMIT)
    .execute()
  const config = await slaConfigFor(deps, trx)
  for (const { id } of ids) await refreshTicketSla(trx, now, config, id, { reason: 'SLA policy changed' })
  return ids.length
}

export interface SpecialPeriodInput {
  readonly name?: string
  readonly startsAt?: string
  readonly endsAt?: string
  readonly priorityBoost?: number
  readonly targetFactor?: number
}

export async function listSpecialPeriods(deps: ServiceDeps, actor: Actor) {
  assertMayRead(actor, 'settings')
  return inTransaction(deps, (trx) => trx.selectFrom('special_periods').selectAll().orderBy('starts_at').execute())
}

export async function saveSpecialPeriod(deps: ServiceDeps, actor: Actor, id: string | null, input: SpecialPeriodInput) {
  assertMayWrite(actor, 'settings')
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const before = id === null ? undefined : await trx.selectFrom('special_periods').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
    if (id !== null && before === undefined) throw notFound('special period')
    const startsAt = input.startsAt !== undefined ? new Date(input.startsAt) : before?.starts_at
    const endsAt = input.endsAt !== undefined ? new Date(input.endsAt) : before?.ends_at
    const name = input.name?.trim() ?? before?.name
    if (name === undefined || name === '') throw invalidField('name', 'required')
    if (startsAt === undefined) throw invalidField('startsAt', 'required')
    if (endsAt === undefined) throw invalidField('endsAt', 'required')
    if (endsAt.getTime() <= startsAt.getTime()) throw invalidField('endsAt', 'must be after startsAt')
    const columns = {
      name,
      starts_at: startsAt,
      ends_at: endsAt,
      priority_boost: input.priorityBoost ?? before?.priority_boost ?? 0,
      target_factor: input.targetFactor ?? before?.target_factor ?? 1,
      updated_at: now,
    }
    const row =
      before === undefined
        ? await trx.insertInto('special_periods').values({ id: uuidv7(), ...columns, created_at: now }).returningAll().executeTakeFirstOrThrow()
        : await trx.updateTable('special_periods').set(columns).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow()
    const affected = await requestRecompute(trx, {}, now)
    await recordChange(trx, actor, before === undefined ? 'sla.special_period_created' : 'sla.special_period_updated', row.id, { name: row.name, openTargetsToRecompute: affected }, now)
    invalidateSlaConfig(deps)
    return row
  })
}

export async function deleteSpecialPeriod(deps: ServiceDeps, actor: Actor, id: string) {
  assertMayWrite(actor, 'settings')
  await inTransaction(deps, async (trx) => {
    const row = await trx.deleteFrom('special_periods').where('id', '=', id).returningAll().executeTakeFirst()
    if (row === undefined) throw notFound('special period')
    const now = deps.clock()
    await requestRecompute(trx, {}, now)
    await recordChange(trx, actor, 'sla.special_period_deleted', id, { name: row.name }, now)
    invalidateSlaConfig(deps)
  })
}

export async function listEscalationChains(deps: ServiceDeps, actor: Actor) {
  assertMayRead(actor, 'settings')
  return inTransaction(deps, (trx) => trx.selectFrom('escalation_chains').selectAll().orderBy('name').execute())
}

export async function saveEscalationChain(deps: ServiceDeps, actor: Actor, id: string | null, input: { name?: string; levels?: readonly EscalationLevel[] }) {
  assertMayWrite(actor, 'settings')
  const levels = input.levels
  if (levels !== undefined) {
    const unordered = levels.findIndex((level, index) => index > 0 && level.afterMinutes < (levels[index - 1]?.afterMinutes ?? 0))
    if (unordered >= 0) throw invalidField(`levels/${unordered}/afterMinutes`, 'levels must come in time order')
  }
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    if (id === null) {
      if (input.name === undefined || levels === undefined) throw invalidField(input.name === undefined ? 'name' : 'levels', 'required')
      const row = await trx.insertInto('escalation_chains').values({ id: uuidv7(), name: input.name.trim(), levels: JSON.stringify(levels), created_at: now, updated_at: now }).returningAll().executeTakeFirstOrThrow()
      await recordChange(trx, actor, 'sla.escalation_chain_created', row.id, { name: row.name }, now)
      invalidateSlaConfig(deps)
      return row
    }
    const row = await trx
      .updateTable('escalation_chains')
      .set({ ...(input.name !== undefined ? { name: input.name.trim() } : {}), ...(levels !== undefined ? { levels: JSON.stringify(levels) } : {}), updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
    if (row === undefined) throw notFound('escalation chain')
    await recordChange(trx, actor, 'sla.escalation_chain_updated', id, { name: row.name }, now)
    invalidateSlaConfig(deps)
    return row
  })
}

/** The signed-in person's in-app notifications, newest first. */
export async function listNotifications(deps: ServiceDeps, actor: Actor, onlyUnread: boolean) {
  return inTransaction(deps, async (trx) => {
    let query = trx.selectFrom('notifications').selectAll().where('user_id', '=', actor.id)
    if (onlyUnread) query = query.where('read_at', 'is', null)
    return query.orderBy('created_at', 'desc').limit(100).execute()
  })
}

export async function markNotificationRead(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  await inTransaction(deps, async (trx) => {
    const result = await trx.updateTable('notifications').set({ read_at: deps.clock() }).where('id', '=', id).where('user_id', '=', actor.id).executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) throw notFound('notification')
  })
}
