import { type FormEvent, useState } from 'react'
import { api } from '../../../api/client.ts'
import type { SpecialPeriod } from '../../../api/types.ts'
import { formatDateTime } from '../../../components/format.ts'
import { type Problem, ProblemAlert } from '../../../components/portal-form.tsx'
import { useUser } from '../../../components/session.tsx'
import { formatPoints } from '../../../components/sla.tsx'
import { useLoad } from '../../../components/use-load.ts'
import { ConfirmAction, EditorPanel, Notice } from '../admin-ui.tsx'
import { ListProblem } from '../users-page.tsx'
import { PathField, describeSlaProblem, errorAt, useProblemFocus, formatNumber, invalidProps, isoToLocalInput, localInputToIso, useSlaText } from './sla-form.tsx'

/** Named date ranges (a sales festival, a holiday rush) that raise priority and may tighten targets. */
export function SpecialPeriodsSection() {
  const { ta, tp, language } = useSlaText()
  const { timeZone } = useUser()
  const periods = useLoad(() => api.get<{ items: SpecialPeriod[] }>('/sla/special-periods'), [])
  const [editing, setEditing] = useState<SpecialPeriod | 'new' | null>(null)
  const [notice, setNotice] = useState('')
  const [problem, setProblem] = useState<Problem | null>(null)
  const listAlertRef = useProblemFocus(problem)
  const open = (target: SpecialPeriod | 'new') => {
    setNotice('')
    setProblem(null)
    setEditing(target)
  }

  async function remove(period: SpecialPeriod) {
    setNotice('')
    setProblem(null)
    try {
      await api.delete(`/sla/special-periods/${period.id}`)
      setNotice(ta('sla.periods.deleted', { name: period.name }))
      if (editing !== null && editing !== 'new' && editing.id === period.id) setEditing(null)
      periods.reload()
    } catch (caught) {
      setProblem(describeSlaProblem(caught, ta, tp))
    }
  }

  return (
    <section className="stack" aria-labelledby="sla-periods-title" data-testid="sla-periods">
      <div className="ad-section-head">
        <h3 id="sla-periods-title">{ta('sla.sections.periods')}</h3>
        <button type="button" className="button-primary" onClick={() => open('new')} data-testid="period-new">
          {ta('sla.periods.new')}
        </button>
      </div>
      <p className="ad-intro muted">
        {ta('sla.periods.intro')} {ta('sla.timesIn', { zone: timeZone })}
      </p>
      <Notice text={notice} />
      <div ref={listAlertRef}>
        <ProblemAlert problem={problem} showDetail />
      </div>
      {editing !== null && (
        <EditorPanel
          key={editing === 'new' ? 'new' : editing.id}
          title={editing === 'new' ? ta('sla.periods.new') : ta('sla.periods.edit', { name: editing.name })}
          onClose={() => setEditing(null)}
          testId="period-panel"
        >
          <PeriodForm
            period={editing === 'new' ? null : editing}
            timeZone={timeZone}
            onSaved={(saved, created) => {
              setNotice(created ? ta('sla.periods.created', { name: saved.name }) : ta('sla.periods.saved', { name: saved.name }))
              setEditing(null)
              periods.reload()
            }}
            onCancel={() => setEditing(null)}
          />
        </EditorPanel>
      )}
      <ListProblem error={periods.error} />
      <div className="ad-table-scroll">
        <table className="ad-table" data-testid="periods-table">
          <caption className="visually-hidden">{ta('sla.sections.periods')}</caption>
          <thead>
            <tr>
              <th scope="col">{ta('sla.fields.name')}</th>
              <th scope="col">{ta('sla.fields.startsAt')}</th>
              <th scope="col">{ta('sla.fields.endsAt')}</th>
              <th scope="col" className="ad-num">
                {ta('sla.fields.priorityBoost')}
              </th>
              <th scope="col">{ta('sla.fields.targetFactor')}</th>
              <th scope="col">
                <span className="visually-hidden">{ta('ui.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(periods.data?.items ?? []).map((period) => (
              <tr key={period.id} data-testid="period-row" data-period-id={period.id}>
                <th scope="row">{period.name}</th>
                <td className="ad-nowrap">
                  <time dateTime={period.startsAt}>{formatDateTime(period.startsAt, language, timeZone)}</time>
                </td>
                <td className="ad-nowrap">
                  <time dateTime={period.endsAt}>{formatDateTime(period.endsAt, language, timeZone)}</time>
                </td>
                <td className="ad-num">{formatPoints(period.priorityBoost)}</td>
                <td>{factorText(period.targetFactor, ta, language)}</td>
                <td>
                  <span className="ad-row-actions">
                    <button type="button" className="ad-small-button" onClick={() => open(period)} aria-label={ta('ui.editNamed', { name: period.name })} data-testid="period-edit">
                      {ta('ui.edit')}
                    </button>
                    <ConfirmAction
                      label={ta('ui.delete')}
                      confirmLabel={ta('sla.confirmDelete')}
                      accessibleName={ta('sla.deleteNamed', { name: period.name })}
                      onConfirm={() => void remove(period)}
                      testId="period-delete"
                    />
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {periods.data !== undefined && periods.data.items.length === 0 && <p className="ad-empty">{ta('sla.periods.none')}</p>}
    </section>
  )
}

/** "×0.5 (targets halved)" / "×1 (unchanged)". */
function factorText(factor: number, ta: ReturnType<typeof useSlaText>['ta'], language: string): string {
  const number = formatNumber(factor, language)
  if (factor === 1) return ta('sla.periods.factorSame', { factor: number })
  return ta('sla.periods.factorShorter', { factor: number, percent: formatNumber(factor * 100, language) })
}

function PeriodForm({
  period,
  timeZone,
  onSaved,
  onCancel,
}: {
  period: SpecialPeriod | null
  timeZone: string
  onSaved: (period: SpecialPeriod, created: boolean) => void
  onCancel: () => void
}) {
  const { ta, tp, language } = useSlaText()
  const [name, setName] = useState(period?.name ?? '')
  const [startsAt, setStartsAt] = useState(period === null ? '' : isoToLocalInput(period.startsAt, timeZone))
  const [endsAt, setEndsAt] = useState(period === null ? '' : isoToLocalInput(period.endsAt, timeZone))
  const [priorityBoost, setPriorityBoost] = useState(String(period?.priorityBoost ?? 10))
  const [targetFactor, setTargetFactor] = useState(String(period?.targetFactor ?? 1))
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | null>(null)
  const alertRef = useProblemFocus(problem)
  const prefix = period === null ? 'period-new' : `period-${period.id}`

  async function submit(event: FormEvent) {
    event.preventDefault()
    const errors: Record<string, string> = {}
    if (name.trim() === '') errors.name = tp('fieldError.blank')
    const startsIso = localInputToIso(startsAt, timeZone)
    const endsIso = localInputToIso(endsAt, timeZone)
    if (startsIso === null) errors.startsAt = tp('fieldError.required')
    if (endsIso === null) errors.endsAt = tp('fieldError.required')
    if (startsIso !== null && endsIso !== null && endsIso <= startsIso) errors.endsAt = ta('sla.error.endBeforeStart')
    const boost = Number(priorityBoost)
    if (priorityBoost.trim() === '' || !Number.isInteger(boost) || boost < -100 || boost > 100) errors.priorityBoost = ta('sla.error.boost')
    const factor = Number(targetFactor)
    if (targetFactor.trim() === '' || !(factor > 0 && factor <= 1)) errors.targetFactor = ta('sla.error.factor')
    if (Object.keys(errors).length > 0 || startsIso === null || endsIso === null) {
      setProblem({ code: 'VALIDATION', message: tp('problem.VALIDATION'), detail: null, fields: errors })
      return
    }
    const body = { name: name.trim(), startsAt: startsIso, endsAt: endsIso, priorityBoost: boost, targetFactor: factor }
    setBusy(true)
    setProblem(null)
    try {
      const saved = period === null ? await api.post<SpecialPeriod>('/sla/special-periods', body) : await api.patch<SpecialPeriod>(`/sla/special-periods/${period.id}`, body)
      onSaved(saved, period === null)
    } catch (caught) {
      setProblem(describeSlaProblem(caught, ta, tp))
    } finally {
      setBusy(false)
    }
  }

  const labels = {
    name: { label: ta('sla.fields.name'), id: `${prefix}-name` },
    startsAt: { label: ta('sla.fields.startsAt'), id: `${prefix}-starts` },
    endsAt: { label: ta('sla.fields.endsAt'), id: `${prefix}-ends` },
    priorityBoost: { label: ta('sla.fields.priorityBoost'), id: `${prefix}-boost` },
    targetFactor: { label: ta('sla.fields.targetFactor'), id: `${prefix}-factor` },
  }
  const factorNumber = Number(targetFactor)
  return (
    <form className="ad-form" onSubmit={submit} noValidate data-testid="period-form">
      <div ref={alertRef}>
        <ProblemAlert problem={problem} labels={labels} showDetail />
      </div>
      <div className="ad-form-grid">
        <PathField id={labels.name.id} label={labels.name.label} problem={problem} path="name" className="ad-wide">
          <input {...invalidProps(labels.name.id, errorAt(problem, 'name'))} value={name} maxLength={100} autoComplete="off" onChange={(event) => setName(event.target.value)} data-testid="period-name" />
        </PathField>
        <PathField id={labels.startsAt.id} label={labels.startsAt.label} problem={problem} path="startsAt" hint={ta('sla.timesIn', { zone: timeZone })}>
          <input
            {...invalidProps(labels.startsAt.id, errorAt(problem, 'startsAt'), `${labels.startsAt.id}-hint`)}
            type="datetime-local"
            value={startsAt}
            onChange={(event) => setStartsAt(event.target.value)}
            data-testid="period-starts"
          />
        </PathField>
        <PathField id={labels.endsAt.id} label={labels.endsAt.label} problem={problem} path="endsAt" hint={ta('sla.timesIn', { zone: timeZone })}>
          <input
            {...invalidProps(labels.endsAt.id, errorAt(problem, 'endsAt'), `${labels.endsAt.id}-hint`)}
            type="datetime-local"
            value={endsAt}
            onChange={(event) => setEndsAt(event.target.value)}
            data-testid="period-ends"
          />
        </PathField>
        <PathField id={labels.priorityBoost.id} label={labels.priorityBoost.label} problem={problem} path="priorityBoost" hint={ta('sla.periods.boostHint')}>
          <input
            {...invalidProps(labels.priorityBoost.id, errorAt(problem, 'priorityBoost'), `${labels.priorityBoost.id}-hint`)}
            type="number"
            min={-100}
            max={100}
            step={1}
            value={priorityBoost}
            onChange={(event) => setPriorityBoost(event.target.value)}
            data-testid="period-boost"
          />
        </PathField>
        <PathField
          id={labels.targetFactor.id}
          label={labels.targetFactor.label}
          problem={problem}
          path="targetFactor"
          hint={`${ta('sla.periods.factorHint')}${factorNumber > 0 && factorNumber <= 1 ? ` ${ta('sla.periods.factorNow', { text: factorText(factorNumber, ta, language) })}` : ''}`}
        >
          <input
            {...invalidProps(labels.targetFactor.id, errorAt(problem, 'targetFactor'), `${labels.targetFactor.id}-hint`)}
            type="number"
            min={0.05}
            max={1}
            step={0.05}
            value={targetFactor}
            onChange={(event) => setTargetFactor(event.target.value)}
            data-testid="period-factor"
          />
        </PathField>
      </div>
      <div className="row">
        <button type="submit" className="button-primary" disabled={busy} data-testid="period-save">
          {period === null ? ta('ui.create') : ta('ui.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {ta('ui.cancel')}
        </button>
      </div>
    </form>
  )
}
