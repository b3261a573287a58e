import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react'
import { api } from '../../../api/client.ts'
import {
  CHANNELS,
  type Category,
  type EscalationChain,
  SERVICE_PACKAGES,
  SEVERITIES,
  SLA_START_EVENTS,
  SLA_STOP_EVENTS,
  SLA_TARGETS,
  type SlaCalendar,
  type SlaConditions,
  type SlaPolicy,
  type SlaStartEvent,
  type SlaStopEvent,
  type SlaTargetDefinition,
  type SlaTargetKind,
  TICKET_STATUSES,
  TICKET_TYPES,
  type TicketStatus,
  VIP_LEVELS,
} from '../../../api/types.ts'
import { buildCategoryTree, flattenCategoryTree } from '../../../components/portal-category-tree.ts'
import { type Problem, ProblemAlert } from '../../../components/portal-form.tsx'
import { useLoad } from '../../../components/use-load.ts'
import { CheckboxGroup, ConfirmAction, EditorPanel, Notice } from '../admin-ui.tsx'
import { ListProblem } from '../users-page.tsx'
import { FieldError, PathField, describeSlaProblem, errorAt, useProblemFocus, formatNumber, formatTargetMinutes, invalidProps, useSlaText, workingDayMinutes } from './sla-form.tsx'

/** The usual start, stop and pause rules of each kind of target (as the server's defaults). */
const TARGET_DEFAULTS: Record<SlaTargetKind, { startOn: SlaStartEvent; stopOn: SlaStopEvent; pauseStatuses: TicketStatus[] }> = {
  acknowledgement: { startOn: 'received', stopOn: 'accepted', pauseStatuses: [] },
  first_response: { startOn: 'received', stopOn: 'first_response', pauseStatuses: [] },
  solution: { startOn: 'received', stopOn: 'resolved', pauseStatuses: ['waiting'] },
  resolution: { startOn: 'received', stopOn: 'resolved', pauseStatuses: ['waiting'] },
  follow_up: { startOn: 'resolved', stopOn: 'followed_up', pauseStatuses: [] },
}
const MAX_TARGETS = 5
const DEFAULT_WARN_PERCENT = 75

/** A target as edited: numbers kept as typed until saving. */
interface TargetDraft {
  key: number
  target: SlaTargetKind
  minutes: string
  calendarId: string
  pauseStatuses: TicketStatus[]
  warnPercent: string
  startOn: SlaStartEvent
  stopOn: SlaStopEvent
  restartOnReopen: boolean
}

let nextKey = 1
const targetDraft = (target: SlaTargetDefinition): TargetDraft => ({
  key: nextKey++,
  target: target.target,
  minutes: String(target.minutes),
  calendarId: target.calendarId,
  pauseStatuses: [...target.pauseStatuses],
  warnPercent: String(Math.round(target.warnAtRatio * 1000) / 10),
  startOn: target.startOn,
  stopOn: target.stopOn,
  restartOnReopen: target.restartOnReopen ?? false,
})

