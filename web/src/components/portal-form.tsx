import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import { ApiError } from '../api/client.ts'
import './portal-form.css'

/**
 * Form helpers shared by the portal and the admin screens: an API error becomes one
 * sentence for the alert and a message beside each field it names, in the reader's
 * language where the API's wording is known (its own text is kept otherwise).
 */
export interface Problem {
  readonly code: string
  /** A translated sentence for the whole form. */
  readonly message: string
  /** The API's own message, for screens that show it (admin). */
  readonly detail: string | null
  /** Translated messages by top-level field name (`groupIds/2` → `groupIds`). */
  readonly fields: Readonly<Record<string, string>>
}

const FIELD_MESSAGES: readonly [RegExp, string][] = [
  [/^required$/, 'required'],
  [/must NOT have fewer than 1 characters|must match pattern "\\S"/, 'blank'],
  [/must NOT have fewer than (\d+) characters/, 'tooShort'],
  [/must NOT have more than (\d+) characters/, 'tooLong'],
  [/must match format "email"/, 'email'],
  [/must NOT have fewer than 1 items|give at least one role/, 'atLeastOne'],
  [/must match pattern|must match format|must be equal to one of/, 'format'],
  [/already taken/, 'taken'],
  [/not a valid phone number/, 'phone'],
  [/digits, \* and # only/, 'extension'],
  [/no such organisation/, 'noOrganisation'],
  [/no such group/, 'noGroup'],
  [/needs a tier/, 'tierNeeded'],
  [/organisation admin needs an organisation/, 'orgAdminNeedsOrganisation'],
  [/cannot be combined/, 'customerRoleMix'],
  [/^in use$/, 'inUse'],
  [/last admin/, 'lastAdmin'],
  [/reserved to agents/, 'reserved'],
  [/^not found$/, 'notFound'],
]

const CODES = new Set([
  'VALIDATION',
  'CONFLICT',
  'FORBIDDEN',
  'NOT_FOUND',
  'INVALID_TRANSITION',
  'REOPEN_WINDOW_EXPIRED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
])

/** An API field message in the reader's language where its wording is known; the API's text otherwise. */
export function translateFieldMessage(message: string, t: TFunction<'portal'>): string {
  for (const [pattern, key] of FIELD_MESSAGES) {
    const match = pattern.exec(message)
    if (match !== null) return t(`fieldError.${key}`, { count: Number(match[1] ?? 0) })
  }
  return message
}

/** What a form shows for an error thrown by the API client (or anything else). */
export function describeProblem(error: unknown, t: TFunction<'portal'>): Problem {
  if (!(error instanceof ApiError)) return { code: 'INTERNAL', message: t('problem.generic'), detail: null, fields: {} }
  const fields: Record<string, string> = {}
  for (const field of error.fields) {
    const name = field.field.split('/')[0] ?? field.field
    if (fields[name] === undefined) fields[name] = translateFieldMessage(field.message, t)
  }
  const message = CODES.has(error.code) ? t(`problem.${error.code}`) : t('problem.generic')
  return { code: error.code, message, detail: error.message, fields }
}

/** A problem made in the browser before anything is sent (e.g. an empty required field). */
export function localProblem(fields: Readonly<Record<string, string>>, t: TFunction<'portal'>): Problem | null {
  if (Object.keys(fields).length === 0) return null
  return { code: 'VALIDATION', message: t('problem.VALIDATION'), detail: null, fields }
}

export function useProblemText(): TFunction<'portal'> {
  return useTranslation('portal').t
}

/** Props for a control of a field: id, invalid state and what describes it. */
export function controlProps(id: string, problem: Problem | null, field: string, hasHint = false) {
  const error = problem?.fields[field]
  const describedBy = [hasHint ? `${id}-hint` : null, error !== undefined ? `${id}-error` : null].filter((part) => part !== null).join(' ')
  return {
    id,
    'aria-invalid': error !== undefined ? true : undefined,
    'aria-describedby': describedBy === '' ? undefined : describedBy,
  }
}

/** A label, the control, an optional hint and the field's error message, stacked. */
export function Field({
  id,
  label,
  field,
  problem,
  hint,
  children,
  className,
}: {
  id: string
  label: ReactNode
  field: string
  problem: Problem | null
  hint?: ReactNode
  children: ReactNode
  className?: string
}) {
  const error = problem?.fields[field]
  return (
    <div className={`form-field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint !== undefined && (
        <p className="form-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p className="form-field-error" id={`${id}-error`} data-testid="field-error" data-field={field}>
          {error}
        </p>
      )}
    </div>
  )
}

/**
 * The alert at the top of a form: the sentence, then each field problem with a link to the
 * field (`labels` maps field names to their label and control id); problems with fields the
 * form does not show are listed by name so nothing is lost.
 */
export function ProblemAlert({
  problem,
  labels = {},
  showDetail = false,
}: {
  problem: Problem | null
  labels?: Readonly<Record<string, { label: string; id: string }>>
  showDetail?: boolean
}) {
  const { t } = useTranslation('portal')
  if (problem === null) return null
  const entries = Object.entries(problem.fields)
  return (
    <div className="form-alert" role="alert" tabIndex={-1} data-testid="form-error" data-code={problem.code}>
      <p className="form-alert-message">{problem.message}</p>
      {entries.length > 0 && (
        <ul>
          {entries.map(([field, message]) => {
            const known = labels[field]
            return (
              <li key={field}>
                {known !== undefined ? (
                  <a href={`#${known.id}`}>
                    {known.label}
                    {t('problem.separator')}
                    {message}
                  </a>
                ) : (
                  <>
                    <code>{field}</code>
                    {t('problem.separator')}
                    {message}
                  </>
                )}
              </li>
            )
          })}
        </ul>
      )}
      {showDetail && problem.detail !== null && (
        <p className="form-alert-detail">
          {t('problem.detail')}
          {t('problem.separator')}
          <span lang="en">{problem.detail}</span>
        </p>
      )}
    </div>
  )
}
