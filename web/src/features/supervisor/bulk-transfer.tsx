import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError, api } from '../../api/client.ts'
import type { Ticket } from '../../api/types.ts'
import { useAgents, useGroups } from '../agent/use-directory.ts'

/** Most tickets one bulk transfer may move (the API's limit). */
const BULK_LIMIT = 100

/** Moves the selected tickets to an agent and/or a group in one go (all or none), with a reason. */
export function BulkTransfer({ selected, onClear, onDone }: { selected: readonly string[]; onClear: () => void; onDone: (moved: number) => void }) {
  const { t } = useTranslation('agent')
  const agents = useAgents()
  const groups = useGroups()
  const [assigneeId, setAssigneeId] = useState('')
  const [groupId, setGroupId] = useState('')
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const group = groups?.find((candidate) => candidate.id === groupId)
  const candidates = (agents ?? []).filter((agent) => group === undefined || group.memberIds.includes(agent.id))
  const tooMany = selected.length > BULK_LIMIT
  /** What is missing before the server is asked, in words (null when ready). */
  const missing =
    selected.length === 0 ? t('bulk.needTickets') : assigneeId === '' && groupId === '' ? t('bulk.needTarget') : reason.trim() === '' ? t('bulk.needReason') : null

  function pickGroup(id: string) {
    setGroupId(id)
    const next = groups?.find((candidate) => candidate.id === id)
    if (next !== undefined && assigneeId !== '' && !next.memberIds.includes(assigneeId)) setAssigneeId('')
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    setError(missing)
    if (missing !== null || tooMany) return
    setBusy(true)
    try {
      const result = await api.post<{ items: Ticket[] }>('/tickets/bulk-transfer', {
        ticketIds: selected,
        ...(assigneeId !== '' ? { assigneeId } : {}),
        ...(groupId !== '' ? { groupId } : {}),
        reason: reason.trim(),
      })
      setReason('')
      onDone(result.items.length)
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('common:error.generic'))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className={selected.length > 0 ? 'card ag-bulk ag-bulk-sticky' : 'card ag-bulk'} onSubmit={submit} aria-labelledby="ag-bulk-title" data-testid="bulk-transfer">
      <p>
        <strong id="ag-bulk-title">{t('bulk.title')}</strong> ·{' '}
        <span role="status" data-testid="bulk-selected">
          {t('bulk.selected', { count: selected.length })}
        </span>
        {tooMany && <span className="error"> {t('bulk.tooMany', { limit: BULK_LIMIT })}</span>}
      </p>
      <div className="ag-field">
        <label htmlFor="ag-bulk-group">{t('bulk.group')}</label>
        <select id="ag-bulk-group" value={groupId} onChange={(event) => pickGroup(event.target.value)} data-testid="bulk-group">
          <option value="">{t('bulk.keepGroup')}</option>
          {groups?.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name}
            </option>
          ))}
        </select>
      </div>
      <div className="ag-field">
        <label htmlFor="ag-bulk-assignee">{t('bulk.assignee')}</label>
        <select id="ag-bulk-assignee" value={assigneeId} onChange={(event) => setAssigneeId(event.target.value)} data-testid="bulk-assignee">
          <option value="">{t('bulk.keepAssignee')}</option>
          {candidates.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.tier === null ? agent.name : t('transfer.agentWithTier', { name: agent.name, tier: agent.tier })}
            </option>
          ))}
        </select>
      </div>
      <div className="ag-field ag-reason">
        <label htmlFor="ag-bulk-reason">{t('bulk.reason')}</label>
        <input id="ag-bulk-reason" value={reason} maxLength={2000} onChange={(event) => setReason(event.target.value)} data-testid="bulk-reason" />
      </div>
      <div className="row">
        <button type="submit" className="button-primary" disabled={busy || selected.length === 0} data-testid="bulk-submit">
          {t('bulk.submit')}
        </button>
        <button type="button" onClick={onClear} disabled={selected.length === 0} data-testid="bulk-clear">
          {t('bulk.clear')}
        </button>
      </div>
      {error !== null && (
        <p className="error" role="alert" data-testid="bulk-error">
          {error}
        </p>
      )}
    </form>
  )
}
