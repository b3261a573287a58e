import { sql } from 'kysely'
import { type BusinessCalendar, type DayHours, type Weekday, calendar24x7, createBusinessCalendar } from '../domain/sla/business-calendar.ts'
import type { EscalationChain, EscalationLevel } from '../domain/sla/escalation.ts'
import type { SpecialPeriod } from '../domain/sla/priority.ts'
import type { SlaConditions, SlaPolicy, SlaTargetDefinition } from '../domain/sla/sla-policy.ts'
import type { TicketClock } from '../domain/sla/target-state.ts'
import type { TicketStatus } from '../domain/tickets/ticket.ts'
import type { Db } from './connection.ts'
import type { TicketRecord } from './tickets.ts'

/** Everything the SLA engine reads besides the ticket: calendars, policies, special periods, chains. */
export interface SlaConfig {
  readonly calendars: ReadonlyMap<string, BusinessCalendar>
  readonly policies: readonly SlaPolicy[]
  readonly specialPeriods: readonly SpecialPeriod[]
  readonly chains: ReadonlyMap<string, EscalationChain>
}

export interface CalendarRowShape {
  readonly time_zone: string
  readonly is_24x7: boolean
  readonly weekly_hours: unknown
  readonly make_up_day_hours: unknown
  readonly holidays: string[]
  readonly workdays: string[]
}

/** A stored calendar as the pure calendar maths needs it. */
export function toBusinessCalendar(row: CalendarRowShape): BusinessCalendar {
  if (row.is_24x7) return calendar24x7(row.time_zone)
  return createBusinessCalendar({
    timeZone: row.time_zone,
    weeklyHours: row.weekly_hours as Partial<Record<Weekday, DayHours>>,
    holidays: row.holidays,
    workdays: row.workdays,
    ...(row.make_up_day_hours != null ? { makeUpDayHours: row.make_up_day_hours as DayHours } : {}),
  })
}

export async function loadSlaConfig(trx: Db): Promise<SlaConfig> {
  const [calendars, policies, periods, chains] = await Promise.all([
    trx.selectFrom('calendars').selectAll().execute(),
    trx.selectFrom('sla_policies').selectAll().execute(),
    trx.selectFrom('special_periods').selectAll().execute(),
    trx.selectFrom('escalation_chains').selectAll().execute(),
  ])
  return {
    calendars: new Map(calendars.map((row) => [row.id, toBusinessCalendar(row)])),
    policies: policies.map((row) => ({
      id: row.id,
      name: row.name,
      position: row.position,
      isActive: row.is_active,
      conditions: row.conditions as SlaConditions,
      targets: row.targets as SlaTargetDefinition[],
      escalationChainId: row.escalation_chain_id,
    })),
    specialPeriods: periods.map((row) => ({
      id: row.id,
      name: row.name,
      startsAt: row.starts_at.getTime(),
      endsAt: row.ends_at.getTime(),
      priorityBoost: row.priority_boost,
      targetFactor: row.target_factor,
    })),
    chains: new Map(chains.map((row) => [row.id, { id: row.id, name: row.name, levels: row.levels as EscalationLevel[] }])),
  }
}

const TRANSITION_TYPES = ['ticket.accepted', 'ticket.started', 'ticket.waiting_on_customer', 'ticket.resolved', 'ticket.closed', 'ticket.reopened']

/** The ticket's clock: its stamps and its status history, read from its own events. */
export async function loadTicketClock(trx: Db, ticket: TicketRecord): Promise<TicketClock> {
  const events = await trx
    .selectFrom('events')
    .select(['type', 'data', 'occurred_at'])
    .where('ticket_id', '=', ticket.id)
    .where('type', 'in', TRANSITION_TYPES)
    .orderBy('id')
    .execute()
  const history: { at: number; status: TicketStatus }[] = [{ at: ticket.received_at.getTime(), status: 'new' }]
  let lastReopenedAt: number | null = null
  for (const event of events) {
    const to = (event.data as { to?: TicketStatus } | null)?.to
    if (to === undefined) continue
    const at = Math.max(event.occurred_at.getTime(), ticket.received_at.getTime())
    history.push({ at, status: to })
    if (event.type === 'ticket.reopened') lastReopenedAt = at
  }
  const stamp = (date: Date | null) => (date === null ? null : date.getTime())
  return {
    status: ticket.status as TicketStatus,
    receivedAt: ticket.received_at.getTime(),
    acceptedAt: stamp(ticket.accepted_at),
    firstResponseAt: stamp(ticket.first_response_at),
    resolvedAt: stamp(ticket.resolved_at),
    closedAt: stamp(ticket.closed_at),
    followedUpAt: stamp(ticket.followed_up_at),
    lastReopenedAt,
    history,
  }
}

/** The clock of a ticket just received: no history but its receipt. */
export function newTicketClock(ticket: TicketRecord): TicketClock {
  const receivedAt = ticket.received_at.getTime()
  return {
    status: ticket.status as TicketStatus,
    receivedAt,
    acceptedAt: null,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    followedUpAt: null,
    lastReopenedAt: null,
    history: [{ at: receivedAt, status: ticket.status as TicketStatus }],
  }
}

/** The VIP level and service package of the ticket's organisation (standard / basic without one). */
export async function loadCustomerStanding(trx: Db, organisationId: string | null) {
  if (organisationId === null) return { vipLevel: 'standard', servicePackage: 'basic' } as const
  const row = await trx.selectFrom('organisations').select(['vip_level', 'service_package']).where('id', '=', organisationId).executeTakeFirst()
  return { vipLevel: row?.vip_level ?? 'standard', servicePackage: row?.service_package ?? 'basic' }
}

export async function loadTicketSla(trx: Db, ticketId: string) {
  return trx.selectFrom('ticket_sla').selectAll().where('ticket_id', '=', ticketId).execute()
}

/** Marks the open targets that use a calendar or policy for recomputation by the scheduler. */
export async function requestRecompute(trx: Db, by: { calendarId?: string; policyId?: string; all?: boolean }, now: Date): Promise<number> {
  let query = trx.updateTable('ticket_sla').set({ next_check_at: now }).where('stopped_at', 'is', null)
  if (by.calendarId !== undefined) query = query.where('calendar_id', '=', by.calendarId)
  if (by.policyId !== undefined) query = query.where('policy_id', '=', by.policyId)
  const result = await query.executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/**
 * Claims the tickets of up to `limit` targets whose check is due by locking the ticket rows
 * (the same lock every ticket change takes first, so the two never deadlock); tickets locked
 * by another process are skipped, which is how two app nodes share the work without firing
 * anything twice.
 */
export async function claimDueTickets(trx: Db, now: Date, limit: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM tickets
    WHERE id IN (
      SELECT ticket_id FROM ticket_sla
      WHERE next_check_at IS NOT NULL AND next_check_at <= ${now}
      ORDER BY next_check_at
      LIMIT ${limit}
    )
    FOR UPDATE SKIP LOCKED`.execute(trx)
  return rows.map((row) => row.id)
}
