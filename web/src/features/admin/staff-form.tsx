import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../api/client.ts'
import type { Group, Role, Tier, User } from '../../api/types.ts'
import { Field, ProblemAlert, type Problem, controlProps, describeProblem, localProblem } from '../../components/portal-form.tsx'
import { CheckboxGroup } from './admin-ui.tsx'

export const STAFF_ROLES: readonly Exclude<Role, 'customer'>[] = ['agent', 'supervisor', 'manager', 'admin']
const TIERS: readonly Tier[] = ['L1', 'L2', 'L3']
export const MIN_PASSWORD = 10
/** A PBX extension (分机号) as the server takes it: digits, * and #, 1–20 characters. */
const EXTENSION = /^[0-9*#]{1,20}$/

/** Creates or edits a staff account: roles, tier (agents need one), PBX extension, groups, password, active. */
export function StaffForm({ user, groups, onSaved, onCancel }: { user: User | null; groups: readonly Group[]; onSaved: (user: User) => void; onCancel: () => void }) {
  const { t } = useTranslation('admin')
  const { t: tp } = useTranslation('portal')
  const [name, setName] = useState(user?.name ?? '')
  const [email, setEmail] = useState(user?.email ?? '')
  const [phoneExtension, setPhoneExtension] = useState(user?.phoneExtension ?? '')
  const [roles, setRoles] = useState<Role[]>(user?.roles ?? ['agent'])
  const [tier, setTier] = useState<Tier | ''>(user?.tier ?? (user === null ? 'L1' : ''))
  const [groupIds, setGroupIds] = useState<string[]>(user?.groupIds ?? [])
  const [password, setPassword] = useState('')
  const [isActive, setIsActive] = useState(user?.isActive ?? true)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | null>(null)
  const prefix = user === null ? 'staff-new' : `staff-${user.id}`

  async function submit(event: FormEvent) {
    event.preventDefault()
    const missing: Record<string, string> = {}
    if (name.trim() === '') missing.name = tp('fieldError.blank')
    if (roles.length === 0) missing.roles = tp('fieldError.atLeastOne')
    if (roles.includes('agent') && tier === '') missing.tier = tp('fieldError.tierNeeded')
    if (phoneExtension.trim() !== '' && !EXTENSION.test(phoneExtension.trim())) missing.phoneExtension = tp('fieldError.extension')
    if (user === null && password === '') missing.password = tp('fieldError.blank')
    else if (password !== '' && password.length < MIN_PASSWORD) missing.password = tp('fieldError.tooShort', { count: MIN_PASSWORD })
    const local = localProblem(missing, tp)
    if (local !== null) {
      setProblem(local)
      return
    }
    setBusy(true)
    setProblem(null)
    const body = {
      name: name.trim(),
      roles,
      tier: tier === '' ? null : tier,
      groupIds,
      ...(user === null && phoneExtension.trim() === '' ? {} : { phoneExtension: phoneExtension.trim() === '' ? null : phoneExtension.trim() }),
      ...(password !== '' ? { password } : {}),
    }
    try {
      const saved =
        user === null
          ? await api.post<User>('/users', { ...body, ...(email.trim() !== '' ? { email: email.trim() } : {}) })
          : await api.patch<User>(`/users/${user.id}`, { ...body, email: email.trim() === '' ? null : email.trim(), isActive })
      onSaved(saved)
    } catch (caught) {
      setProblem(describeProblem(caught, tp))
    } finally {
      setBusy(false)
    }
  }

  const labels = {
    name: { label: t('fields.name'), id: `${prefix}-name` },
    email: { label: t('fields.email'), id: `${prefix}-email` },
    roles: { label: t('fields.roles'), id: `${prefix}-roles` },
    tier: { label: t('fields.tier'), id: `${prefix}-tier` },
    phoneExtension: { label: t('fields.phoneExtension'), id: `${prefix}-extension` },
    groupIds: { label: t('fields.groups'), id: `${prefix}-groups` },
    password: { label: t('fields.password'), id: `${prefix}-password` },
    isActive: { label: t('fields.active'), id: `${prefix}-active` },
  }

  return (
    <form className="ad-form" onSubmit={submit} noValidate data-testid="staff-form">
      <ProblemAlert problem={problem} labels={labels} showDetail />
      <div className="ad-form-grid">
        <Field id={labels.name.id} label={t('fields.name')} field="name" problem={problem}>
          <input {...controlProps(labels.name.id, problem, 'name')} value={name} onChange={(event) => setName(event.target.value)} maxLength={200} autoComplete="off" data-testid="user-name" />
        </Field>
        <Field id={labels.email.id} label={t('fields.email')} field="email" problem={problem}>
          <input {...controlProps(labels.email.id, problem, 'email')} type="email" value={email} onChange={(event) => setEmail(event.target.value)} maxLength={254} autoComplete="off" data-testid="user-email" />
        </Field>
        <div id={labels.roles.id} tabIndex={-1} className="ad-wide">
          <CheckboxGroup
            legend={t('fields.roles')}
            options={STAFF_ROLES.map((value) => ({ value, label: t(`roles.${value}`) }))}
            value={roles}
            onChange={setRoles}
            error={problem?.fields.roles}
            testId="user-roles"
          />
        </div>
        <Field id={labels.tier.id} label={t('fields.tier')} field="tier" problem={problem} hint={t('users.tierHint')}>
          <select {...controlProps(labels.tier.id, problem, 'tier', true)} value={tier} onChange={(event) => setTier(event.target.value as Tier | '')} data-testid="user-tier">
            <option value="">{t('users.noTier')}</option>
            {TIERS.map((value) => (
              <option key={value} value={value}>
                {t(`tiers.${value}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id={labels.phoneExtension.id} label={t('fields.phoneExtension')} field="phoneExtension" problem={problem} hint={t('users.extensionHint')}>
          <input
            {...controlProps(labels.phoneExtension.id, problem, 'phoneExtension', true)}
            value={phoneExtension}
            onChange={(event) => setPhoneExtension(event.target.value)}
            maxLength={20}
            inputMode="tel"
            autoComplete="off"
            data-testid="user-extension"
          />
        </Field>
        <Field
          id={labels.password.id}
          label={user === null ? t('fields.initialPassword') : t('fields.newPassword')}
          field="password"
          problem={problem}
          hint={user === null ? t('users.passwordHint', { min: MIN_PASSWORD }) : t('users.newPasswordHint', { min: MIN_PASSWORD })}
        >
          <input
            {...controlProps(labels.password.id, problem, 'password', true)}
            type="password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            autoComplete="new-password"
            minLength={MIN_PASSWORD}
            maxLength={1024}
            data-testid="user-password"
          />
        </Field>
        <div id={labels.groupIds.id} tabIndex={-1} className="ad-wide">
          <CheckboxGroup
            legend={t('fields.groups')}
            options={groups.map((group) => ({ value: group.id, label: group.name }))}
            value={groupIds}
            onChange={setGroupIds}
            error={problem?.fields.groupIds}
            emptyText={t('users.noGroups')}
            testId="user-groups"
          />
        </div>
        {user !== null && (
          <label className="ad-check ad-wide" htmlFor={labels.isActive.id}>
            <input id={labels.isActive.id} type="checkbox" checked={isActive} onChange={(event) => setIsActive(event.target.checked)} data-testid="user-active" /> {t('fields.activeLong')}
          </label>
        )}
      </div>
      <div className="row">
        <button type="submit" className="button-primary" disabled={busy} data-testid="user-save">
          {user === null ? t('ui.create') : t('ui.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('ui.cancel')}
        </button>
      </div>
    </form>
  )
}
