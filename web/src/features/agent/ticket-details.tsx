import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError, api } from '../../api/client.ts'
import { SEVERITIES, type Severity, TICKET_TYPES, type Ticket, type TicketType } from '../../api/types.ts'
import { categoryPath, useCategories } from './use-directory.ts'

interface Draft {
  type?: TicketType
  severity?: Severity
  categoryId?: string | null
  tags?: string
}

/** Tags as typed: separated by commas (either width) or spaces, which a tag cannot contain. */
function parseTags(text: string): string[] {
  return [...new Set(text.split(/[,，\s]+/).filter((tag) => tag !== ''))]
}

/**
 * Type, severity, category and tags of a ticket, editable where the server allows. Edits are
 * kept as a draft over the live ticket, so a live update never wipes what is being typed.
 */
export function TicketDetails({ ticket, onSaved }: { ticket: Ticket; onSaved: (ticket: Ticket) => void }) {
  const { t, i18n } = useTranslation('agent')
  const categories = useCategories()
  const [draft, setDraft] = useState<Draft>({})
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)
  const may = (field: string) => ticket.abilities.updatableFields.includes(field)
  const tagsText = (ticket.tags ?? []).join(', ')

  const type = draft.type ?? ticket.type
  const severity = draft.severity ?? ticket.severity
  const categoryId = draft.categoryId !== undefined ? draft.categoryId : ticket.categoryId
  const tags = draft.tags ?? tagsText

  const changes: Record<string, unknown> = {}
  if (type !== ticket.type) changes.type = type
  if (severity !== ticket.severity) changes.severity = severity
  if (categoryId !== ticket.categoryId) changes.categoryId = categoryId
  if (JSON.stringify(parseTags(tags)) !== JSON.stringify(ticket.tags ?? [])) changes.tags = parseTags(tags)
  const dirty = Object.keys(changes).length > 0
  const editable = ['type', 'severity', 'categoryId', 'tags'].some(may)

  function edit(patch: Draft) {
    setDraft((before) => ({ ...before, ...patch }))
    setSaved(false)
  }

  async function save(event: FormEvent) {
    event.preventDefault()
    if (!dirty) return
    setBusy(true)
    setError(null)
    try {
      const updated = await api.patch<Ticket>(`/tickets/${ticket.id}`, changes)
      setDraft({})
      setSaved(true)
      onSaved(updated)
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('common:error.generic'))
    } finally {
      setBusy(false)
    }
  }

  const sortedCategories = (categories ?? [])
    .map((category) => ({ id: category.id, label: categoryPath(categories ?? [], category.id, i18n.language) }))
    .sort((a, b) => a.label.localeCompare(b.label, i18n.language))

  return (
    <form className="card ag-details" onSubmit={save} aria-label={t('details.label')}>
      <div className="ag-field">
        <label htmlFor="ag-field-type">{t('details.type')}</label>
        <select id="ag-field-type" value={type} disabled={!may('type')} onChange={(event) => edit({ type: event.target.value as TicketType })} data-testid="field-type">
          {TICKET_TYPES.map((value) => (
            <option key={value} value={value}>
              {t(`common:type.${value}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="ag-field">
        <label htmlFor="ag-field-severity">{t('details.severity')}</label>
        <select
          id="ag-field-severity"
          value={severity}
          disabled={!may('severity')}
          onChange={(event) => edit({ severity: event.target.value as Severity })}
          data-testid="field-severity"
        >
          {SEVERITIES.map((value) => (
            <option key={value} value={value}>
              {t(`common:severity.${value}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="ag-field">
        <label htmlFor="ag-field-category">{t('details.category')}</label>
        <select
          id="ag-field-category"
          value={categoryId ?? ''}
          disabled={!may('categoryId')}
          onChange={(event) => edit({ categoryId: event.target.value === '' ? null : event.target.value })}
          data-testid="field-category"
        >
          <option value="">{t('details.noCategory')}</option>
          {sortedCategories.map((category) => (
            <option key={category.id} value={category.id}>
              {category.label}
            </option>
          ))}
        </select>
      </div>
      <div className="ag-field ag-field-wide">
        <label htmlFor="ag-field-tags">{t('details.tags')}</label>
        <input
          id="ag-field-tags"
          value={tags}
          disabled={!may('tags')}
          onChange={(event) => edit({ tags: event.target.value })}
          aria-describedby="ag-field-tags-hint"
          data-testid="field-tags"
        />
        <span id="ag-field-tags-hint" className="muted ag-small">
          {t('details.tagsHint')}
        </span>
      </div>
      {editable && (
        <div className="ag-details-actions">
          <button type="submit" className="button-primary" disabled={busy || !dirty} data-testid="fields-save">
            {t('details.save')}
          </button>
          {dirty && (
            <button type="button" onClick={() => setDraft({})} data-testid="fields-reset">
              {t('details.reset')}
            </button>
          )}
          <span role="status" className="muted">
            {saved && !dirty ? t('details.saved') : ''}
          </span>
        </div>
      )}
      {error !== null && (
        <p className="error ag-field-wide" role="alert">
          {error}
        </p>
      )}
    </form>
  )
}
