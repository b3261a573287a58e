import type { Channel, ServicePackage, Severity, TicketStatus, TicketType, VipLevel } from '../tickets/ticket.ts'

/** The commitments a policy can hold. */
export const SLA_TARGETS = ['acknowledgement', 'first_response', 'solution', 'resolution', 'follow_up'] as const
export type SlaTargetKind = (typeof SLA_TARGETS)[number]

/** When a target's clock starts. */
export const SLA_START_EVENTS = ['received', 'resolved'] as const
export type SlaStartEvent = (typeof SLA_START_EVENTS)[number]

/** What stops a target's clock (meets it). */
export const SLA_STOP_EVENTS = ['accepted', 'first_response', 'resolved', 'closed', 'followed_up'] as const
export type SlaStopEvent = (typeof SLA_STOP_EVENTS)[number]

export interface SlaTargetDefinition {
  readonly target: SlaTargetKind
  readonly startOn: SlaStartEvent
  readonly stopOn: SlaStopEvent
  /** The committed duration, in business minutes of `calendarId`. */
  readonly minutes: number
  readonly calendarId: string
  /** Statuses during which the clock stands still (e.g. waiting on the customer). */
  readonly pauseStatuses: readonly TicketStatus[]
  /** Share of the target at which a warning goes out (0.75 by default). */
  readonly warnAtRatio: number
  /** A reopened ticket normally resumes the clock; true starts it over from the reopening. */
  readonly restartOnReopen?: boolean
}

/** Which tickets a policy governs; an empty or absent list matches everything. */
export interface SlaConditions {
  readonly severities?: readonly Severity[]
  readonly types?: readonly TicketType[]
  readonly channels?: readonly Channel[]
  readonly categoryIds?: readonly string[]
  readonly vipLevels?: readonly VipLevel[]
  readonly servicePackages?: readonly ServicePackage[]
}

export interface SlaPolicy {
  readonly id: string
  readonly name: string
  /** Lower numbers are tried first. */
  readonly position: number
  readonly isActive: boolean
  readonly conditions: SlaConditions
  readonly targets: readonly SlaTargetDefinition[]
  readonly escalationChainId: string | null
}

/** The facts of a ticket that choose its policy. */
export interface PolicyInputs {
  readonly severity: Severity
  readonly type: TicketType
  readonly channel: Channel
  readonly categoryId: string | null
  readonly vipLevel: VipLevel
  readonly servicePackage: ServicePackage
}

function matches<T>(allowed: readonly T[] | undefined, value: T | null): boolean {
  return allowed === undefined || allowed.length === 0 || (value !== null && allowed.includes(value))
}

export function policyMatches(conditions: SlaConditions, ticket: PolicyInputs): boolean {
  return (
    matches(conditions.severities, ticket.severity) &&
    matches(conditions.types, ticket.type) &&
    matches(conditions.channels, ticket.channel) &&
    matches(conditions.categoryIds, ticket.categoryId) &&
    matches(conditions.vipLevels, ticket.vipLevel) &&
    matches(conditions.servicePackages, ticket.servicePackage)
  )
}

/** The first active policy, in position order, whose conditions the ticket meets; null when none does. */
export function selectPolicy(policies: readonly SlaPolicy[], ticket: PolicyInputs): SlaPolicy | null {
  const ordered = [...policies].filter((policy) => policy.isActive).sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))
  return ordered.find((policy) => policyMatches(policy.conditions, ticket)) ?? null
}

/** Calendar ids the default policies refer to; the start-up creates calendars with these ids. */
export const CALENDAR_24X7_ID = '00000000-0000-7000-8000-000000000247'
export const CALENDAR_BUSINESS_CN_ID = '00000000-0000-7000-8000-000000000086'

