import { type FormEvent, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { api } from '../../api/client.ts'
import { type Category, SEVERITIES, type Severity, TICKET_TYPES, type Ticket, type TicketType } from '../../api/types.ts'
import { buildCategoryTree, flattenCategoryTree } from '../../components/portal-category-tree.ts'
import { Field, ProblemAlert, type Problem, controlProps, describeProblem, localProblem } from '../../components/portal-form.tsx'
import { uploadFiles } from '../../components/reply-editor.tsx'
import { useLoad } from '../../components/use-load.ts'

/** A key that makes a repeated submission (double click, retry after a failure) open one request. */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`
}

type Step = { readonly kind: 'upload'; readonly name: string } | { readonly kind: 'create' } | { readonly kind: 'attach' }

/**
 * Submitting a request: what kind, which area, how urgent (a hint; the desk confirms it),
 * subject, description and files. Files are uploaded first, the request is created with its
 * description, and the files follow as the request's first message. A failure part-way is
 * retried from where it stopped, never opening a second request.
 */
export function NewRequestPage() {
  const { t, i18n } = useTranslation('portal')
  const navigate = useNavigate()
  const categories = useLoad(() => api.get<{ items: Category[] }>('/categories'), [])
  const [type, setType] = useState<TicketType>('incident')
  const [categoryId, setCategoryId] = useState('')
  const [severity, setSeverity] = useState<Severity>('P3')
  const [subject, setSubject] = useState('')
  const [description, setDescription] = useState('')
  const [files, setFiles] = useState<File[]>([])
  const [step, setStep] = useState<Step | null>(null)
  const [problem, setProblem] = useState<Problem | null>(null)
  const [created, setCreated] = useState<Ticket | null>(null)
  const uploaded = useRef(new Map<File, string>())
  const idempotencyKey = useRef(newIdempotencyKey())
  const alertRef = useRef<HTMLDivElement>(null)

  const options = useMemo(
    () => flattenCategoryTree(buildCategoryTree(categories.data?.items ?? [], i18n.language)),
    [categories.data, i18n.language],
  )

  const labels = {
    type: { label: t('new.type'), id: 'new-type' },
    categoryId: { label: t('new.category'), id: 'new-category' },
    severity: { label: t('new.severity'), id: 'new-severity' },
    subject: { label: t('new.subject'), id: 'new-subject' },
    description: { label: t('new.description'), id: 'new-description' },
    files: { label: t('new.files'), id: 'new-files' },
  }

  function fail(next: Problem) {
    setProblem(next)
    // Focus the alert so a screen reader and a keyboard user land on what went wrong.
    requestAnimationFrame(() => alertRef.current?.querySelector<HTMLElement>('[role="alert"]')?.focus())
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (step !== null) return
    const missing: Record<string, string> = {}
    if (subject.trim() === '') missing.subject = t('fieldError.blank')
    if (description.trim() === '') missing.description = t('fieldError.blank')
    const local = localProblem(missing, t)
    if (local !== null) {
      fail(local)
      return
    }
    setProblem(null)
    try {
      const attachmentIds: string[] = []
      for (const file of files) {
        let id = uploaded.current.get(file)
        if (id === undefined) {
          setStep({ kind: 'upload', name: file.name })
          try {
            ;[id] = await uploadFiles([file])
          } catch (caught) {
            const described = describeProblem(caught, t)
            fail({ ...described, fields: { files: t('new.fileFailed', { name: file.name, reason: described.message }) } })
            return
          }
          if (id === undefined) continue
          uploaded.current.set(file, id)
        }
        attachmentIds.push(id)
      }
      let ticket = created
      if (ticket === null) {
        setStep({ kind: 'create' })
        ticket = await api.post<Ticket>(
          '/tickets',
          {
            type,
            severity,
            subject: subject.trim(),
            description,
            ...(categoryId !== '' ? { categoryId } : {}),
          },
          { 'idempotency-key': idempotencyKey.current },
        )
        setCreated(ticket)
      }
      if (attachmentIds.length > 0) {
        setStep({ kind: 'attach' })
        await api.post(`/tickets/${ticket.id}/messages`, { body: t('new.filesMessage'), visibility: 'public', attachmentIds })
      }
      navigate(`/portal/requests/${ticket.id}`)
    } catch (caught) {
      fail(describeProblem(caught, t))
    } finally {
      setStep(null)
    }
  }

  function addFiles(list: FileList | null) {
    // Copy now: the FileList empties when the input is reset right after.
    const chosen = [...(list ?? [])]
    setFiles((previous) => [...previous, ...chosen.filter((file) => !previous.some((known) => known.name === file.name && known.size === file.size))])
  }

  /** Editing a field clears its error; the alert goes once nothing is left to fix. */
  function edited(field: string) {
    setProblem((previous) => {
      if (previous === null || previous.fields[field] === undefined) return previous
      const rest = { ...previous.fields }
      delete rest[field]
      return Object.keys(rest).length === 0 && previous.code === 'VALIDATION' ? null : { ...previous, fields: rest }
    })
  }

  const sizeFormat = new Intl.NumberFormat(i18n.language, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 1 })
  const locked = created !== null

  return (
    <div className="pt-page pt-narrow stack">
      <p className="pt-back">
        <Link to="/portal">{t('request.back')}</Link>
      </p>
      <h1>{t('new.title')}</h1>
      <p className="muted">{t('new.intro')}</p>
      <form className="card stack pt-form" onSubmit={submit} noValidate data-testid="new-request-form">
        <div ref={alertRef} className="pt-alert-slot">
          <ProblemAlert problem={problem} labels={labels} />
        </div>
        {created !== null && (
          <p className="notice" data-testid="new-created">
            {t('new.createdButFiles', { number: created.number })} <Link to={`/portal/requests/${created.id}`}>{t('new.openCreated')}</Link>
          </p>
        )}
        <Field id="new-type" label={t('new.type')} field="type" problem={problem} hint={t(`types.${type}`)}>
          <select
            {...controlProps('new-type', problem, 'type', true)}
            value={type}
            onChange={(event) => setType(event.target.value as TicketType)}
            disabled={locked}
            data-testid="new-type"
          >
            {TICKET_TYPES.map((value) => (
              <option key={value} value={value}>
                {t(`common:type.${value}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id="new-category"
          label={t('new.category')}
          field="categoryId"
          problem={problem}
          hint={categories.error !== null ? t('new.categoriesFailed') : t('new.categoryHint')}
        >
          <select
            {...controlProps('new-category', problem, 'categoryId', true)}
            value={categoryId}
            onChange={(event) => setCategoryId(event.target.value)}
            disabled={locked}
            data-testid="new-category"
          >
            <option value="">{t('new.noCategory')}</option>
            {options.map((node) => (
              <option key={node.category.id} value={node.category.id}>
                {node.path.join(t('new.categorySeparator'))}
              </option>
            ))}
          </select>
        </Field>
        <Field id="new-severity" label={t('new.severity')} field="severity" problem={problem} hint={t(`severities.${severity}.long`)}>
          <select
            {...controlProps('new-severity', problem, 'severity', true)}
            value={severity}
            onChange={(event) => setSeverity(event.target.value as Severity)}
            disabled={locked}
            data-testid="new-severity"
          >
            {SEVERITIES.map((value) => (
              <option key={value} value={value}>
                {t(`severities.${value}.short`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="new-subject" label={t('new.subject')} field="subject" problem={problem} hint={t('new.subjectHint')}>
          <input
            {...controlProps('new-subject', problem, 'subject', true)}
            type="text"
            value={subject}
            maxLength={300}
            required
            aria-required="true"
            onChange={(event) => {
              setSubject(event.target.value)
              edited('subject')
            }}
            disabled={locked}
            data-testid="new-subject"
          />
        </Field>
        <Field id="new-description" label={t('new.description')} field="description" problem={problem} hint={t('new.descriptionHint')}>
          <textarea
            {...controlProps('new-description', problem, 'description', true)}
            value={description}
            rows={7}
            required
            aria-required="true"
            onChange={(event) => {
              setDescription(event.target.value)
              edited('description')
            }}
            disabled={locked}
            data-testid="new-description"
          />
        </Field>
        <Field id="new-files" label={t('new.files')} field="files" problem={problem} hint={t('new.filesHint')}>
          <input
            {...controlProps('new-files', problem, 'files', true)}
            type="file"
            multiple
            onChange={(event) => {
              addFiles(event.target.files)
              edited('files')
              event.target.value = ''
            }}
            data-testid="new-files"
          />
        </Field>
        {files.length > 0 && (
          <ul className="pt-files" aria-label={t('new.chosenFiles')} data-testid="new-file-list">
            {files.map((file) => (
              <li key={`${file.name}-${file.size}`}>
                <span className="pt-file-name">{file.name}</span> <span className="muted">({sizeFormat.format(file.size / 1024)})</span>{' '}
                <button
                  type="button"
                  className="pt-button pt-button-small"
                  onClick={() => {
                    uploaded.current.delete(file)
                    setFiles((previous) => previous.filter((known) => known !== file))
                  }}
                  aria-label={t('new.removeFile', { name: file.name })}
                  disabled={step !== null}
                >
                  {t('new.remove')}
                </button>
              </li>
            ))}
          </ul>
        )}
        <p className="pt-progress-note" role="status">
          {step === null
            ? ''
            : step.kind === 'upload'
              ? t('new.uploading', { name: step.name })
              : step.kind === 'create'
                ? t('new.creating')
                : t('new.attaching')}
        </p>
        <div className="pt-actions">
          <button type="submit" className="pt-button pt-button-primary" disabled={step !== null} data-testid="new-submit">
            {created !== null ? t('new.retryFiles') : t('new.submit')}
          </button>
          <Link className="pt-button" to="/portal">
            {t('new.cancel')}
          </Link>
        </div>
      </form>
    </div>
  )
}
