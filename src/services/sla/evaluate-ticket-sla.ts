import { sql } from 'kysely'
import { SYSTEM_ACTOR } from '../../domain/policy/actor.ts'
import { DEFAULT_ESCALATION_CHAIN_ID, type EscalationAudience, type EscalationChain, nextEscalation } from '../../domain/sla/escalation.ts'
import { type Emotion, computePriority } from '../../domain/sla/priority.ts'
import { selectPolicy } from '../../domain/sla/sla-policy.ts'
import { type TargetState, computeTargetState } from '../../domain/sla/target-state.ts'
import type { Channel, ServicePackage, Severity, TicketType, VipLevel } from '../../domain/tickets/ticket.ts'
import type { Insertable } from 'kysely'
import type { Db } from '../../db/connection.ts'
import type { TicketSlaTable } from '../../db/schema.ts'
import { type NewEvent, insertEvents } from '../../db/events.ts'
import { type SlaConfig, loadCustomerStanding, loadTicketClock, loadTicketSla, newTicketClock } from '../../db/sla.ts'
import { type TicketRecord, findTicket } from '../../db/tickets.ts'

export interface EvaluateOptions {
  /** Why the SLA is looked at again, recorded when due times move (e.g. `severity changed`). */
  readonly reason?: string
  readonly actorId?: string
  /** A ticket created in this transaction: it has no SLA rows and no status history yet. */
  readonly isNew?: boolean
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/**
 * Recomputes the SLA of one locked ticket at `now` and fires what has fallen due: the warning
 * at its share of a target, the breach, and each escalation step after it — each exactly
 * once, because the fired instants are stored on the target row in the same transaction as
 * the events and the outbox rows. Also keeps the ticket's priority score, policy, next due
 * time and SLA state current, and stores when the next check is due.
 */
export async function evaluateTicketSla(trx: Db, now: Date, config: SlaConfig, ticket: TicketRecord, options: EvaluateOptions = {}): Promise<void> {
  const nowMs = now.getTime()
  const standing = await loadCustomerStanding(trx, ticket.organisation_id)
  const priority = computePriority({
    severity: ticket.severity as Severity,
    vipLevel: standing.vipLevel as VipLevel,
    servicePackage: standing.servicePackage as ServicePackage,
    receivedAt: ticket.received_at.getTime(),
    specialPeriods: config.specialPeriods,
    assetRisk: ticket.asset_risk,
    emotion: ticket.emotion as Emotion | null,
  })
  const policy = selectPolicy(config.policies, {
    severity: ticket.severity as Severity,
    type: ticket.type as TicketType,
    channel: ticket.channel as Channel,
    categoryId: ticket.category_id,
    vipLevel: standing.vipLevel as VipLevel,
    servicePackage: standing.servicePackage as ServicePackage,
  })
  const previous = new Map(options.isNew === true ? [] : (await loadTicketSla(trx, ticket.id)).map((row) => [row.target, row]))
  const clock = options.isNew === true ? newTicketClock(ticket) : await loadTicketClock(trx, ticket)
  const events: NewEvent[] = []
  // Warnings, breaches and escalations are the system's doing; a recomputation is credited to whoever changed the ticket.
  const event = (type: string, data: Record<string, unknown>, reason?: string | null): NewEvent => ({
    type,
    entityType: 'ticket',
    entityId: ticket.id,
    actorId: type === 'ticket.sla_updated' ? (options.actorId ?? SYSTEM_ACTOR.id) : SYSTEM_ACTOR.id,
    at: now,
    reason: reason ?? null,
    data,
  })
  const chain = policy === null ? undefined : config.chains.get(policy.escalationChainId ?? DEFAULT_ESCALATION_CHAIN_ID)
  const open = ticket.status !== 'closed'
  const states: TargetState[] = []
  const rows: Insertable<TicketSlaTable>[] = []
  const moved: { target: string; before: string | null; after: string | null }[] = []

  for (const definition of policy?.targets ?? []) {
    const calendar = config.calendars.get(definition.calendarId)
    if (calendar === undefined || policy === null) continue
    const state = computeTargetState(definition, calendar, clock, nowMs, priority.targetFactor)
    states.push(state)
    const before = previous.get(definition.target)
    previous.delete(definition.target)
    let warnedAt = before?.warned_at ?? null
    let breachedAt = before?.breached_at ?? null
    let level = before?.escalation_level ?? 0
    const stopped = state.stoppedAt !== null

    // Past the warning share of a running target (a target already breached gets the breach instead).
    if (warnedAt === null && state.status === 'running' && state.warnAt === null) {
      warnedAt = now
      events.push(event('ticket.sla_warning', { target: state.target, dueAt: iso(state.dueAt), businessSecondsLeft: Math.floor(state.remainingMs / 1000) }))
      await notify(trx, ticket, ['assignee', 'group'], 'sla_warning', { target: state.target, dueAt: iso(state.dueAt) }, `${ticket.id}:${state.target}:warning`, now)
    }
    if (breachedAt === null && state.status === 'breached') {
      breachedAt = now
      events.push(event('ticket.sla_breached', { target: state.target, overdueBusinessSeconds: Math.floor(-state.remainingMs / 1000) }))
    }
    // Escalation steps run for breached targets of open tickets, each step once, in order.
    while (breachedAt !== null && !stopped && open && chain !== undefined) {
      const step = nextEscalation(chain, breachedAt.getTime(), level)
      if (step === null || step.dueAt > nowMs) break
      await escalate(trx, ticket, chain, step.level, state.target, now, events, event)
      level += 1
    }
    const nextStep = breachedAt !== null && chain !== undefined && !stopped && open ? nextEscalation(chain, breachedAt.getTime(), level) : null
    const candidates = [
      warnedAt === null && !stopped ? state.warnAt : null,
      breachedAt === null && !stopped ? state.dueAt : null,
      nextStep?.dueAt ?? null,
    ].filter((at): at is number => at !== null)
    const nextCheck = candidates.length > 0 ? new Date(Math.max(nowMs, Math.min(...candidates))) : null

    if (before !== undefined && !stopped && state.dueAt !== null && before.due_at !== null && Math.abs(before.due_at.getTime() - state.dueAt) > 1000) {
      moved.push({ target: state.target, before: before.due_at.toISOString(), after: iso(state.dueAt) })
    }
    const row = {
      ticket_id: ticket.id,
      target: state.target,
      policy_id: policy.id,
      calendar_id: state.calendarId,
      status: state.status,
      duration_ms: state.durationMs,
      elapsed_ms: Math.round(state.elapsedMs),
      remaining_ms: Math.round(state.remainingMs),
      started_at: state.startedAt === null ? null : new Date(state.startedAt),
      stopped_at: state.stoppedAt === null ? null : new Date(state.stoppedAt),
      due_at: state.dueAt === null ? null : new Date(state.dueAt),
      warn_at: state.warnAt === null ? null : new Date(state.warnAt),
      warned_at: warnedAt,
      breached_at: breachedAt,
      escalation_level: level,
      next_check_at: open ? nextCheck : null,
      computed_at: now,
    }
    rows.push(row)
  }
  if (rows.length > 0) {
    // One statement for all targets: the scheduler evaluates many tickets per pass.
    await trx
      .insertInto('ticket_sla')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['ticket_id', 'target']).doUpdateSet((eb) => ({
          policy_id: eb.ref('excluded.policy_id'),
          calendar_id: eb.ref('excluded.calendar_id'),
          status: eb.ref('excluded.status'),
          duration_ms: eb.ref('excluded.duration_ms'),
          elapsed_ms: eb.ref('excluded.elapsed_ms'),
          remaining_ms: eb.ref('excluded.remaining_ms'),
          started_at: eb.ref('excluded.started_at'),
          stopped_at: eb.ref('excluded.stopped_at'),
          due_at: eb.ref('excluded.due_at'),
          warn_at: eb.ref('excluded.warn_at'),
          warned_at: eb.ref('excluded.warned_at'),
          breached_at: eb.ref('excluded.breached_at'),
          escalation_level: eb.ref('excluded.escalation_level'),
          next_check_at: eb.ref('excluded.next_check_at'),
          computed_at: eb.ref('excluded.computed_at'),
        })),
      )
      .execute()
  }
  // Targets of a policy that no longer applies are dropped.
  if (previous.size > 0) {
    await trx.deleteFrom('ticket_sla').where('ticket_id', '=', ticket.id).where('target', 'in', [...previous.keys()]).execute()
  }
  if (moved.length > 0 || (policy?.id ?? null) !== ticket.sla_policy_id) {
    events.push(event('ticket.sla_updated', { policyId: policy?.id ?? null, policyName: policy?.name ?? null, moved }, options.reason))
  }
  const running = states.filter((state) => state.dueAt !== null)
  const slaState =
    policy === null || !open
      ? null
      : states.some((state) => state.status === 'breached' && state.stoppedAt === null)
        ? 'breached'
        : states.some((state) => state.status === 'running' && state.warnAt === null)
          ? 'at_risk'
          : 'ok'
  await trx
    .updateTable('tickets')
    .set({
      sla_policy_id: policy?.id ?? null,
      priority_score: priority.score,
      priority_factors: JSON.stringify(priority.factors),
      sla_due_at: open && running.length > 0 ? new Date(Math.min(...running.map((state) => state.dueAt ?? Infinity))) : null,
      sla_state: slaState,
    })
    .where('id', '=', ticket.id)
    .execute()
  await insertEvents(trx, events)
}

