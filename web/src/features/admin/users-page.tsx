import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { api } from '../../api/client.ts'
import type { Group, Organisation, Role, User } from '../../api/types.ts'
import { ProblemAlert, type Problem, describeProblem } from '../../components/portal-form.tsx'
import { useLoad } from '../../components/use-load.ts'
import { ConfirmAction, EditorPanel, Notice, Pager, SearchBox } from './admin-ui.tsx'
import { CustomerForm } from './customer-form.tsx'
import { STAFF_ROLES, StaffForm } from './staff-form.tsx'

const PAGE_SIZE = 50

/** Staff accounts and customer contacts, one list at a time. */
export function UsersPage() {
  const { t } = useTranslation('admin')
  const [params] = useSearchParams()
  const kind = params.get('kind') === 'customers' ? 'customers' : 'staff'
  return (
    <section className="stack" aria-labelledby="admin-users-title">
      <h2 id="admin-users-title">{t('users.title')}</h2>
      <nav aria-label={t('users.kindLabel')}>
        <ul className="ad-subtabs">
          <li>
            <Link to="/admin/users" aria-current={kind === 'staff' ? 'page' : undefined} data-testid="users-kind-staff">
              {t('users.staff')}
            </Link>
          </li>
          <li>
            <Link to="/admin/users?kind=customers" aria-current={kind === 'customers' ? 'page' : undefined} data-testid="users-kind-customers">
              {t('users.customers')}
            </Link>
          </li>
        </ul>
      </nav>
      {kind === 'staff' ? <StaffSection /> : <CustomersSection />}
    </section>
  )
}

function useRowActions() {
  const { t } = useTranslation('portal')
  const [problem, setProblem] = useState<Problem | null>(null)
  const [notice, setNotice] = useState('')
  async function run(action: () => Promise<unknown>, done: string, after: () => void) {
    setProblem(null)
    setNotice('')
    try {
      await action()
      setNotice(done)
      after()
    } catch (caught) {
      setProblem(describeProblem(caught, t))
    }
  }
  return { problem, notice, setNotice, setProblem, run }
}

