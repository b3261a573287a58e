import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { PriorityFactor, SlaState, SlaTargetState } from '../api/types.ts'
import { formatDateTime } from './format.ts'

const MINUTE_MS = 60_000

/** A length of time in words, coarse enough to read at a glance: "25 min", "1 h 30 min", "2 d 3 h". */
export function formatDuration(ms: number, t: TFunction, roundUp = false): string {
  const totalMinutes = Math.max(1, roundUp ? Math.ceil(Math.abs(ms) / MINUTE_MS) : Math.floor(Math.abs(ms) / MINUTE_MS))
  const days = Math.floor(totalMinutes / 1440)
  const hours = Math.floor((totalMinutes % 1440) / 60)
  const minutes = totalMinutes % 60
  const parts: string[] = []
  if (days > 0) {
    parts.push(t('common:duration.d', { count: days }))
    if (hours > 0) parts.push(t('common:duration.h', { count: hours }))
  } else if (hours > 0) {
    parts.push(t('common:duration.h', { count: hours }))
    if (minutes > 0) parts.push(t('common:duration.min', { count: minutes }))
  } else parts.push(t('common:duration.min', { count: minutes }))
  return parts.join(t('common:duration.separator'))
}

/** "25 min left" / "1 h overdue" for a due instant seen from `now`. */
export function formatDueIn(dueAt: string, now: number, t: TFunction): string {
  const diff = new Date(dueAt).getTime() - now
  return diff >= 0 ? t('common:sla.left', { time: formatDuration(diff, t, true) }) : t('common:sla.overdue', { time: formatDuration(diff, t) })
}

/** The state of a ticket's clock in words (with a colour that only repeats them). */
export function SlaStateBadge({ state, testId }: { state: SlaState; testId?: string }) {
  const { t } = useTranslation()
  return (
    <span className={`badge sla-badge sla-${state}`} data-testid={testId} data-sla-state={state}>
      {t(`sla.status.${state}`)}
    </span>
  )
}

/**
 * The next due time of a ticket as a countdown, coloured and labelled by its state. `now`
 * comes from the caller so a whole table ticks together without asking the server again.
 */
export function SlaCountdown({ dueAt, state, now, timeZone }: { dueAt: string | null | undefined; state: SlaState | null | undefined; now: number; timeZone?: string }) {
  const { t, i18n } = useTranslation()
  if (dueAt == null) {
    return (
      <span className="muted" data-testid="sla-cell" data-sla-state={state ?? 'none'}>
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">{t('sla.none')}</span>
      </span>
    )
  }
  const shown = state ?? 'ok'
  return (
    <span className={`sla-cell sla-text-${shown}`} data-testid="sla-cell" data-sla-state={shown}>
      {shown !== 'ok' && <SlaStateBadge state={shown} />}
      <time dateTime={dueAt} title={t('sla.dueAt', { time: formatDateTime(dueAt, i18n.language, timeZone) })}>
        {formatDueIn(dueAt, now, t)}
      </time>
    </span>
  )
}

/** What a target's clock shows: a running target that has passed its warning share is "at risk". */
export function targetDisplayStatus(target: SlaTargetState): SlaTargetState['status'] | 'at_risk' {
  return target.status === 'running' && target.warnedAt !== null ? 'at_risk' : target.status
}

/** A priority input's value in words: the severity, VIP level, package or emotion by name. */
export function priorityValueLabel(factor: PriorityFactor, t: TFunction): string {
  switch (factor.input) {
    case 'severity':
      return t(`common:severity.${factor.value}`, { defaultValue: factor.value })
    case 'vip_level':
      return t(`common:vip.${factor.value}`, { defaultValue: factor.value })
    case 'service_package':
      return t(`common:package.${factor.value}`, { defaultValue: factor.value })
    case 'emotion':
      return t(`common:priority.emotion.${factor.value}`, { defaultValue: factor.value })
    case 'asset_risk': {
      const risk = Number(factor.value)
      return Number.isFinite(risk) ? `${Math.round(risk * 100)}%` : factor.value
    }
    default:
      return factor.value
  }
}

/** "+20" / "−5": the points a factor adds to the priority. */
export function formatPoints(points: number): string {
  return points >= 0 ? `+${points}` : `−${Math.abs(points)}`
}
