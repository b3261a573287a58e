import type { ServicePackage, Severity, VipLevel } from '../tickets/ticket.ts'

/** A named date range (a sales festival, a holiday) that raises priority and may tighten targets. */
export interface SpecialPeriod {
  readonly id: string
  readonly name: string
  readonly startsAt: number
  readonly endsAt: number
  /** Points added to the priority of tickets received in the period. */
  readonly priorityBoost: number
  /** Multiplies target durations of tickets received in the period (0.5 halves them; 1 leaves them). */
  readonly targetFactor: number
}

export const EMOTIONS = ['anger', 'anxiety', 'neutral'] as const
export type Emotion = (typeof EMOTIONS)[number]

export interface PriorityInputs {
  readonly severity: Severity
  readonly vipLevel: VipLevel
  readonly servicePackage: ServicePackage
  readonly receivedAt: number
  readonly specialPeriods: readonly SpecialPeriod[]
  /** Failure risk of the customer's asset, 0–1 (fed by the assets capability). */
  readonly assetRisk?: number | null
  /** Emotion detected in the customer's words (fed by the text intelligence capability). */
  readonly emotion?: Emotion | null
}

/** One input that moved the score, for the explanation shown on the ticket. */
export interface PriorityFactor {
  readonly input: 'severity' | 'vip_level' | 'service_package' | 'special_period' | 'asset_risk' | 'emotion'
  readonly value: string
  readonly points: number
}

export interface Priority {
  readonly score: number
  readonly factors: readonly PriorityFactor[]
  /** The tightest target factor of the special periods the ticket falls in (1 when none). */
  readonly targetFactor: number
}

/** Points per input; severity dominates, the customer's standing and context refine it. */
export const PRIORITY_POINTS = {
  severity: { P1: 60, P2: 40, P3: 20, P4: 5 },
  vipLevel: { gold: 20, silver: 10, standard: 0 },
  servicePackage: { exclusive: 15, value_added: 8, basic: 0 },
  assetRiskMax: 20,
  emotion: { anger: 15, anxiety: 8, neutral: 0 },
} as const

/** The special periods a ticket received at `at` falls in. */
export function periodsAt(periods: readonly SpecialPeriod[], at: number): SpecialPeriod[] {
  return periods.filter((period) => period.startsAt <= at && at < period.endsAt)
}

/** The dynamic priority of a ticket (0–100+) with the inputs that made it. */
export function computePriority(inputs: PriorityInputs): Priority {
  const factors: PriorityFactor[] = [{ input: 'severity', value: inputs.severity, points: PRIORITY_POINTS.severity[inputs.severity] }]
  const add = (factor: PriorityFactor) => {
    if (factor.points !== 0) factors.push(factor)
  }
  add({ input: 'vip_level', value: inputs.vipLevel, points: PRIORITY_POINTS.vipLevel[inputs.vipLevel] })
  add({ input: 'service_package', value: inputs.servicePackage, points: PRIORITY_POINTS.servicePackage[inputs.servicePackage] })
  const periods = periodsAt(inputs.specialPeriods, inputs.receivedAt)
  for (const period of periods) add({ input: 'special_period', value: period.name, points: period.priorityBoost })
  if (inputs.assetRisk != null) {
    const risk = Math.min(1, Math.max(0, inputs.assetRisk))
    add({ input: 'asset_risk', value: risk.toFixed(2), points: Math.round(risk * PRIORITY_POINTS.assetRiskMax) })
  }
  if (inputs.emotion != null) add({ input: 'emotion', value: inputs.emotion, points: PRIORITY_POINTS.emotion[inputs.emotion] })
  return {
    score: factors.reduce((sum, factor) => sum + factor.points, 0),
    factors,
    targetFactor: periods.reduce((tightest, period) => Math.min(tightest, period.targetFactor), 1),
  }
}
