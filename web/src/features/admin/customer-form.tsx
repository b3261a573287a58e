import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../api/client.ts'
import type { Organisation, User } from '../../api/types.ts'
import { Field, ProblemAlert, type Problem, controlProps, describeProblem, localProblem } from '../../components/portal-form.tsx'
import { MIN_PASSWORD } from './staff-form.tsx'

/** Creates or edits a customer contact: name, e-mail, phone, organisation, org-admin, portal password. */
export function CustomerForm({
  customer,
  organisations,
  onSaved,
  onCancel,
}: {
  customer: User | null
  organisations: readonly Organisation[]
  onSaved: (user: User) => void
  onCancel: () => void
}) {
  const { t } = useTranslation('admin')
  const { t: tp } = useTranslation('portal')
  const [name, setName] = useState(customer?.name ?? '')
  const [email, setEmail] = useState(customer?.email ?? '')
  const [phone, setPhone] = useState(customer?.phone ?? '')
  const [organisationId, setOrganisationId] = useState(customer?.organisationId ?? '')
  const [isOrgAdmin, setIsOrgAdmin] = useState(customer?.isOrgAdmin ?? false)
  const [password, setPassword] = useState('')
  const [isActive, setIsActive] = useState(customer?.isActive ?? true)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | null>(null)
  const prefix = customer === null ? 'customer-new' : `customer-${customer.id}`
  const sorted = [...organisations].sort((a, b) => a.name.localeCompare(b.name))

  async function submit(event: FormEvent) {
    event.preventDefault()
    const missing: Record<string, string> = {}
    if (name.trim() === '') missing.name = tp('fieldError.blank')
    if (password !== '' && password.length < MIN_PASSWORD) missing.password = tp('fieldError.tooShort', { count: MIN_PASSWORD })
    if (isOrgAdmin && organisationId === '') missing.isOrgAdmin = tp('fieldError.orgAdminNeedsOrganisation')
    const local = localProblem(missing, tp)
    if (local !== null) {
      setProblem(local)
      return
    }
    setBusy(true)
    setProblem(null)
    const orNull = (value: string) => (value.trim() === '' ? null : value.trim())
    const body = {
      name: name.trim(),
      isOrgAdmin,
      ...(password !== '' ? { password } : {}),
    }
    try {
      const saved =
        customer === null
          ? await api.post<User>('/customers', {
              ...body,
              ...(email.trim() !== '' ? { email: email.trim() } : {}),
              ...(phone.trim() !== '' ? { phone: phone.trim() } : {}),
              ...(organisationId !== '' ? { organisationId } : {}),
            })
          : await api.patch<User>(`/customers/${customer.id}`, {
              ...body,
              email: orNull(email),
              phone: orNull(phone),
              organisationId: organisationId === '' ? null : organisationId,
              isActive,
            })
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
    phone: { label: t('fields.phone'), id: `${prefix}-phone` },
    organisationId: { label: t('fields.organisation'), id: `${prefix}-org` },
    isOrgAdmin: { label: t('fields.orgAdmin'), id: `${prefix}-org-admin` },
    password: { label: t('fields.portalPassword'), id: `${prefix}-password` },
    isActive: { label: t('fields.active'), id: `${prefix}-active` },
  }

  return (
    <form className="ad-form" onSubmit={submit} noValidate data-testid="customer-form">
      <ProblemAlert problem={problem} labels={labels} showDetail />
      <div className="ad-form-grid">
        <Field id={labels.name.id} label={t('fields.name')} field="name" problem={problem}>
          <input {...controlProps(labels.name.id, problem, 'name')} value={name} onChange={(event) => setName(event.target.value)} maxLength={200} autoComplete="off" data-testid="customer-name" />
        </Field>
        <Field id={labels.email.id} label={t('fields.email')} field="email" problem={problem}>
          <input {...controlProps(labels.email.id, problem, 'email')} type="email" value={email} onChange={(event) => setEmail(event.target.value)} maxLength={254} autoComplete="off" data-testid="customer-email" />
        </Field>
        <Field id={labels.phone.id} label={t('fields.phone')} field="phone" problem={problem}>
          <input {...controlProps(labels.phone.id, problem, 'phone')} type="tel" value={phone} onChange={(event) => setPhone(event.target.value)} maxLength={40} autoComplete="off" data-testid="customer-phone" />
        </Field>
        <Field id={labels.organisationId.id} label={t('fields.organisation')} field="organisationId" problem={problem}>
          <select {...controlProps(labels.organisationId.id, problem, 'organisationId')} value={organisationId} onChange={(event) => setOrganisationId(event.target.value)} data-testid="customer-organisation">
            <option value="">{t('customers.noOrganisation')}</option>
            {sorted.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id={labels.password.id}
          label={t('fields.portalPassword')}
          field="password"
          problem={problem}
          hint={customer?.hasPassword === true ? t('customers.passwordReplaceHint', { min: MIN_PASSWORD }) : t('customers.passwordHint', { min: MIN_PASSWORD })}
        >
          <input
            {...controlProps(labels.password.id, problem, 'password', true)}
            type="password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            autoComplete="new-password"
            minLength={MIN_PASSWORD}
            maxLength={1024}
            data-testid="customer-password"
          />
        </Field>
        <div className="form-field ad-wide">
          <label className="ad-check" htmlFor={labels.isOrgAdmin.id}>
            <input
              {...controlProps(labels.isOrgAdmin.id, problem, 'isOrgAdmin', true)}
              type="checkbox"
              checked={isOrgAdmin}
              onChange={(event) => setIsOrgAdmin(event.target.checked)}
              data-testid="customer-org-admin"
            />{' '}
            {t('fields.orgAdminLong')}
          </label>
          <p className="form-hint" id={`${labels.isOrgAdmin.id}-hint`}>
            {t('customers.orgAdminHint')}
          </p>
          {problem?.fields.isOrgAdmin !== undefined && (
            <p className="form-field-error" id={`${labels.isOrgAdmin.id}-error`}>
              {problem.fields.isOrgAdmin}
            </p>
          )}
        </div>
        {customer !== null && (
          <label className="ad-check ad-wide" htmlFor={labels.isActive.id}>
            <input id={labels.isActive.id} type="checkbox" checked={isActive} onChange={(event) => setIsActive(event.target.checked)} data-testid="customer-active" /> {t('fields.activeLong')}
          </label>
        )}
      </div>
      <div className="row">
        <button type="submit" className="button-primary" disabled={busy} data-testid="customer-save">
          {customer === null ? t('ui.create') : t('ui.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('ui.cancel')}
        </button>
      </div>
    </form>
  )
}
