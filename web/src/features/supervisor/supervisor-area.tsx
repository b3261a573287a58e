import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Navigate, Route, Routes } from 'react-router'
import { ApiError, api } from '../../api/client.ts'
import type { QueueCounts } from '../../api/types.ts'
import { useLoad } from '../../components/use-load.ts'
import '../agent/agent.css'
import { type AgentLoadRow, OPEN_STATUSES } from '../agent/agent-types.ts'
import { type TicketSelection, TicketTable } from '../agent/ticket-table.tsx'
import { namesById, useGroups, useStaff } from '../agent/use-directory.ts'
import { isTicketEvent, useLiveReload } from '../agent/use-live-reload.ts'
import { type TicketList, useTicketList } from '../agent/use-ticket-list.ts'
import { AgentLoadTable } from './agent-load-table.tsx'
import { BulkTransfer } from './bulk-transfer.tsx'

/** The supervisor's view under `/supervisor`. */
export function SupervisorArea() {
  return (
    <Routes>
      <Route index element={<SupervisorPage />} />
      <Route path="*" element={<Navigate to="/supervisor" replace />} />
    </Routes>
  )
}

const UNASSIGNED_QUERY = `assignee=none&status=${OPEN_STATUSES}&sort=receivedAt`
const AGEING_QUERY = `status=${OPEN_STATUSES}&sort=receivedAt`
/** Open tickets past their warning share or overdue, the most urgent due time first. */
const SLA_RISK_QUERY = `sla=at_risk,breached&status=${OPEN_STATUSES}&sort=slaDueAt`

/** Queues at a glance, tickets at risk of or past their SLA, the load per agent, unassigned and ageing tickets, and bulk reassignment. */
function SupervisorPage() {
  const { t } = useTranslation('agent')
  const counts = useLoad(() => api.get<QueueCounts>('/tickets/counts'), [])
  const load = useLoad(async () => (await api.get<{ items: AgentLoadRow[] }>('/reports/agent-load')).items, [])
  const unassigned = useTicketList(UNASSIGNED_QUERY)
  const ageing = useTicketList(AGEING_QUERY)
  const risk = useTicketList(SLA_RISK_QUERY)
  const staff = useStaff()
  const groups = useGroups()
  const agentNames = useMemo(() => namesById(staff), [staff])
  const groupNames = useMemo(() => namesById(groups), [groups])
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [notice, setNotice] = useState<string | null>(null)

  function reloadAll() {
    counts.reload()
    load.reload()
    unassigned.refresh()
    ageing.refresh()
    risk.refresh()
  }
  useLiveReload(isTicketEvent, reloadAll)

  const selection: TicketSelection = {
    selected,
    toggle: (id) =>
      setSelected((before) => {
        const next = new Set(before)
        if (!next.delete(id)) next.add(id)
        return next
      }),
  }
  const rows = load.data ?? []
  const sum = (pick: (row: AgentLoadRow) => number) => rows.reduce((total, row) => total + pick(row), 0)

  return (
    <div className="stack">
      <div className="ag-page-head">
        <h1>{t('supervisor.title')}</h1>
      </div>

      <section aria-labelledby="ag-summary" className="stack">
        <h2 id="ag-summary" className="visually-hidden">
          {t('supervisor.summary')}
        </h2>
        <dl className="ag-tiles">
          <Tile label={t('supervisor.allOpen')} value={counts.data?.allOpen} testId="summary-all" />
          <Tile label={t('supervisor.unassigned')} value={counts.data?.unassigned} testId="summary-unassigned" />
          <Tile label={t('supervisor.notStarted')} value={load.data === undefined ? undefined : sum((row) => row.notStarted)} testId="summary-not-started" />
          <Tile label={t('supervisor.inProgress')} value={load.data === undefined ? undefined : sum((row) => row.inProgress)} testId="summary-in-progress" />
          <Tile label={t('supervisor.waiting')} value={load.data === undefined ? undefined : sum((row) => row.waiting)} testId="summary-waiting" />
        </dl>
      </section>

      <TicketSection
        id="sla-risk"
        testId="sla-risk-list"
        title={t('supervisor.slaRisk')}
        hint={t('supervisor.slaRiskHint')}
        empty={t('supervisor.noSlaRisk')}
        list={risk}
        selection={selection}
        agentNames={agentNames}
        groupNames={groupNames}
      />

      <section aria-labelledby="ag-load-title" className="stack">
        <h2 id="ag-load-title" className="ag-section-title">
          {t('supervisor.load')}
        </h2>
        {load.error !== null && load.data === undefined ? (
          <p className="error" role="alert">
            {load.error instanceof ApiError ? load.error.message : t('common:error.generic')}
          </p>
        ) : load.data === undefined ? (
          <p className="loading">{t('common:loading')}</p>
        ) : (
          <AgentLoadTable rows={rows} />
        )}
      </section>

      {notice !== null && (
        <p className="notice" role="status" data-testid="bulk-notice">
          {notice}
        </p>
      )}

      <TicketSection
        id="unassigned"
        title={t('supervisor.unassignedTickets')}
        empty={t('supervisor.noUnassigned')}
        list={unassigned}
        selection={selection}
        agentNames={agentNames}
        groupNames={groupNames}
      />
      <TicketSection
        id="ageing"
        title={t('supervisor.ageingTickets')}
        hint={t('supervisor.ageingHint')}
        empty={t('supervisor.noOpen')}
        list={ageing}
        selection={selection}
        agentNames={agentNames}
        groupNames={groupNames}
        showAge
      />

      <BulkTransfer
        selected={[...selected]}
        onClear={() => setSelected(new Set())}
        onDone={(moved) => {
          setSelected(new Set())
          setNotice(t('bulk.done', { count: moved }))
          reloadAll()
        }}
      />
    </div>
  )
}

function Tile({ label, value, testId }: { label: string; value: number | undefined; testId: string }) {
  return (
    <div className="ag-tile">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value ?? '–'}</dd>
    </div>
  )
}

function TicketSection({
  id,
  title,
  hint,
  empty,
  list,
  selection,
  agentNames,
  groupNames,
  showAge = false,
  testId,
}: {
  id: string
  testId?: string
  title: string
  hint?: string
  empty: string
  list: TicketList
  selection: TicketSelection
  agentNames: ReadonlyMap<string, string>
  groupNames: ReadonlyMap<string, string>
  showAge?: boolean
}) {
  const { t } = useTranslation('agent')
  return (
    <section aria-labelledby={`ag-${id}-title`} className="stack" data-testid={testId ?? `supervisor-${id}`}>
      <div className="ag-section-head">
        <h2 id={`ag-${id}-title`}>{title}</h2>
        {hint !== undefined && <span className="muted ag-small">{hint}</span>}
      </div>
      {list.error !== null && (
        <p className="error" role="alert">
          {list.error instanceof ApiError ? list.error.message : t('common:error.generic')}
        </p>
      )}
      {list.loading ? (
        <p className="loading">{t('common:loading')}</p>
      ) : list.items.length === 0 ? (
        <p className="ag-empty">{empty}</p>
      ) : (
        <TicketTable tickets={list.items} caption={title} assigneeNames={agentNames} groupNames={groupNames} selection={selection} showAge={showAge} />
      )}
      {list.hasMore && (
        <div>
          <button type="button" onClick={list.loadMore} disabled={list.loadingMore} data-testid={`load-more-${id}`}>
            {list.loadingMore ? t('common:loading') : t('queue.loadMore')}
          </button>
        </div>
      )}
    </section>
  )
}
