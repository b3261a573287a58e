import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../api/client.ts'
import type { Organisation } from '../../api/types.ts'
import { Field, ProblemAlert, type Problem, controlProps, describeProblem, localProblem } from '../../components/portal-form.tsx'
import { useLoad } from '../../components/use-load.ts'
import { EditorPanel, Notice, Pager, SearchBox } from './admin-ui.tsx'
import { ListProblem } from './users-page.tsx'

const PAGE_SIZE = 50
const VIP_LEVELS: readonly Organisation['vipLevel'][] = ['gold', 'silver', 'standard']
const PACKAGES: readonly Organisation['servicePackage'][] = ['basic', 'value_added', 'exclusive']

/** Customer companies: VIP level, service package and region feed the dynamic priority. */
export function OrganisationsPage() {
  const { t } = useTranslation('admin')
  const [q, setQ] = useState('')
  const [offset, setOffset] = useState(0)
  const [editing, setEditing] = useState<Organisation | 'new' | null>(null)
  const [notice, setNotice] = useState('')
  const open = (target: Organisation | 'new') => {
    setNotice('')
    setEditing(target)
  }
  const list = useLoad(() => {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) })
    if (q !== '') query.set('q', q)
    return api.get<{ items: Organisation[]; total: number }>(`/organisations?${query}`)
  }, [q, offset])

  return (
    <section className="stack" aria-labelledby="admin-orgs-title">
      <h2 id="admin-orgs-title">{t('organisations.title')}</h2>
      <div className="ad-toolbar">
        <SearchBox
          label={t('organisations.search')}
          testId="organisations-search"
          onSearch={(value) => {
            setQ(value)
            setOffset(0)
          }}
        />
        <button type="button" className="button-primary" onClick={() => open('new')} data-testid="organisation-new">
          {t('organisations.new')}
        </button>
      </div>
      <Notice text={notice} />
      {editing !== null && (
        <EditorPanel
          key={editing === 'new' ? 'new' : editing.id}
          title={editing === 'new' ? t('organisations.new') : t('organisations.edit', { name: editing.name })}
          onClose={() => setEditing(null)}
          testId="organisation-panel"
        >
          <OrganisationForm
            organisation={editing === 'new' ? null : editing}
            onSaved={(saved) => {
              setNotice(editing === 'new' ? t('organisations.created', { name: saved.name }) : t('organisations.saved', { name: saved.name }))
              setEditing(null)
              list.reload()
            }}
            onCancel={() => setEditing(null)}
          />
        </EditorPanel>
      )}
      <ListProblem error={list.error} />
      <div className="ad-table-scroll">
        <table className="ad-table" data-testid="organisations-table">
          <caption className="visually-hidden">{t('organisations.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('fields.organisationName')}</th>
              <th scope="col">{t('fields.vipLevel')}</th>
              <th scope="col">{t('fields.servicePackage')}</th>
              <th scope="col">{t('fields.region')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('ui.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(list.data?.items ?? []).map((org) => (
              <tr key={org.id} data-testid="organisation-row" data-organisation-id={org.id}>
                <th scope="row">{org.name}</th>
                <td>
                  <span className={`badge ad-vip-${org.vipLevel}`}>{t(`common:vip.${org.vipLevel}`)}</span>
                </td>
                <td>{t(`common:package.${org.servicePackage}`)}</td>
                <td>{org.region ?? '—'}</td>
                <td>
                  <button type="button" className="ad-small-button" onClick={() => open(org)} aria-label={t('ui.editNamed', { name: org.name })} data-testid="organisation-edit">
                    {t('ui.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data !== undefined && list.data.items.length === 0 && <p className="ad-empty">{t('ui.noneFound')}</p>}
      {list.data !== undefined && <Pager offset={offset} limit={PAGE_SIZE} total={list.data.total} onChange={setOffset} />}
    </section>
  )
}

function OrganisationForm({ organisation, onSaved, onCancel }: { organisation: Organisation | null; onSaved: (org: Organisation) => void; onCancel: () => void }) {
  const { t } = useTranslation('admin')
  const { t: tp } = useTranslation('portal')
  const [name, setName] = useState(organisation?.name ?? '')
  const [vipLevel, setVipLevel] = useState<Organisation['vipLevel']>(organisation?.vipLevel ?? 'standard')
  const [servicePackage, setServicePackage] = useState<Organisation['servicePackage']>(organisation?.servicePackage ?? 'basic')
  const [region, setRegion] = useState(organisation?.region ?? '')
  const [notes, setNotes] = useState(organisation?.notes ?? '')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | null>(null)
  const prefix = organisation === null ? 'org-new' : `org-${organisation.id}`

  async function submit(event: FormEvent) {
    event.preventDefault()
    const local = localProblem(name.trim() === '' ? { name: tp('fieldError.blank') } : {}, tp)
    if (local !== null) {
      setProblem(local)
      return
    }
    setBusy(true)
    setProblem(null)
    const body = {
      name: name.trim(),
      vipLevel,
      servicePackage,
      region: region.trim() === '' ? null : region.trim(),
      notes: notes.trim() === '' ? null : notes.trim(),
    }
    try {
      onSaved(organisation === null ? await api.post<Organisation>('/organisations', body) : await api.patch<Organisation>(`/organisations/${organisation.id}`, body))
    } catch (caught) {
      setProblem(describeProblem(caught, tp))
    } finally {
      setBusy(false)
    }
  }

  const labels = {
    name: { label: t('fields.organisationName'), id: `${prefix}-name` },
    vipLevel: { label: t('fields.vipLevel'), id: `${prefix}-vip` },
    servicePackage: { label: t('fields.servicePackage'), id: `${prefix}-package` },
    region: { label: t('fields.region'), id: `${prefix}-region` },
    notes: { label: t('fields.notes'), id: `${prefix}-notes` },
  }
  return (
    <form className="ad-form" onSubmit={submit} noValidate data-testid="organisation-form">
      <ProblemAlert problem={problem} labels={labels} showDetail />
      <div className="ad-form-grid">
        <Field id={labels.name.id} label={labels.name.label} field="name" problem={problem}>
          <input {...controlProps(labels.name.id, problem, 'name')} value={name} onChange={(event) => setName(event.target.value)} maxLength={200} autoComplete="off" data-testid="organisation-name" />
        </Field>
        <Field id={labels.vipLevel.id} label={labels.vipLevel.label} field="vipLevel" problem={problem}>
          <select {...controlProps(labels.vipLevel.id, problem, 'vipLevel')} value={vipLevel} onChange={(event) => setVipLevel(event.target.value as Organisation['vipLevel'])} data-testid="organisation-vip">
            {VIP_LEVELS.map((value) => (
              <option key={value} value={value}>
                {t(`common:vip.${value}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id={labels.servicePackage.id} label={labels.servicePackage.label} field="servicePackage" problem={problem}>
          <select
            {...controlProps(labels.servicePackage.id, problem, 'servicePackage')}
            value={servicePackage}
            onChange={(event) => setServicePackage(event.target.value as Organisation['servicePackage'])}
            data-testid="organisation-package"
          >
            {PACKAGES.map((value) => (
              <option key={value} value={value}>
                {t(`common:package.${value}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id={labels.region.id} label={labels.region.label} field="region" problem={problem} hint={t('organisations.regionHint')}>
          <input {...controlProps(labels.region.id, problem, 'region', true)} value={region} onChange={(event) => setRegion(event.target.value)} maxLength={100} autoComplete="off" data-testid="organisation-region" />
        </Field>
        <Field id={labels.notes.id} label={labels.notes.label} field="notes" problem={problem} className="ad-wide">
          <textarea {...controlProps(labels.notes.id, problem, 'notes')} value={notes} onChange={(event) => setNotes(event.target.value)} maxLength={5000} rows={3} data-testid="organisation-notes" />
        </Field>
      </div>
      <div className="row">
        <button type="submit" className="button-primary" disabled={busy} data-testid="organisation-save">
          {organisation === null ? t('ui.create') : t('ui.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('ui.cancel')}
        </button>
      </div>
    </form>
  )
}
