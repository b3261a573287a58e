import { type FormEvent, useEffect, useRef, useState } from 'react'
import { api } from '../../../api/client.ts'
import { ESCALATION_AUDIENCES, type EscalationAudience, type EscalationChain, type SlaPolicy } from '../../../api/types.ts'
import { type Problem, ProblemAlert } from '../../../components/portal-form.tsx'
import { formatDuration } from '../../../components/sla.tsx'
import { useLoad } from '../../../components/use-load.ts'
import { CheckboxGroup, EditorPanel, Notice } from '../admin-ui.tsx'
import { ListProblem } from '../users-page.tsx'
import { FieldError, PathField, describeSlaProblem, errorAt, useProblemFocus, invalidProps, useSlaText } from './sla-form.tsx'

const MAX_LEVELS = 10

interface LevelDraft {
  key: number
  afterMinutes: string
  notify: EscalationAudience[]
  reassignToSupervisor: boolean
}

let nextKey = 1

/** Escalation chains (分级响应): the steps taken after a target is breached — whom to tell, and when to hand over. */
export function EscalationChainsSection() {
  const { ta, tp } = useSlaText()
  const chains = useLoad(() => api.get<{ items: EscalationChain[] }>('/sla/escalation-chains'), [])
  const policies = useLoad(() => api.get<{ items: SlaPolicy[] }>('/sla/policies'), [])
  const [editing, setEditing] = useState<EscalationChain | 'new' | null>(null)
  const [notice, setNotice] = useState('')
  const open = (target: EscalationChain | 'new') => {
    setNotice('')
    setEditing(target)
  }
  const usedBy = (id: string) => (policies.data?.items ?? []).filter((policy) => policy.escalationChainId === id).map((policy) => policy.name)

  return (
    <section className="stack" aria-labelledby="sla-chains-title" data-testid="sla-chains">
      <div className="ad-section-head">
        <h3 id="sla-chains-title">{ta('sla.sections.chains')}</h3>
        <button type="button" className="button-primary" onClick={() => open('new')} data-testid="chain-new">
          {ta('sla.chains.new')}
        </button>
      </div>
      <p className="ad-intro muted">{ta('sla.chains.intro')}</p>
      <Notice text={notice} />
      {editing !== null && (
        <EditorPanel
          key={editing === 'new' ? 'new' : editing.id}
          title={editing === 'new' ? ta('sla.chains.new') : ta('sla.chains.edit', { name: editing.name })}
          onClose={() => setEditing(null)}
          testId="chain-panel"
        >
          <ChainForm
            chain={editing === 'new' ? null : editing}
            onSaved={(saved, created) => {
              setNotice(created ? ta('sla.chains.created', { name: saved.name }) : ta('sla.chains.saved', { name: saved.name }))
              setEditing(null)
              chains.reload()
            }}
            onCancel={() => setEditing(null)}
          />
        </EditorPanel>
      )}
      <ListProblem error={chains.error} />
      <div className="ad-table-scroll">
        <table className="ad-table" data-testid="chains-table">
          <caption className="visually-hidden">{ta('sla.sections.chains')}</caption>
          <thead>
            <tr>
              <th scope="col">{ta('sla.fields.name')}</th>
              <th scope="col">{ta('sla.fields.levels')}</th>
              <th scope="col">{ta('sla.chains.usedBy')}</th>
              <th scope="col">
                <span className="visually-hidden">{ta('ui.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(chains.data?.items ?? []).map((chain) => {
              const users = usedBy(chain.id)
              return (
                <tr key={chain.id} data-testid="chain-row" data-chain-id={chain.id}>
                  <th scope="row">{chain.name}</th>
                  <td>
                    <ol className="sla-levels">
                      {chain.levels.map((level, index) => (
                        <li key={index}>
                          <strong>{level.afterMinutes === 0 ? ta('sla.chains.atBreach') : ta('sla.chains.after', { time: formatDuration(level.afterMinutes * 60_000, ta) })}</strong>
                          {tp('problem.separator')}
                          {level.notify.map((audience) => ta(`sla.audience.${audience}`)).join(ta('ui.listSeparator'))}
                          {level.reassignToSupervisor && <> · {ta('sla.chains.reassigns')}</>}
                        </li>
                      ))}
                    </ol>
                  </td>
                  <td>{policies.data === undefined ? '…' : users.length === 0 ? <span className="muted">{ta('sla.chains.unused')}</span> : users.join(ta('ui.listSeparator'))}</td>
                  <td>
                    <button type="button" className="ad-small-button" onClick={() => open(chain)} aria-label={ta('ui.editNamed', { name: chain.name })} data-testid="chain-edit">
                      {ta('ui.edit')}
                    </button>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      {chains.data !== undefined && chains.data.items.length === 0 && <p className="ad-empty">{ta('sla.chains.none')}</p>}
    </section>
  )
}

function ChainForm({ chain, onSaved, onCancel }: { chain: EscalationChain | null; onSaved: (chain: EscalationChain, created: boolean) => void; onCancel: () => void }) {
  const { ta, tp } = useSlaText()
  const [name, setName] = useState(chain?.name ?? '')
  const [levels, setLevels] = useState<LevelDraft[]>(() =>
    (chain?.levels ?? [{ afterMinutes: 0, notify: ['assignee', 'group'] as EscalationAudience[], reassignToSupervisor: false }]).map((level) => ({
      key: nextKey++,
      afterMinutes: String(level.afterMinutes),
      notify: [...level.notify],
      reassignToSupervisor: level.reassignToSupervisor,
    })),
  )
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | null>(null)
  const alertRef = useProblemFocus(problem)
  const [focusLevel, setFocusLevel] = useState<number | null>(null)
  const levelsRef = useRef<HTMLDivElement>(null)
  const prefix = chain === null ? 'chain-new' : `chain-${chain.id}`
  const update = (key: number, patch: Partial<LevelDraft>) => setLevels((before) => before.map((level) => (level.key === key ? { ...level, ...patch } : level)))

  useEffect(() => {
    if (focusLevel === null) return
    const rows = levelsRef.current?.querySelectorAll<HTMLElement>('[data-testid="chain-level"]')
    const row = focusLevel < 0 ? null : rows?.[focusLevel]
    ;(row?.querySelector<HTMLElement>('input') ?? levelsRef.current?.querySelector<HTMLElement>('[data-testid="level-add"]'))?.focus()
    setFocusLevel(null)
  }, [focusLevel])

  async function submit(event: FormEvent) {
    event.preventDefault()
    const errors: Record<string, string> = {}
    if (name.trim() === '') errors.name = tp('fieldError.blank')
    const body = {
      name: name.trim(),
      levels: levels.map((level, index) => {
        const minutes = Number(level.afterMinutes)
        if (level.afterMinutes.trim() === '' || !(minutes >= 0)) errors[`levels/${index}/afterMinutes`] = ta('sla.error.atLeast', { value: 0 })
        else if (index > 0 && minutes < Number(levels[index - 1]?.afterMinutes ?? 0)) errors[`levels/${index}/afterMinutes`] = ta('sla.error.levelOrder')
        if (level.notify.length === 0) errors[`levels/${index}/notify`] = tp('fieldError.atLeastOne')
        return { afterMinutes: minutes, notify: level.notify, reassignToSupervisor: level.reassignToSupervisor }
      }),
    }
    if (Object.keys(errors).length > 0) {
      setProblem({ code: 'VALIDATION', message: tp('problem.VALIDATION'), detail: null, fields: errors })
      return
    }
    setBusy(true)
    setProblem(null)
    try {
      const saved = chain === null ? await api.post<EscalationChain>('/sla/escalation-chains', body) : await api.patch<EscalationChain>(`/sla/escalation-chains/${chain.id}`, body)
      onSaved(saved, chain === null)
    } catch (caught) {
      setProblem(describeSlaProblem(caught, ta, tp))
    } finally {
      setBusy(false)
    }
  }

  const labels: Record<string, { label: string; id: string }> = {
    name: { label: ta('sla.fields.name'), id: `${prefix}-name` },
    levels: { label: ta('sla.fields.levels'), id: `${prefix}-levels` },
  }
  levels.forEach((level, index) => {
    const row = ta('sla.chains.levelNumber', { index: index + 1 })
    labels[`levels/${index}/afterMinutes`] = { label: `${row} · ${ta('sla.fields.afterMinutes')}`, id: `${prefix}-l${level.key}-after` }
    labels[`levels/${index}/notify`] = { label: `${row} · ${ta('sla.fields.notify')}`, id: `${prefix}-l${level.key}-notify` }
  })

  return (
    <form className="ad-form" onSubmit={submit} noValidate data-testid="chain-form">
      <div ref={alertRef}>
        <ProblemAlert problem={problem} labels={labels} showDetail />
      </div>
      <div className="ad-form-grid">
        <PathField id={`${prefix}-name`} label={ta('sla.fields.name')} problem={problem} path="name" className="ad-wide">
          <input {...invalidProps(`${prefix}-name`, errorAt(problem, 'name'))} value={name} maxLength={200} autoComplete="off" onChange={(event) => setName(event.target.value)} data-testid="chain-name" />
        </PathField>
      </div>
      <fieldset className="ad-checks sla-group" id={`${prefix}-levels`} tabIndex={-1}>
        <legend>{ta('sla.fields.levels')}</legend>
        <p className="form-hint">{ta('sla.chains.levelsHint')}</p>
        <div className="sla-targets" ref={levelsRef}>
          {levels.map((level, index) => {
            const legend = ta('sla.chains.levelNumber', { index: index + 1 })
            const id = (field: string) => `${prefix}-l${level.key}-${field}`
            return (
              <fieldset key={level.key} className="sla-target" data-testid="chain-level">
                <legend>{legend}</legend>
                <div className="sla-target-grid">
                  <PathField id={id('after')} label={ta('sla.fields.afterMinutes')} problem={problem} path={`levels/${index}/afterMinutes`} hint={ta('sla.chains.afterHint')}>
                    <input
                      {...invalidProps(id('after'), errorAt(problem, `levels/${index}/afterMinutes`), `${id('after')}-hint`)}
                      type="number"
                      min={0}
                      max={100000}
                      step={1}
                      value={level.afterMinutes}
                      onChange={(event) => update(level.key, { afterMinutes: event.target.value })}
                      data-testid="level-after"
                    />
                  </PathField>
                  <div id={id('notify')} tabIndex={-1} className="sla-level-notify">
                    <CheckboxGroup
                      legend={ta('sla.fields.notify')}
                      options={ESCALATION_AUDIENCES.map((audience) => ({ value: audience, label: ta(`sla.audience.${audience}`) }))}
                      value={level.notify}
                      onChange={(notify) => update(level.key, { notify })}
                      error={errorAt(problem, `levels/${index}/notify`)}
                      testId="level-notify"
                    />
                  </div>
                  <div className="sla-target-wide sla-target-foot">
                    <span className="sla-check-line">
                      <input
                        id={id('reassign')}
                        type="checkbox"
                        checked={level.reassignToSupervisor}
                        onChange={(event) => update(level.key, { reassignToSupervisor: event.target.checked })}
                        data-testid="level-reassign"
                      />
                      <label htmlFor={id('reassign')}>{ta('sla.fields.reassignToSupervisor')}</label>
                    </span>
                    {levels.length > 1 && (
                      <button
                        type="button"
                        className="ad-small-button"
                        onClick={() => {
                          setLevels((before) => before.filter((item) => item.key !== level.key))
                          setFocusLevel(levels.length > 1 ? Math.min(index, levels.length - 2) : -1)
                        }}
                        aria-label={ta('sla.chains.removeLevelNamed', { name: legend })}
                        data-testid="level-remove"
                      >
                        {ta('sla.chains.removeLevel')}
                      </button>
                    )}
                  </div>
                </div>
              </fieldset>
            )
          })}
          <FieldError id={`${prefix}-levels`} message={problem?.fields.levels} path="levels" />
          <div>
            <button
              type="button"
              className="ad-small-button"
              disabled={levels.length >= MAX_LEVELS}
              onClick={() => {
                const last = levels.at(-1)
                setLevels((before) => [...before, { key: nextKey++, afterMinutes: String(Number(last?.afterMinutes ?? 0) + 30), notify: ['supervisors'], reassignToSupervisor: false }])
                setFocusLevel(levels.length)
              }}
              data-testid="level-add"
            >
              {ta('sla.chains.addLevel')}
            </button>
          </div>
        </div>
      </fieldset>
      <div className="row">
        <button type="submit" className="button-primary" disabled={busy} data-testid="chain-save">
          {chain === null ? ta('ui.create') : ta('ui.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {ta('ui.cancel')}
        </button>
      </div>
    </form>
  )
}