/** SLA policies, tried in position order: the first active one whose conditions a ticket meets governs it. */
export function PoliciesSection() {
  const { ta, tp } = useSlaText()
  const policies = useLoad(() => api.get<{ items: SlaPolicy[] }>('/sla/policies'), [])
  const calendars = useLoad(() => api.get<{ items: SlaCalendar[] }>('/sla/calendars'), [])
  const chains = useLoad(() => api.get<{ items: EscalationChain[] }>('/sla/escalation-chains'), [])
  const categories = useLoad(() => api.get<{ items: Category[] }>('/categories'), [])
  const [editing, setEditing] = useState<SlaPolicy | 'new' | null>(null)
  const [notice, setNotice] = useState('')
  const [problem, setProblem] = useState<Problem | null>(null)
  const listAlertRef = useProblemFocus(problem)
  const calendarsById = new Map((calendars.data?.items ?? []).map((calendar) => [calendar.id, calendar]))
  const chainNames = new Map((chains.data?.items ?? []).map((chain) => [chain.id, chain.name]))
  const ordered = [...(policies.data?.items ?? [])].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))
  const open = (target: SlaPolicy | 'new') => {
    setNotice('')
    setProblem(null)
    setEditing(target)
  }

  async function remove(policy: SlaPolicy) {
    setNotice('')
    setProblem(null)
    try {
      await api.delete(`/sla/policies/${policy.id}`)
      setNotice(ta('sla.policies.deleted', { name: policy.name }))
      if (editing !== null && editing !== 'new' && editing.id === policy.id) setEditing(null)
      policies.reload()
    } catch (caught) {
      setProblem(describeSlaProblem(caught, ta, tp))
    }
  }

  const conditionsText = (conditions: SlaConditions) => {
    const parts: string[] = []
    const list = (values: readonly string[] | undefined, label: string, name: (value: string) => string) => {
      if (values !== undefined && values.length > 0) parts.push(`${label}${tp('problem.separator')}${values.map(name).join(ta('ui.listSeparator'))}`)
    }
    list(conditions.severities, ta('sla.fields.severities'), (value) => ta(`common:severity.${value}`))
    list(conditions.types, ta('sla.fields.types'), (value) => ta(`common:type.${value}`))
    list(conditions.channels, ta('sla.fields.channels'), (value) => ta(`common:channel.${value}`))
    list(conditions.vipLevels, ta('sla.fields.vipLevels'), (value) => ta(`common:vip.${value}`))
    list(conditions.servicePackages, ta('sla.fields.servicePackages'), (value) => ta(`common:package.${value}`))
    if (conditions.categoryIds !== undefined && conditions.categoryIds.length > 0) parts.push(ta('sla.policies.categoryCount', { count: conditions.categoryIds.length }))
    return parts
  }

  return (
    <section className="stack" aria-labelledby="sla-policies-title" data-testid="sla-policies">
      <div className="ad-section-head">
        <h3 id="sla-policies-title">{ta('sla.sections.policies')}</h3>
        <button type="button" className="button-primary" onClick={() => open('new')} disabled={calendars.data === undefined} data-testid="policy-new">
          {ta('sla.policies.new')}
        </button>
      </div>
      <p className="ad-intro muted">{ta('sla.policies.intro')}</p>
      <Notice text={notice} />
      <div ref={listAlertRef}>
        <ProblemAlert problem={problem} showDetail />
      </div>
      {editing !== null && calendars.data !== undefined && (
        <EditorPanel
          key={editing === 'new' ? 'new' : editing.id}
          title={editing === 'new' ? ta('sla.policies.new') : ta('sla.policies.edit', { name: editing.name })}
          onClose={() => setEditing(null)}
          testId="policy-panel"
        >
          <PolicyForm
            policy={editing === 'new' ? null : editing}
            nextPosition={(ordered.at(-1)?.position ?? 0) + 10}
            calendars={calendars.data.items}
            chains={chains.data?.items ?? []}
            categories={categories.data?.items ?? []}
            onSaved={(saved, created) => {
              setNotice(created ? ta('sla.policies.created', { name: saved.name }) : ta('sla.policies.saved', { name: saved.name }))
              setEditing(null)
              policies.reload()
            }}
            onCancel={() => setEditing(null)}
          />
        </EditorPanel>
      )}
      <ListProblem error={policies.error} />
      <div className="ad-table-scroll">
        <table className="ad-table" data-testid="policies-table">
          <caption className="visually-hidden">{ta('sla.policies.caption')}</caption>
          <thead>
            <tr>
              <th scope="col" className="ad-num">
                {ta('sla.fields.position')}
              </th>
              <th scope="col">{ta('sla.fields.name')}</th>
              <th scope="col">{ta('sla.fields.active')}</th>
              <th scope="col">{ta('sla.policies.appliesTo')}</th>
              <th scope="col">{ta('sla.fields.targets')}</th>
              <th scope="col">{ta('sla.fields.escalationChain')}</th>
              <th scope="col">
                <span className="visually-hidden">{ta('ui.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {ordered.map((policy) => {
              const conditions = conditionsText(policy.conditions)
              return (
                <tr key={policy.id} className={policy.isActive ? '' : 'ad-inactive'} data-testid="policy-row" data-policy-id={policy.id}>
                  <td className="ad-num">{policy.position}</td>
                  <th scope="row">{policy.name}</th>
                  <td>
                    <span className={policy.isActive ? 'ad-active' : 'ad-deactivated'}>{policy.isActive ? ta('sla.policies.active') : ta('sla.policies.inactive')}</span>
                  </td>
                  <td>
                    {conditions.length === 0 ? (
                      <span className="muted">{ta('sla.policies.allTickets')}</span>
                    ) : (
                      <ul className="sla-plain-list">
                        {conditions.map((part) => (
                          <li key={part}>{part}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>
                    <ul className="sla-plain-list">
                      {policy.targets.map((target) => (
                        <li key={target.target}>
                          {ta(`common:sla.target.${target.target}`)}
                          {tp('problem.separator')}
                          {formatTargetMinutes(target.minutes, calendarsById.get(target.calendarId), ta)}
                          <span className="muted"> · {calendarsById.get(target.calendarId)?.name ?? '…'}</span>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>{policy.escalationChainId === null ? <span className="muted">{ta('sla.policies.noChain')}</span> : (chainNames.get(policy.escalationChainId) ?? '…')}</td>
                  <td>
                    <span className="ad-row-actions">
                      <button type="button" className="ad-small-button" onClick={() => open(policy)} aria-label={ta('ui.editNamed', { name: policy.name })} data-testid="policy-edit">
                        {ta('ui.edit')}
                      </button>
                      <ConfirmAction
                        label={ta('ui.delete')}
                        confirmLabel={ta('sla.confirmDelete')}
                        accessibleName={ta('sla.deleteNamed', { name: policy.name })}
                        onConfirm={() => void remove(policy)}
                        testId="policy-delete"
                      />
                    </span>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      {policies.data !== undefined && policies.data.items.length === 0 && <p className="ad-empty">{ta('sla.policies.none')}</p>}
    </section>
  )
}

function PolicyForm({
  policy,
  nextPosition,
  calendars,
  chains,
  categories,
  onSaved,
  onCancel,
}: {
  policy: SlaPolicy | null
  nextPosition: number
  calendars: readonly SlaCalendar[]
  chains: readonly EscalationChain[]
  categories: readonly Category[]
  onSaved: (policy: SlaPolicy, created: boolean) => void
  onCancel: () => void
}) {
  const { ta, tp, language } = useSlaText()
  const firstCalendar = calendars[0]?.id ?? ''
  const [name, setName] = useState(policy?.name ?? '')
  const [position, setPosition] = useState(String(policy?.position ?? nextPosition))
  const [isActive, setIsActive] = useState(policy?.isActive ?? true)
  const [conditions, setConditions] = useState<SlaConditions>(policy?.conditions ?? {})
  const [targets, setTargets] = useState<TargetDraft[]>(() =>
    policy !== null
      ? policy.targets.map(targetDraft)
      : [targetDraft({ target: 'first_response', ...TARGET_DEFAULTS.first_response, minutes: 240, calendarId: firstCalendar, warnAtRatio: DEFAULT_WARN_PERCENT / 100 })],
  )
  const [escalationChainId, setEscalationChainId] = useState<string>(policy?.escalationChainId ?? '')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | null>(null)
  const alertRef = useProblemFocus(problem)
  const [focusTarget, setFocusTarget] = useState<number | null>(null)
  const targetsRef = useRef<HTMLDivElement>(null)
  const prefix = policy === null ? 'policy-new' : `policy-${policy.id}`
  const categoryOptions = useMemo(
    () => flattenCategoryTree(buildCategoryTree([...categories], language)).map((node) => ({ value: node.category.id, label: node.path.join(' › ') })),
    [categories, language],
  )

  useEffect(() => {
    if (focusTarget === null) return
    const rows = targetsRef.current?.querySelectorAll<HTMLElement>('[data-testid="policy-target"]')
    const row = focusTarget < 0 ? null : rows?.[focusTarget]
    ;(row?.querySelector<HTMLElement>('select') ?? targetsRef.current?.querySelector<HTMLElement>('[data-testid="target-add"]'))?.focus()
    setFocusTarget(null)
  }, [focusTarget])

  const setCondition = <K extends keyof SlaConditions>(key: K, value: SlaConditions[K]) => setConditions((before) => ({ ...before, [key]: value }))
  const updateTarget = (key: number, patch: Partial<TargetDraft>) => setTargets((before) => before.map((target) => (target.key === key ? { ...target, ...patch } : target)))

  async function submit(event: FormEvent) {
    event.preventDefault()
    const errors: Record<string, string> = {}
    if (name.trim() === '') errors.name = tp('fieldError.blank')
    const positionNumber = Number(position)
    if (position.trim() === '' || !Number.isInteger(positionNumber) || positionNumber < 0) errors.position = ta('sla.error.wholeNumber')
    const seen = new Set<SlaTargetKind>()
    const bodyTargets = targets.map((target, index) => {
      const minutes = Number(target.minutes)
      if (target.minutes.trim() === '' || !(minutes > 0)) errors[`targets/${index}/minutes`] = ta('sla.error.greaterThan', { value: 0 })
      const percent = Number(target.warnPercent)
      if (target.warnPercent.trim() === '' || !(percent > 0 && percent < 100)) errors[`targets/${index}/warnAtRatio`] = ta('sla.error.percent')
      if (seen.has(target.target)) errors[`targets/${index}/target`] = ta('sla.error.duplicateTarget')
      seen.add(target.target)
      if (target.calendarId === '') errors[`targets/${index}/calendarId`] = tp('fieldError.required')
      return {
        target: target.target,
        startOn: target.startOn,
        stopOn: target.stopOn,
        minutes,
        calendarId: target.calendarId,
        pauseStatuses: target.pauseStatuses,
        warnAtRatio: percent / 100,
        restartOnReopen: target.restartOnReopen,
      }
    })
    if (Object.keys(errors).length > 0) {
      setProblem({ code: 'VALIDATION', message: tp('problem.VALIDATION'), detail: null, fields: errors })
      return
    }
    const cleaned: SlaConditions = Object.fromEntries(Object.entries(conditions).filter(([, values]) => Array.isArray(values) && values.length > 0))
    const body = { name: name.trim(), position: positionNumber, isActive, conditions: cleaned, targets: bodyTargets, escalationChainId: escalationChainId === '' ? null : escalationChainId }
    setBusy(true)
    setProblem(null)
    try {
      const saved = policy === null ? await api.post<SlaPolicy>('/sla/policies', body) : await api.patch<SlaPolicy>(`/sla/policies/${policy.id}`, body)
      onSaved(saved, policy === null)
    } catch (caught) {
      setProblem(describeSlaProblem(caught, ta, tp))
    } finally {
      setBusy(false)
    }
  }

  const labels: Record<string, { label: string; id: string }> = {
    name: { label: ta('sla.fields.name'), id: `${prefix}-name` },
    position: { label: ta('sla.fields.position'), id: `${prefix}-position` },
    escalationChainId: { label: ta('sla.fields.escalationChain'), id: `${prefix}-chain` },
    targets: { label: ta('sla.fields.targets'), id: `${prefix}-targets` },
    conditions: { label: ta('sla.policies.conditions'), id: `${prefix}-conditions` },
  }
  targets.forEach((target, index) => {
    const row = ta('sla.policies.targetNumber', { index: index + 1 })
    const id = (field: string) => `${prefix}-t${target.key}-${field}`
    labels[`targets/${index}/target`] = { label: `${row} · ${ta('sla.fields.target')}`, id: id('target') }
    labels[`targets/${index}/minutes`] = { label: `${row} · ${ta('sla.fields.minutes')}`, id: id('minutes') }
    labels[`targets/${index}/calendarId`] = { label: `${row} · ${ta('sla.fields.calendar')}`, id: id('calendar') }
    labels[`targets/${index}/warnAtRatio`] = { label: `${row} · ${ta('sla.fields.warnAt')}`, id: id('warn') }
    labels[`targets/${index}/startOn`] = { label: `${row} · ${ta('sla.fields.startOn')}`, id: id('start') }
    labels[`targets/${index}/stopOn`] = { label: `${row} · ${ta('sla.fields.stopOn')}`, id: id('stop') }
    labels[`targets/${index}/pauseStatuses`] = { label: `${row} · ${ta('sla.fields.pauseStatuses')}`, id: id('pause') }
  })

  const unusedKind = SLA_TARGETS.find((kind) => !targets.some((target) => target.target === kind))

  return (
    <form className="ad-form" onSubmit={submit} noValidate data-testid="policy-form">
      <div ref={alertRef}>
        <ProblemAlert problem={problem} labels={labels} showDetail />
      </div>
      <div className="ad-form-grid">
        <PathField id={`${prefix}-name`} label={ta('sla.fields.name')} problem={problem} path="name">
          <input {...invalidProps(`${prefix}-name`, errorAt(problem, 'name'))} value={name} maxLength={200} autoComplete="off" onChange={(event) => setName(event.target.value)} data-testid="policy-name" />
        </PathField>
        <PathField id={`${prefix}-position`} label={ta('sla.fields.position')} problem={problem} path="position" hint={ta('sla.policies.positionHint')}>
          <input
            {...invalidProps(`${prefix}-position`, errorAt(problem, 'position'), `${prefix}-position-hint`)}
            type="number"
            min={0}
            max={100000}
            step={1}
            value={position}
            onChange={(event) => setPosition(event.target.value)}
            data-testid="policy-position"
          />
        </PathField>
        <PathField id={`${prefix}-chain`} label={ta('sla.fields.escalationChain')} problem={problem} path="escalationChainId" hint={ta('sla.policies.chainHint')}>
          <select
            {...invalidProps(`${prefix}-chain`, errorAt(problem, 'escalationChainId'), `${prefix}-chain-hint`)}
            value={escalationChainId}
            onChange={(event) => setEscalationChainId(event.target.value)}
            data-testid="policy-chain"
          >
            <option value="">{ta('sla.policies.noChain')}</option>
            {chains.map((chain) => (
              <option key={chain.id} value={chain.id}>
                {chain.name}
              </option>
            ))}
          </select>
        </PathField>
        <div className="form-field">
          <span className="sla-check-line">
            <input id={`${prefix}-active`} type="checkbox" checked={isActive} onChange={(event) => setIsActive(event.target.checked)} data-testid="policy-active" />
            <label htmlFor={`${prefix}-active`}>{ta('sla.fields.active')}</label>
          </span>
          <p className="form-hint">{ta('sla.policies.activeHint')}</p>
        </div>
      </div>

      <fieldset className="ad-checks sla-group" id={`${prefix}-conditions`} tabIndex={-1} data-testid="policy-conditions">
        <legend>{ta('sla.policies.conditions')}</legend>
        <p className="form-hint">{ta('sla.policies.conditionsHint')}</p>
        <div className="sla-conditions">
          <CheckboxGroup
            legend={ta('sla.fields.severities')}
            options={SEVERITIES.map((value) => ({ value, label: ta(`common:severity.${value}`) }))}
            value={conditions.severities ?? []}
            onChange={(value) => setCondition('severities', value)}
            error={errorAt(problem, 'conditions/severities')}
            testId="condition-severities"
          />
          <CheckboxGroup
            legend={ta('sla.fields.types')}
            options={TICKET_TYPES.map((value) => ({ value, label: ta(`common:type.${value}`) }))}
            value={conditions.types ?? []}
            onChange={(value) => setCondition('types', value)}
            error={errorAt(problem, 'conditions/types')}
            testId="condition-types"
          />
          <CheckboxGroup
            legend={ta('sla.fields.channels')}
            options={CHANNELS.map((value) => ({ value, label: ta(`common:channel.${value}`) }))}
            value={conditions.channels ?? []}
            onChange={(value) => setCondition('channels', value)}
            error={errorAt(problem, 'conditions/channels')}
            testId="condition-channels"
          />
          <CheckboxGroup
            legend={ta('sla.fields.vipLevels')}
            options={VIP_LEVELS.map((value) => ({ value, label: ta(`common:vip.${value}`) }))}
            value={conditions.vipLevels ?? []}
            onChange={(value) => setCondition('vipLevels', value)}
            error={errorAt(problem, 'conditions/vipLevels')}
            testId="condition-vip"
          />
          <CheckboxGroup
            legend={ta('sla.fields.servicePackages')}
            options={SERVICE_PACKAGES.map((value) => ({ value, label: ta(`common:package.${value}`) }))}
            value={conditions.servicePackages ?? []}
            onChange={(value) => setCondition('servicePackages', value)}
            error={errorAt(problem, 'conditions/servicePackages')}
            testId="condition-packages"
          />
          <details className="sla-categories" open={(conditions.categoryIds ?? []).length > 0}>
            <summary>
              {ta('sla.policies.categories')} <span className="muted">({ta('sla.policies.optional')})</span>
            </summary>
            <CheckboxGroup
              legend={ta('sla.fields.categories')}
              options={categoryOptions}
              value={conditions.categoryIds ?? []}
              onChange={(value) => setCondition('categoryIds', value)}
              error={errorAt(problem, 'conditions/categoryIds')}
              emptyText={ta('sla.policies.noCategories')}
              testId="condition-categories"
            />
          </details>
        </div>
      </fieldset>

      <fieldset className="ad-checks sla-group" id={`${prefix}-targets`} tabIndex={-1} data-testid="policy-targets">
        <legend>{ta('sla.fields.targets')}</legend>
        <p className="form-hint">{ta('sla.policies.targetsHint')}</p>
        <div className="sla-targets" ref={targetsRef}>
          {targets.map((target, index) => (
            <TargetEditor
              key={target.key}
              index={index}
              target={target}
              prefix={`${prefix}-t${target.key}`}
              calendars={calendars}
              problem={problem}
              canRemove={targets.length > 1}
              onChange={(patch) => updateTarget(target.key, patch)}
              onRemove={() => {
                setTargets((before) => before.filter((item) => item.key !== target.key))
                setFocusTarget(targets.length > 1 ? Math.min(index, targets.length - 2) : -1)
              }}
            />
          ))}
          <FieldError id={`${prefix}-targets`} message={problem?.fields.targets} path="targets" />
          <div>
            <button
              type="button"
              className="ad-small-button"
              disabled={targets.length >= MAX_TARGETS || unusedKind === undefined}
              onClick={() => {
                const kind = unusedKind ?? 'resolution'
                setTargets((before) => [
                  ...before,
                  targetDraft({ target: kind, ...TARGET_DEFAULTS[kind], minutes: 60, calendarId: firstCalendar, warnAtRatio: DEFAULT_WARN_PERCENT / 100 }),
                ])
                setFocusTarget(targets.length)
              }}
              data-testid="target-add"
            >
              {ta('sla.policies.addTarget')}
            </button>
          </div>
        </div>
      </fieldset>

      <div className="row">
        <button type="submit" className="button-primary" disabled={busy} data-testid="policy-save">
          {policy === null ? ta('ui.create') : ta('ui.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {ta('ui.cancel')}
        </button>
      </div>
    </form>
  )
}

/** One commitment of a policy: what, how long on which calendar, when its clock runs, stands still and warns. */
function TargetEditor({
  index,
  target,
  prefix,
  calendars,
  problem,
  canRemove,
  onChange,
  onRemove,
}: {
  index: number
  target: TargetDraft
  prefix: string
  calendars: readonly SlaCalendar[]
  problem: Problem | null
  canRemove: boolean
  onChange: (patch: Partial<TargetDraft>) => void
  onRemove: () => void
}) {
  const { ta, language } = useSlaText()
  const path = (field: string) => `targets/${index}/${field}`
  const calendar = calendars.find((item) => item.id === target.calendarId)
  const minutes = Number(target.minutes)
  const dayMinutes = workingDayMinutes(calendar)
  const durationHint =
    target.minutes.trim() !== '' && minutes > 0
      ? [
          ta('sla.policies.minutesAre', { duration: formatTargetMinutes(minutes, calendar, ta) }) +
            (calendar?.is24x7 === true && minutes >= 1440 ? ` ${ta('sla.policies.hoursAre', { hours: formatNumber(minutes / 60, language) })}` : ''),
          dayMinutes !== null && calendar !== undefined && !calendar.is24x7
            ? ta('sla.policies.workingDays', { days: formatNumber(minutes / dayMinutes, language), hours: formatNumber(dayMinutes / 60, language) })
            : calendar?.is24x7 === true
              ? ta('sla.policies.aroundTheClock')
              : null,
        ]
          .filter((part) => part !== null)
          .join(' · ')
      : ta('sla.policies.minutesHint')
  const legend = `${ta('sla.policies.targetNumber', { index: index + 1 })}: ${ta(`common:sla.target.${target.target}`)}`
  return (
    <fieldset className="sla-target" data-testid="policy-target" data-target={target.target}>
      <legend>{legend}</legend>
      <div className="sla-target-grid">
        <PathField id={`${prefix}-target`} label={ta('sla.fields.target')} problem={problem} path={path('target')} hint={ta('sla.policies.targetKindHint')}>
          <select
            {...invalidProps(`${prefix}-target`, errorAt(problem, path('target')), `${prefix}-target-hint`)}
            value={target.target}
            onChange={(event) => {
              const kind = event.target.value as SlaTargetKind
              onChange({ target: kind, ...TARGET_DEFAULTS[kind], pauseStatuses: [...TARGET_DEFAULTS[kind].pauseStatuses] })
            }}
            data-testid="target-kind"
          >
            {SLA_TARGETS.map((kind) => (
              <option key={kind} value={kind}>
                {ta(`common:sla.target.${kind}`)}
              </option>
            ))}
          </select>
        </PathField>
        <PathField id={`${prefix}-minutes`} label={ta('sla.fields.minutes')} problem={problem} path={path('minutes')} hint={durationHint}>
          <input
            {...invalidProps(`${prefix}-minutes`, errorAt(problem, path('minutes')), `${prefix}-minutes-hint`)}
            type="number"
            min={1}
            max={525600}
            step="any"
            value={target.minutes}
            onChange={(event) => onChange({ minutes: event.target.value })}
            data-testid="target-minutes"
          />
        </PathField>
        <PathField id={`${prefix}-calendar`} label={ta('sla.fields.calendar')} problem={problem} path={path('calendarId')}>
          <select
            {...invalidProps(`${prefix}-calendar`, errorAt(problem, path('calendarId')))}
            value={target.calendarId}
            onChange={(event) => onChange({ calendarId: event.target.value })}
            data-testid="target-calendar"
          >
            {target.calendarId === '' && <option value="">{ta('sla.policies.chooseCalendar')}</option>}
            {calendars.map((item) => (
              <option key={item.id} value={item.id}>
                {item.name}
              </option>
            ))}
          </select>
        </PathField>
        <PathField id={`${prefix}-start`} label={ta('sla.fields.startOn')} problem={problem} path={path('startOn')}>
          <select
            {...invalidProps(`${prefix}-start`, errorAt(problem, path('startOn')))}
            value={target.startOn}
            onChange={(event) => onChange({ startOn: event.target.value as SlaStartEvent })}
            data-testid="target-start"
          >
            {SLA_START_EVENTS.map((value) => (
              <option key={value} value={value}>
                {ta(`sla.startOn.${value}`)}
              </option>
            ))}
          </select>
        </PathField>
        <PathField id={`${prefix}-stop`} label={ta('sla.fields.stopOn')} problem={problem} path={path('stopOn')}>
          <select
            {...invalidProps(`${prefix}-stop`, errorAt(problem, path('stopOn')))}
            value={target.stopOn}
            onChange={(event) => onChange({ stopOn: event.target.value as SlaStopEvent })}
            data-testid="target-stop"
          >
            {SLA_STOP_EVENTS.map((value) => (
              <option key={value} value={value}>
                {ta(`sla.stopOn.${value}`)}
              </option>
            ))}
          </select>
        </PathField>
        <PathField id={`${prefix}-warn`} label={ta('sla.fields.warnAt')} problem={problem} path={path('warnAtRatio')} hint={ta('sla.policies.warnHint')}>
          <input
            {...invalidProps(`${prefix}-warn`, errorAt(problem, path('warnAtRatio')), `${prefix}-warn-hint`)}
            type="number"
            min={1}
            max={99}
            step={1}
            value={target.warnPercent}
            onChange={(event) => onChange({ warnPercent: event.target.value })}
            data-testid="target-warn"
          />
        </PathField>
        <div className="sla-target-wide" id={`${prefix}-pause`} tabIndex={-1}>
          <CheckboxGroup
            legend={ta('sla.fields.pauseStatuses')}
            options={TICKET_STATUSES.map((value) => ({ value, label: ta(`common:status.${value}`) }))}
            value={target.pauseStatuses}
            onChange={(pauseStatuses) => onChange({ pauseStatuses })}
            hint={ta('sla.policies.pauseHint')}
            error={errorAt(problem, path('pauseStatuses'))}
            testId="target-pause"
          />
        </div>
        <div className="sla-target-wide sla-target-foot">
          <span className="sla-check-line">
            <input
              id={`${prefix}-restart`}
              type="checkbox"
              checked={target.restartOnReopen}
              onChange={(event) => onChange({ restartOnReopen: event.target.checked })}
              data-testid="target-restart"
            />
            <label htmlFor={`${prefix}-restart`}>{ta('sla.fields.restartOnReopen')}</label>
          </span>
          {canRemove && (
            <button type="button" className="ad-small-button" onClick={onRemove} aria-label={ta('sla.policies.removeTargetNamed', { name: legend })} data-testid="target-remove">
              {ta('sla.policies.removeTarget')}
            </button>
          )}
        </div>
      </div>
    </fieldset>
  )
}