/** Resolves an audience to user ids: the assignee, the group's members, the desk's supervisors or managers. */
async function audienceIds(trx: Db, ticket: TicketRecord, audiences: readonly EscalationAudience[]): Promise<string[]> {
  const ids = new Set<string>()
  for (const audience of audiences) {
    if (audience === 'assignee' && ticket.assignee_id !== null) ids.add(ticket.assignee_id)
    if (audience === 'group' && ticket.group_id !== null) {
      const members = await trx.selectFrom('group_members').select('user_id').where('group_id', '=', ticket.group_id).execute()
      for (const member of members) ids.add(member.user_id)
    }
    if (audience === 'supervisors' || audience === 'managers') {
      const role = audience === 'supervisors' ? 'supervisor' : 'manager'
      const users = await trx.selectFrom('users').select('id').where(sql<boolean>`${role} = ANY(roles)`).where('is_active', '=', true).execute()
      for (const user of users) ids.add(user.id)
    }
  }
  // Nobody in charge yet: the supervisors hear of it.
  if (ids.size === 0 && !audiences.includes('supervisors')) return audienceIds(trx, ticket, ['supervisors'])
  return [...ids]
}

/** Puts an in-app notice in the outbox; the dedupe key makes a repeated attempt a no-op. */
export async function notify(
  trx: Db,
  ticket: TicketRecord,
  audiences: readonly EscalationAudience[],
  kind: string,
  details: Record<string, unknown>,
  dedupeKey: string,
  now: Date,
): Promise<void> {
  const userIds = await audienceIds(trx, ticket, audiences)
  if (userIds.length === 0) return
  await trx
    .insertInto('outbox')
    .values({
      topic: 'notification',
      payload: JSON.stringify({ kind, userIds, ticketId: ticket.id, number: ticket.number, subject: ticket.subject, ...details }),
      dedupe_key: dedupeKey,
      created_at: now,
      available_at: now,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute()
}

async function escalate(
  trx: Db,
  ticket: TicketRecord,
  chain: EscalationChain,
  level: number,
  target: string,
  now: Date,
  events: NewEvent[],
  event: (type: string, data: Record<string, unknown>, reason?: string | null) => NewEvent,
): Promise<void> {
  const step = chain.levels[level]
  if (step === undefined) return
  let reassignedTo: string | null = null
  if (step.reassignToSupervisor) {
    const supervisor = await trx
      .selectFrom('users')
      .leftJoin('tickets', (join) => join.onRef('tickets.assignee_id', '=', 'users.id').on('tickets.status', 'in', ['new', 'accepted', 'in_progress', 'waiting']))
      .select(['users.id'])
      .where(sql<boolean>`'supervisor' = ANY(users.roles)`)
      .where('users.is_active', '=', true)
      .groupBy('users.id')
      .orderBy(sql`count(tickets.id)`)
      .orderBy('users.id')
      .executeTakeFirst()
    if (supervisor !== undefined && supervisor.id !== ticket.assignee_id) {
      reassignedTo = supervisor.id
      await trx.updateTable('tickets').set({ assignee_id: supervisor.id, updated_at: now }).where('id', '=', ticket.id).execute()
    }
  }
  events.push(event('ticket.escalated', { target, level: level + 1, chainId: chain.id, notify: step.notify, from: ticket.assignee_id, reassignedTo }))
  // The agent the ticket was taken from is told too (the supervisor who receives it is among the supervisors).
  await notify(trx, ticket, step.notify, 'sla_escalation', { target, level: level + 1 }, `${ticket.id}:${target}:escalation:${level + 1}`, now)
}

/** Re-reads a ticket after changes and evaluates it (used by the ticket use cases at the end of their transaction). */
export async function refreshTicketSla(trx: Db, now: Date, config: SlaConfig, ticketId: string, options: EvaluateOptions = {}): Promise<void> {
  const ticket = await findTicket(trx, ticketId)
  if (ticket !== undefined) await evaluateTicketSla(trx, now, config, ticket, options)
}