const target = (
  kind: SlaTargetKind,
  minutes: number,
  calendarId: string,
  options: Partial<Pick<SlaTargetDefinition, 'startOn' | 'stopOn' | 'pauseStatuses'>> = {},
): SlaTargetDefinition => {
  const defaults: Record<SlaTargetKind, Pick<SlaTargetDefinition, 'startOn' | 'stopOn' | 'pauseStatuses'>> = {
    acknowledgement: { startOn: 'received', stopOn: 'accepted', pauseStatuses: [] },
    first_response: { startOn: 'received', stopOn: 'first_response', pauseStatuses: [] },
    solution: { startOn: 'received', stopOn: 'resolved', pauseStatuses: ['waiting'] },
    resolution: { startOn: 'received', stopOn: 'resolved', pauseStatuses: ['waiting'] },
    follow_up: { startOn: 'resolved', stopOn: 'followed_up', pauseStatuses: [] },
  }
  return { target: kind, minutes, calendarId, warnAtRatio: 0.75, ...defaults[kind], ...options }
}

const H = 60
const DAY_BUSINESS = 7.5 * H

/**
 * The response-time model of the brief, shipped as editable defaults: tiers P1–P4 (P1 and P4
 * on 24×7, P2 and P3 on the business calendar), the complaint process, and the "321" promise
 * (acknowledged in 3 minutes, a solution proposal in 2 hours, closed in 1 working day) for
 * the exclusive service package. Every policy adds classification and the follow-up visit.
 */
export function defaultSlaPolicies(): Omit<SlaPolicy, 'id'>[] {
  const classify = (calendarId: string) => target('acknowledgement', 15, calendarId)
  const followUp = target('follow_up', 24 * H, CALENDAR_24X7_ID)
  return [
    {
      name: '投诉处理 / Complaints',
      position: 10,
      isActive: true,
      conditions: { types: ['complaint'] },
      targets: [classify(CALENDAR_24X7_ID), target('first_response', 2 * H, CALENDAR_24X7_ID), target('solution', 72 * H, CALENDAR_24X7_ID), target('resolution', 120 * H, CALENDAR_24X7_ID, { stopOn: 'closed' }), followUp],
      escalationChainId: null,
    },
    {
      name: '"321" 承诺 / "321" promise (exclusive)',
      position: 20,
      isActive: true,
      conditions: { servicePackages: ['exclusive'], severities: ['P2', 'P3', 'P4'] },
      targets: [
        target('acknowledgement', 3, CALENDAR_BUSINESS_CN_ID),
        target('first_response', 30, CALENDAR_BUSINESS_CN_ID),
        target('solution', 2 * H, CALENDAR_BUSINESS_CN_ID),
        target('resolution', DAY_BUSINESS, CALENDAR_BUSINESS_CN_ID, { stopOn: 'closed' }),
        followUp,
      ],
      escalationChainId: null,
    },
    {
      name: '红色 P1 / Red P1',
      position: 30,
      isActive: true,
      conditions: { severities: ['P1'] },
      targets: [classify(CALENDAR_24X7_ID), target('first_response', 15, CALENDAR_24X7_ID), target('solution', 2 * H, CALENDAR_24X7_ID), followUp],
      escalationChainId: null,
    },
    {
      name: '橙色 P2 / Orange P2',
      position: 40,
      isActive: true,
      conditions: { severities: ['P2'] },
      targets: [classify(CALENDAR_BUSINESS_CN_ID), target('first_response', 4 * H, CALENDAR_BUSINESS_CN_ID), target('solution', 24 * H, CALENDAR_BUSINESS_CN_ID), followUp],
      escalationChainId: null,
    },
    {
      name: '黄色 P3 / Yellow P3',
      position: 50,
      isActive: true,
      conditions: { severities: ['P3'] },
      targets: [classify(CALENDAR_BUSINESS_CN_ID), target('first_response', 30, CALENDAR_BUSINESS_CN_ID), target('resolution', 2 * DAY_BUSINESS, CALENDAR_BUSINESS_CN_ID), followUp],
      escalationChainId: null,
    },
    {
      name: '绿色 P4 / Green P4',
      position: 60,
      isActive: true,
      conditions: { severities: ['P4'] },
      targets: [target('first_response', 1, CALENDAR_24X7_ID), target('resolution', 15, CALENDAR_24X7_ID), followUp],
      escalationChainId: null,
    },
  ]
}
