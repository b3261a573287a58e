import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../api/client.ts'
import { ProblemAlert, type Problem, describeProblem } from '../../components/portal-form.tsx'
import { useLoad } from '../../components/use-load.ts'
import { Notice } from './admin-ui.tsx'
import { ListProblem } from './users-page.tsx'

type OutboxState = 'dead' | 'pending' | 'delivered'

interface OutboxMessage {
  readonly id: number
  readonly topic: string
  readonly state: OutboxState
  readonly inFlight: boolean
  readonly attempts: number
  readonly lastError: string | null
  readonly ticketId: string | null
  readonly recipient: string | null
  readonly subject: string | null
  readonly createdAt: string
  readonly availableAt: string
  readonly deliveredAt: string | null
  readonly deadAt: string | null
}

const STATES: readonly OutboxState[] = ['dead', 'pending', 'delivered']
const TOPICS = ['', 'email', 'sms', 'webhook', 'ticket-events', 'notification'] as const

/** The outbox for administrators: dead letters (and waiting or delivered messages) with their last error, and a retry. */
export function OutboxPage() {
  const { t, i18n } = useTranslation('integrations')
  const { t: tp } = useTranslation('portal')
  const [state, setState] = useState<OutboxState>('dead')
  const [topic, setTopic] = useState('')
  const [notice, setNotice] = useState('')
  const [problem, setProblem] = useState<Problem | null>(null)
  const stateId = useId()
  const topicId = useId()
  const query = `state=${state}${topic === '' ? '' : `&topic=${encodeURIComponent(topic)}`}`
  // The answer carries its query: rows of the previous filter are not shown under the new one while it loads.
  const list = useLoad(async () => ({ query, ...(await api.get<{ items: OutboxMessage[] }>(`/admin/outbox?${query}`)) }), [query])
  const when = (iso: string | null) => (iso === null ? '—' : new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso)))

  async function retry(message: OutboxMessage) {
    setNotice('')
    setProblem(null)
    try {
      await api.post(`/admin/outbox/${message.id}/retry`)
      setNotice(t('outbox.retried', { id: message.id }))
      list.reload()
    } catch (caught) {
      setProblem(describeProblem(caught, tp))
    }
  }

  const items = list.data?.query === query ? list.data.items : []
  return (
    <section className="stack" aria-labelledby="outbox-title" data-testid="outbox-page">
      <h2 id="outbox-title">{t('outbox.title')}</h2>
      <p className="muted ad-intro">{t('outbox.intro')}</p>
      <div className="ad-toolbar">
        <label htmlFor={stateId}>{t('outbox.state')}</label>
        <select id={stateId} value={state} onChange={(event) => setState(event.target.value as OutboxState)} data-testid="outbox-state">
          {STATES.map((value) => (
            <option key={value} value={value}>
              {t(`outbox.states.${value}`)}
            </option>
          ))}
        </select>
        <label htmlFor={topicId}>{t('outbox.topic')}</label>
        <select id={topicId} value={topic} onChange={(event) => setTopic(event.target.value)} data-testid="outbox-topic">
          {TOPICS.map((value) => (
            <option key={value} value={value}>
              {value === '' ? t('outbox.allTopics') : t(`outbox.topics.${value}`)}
            </option>
          ))}
        </select>
      </div>
      <Notice text={notice} />
      <ProblemAlert problem={problem} showDetail />
      <ListProblem error={list.error} />
      {!list.loading && list.data?.query === query && items.length === 0 && list.error === null && <p data-testid="outbox-empty">{t(`outbox.none.${state}`)}</p>}
      {items.length > 0 && (
        <div className="ad-table-scroll">
          <table className="ad-table" data-testid="outbox-table">
            <caption className="visually-hidden">{t('outbox.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('outbox.topic')}</th>
                <th scope="col">{t('outbox.recipient')}</th>
                <th scope="col">{t('outbox.attempts')}</th>
                <th scope="col">{t('outbox.lastError')}</th>
                <th scope="col">{state === 'dead' ? t('outbox.deadAt') : state === 'delivered' ? t('outbox.deliveredAt') : t('outbox.dueAt')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('outbox.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((message) => (
                <tr key={message.id} data-testid="outbox-row" data-state={message.state}>
                  <td>{TOPICS.includes(message.topic as (typeof TOPICS)[number]) ? t(`outbox.topics.${message.topic}`) : message.topic}</td>
                  <td>
                    {message.recipient ?? '—'}
                    {message.subject !== null && <div className="muted">{message.subject}</div>}
                  </td>
                  <td>{message.attempts}</td>
                  <td>
                    <span className="in-error">{message.lastError ?? '—'}</span>
                  </td>
                  <td>{when(state === 'dead' ? message.deadAt : state === 'delivered' ? message.deliveredAt : message.availableAt)}</td>
                  <td>
                    {message.state !== 'delivered' &&
                      (message.inFlight ? (
                        <span className="muted">{t('outbox.inFlight')}</span>
                      ) : (
                        <button type="button" className="ad-small-button" onClick={() => void retry(message)} aria-label={t('outbox.retryNamed', { id: message.id })} data-testid="outbox-retry">
                          {t('outbox.retry')}
                        </button>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
