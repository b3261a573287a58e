import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../api/client.ts'
import type { Group, User } from '../../api/types.ts'
import { Field, ProblemAlert, type Problem, controlProps, describeProblem, localProblem } from '../../components/portal-form.tsx'
import { useLoad } from '../../components/use-load.ts'
import { CheckboxGroup, EditorPanel, Notice } from './admin-ui.tsx'
import { ListProblem } from './users-page.tsx'

/** Teams of agents: name, description and members. */
export function GroupsPage() {
  const { t } = useTranslation('admin')
  const groups = useLoad(() => api.get<{ items: Group[] }>('/groups'), [])
  // Staff are few; 200 covers a desk, and members beyond that still show by id count.
  const staff = useLoad(() => api.get<{ items: User[]; total: number }>('/users?limit=200'), [])
  const [editing, setEditing] = useState<Group | 'new' | null>(null)
  const [notice, setNotice] = useState('')
  const open = (target: Group | 'new') => {
    setNotice('')
    setEditing(target)
  }
  const names = new Map((staff.data?.items ?? []).map((user) => [user.id, user.name]))

  return (
    <section className="stack" aria-labelledby="admin-groups-title">
      <h2 id="admin-groups-title">{t('groups.title')}</h2>
      <div className="ad-toolbar">
        <button type="button" className="button-primary" onClick={() => open('new')} data-testid="group-new">
          {t('groups.new')}
        </button>
      </div>
      <Notice text={notice} />
      {editing !== null && (
        <EditorPanel
          key={editing === 'new' ? 'new' : editing.id}
          title={editing === 'new' ? t('groups.new') : t('groups.edit', { name: editing.name })}
          onClose={() => setEditing(null)}
          testId="group-panel"
        >
          <GroupForm
            group={editing === 'new' ? null : editing}
            staff={staff.data?.items ?? []}
            onSaved={(saved) => {
              setNotice(editing === 'new' ? t('groups.created', { name: saved.name }) : t('groups.saved', { name: saved.name }))
              setEditing(null)
              groups.reload()
            }}
            onCancel={() => setEditing(null)}
          />
        </EditorPanel>
      )}
      <ListProblem error={groups.error} />
      <div className="ad-table-scroll">
        <table className="ad-table" data-testid="groups-table">
          <caption className="visually-hidden">{t('groups.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('fields.groupName')}</th>
              <th scope="col">{t('fields.description')}</th>
              <th scope="col" className="ad-num">
                {t('fields.memberCount')}
              </th>
              <th scope="col">{t('fields.members')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('ui.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(groups.data?.items ?? []).map((group) => (
              <tr key={group.id} data-testid="group-row" data-group-id={group.id}>
                <th scope="row">{group.name}</th>
                <td>{group.description ?? '—'}</td>
                <td className="ad-num" data-testid="group-member-count">
                  {group.memberIds.length}
                </td>
                <td>{group.memberIds.map((id) => names.get(id) ?? '…').join(t('ui.listSeparator')) || '—'}</td>
                <td>
                  <button type="button" className="ad-small-button" onClick={() => open(group)} aria-label={t('ui.editNamed', { name: group.name })} data-testid="group-edit">
                    {t('ui.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {groups.data !== undefined && groups.data.items.length === 0 && <p className="ad-empty">{t('groups.none')}</p>}
    </section>
  )
}

function GroupForm({ group, staff, onSaved, onCancel }: { group: Group | null; staff: readonly User[]; onSaved: (group: Group) => void; onCancel: () => void }) {
  const { t } = useTranslation('admin')
  const { t: tp } = useTranslation('portal')
  const [name, setName] = useState(group?.name ?? '')
  const [description, setDescription] = useState(group?.description ?? '')
  const [memberIds, setMemberIds] = useState<string[]>(group?.memberIds ?? [])
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | null>(null)
  const prefix = group === null ? 'group-new' : `group-${group.id}`
  // Agents can be members; anyone already in the group stays listed so they are not dropped unseen.
  const candidates = staff
    .filter((user) => (user.roles.includes('agent') && user.isActive) || group?.memberIds.includes(user.id) === true)
    .sort((a, b) => a.name.localeCompare(b.name))

  async function submit(event: FormEvent) {
    event.preventDefault()
    const local = localProblem(name.trim() === '' ? { name: tp('fieldError.blank') } : {}, tp)
    if (local !== null) {
      setProblem(local)
      return
    }
    setBusy(true)
    setProblem(null)
    const body = { name: name.trim(), description: description.trim() === '' ? null : description.trim(), memberIds }
    try {
      onSaved(group === null ? await api.post<Group>('/groups', body) : await api.patch<Group>(`/groups/${group.id}`, body))
    } catch (caught) {
      setProblem(describeProblem(caught, tp))
    } finally {
      setBusy(false)
    }
  }

  const labels = {
    name: { label: t('fields.groupName'), id: `${prefix}-name` },
    description: { label: t('fields.description'), id: `${prefix}-description` },
    memberIds: { label: t('fields.members'), id: `${prefix}-members` },
  }
  return (
    <form className="ad-form" onSubmit={submit} noValidate data-testid="group-form">
      <ProblemAlert problem={problem} labels={labels} showDetail />
      <div className="ad-form-grid">
        <Field id={labels.name.id} label={labels.name.label} field="name" problem={problem}>
          <input {...controlProps(labels.name.id, problem, 'name')} value={name} onChange={(event) => setName(event.target.value)} maxLength={100} autoComplete="off" data-testid="group-name" />
        </Field>
        <Field id={labels.description.id} label={labels.description.label} field="description" problem={problem}>
          <input {...controlProps(labels.description.id, problem, 'description')} value={description} onChange={(event) => setDescription(event.target.value)} maxLength={1000} autoComplete="off" data-testid="group-description" />
        </Field>
        <div id={labels.memberIds.id} tabIndex={-1} className="ad-wide">
          <CheckboxGroup
            legend={t('groups.membersLegend')}
            options={candidates.map((user) => ({ value: user.id, label: user.tier !== null ? `${user.name} (${user.tier})` : user.name }))}
            value={memberIds}
            onChange={setMemberIds}
            error={problem?.fields.memberIds}
            emptyText={t('groups.noAgents')}
            testId="group-members"
          />
        </div>
      </div>
      <div className="row">
        <button type="submit" className="button-primary" disabled={busy} data-testid="group-save">
          {group === null ? t('ui.create') : t('ui.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('ui.cancel')}
        </button>
      </div>
    </form>
  )
}