function StaffSection() {
  const { t } = useTranslation('admin')
  const [q, setQ] = useState('')
  const [role, setRole] = useState<Role | ''>('')
  const [offset, setOffset] = useState(0)
  const [editing, setEditing] = useState<User | 'new' | null>(null)
  const actions = useRowActions()
  const open = (target: User | 'new') => {
    actions.setNotice('')
    actions.setProblem(null)
    setEditing(target)
  }
  const list = useLoad(() => {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) })
    if (q !== '') query.set('q', q)
    if (role !== '') query.set('role', role)
    return api.get<{ items: User[]; total: number }>(`/users?${query}`)
  }, [q, role, offset])
  const groups = useLoad(() => api.get<{ items: Group[] }>('/groups'), [])
  const groupNames = new Map((groups.data?.items ?? []).map((group) => [group.id, group.name]))

  return (
    <div className="stack">
      <div className="ad-toolbar">
        <SearchBox
          label={t('users.search')}
          testId="users-search"
          onSearch={(value) => {
            setQ(value)
            setOffset(0)
          }}
        />
        <div className="form-field">
          <label htmlFor="admin-role-filter">{t('users.roleFilter')}</label>
          <select
            id="admin-role-filter"
            value={role}
            onChange={(event) => {
              setRole(event.target.value as Role | '')
              setOffset(0)
            }}
            data-testid="users-role-filter"
          >
            <option value="">{t('users.anyRole')}</option>
            {STAFF_ROLES.map((value) => (
              <option key={value} value={value}>
                {t(`roles.${value}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button-primary" onClick={() => open('new')} data-testid="user-new">
          {t('users.newStaff')}
        </button>
      </div>
      <Notice text={actions.notice} />
      <ProblemAlert problem={actions.problem} showDetail />
      {editing !== null && (
        <EditorPanel
          key={editing === 'new' ? 'new' : editing.id}
          title={editing === 'new' ? t('users.newStaff') : t('users.editStaff', { name: editing.name })}
          onClose={() => setEditing(null)}
          testId="user-panel"
        >
          <StaffForm
            user={editing === 'new' ? null : editing}
            groups={groups.data?.items ?? []}
            onSaved={(saved) => {
              actions.setNotice(editing === 'new' ? t('users.created', { name: saved.name }) : t('users.saved', { name: saved.name }))
              actions.setProblem(null)
              setEditing(null)
              list.reload()
            }}
            onCancel={() => setEditing(null)}
          />
        </EditorPanel>
      )}
      <ListProblem error={list.error} />
      <div className="ad-table-scroll">
        <table className="ad-table" data-testid="users-table">
          <caption className="visually-hidden">{t('users.staff')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('fields.name')}</th>
              <th scope="col">{t('fields.email')}</th>
              <th scope="col">{t('fields.roles')}</th>
              <th scope="col">{t('fields.tier')}</th>
              <th scope="col">{t('fields.phoneExtension')}</th>
              <th scope="col">{t('fields.groups')}</th>
              <th scope="col">{t('fields.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('ui.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(list.data?.items ?? []).map((user) => (
              <tr key={user.id} data-testid="user-row" data-user-id={user.id} className={user.isActive ? '' : 'ad-inactive'}>
                <th scope="row">{user.name}</th>
                <td className="ad-nowrap">{user.email ?? '—'}</td>
                <td>{user.roles.map((value) => t(`roles.${value}`)).join(t('ui.listSeparator'))}</td>
                <td>{user.tier ?? '—'}</td>
                <td className="ad-nowrap" data-testid="user-extension-cell">{user.phoneExtension ?? '—'}</td>
                <td>{user.groupIds.map((id) => groupNames.get(id) ?? '…').join(t('ui.listSeparator')) || '—'}</td>
                <td>
                  <ActiveBadge active={user.isActive} />
                </td>
                <td>
                  <span className="ad-row-actions">
                    <button type="button" className="ad-small-button" onClick={() => open(user)} aria-label={t('ui.editNamed', { name: user.name })} data-testid="user-edit">
                      {t('ui.edit')}
                    </button>
                    {user.isActive ? (
                      <ConfirmAction
                        label={t('users.deactivate')}
                        confirmLabel={t('users.confirmDeactivate')}
                        accessibleName={t('users.deactivateNamed', { name: user.name })}
                        testId="user-deactivate"
                        onConfirm={() => actions.run(() => api.delete(`/users/${user.id}`), t('users.deactivated', { name: user.name }), list.reload)}
                      />
                    ) : (
                      <button
                        type="button"
                        className="ad-small-button"
                        aria-label={t('users.activateNamed', { name: user.name })}
                        onClick={() => actions.run(() => api.patch(`/users/${user.id}`, { isActive: true }), t('users.activated', { name: user.name }), list.reload)}
                        data-testid="user-activate"
                      >
                        {t('users.activate')}
                      </button>
                    )}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data !== undefined && list.data.items.length === 0 && <p className="ad-empty">{t('ui.noneFound')}</p>}
      {list.data !== undefined && <Pager offset={offset} limit={PAGE_SIZE} total={list.data.total} onChange={setOffset} />}
    </div>
  )
}

function CustomersSection() {
  const { t } = useTranslation('admin')
  const [q, setQ] = useState('')
  const [offset, setOffset] = useState(0)
  const [editing, setEditing] = useState<User | 'new' | null>(null)
  const actions = useRowActions()
  const open = (target: User | 'new') => {
    actions.setNotice('')
    actions.setProblem(null)
    setEditing(target)
  }
  const organisations = useLoad(() => api.get<{ items: Organisation[]; total: number }>('/organisations?limit=200'), [])
  const list = useLoad(() => {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) })
    if (q !== '') query.set('q', q)
    return api.get<{ items: User[]; total: number }>(`/customers?${query}`)
  }, [q, offset])
  const known = organisations.data?.items ?? []
  // Organisations beyond the first 200 are fetched one by one for the rows that name them.
  const missingIds = [...new Set((list.data?.items ?? []).map((user) => user.organisationId).filter((id): id is string => id !== null && !known.some((org) => org.id === id)))]
  const extra = useLoad(
    () => Promise.all(missingIds.map((id) => api.get<Organisation>(`/organisations/${id}`).catch(() => null))),
    [missingIds.join(',')],
  )
  const allOrganisations = [...known, ...(extra.data ?? []).filter((org): org is Organisation => org !== null)]
  const orgNames = new Map(allOrganisations.map((org) => [org.id, org.name]))

  return (
    <div className="stack">
      <div className="ad-toolbar">
        <SearchBox
          label={t('customers.search')}
          testId="customers-search"
          onSearch={(value) => {
            setQ(value)
            setOffset(0)
          }}
        />
        <button type="button" className="button-primary" onClick={() => open('new')} data-testid="customer-new">
          {t('customers.new')}
        </button>
      </div>
      <Notice text={actions.notice} />
      <ProblemAlert problem={actions.problem} showDetail />
      {editing !== null && (
        <EditorPanel
          key={editing === 'new' ? 'new' : editing.id}
          title={editing === 'new' ? t('customers.new') : t('customers.edit', { name: editing.name })}
          onClose={() => setEditing(null)}
          testId="customer-panel"
        >
          <CustomerForm
            customer={editing === 'new' ? null : editing}
            organisations={allOrganisations}
            onSaved={(saved) => {
              actions.setNotice(editing === 'new' ? t('users.created', { name: saved.name }) : t('users.saved', { name: saved.name }))
              actions.setProblem(null)
              setEditing(null)
              list.reload()
            }}
            onCancel={() => setEditing(null)}
          />
        </EditorPanel>
      )}
      <ListProblem error={list.error} />
      <div className="ad-table-scroll">
        <table className="ad-table" data-testid="customers-table">
          <caption className="visually-hidden">{t('users.customers')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('fields.name')}</th>
              <th scope="col">{t('fields.email')}</th>
              <th scope="col">{t('fields.phone')}</th>
              <th scope="col">{t('fields.organisation')}</th>
              <th scope="col">{t('fields.orgAdmin')}</th>
              <th scope="col">{t('fields.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('ui.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(list.data?.items ?? []).map((user) => (
              <tr key={user.id} data-testid="customer-row" data-user-id={user.id} className={user.isActive ? '' : 'ad-inactive'}>
                <th scope="row">{user.name}</th>
                <td className="ad-nowrap">{user.email ?? '—'}</td>
                <td className="ad-nowrap">{user.phone ?? '—'}</td>
                <td>{user.organisationId === null ? '—' : (orgNames.get(user.organisationId) ?? '…')}</td>
                <td>{user.isOrgAdmin ? t('ui.yes') : t('ui.no')}</td>
                <td>
                  <ActiveBadge active={user.isActive} />
                </td>
                <td>
                  <span className="ad-row-actions">
                    <button type="button" className="ad-small-button" onClick={() => open(user)} aria-label={t('ui.editNamed', { name: user.name })} data-testid="customer-edit">
                      {t('ui.edit')}
                    </button>
                    {user.isActive ? (
                      <ConfirmAction
                        label={t('users.deactivate')}
                        confirmLabel={t('users.confirmDeactivate')}
                        accessibleName={t('users.deactivateNamed', { name: user.name })}
                        testId="customer-deactivate"
                        onConfirm={() => actions.run(() => api.delete(`/customers/${user.id}`), t('users.deactivated', { name: user.name }), list.reload)}
                      />
                    ) : (
                      <button
                        type="button"
                        className="ad-small-button"
                        aria-label={t('users.activateNamed', { name: user.name })}
                        onClick={() => actions.run(() => api.patch(`/customers/${user.id}`, { isActive: true }), t('users.activated', { name: user.name }), list.reload)}
                        data-testid="customer-activate"
                      >
                        {t('users.activate')}
                      </button>
                    )}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data !== undefined && list.data.items.length === 0 && <p className="ad-empty">{t('ui.noneFound')}</p>}
      {list.data !== undefined && <Pager offset={offset} limit={PAGE_SIZE} total={list.data.total} onChange={setOffset} />}
    </div>
  )
}

export function ActiveBadge({ active }: { active: boolean }) {
  const { t } = useTranslation('admin')
  return <span className={`badge ${active ? 'ad-active' : 'ad-deactivated'}`}>{active ? t('ui.active') : t('ui.inactive')}</span>
}

/** A list that could not be read: the reason, announced. */
export function ListProblem({ error }: { error: unknown }) {
  const { t } = useTranslation('portal')
  if (error === null || error === undefined) return null
  return <ProblemAlert problem={describeProblem(error, t)} showDetail />
}
