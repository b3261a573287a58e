import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError, api } from '../../api/client.ts'
import type { SavedView } from '../../api/types.ts'
import { useLoad } from '../../components/use-load.ts'

/** The agent's saved views: pick one to apply it, save the current list under a name, delete one. */
export function SavedViews({ currentQuery, selectedId, onApply }: { currentQuery: string; selectedId: string | null; onApply: (view: SavedView | null) => void }) {
  const { t } = useTranslation('agent')
  const views = useLoad(async () => (await api.get<{ items: SavedView[] }>('/views')).items, [])
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null)
  const selected = views.data?.find((view) => view.id === selectedId)

  async function save(event: FormEvent) {
    event.preventDefault()
    if (name.trim() === '') return
    setBusy(true)
    setMessage(null)
    try {
      const view = await api.post<SavedView>('/views', { name: name.trim(), query: currentQuery })
      setName('')
      setMessage({ kind: 'ok', text: t('views.saved', { name: view.name }) })
      views.reload()
      onApply(view)
    } catch (caught) {
      setMessage({ kind: 'error', text: caught instanceof ApiError ? caught.message : t('common:error.generic') })
    } finally {
      setBusy(false)
    }
  }

  async function remove() {
    if (selected === undefined) return
    setBusy(true)
    setMessage(null)
    try {
      await api.delete(`/views/${selected.id}`)
      setMessage({ kind: 'ok', text: t('views.deleted', { name: selected.name }) })
      views.reload()
      onApply(null)
    } catch (caught) {
      setMessage({ kind: 'error', text: caught instanceof ApiError ? caught.message : t('common:error.generic') })
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="ag-views" aria-label={t('views.label')}>
      <div className="ag-field">
        <label htmlFor="ag-view-select">{t('views.pick')}</label>
        <div className="row">
          <select
            id="ag-view-select"
            value={selected?.id ?? ''}
            onChange={(event) => onApply(views.data?.find((view) => view.id === event.target.value) ?? null)}
            data-testid="view-select"
          >
            <option value="">{views.data?.length === 0 ? t('views.none') : t('views.choose')}</option>
            {views.data?.map((view) => (
              <option key={view.id} value={view.id}>
                {view.name}
              </option>
            ))}
          </select>
          <button type="button" onClick={remove} disabled={busy || selected === undefined} data-testid="view-delete">
            {t('views.delete')}
          </button>
        </div>
      </div>
      <form className="ag-field" onSubmit={save}>
        <label htmlFor="ag-view-name">{t('views.name')}</label>
        <div className="row">
          <input id="ag-view-name" value={name} maxLength={100} onChange={(event) => setName(event.target.value)} data-testid="view-name" />
          <button type="submit" disabled={busy || name.trim() === ''} data-testid="view-save">
            {t('views.save')}
          </button>
        </div>
      </form>
      {message !== null && (
        <p className={message.kind === 'error' ? 'error' : 'muted'} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </section>
  )
}
