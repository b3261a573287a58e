import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError, api } from '../../api/client.ts'
import type { Ticket } from '../../api/types.ts'
import { Dialog } from './dialog.tsx'
import { useAgents, useGroups } from './use-directory.ts'

/**
 * Assigns or transfers a ticket to a group and/or an agent, with the reason on record. The
 * agents offered are the members of the chosen group, since the server refuses others.
 */
export function TransferDialog({ ticket, onClose, onDone }: { ticket: Ticket; onClose: () => void; onDone: (ticket: Ticket) => void }) {
  const { t } = useTranslation('agent')
  const groups = useGroups()
  const agents = useAgents()
  const [groupId, setGroupId] = useState(ticket.groupId ?? '')
  const [assigneeId, setAssigneeId] = useState(ticket.assigneeId ?? '')
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const group = groups?.find((candidate) => candidate.id === groupId)
  const candidates = (agents ?? []).filter((agent) => group === undefined || group.memberIds.includes(agent.id))
  const groupChanged = groupId !== (ticket.groupId ?? '')
  const assigneeChanged = assigneeId !== (ticket.assigneeId ?? '')
  const missing = !groupChanged && !assigneeChanged ? t('transfer.needChange') : reason.trim() === '' ? t('transfer.needReason') : null

  function pickGroup(id: string) {
    setGroupId(id)
    const next = groups?.find((candidate) => candidate.id === id)
    // An agent outside the new group cannot keep the ticket there.
    if (next !== undefined && assigneeId !== '' && !next.memberIds.includes(assigneeId)) setAssigneeId('')
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    setError(missing)
    if (missing !== null) return
    setBusy(true)
    try {
      const body: { groupId?: string | null; assigneeId?: string | null; reason: string } = { reason: reason.trim() }
      if (groupChanged) body.groupId = groupId === '' ? null : groupId
      if (assigneeChanged || groupChanged) body.assigneeId = assigneeId === '' ? null : assigneeId
      onDone(await api.post<Ticket>(`/tickets/${ticket.id}/transfer`, body))
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('common:error.generic'))
      setBusy(false)
    }
  }

  return (
    <Dialog title={t('transfer.title', { number: ticket.number })} onClose={onClose} testId="transfer-dialog">
      <form className="stack" onSubmit={submit}>
        <div className="ag-field">
          <label htmlFor="ag-transfer-group">{t('transfer.group')}</label>
          <select id="ag-transfer-group" value={groupId} onChange={(event) => pickGroup(event.target.value)} data-testid="transfer-group">
            <option value="">{t('transfer.noGroup')}</option>
            {groups?.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name}
              </option>
            ))}
          </select>
        </div>
        <div className="ag-field">
          <label htmlFor="ag-transfer-assignee">{t('transfer.assignee')}</label>
          <select id="ag-transfer-assignee" value={assigneeId} onChange={(event) => setAssigneeId(event.target.value)} data-testid="transfer-assignee">
            <option value="">{t('transfer.nobody')}</option>
            {candidates.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.tier === null ? agent.name : t('transfer.agentWithTier', { name: agent.name, tier: agent.tier })}
              </option>
            ))}
          </select>
          {group !== undefined && <p className="muted ag-small">{t('transfer.membersOnly')}</p>}
        </div>
        <div className="ag-field">
          <label htmlFor="ag-transfer-reason">{t('transfer.reason')}</label>
          <textarea id="ag-transfer-reason" value={reason} aria-required="true" maxLength={2000} onChange={(event) => setReason(event.target.value)} data-testid="transfer-reason" />
        </div>
        {error !== null && (
          <p className="error" role="alert" data-testid="transfer-error">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="button-primary" disabled={busy} data-testid="transfer-submit">
            {t('transfer.submit')}
          </button>
          <button type="button" onClick={onClose}>
            {t('transfer.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
