import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../api/client.ts'
import { Field, ProblemAlert, type Problem, controlProps, describeProblem } from '../../components/portal-form.tsx'
import { useLoad } from '../../components/use-load.ts'
import { CheckboxGroup, ConfirmAction, EditorPanel, Notice } from './admin-ui.tsx'
import './integrations-page.css'
import { ListProblem } from './users-page.tsx'

type SourceKind = 'app' | 'wechat' | 'other'

interface InboundSource {
  readonly id: string
  readonly key: string
  readonly name: string
  readonly kind: SourceKind
  readonly toleranceSeconds: number
  readonly defaultGroupId: string | null
  readonly defaultType: string | null
  readonly isActive: boolean
  readonly previousSecretExpiresAt: string | null
}

interface Subscription {
  readonly id: string
  readonly name: string
  readonly url: string
  readonly eventTypes: readonly string[]
  readonly isActive: boolean
  readonly previousSecretExpiresAt: string | null
}

interface Attempt {
  readonly attemptedAt: string
  readonly statusCode: number | null
  readonly error: string | null
  readonly durationMs: number
}

interface Delivery {
  readonly id: string
  readonly eventType: string
  readonly status: 'pending' | 'delivered' | 'failed' | 'dead'
  readonly attempts: number
  readonly lastStatusCode: number | null
  readonly lastError: string | null
  readonly createdAt: string
  readonly attemptLog: readonly Attempt[]
}

interface Group {
  readonly id: string
  readonly name: string
}

const KINDS: readonly SourceKind[] = ['app', 'wechat', 'other']
const TICKET_TYPES = ['incident', 'defect', 'consultation', 'information', 'change', 'complaint'] as const

/** A secret the server shows once: displayed with a warning until the admin dismisses it. */
function SecretReveal({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  const { t } = useTranslation('integrations')
  const id = useId()
  return (
    <div className="card in-secret" role="region" aria-labelledby={id} data-testid="secret-reveal">
      <h3 id={id}>{label}</h3>
      <p>{t('webhooks.secretOnce')}</p>
      <code className="in-secret-value" data-testid="secret-value">
        {secret}
      </code>
      <button type="button" className="ad-small-button" onClick={onDone} data-testid="secret-done">
        {t('webhooks.secretStored')}
      </button>
    </div>
  )
}

function useFormatters() {
  const { i18n } = useTranslation('integrations')
  const dateTime = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' })
  return { when: (iso: string) => dateTime.format(new Date(iso)) }
}

/** Administration of integrations: inbound sources (apps, WeChat) and outbound webhooks with their delivery log. */
export function IntegrationsPage() {
  const { t } = useTranslation('integrations')
  return (
    <div className="stack">
      <h2 className="visually-hidden">{t('webhooks.pageTitle')}</h2>
      <InboundSourcesSection />
      <WebhooksSection />
    </div>
  )
}

function InboundSourcesSection() {
  const { t } = useTranslation('integrations')
  const { t: tp } = useTranslation('portal')
  const list = useLoad(() => api.get<{ items: InboundSource[] }>('/admin/inbound-sources'), [])
  const groups = useLoad(() => api.get<{ items: Group[] }>('/groups'), [])
  const [creating, setCreating] = useState(false)
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null)
  const [notice, setNotice] = useState('')
  const [problem, setProblem] = useState<Problem | null>(null)

  async function act(work: () => Promise<void>) {
    setNotice('')
    setProblem(null)
    try {
      await work()
      list.reload()
    } catch (caught) {
      setProblem(describeProblem(caught, tp))
    }
  }

  const endpoint = (key: string) => `${window.location.origin}/api/v1/inbound/${key}`

  return (
    <section className="stack" aria-labelledby="in-sources-title" data-testid="inbound-sources">
      <h2 id="in-sources-title">{t('sources.title')}</h2>
      <p className="muted ad-intro">{t('sources.intro')}</p>
      <div className="ad-toolbar">
        <button type="button" className="button-primary" onClick={() => setCreating(true)} data-testid="source-new">
          {t('sources.new')}
        </button>
      </div>
      <Notice text={notice} />
      <ProblemAlert problem={problem} showDetail />
      {secret !== null && <SecretReveal label={secret.label} secret={secret.value} onDone={() => setSecret(null)} />}
      {creating && (
        <EditorPanel title={t('sources.new')} onClose={() => setCreating(false)} testId="source-panel">
          <SourceForm
            groups={groups.data?.items ?? []}
            onCreated={(created) => {
              setCreating(false)
              setNotice(t('sources.created', { name: created.name }))
              setSecret({ label: t('sources.secretFor', { name: created.name }), value: created.secret })
              list.reload()
            }}
            onCancel={() => setCreating(false)}
          />
        </EditorPanel>
      )}
      <ListProblem error={list.error} />
      {list.data !== undefined && list.data.items.length === 0 ? (
        <p className="ad-empty">{t('sources.none')}</p>
      ) : (
        <div className="ad-table-scroll">
          <table className="ad-table in-table" data-testid="sources-table">
            <caption className="visually-hidden">{t('sources.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sources.name')}</th>
                <th scope="col">{t('sources.kind')}</th>
                <th scope="col">{t('sources.endpoint')}</th>
                <th scope="col">{t('sources.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('sources.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {(list.data?.items ?? []).map((source) => (
                <tr key={source.id} data-testid="source-row" data-source-key={source.key}>
                  <td>{source.name}</td>
                  <td>{t(`sources.kinds.${source.kind}`)}</td>
                  <td>
                    <code className="in-url">{endpoint(source.key)}</code>
                  </td>
                  <td>{source.isActive ? t('sources.active') : t('sources.inactive')}</td>
                  <td>
                    <span className="ad-row-actions">
                      <button
                        type="button"
                        className="ad-small-button"
                        aria-label={t(source.isActive ? 'sources.deactivateNamed' : 'sources.activateNamed', { name: source.name })}
                        onClick={() =>
                          act(async () => {
                            await api.patch(`/admin/inbound-sources/${source.id}`, { isActive: !source.isActive })
                            setNotice(t(source.isActive ? 'sources.deactivated' : 'sources.activated', { name: source.name }))
                          })
                        }
                        data-testid="source-toggle"
                      >
                        {source.isActive ? t('sources.deactivate') : t('sources.activate')}
                      </button>
                      <ConfirmAction
                        label={t('sources.rotate')}
                        confirmLabel={t('sources.rotateConfirm')}
                        accessibleName={t('sources.rotateNamed', { name: source.name })}
                        testId="source-rotate"
                        onConfirm={() =>
                          act(async () => {
                            const rotated = await api.post<InboundSource & { secret: string }>(`/admin/inbound-sources/${source.id}/rotate-secret`)
                            setNotice(t('sources.rotated', { name: source.name }))
                            setSecret({ label: t('sources.secretFor', { name: source.name }), value: rotated.secret })
                          })
                        }
                      />
                    </span>
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

function SourceForm({ groups, onCreated, onCancel }: { groups: readonly Group[]; onCreated: (created: InboundSource & { secret: string }) => void; onCancel: () => void }) {
  const { t } = useTranslation('integrations')
  const { t: tc } = useTranslation('common')
  const { t: tp } = useTranslation('portal')
  const id = useId()
  const [key, setKey] = useState('')
  const [name, setName] = useState('')
  const [kind, setKind] = useState<SourceKind>('app')
  const [tolerance, setTolerance] = useState('300')
  const [groupId, setGroupId] = useState('')
  const [type, setType] = useState('')
  const [problem, setProblem] = useState<Problem | null>(null)
  const [busy, setBusy] = useState(false)

  async function submit(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setProblem(null)
    try {
      const created = await api.post<InboundSource & { secret: string }>('/admin/inbound-sources', {
        key: key.trim(),
        name: name.trim(),
        kind,
        toleranceSeconds: Number(tolerance),
        ...(groupId !== '' ? { defaultGroupId: groupId } : {}),
        ...(type !== '' ? { defaultType: type } : {}),
      })
      onCreated(created)
    } catch (caught) {
      setProblem(describeProblem(caught, tp))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="stack" onSubmit={submit} noValidate data-testid="source-form">
      <ProblemAlert problem={problem} showDetail />
      <Field id={`${id}-name`} label={t('sources.name')} field="name" problem={problem}>
        <input {...controlProps(`${id}-name`, problem, 'name')} value={name} maxLength={100} required onChange={(event) => setName(event.target.value)} data-testid="source-name" />
      </Field>
      <Field id={`${id}-key`} label={t('sources.key')} field="key" problem={problem} hint={t('sources.keyHint')}>
        <input {...controlProps(`${id}-key`, problem, 'key', true)} value={key} maxLength={64} required pattern="[a-z0-9-]+" onChange={(event) => setKey(event.target.value)} data-testid="source-key" />
      </Field>
      <Field id={`${id}-kind`} label={t('sources.kind')} field="kind" problem={problem}>
        <select {...controlProps(`${id}-kind`, problem, 'kind')} value={kind} onChange={(event) => setKind(event.target.value as SourceKind)} data-testid="source-kind">
          {KINDS.map((option) => (
            <option key={option} value={option}>
              {t(`sources.kinds.${option}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-tolerance`} label={t('sources.tolerance')} field="toleranceSeconds" problem={problem} hint={t('sources.toleranceHint')}>
        <input {...controlProps(`${id}-tolerance`, problem, 'toleranceSeconds', true)} type="number" min={30} max={3600} value={tolerance} onChange={(event) => setTolerance(event.target.value)} />
      </Field>
      <Field id={`${id}-group`} label={t('sources.defaultGroup')} field="defaultGroupId" problem={problem}>
        <select {...controlProps(`${id}-group`, problem, 'defaultGroupId')} value={groupId} onChange={(event) => setGroupId(event.target.value)}>
          <option value="">{t('sources.noDefault')}</option>
          {groups.map((group) => (
            <option key={group.id} value={group.id}>
              {group.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-type`} label={t('sources.defaultType')} field="defaultType" problem={problem}>
        <select {...controlProps(`${id}-type`, problem, 'defaultType')} value={type} onChange={(event) => setType(event.target.value)}>
          <option value="">{t('sources.noDefault')}</option>
          {TICKET_TYPES.map((option) => (
            <option key={option} value={option}>
              {tc(`type.${option}`)}
            </option>
          ))}
        </select>
      </Field>
      <div className="row">
        <button type="submit" className="button-primary" disabled={busy} data-testid="source-save">
          {t('sources.create')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('webhooks.cancel')}
        </button>
      </div>
    </form>
  )
}

function WebhooksSection() {
  const { t } = useTranslation('integrations')
  const { t: tp } = useTranslation('portal')
  const list = useLoad(() => api.get<{ items: Subscription[]; eventTypes: string[] }>('/admin/webhooks'), [])
  const [creating, setCreating] = useState(false)
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null)
  const [logFor, setLogFor] = useState<Subscription | null>(null)
  const [notice, setNotice] = useState('')
  const [problem, setProblem] = useState<Problem | null>(null)
  const [logVersion, setLogVersion] = useState(0)

  async function act(work: () => Promise<void>) {
    setNotice('')
    setProblem(null)
    try {
      await work()
      list.reload()
      setLogVersion((version) => version + 1)
    } catch (caught) {
      setProblem(describeProblem(caught, tp))
    }
  }

  return (
    <section className="stack" aria-labelledby="in-webhooks-title" data-testid="webhook-subscriptions">
      <h2 id="in-webhooks-title">{t('webhooks.title')}</h2>
      <p className="muted ad-intro">{t('webhooks.intro')}</p>
      <div className="ad-toolbar">
        <button type="button" className="button-primary" onClick={() => setCreating(true)} data-testid="webhook-new">
          {t('webhooks.new')}
        </button>
      </div>
      <Notice text={notice} />
      <ProblemAlert problem={problem} showDetail />
      {secret !== null && <SecretReveal label={secret.label} secret={secret.value} onDone={() => setSecret(null)} />}
      {creating && (
        <EditorPanel title={t('webhooks.new')} onClose={() => setCreating(false)} testId="webhook-panel">
          <SubscriptionForm
            eventTypes={list.data?.eventTypes ?? []}
            onCreated={(created) => {
              setCreating(false)
              setNotice(t('webhooks.created', { name: created.name }))
              setSecret({ label: t('webhooks.secretFor', { name: created.name }), value: created.secret })
              list.reload()
            }}
            onCancel={() => setCreating(false)}
          />
        </EditorPanel>
      )}
      <ListProblem error={list.error} />
      {list.data !== undefined && list.data.items.length === 0 ? (
        <p className="ad-empty">{t('webhooks.none')}</p>
      ) : (
        <div className="ad-table-scroll">
          <table className="ad-table in-table" data-testid="webhooks-table">
            <caption className="visually-hidden">{t('webhooks.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('webhooks.name')}</th>
                <th scope="col">{t('webhooks.url')}</th>
                <th scope="col">{t('webhooks.events')}</th>
                <th scope="col">{t('webhooks.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('webhooks.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {(list.data?.items ?? []).map((subscription) => (
                <tr key={subscription.id} data-testid="webhook-row">
                  <td>{subscription.name}</td>
                  <td>
                    <code className="in-url">{subscription.url}</code>
                  </td>
                  <td>{subscription.eventTypes.includes('*') ? t('webhooks.allEvents') : subscription.eventTypes.map((type) => t(`webhooks.eventNames.${type}`, { defaultValue: type })).join(t('webhooks.listSeparator'))}</td>
                  <td>{subscription.isActive ? t('webhooks.active') : t('webhooks.inactive')}</td>
                  <td>
                    <span className="ad-row-actions">
                      <button
                        type="button"
                        className="ad-small-button"
                        aria-label={t('webhooks.testNamed', { name: subscription.name })}
                        onClick={() =>
                          act(async () => {
                            const ping = await api.post<Delivery>(`/admin/webhooks/${subscription.id}/test`)
                            setNotice(ping.status === 'delivered' ? t('webhooks.pingOk', { name: subscription.name, status: ping.lastStatusCode ?? '' }) : t('webhooks.pingFailed', { name: subscription.name, error: ping.lastError ?? '' }))
                          })
                        }
                        data-testid="webhook-test"
                      >
                        {t('webhooks.test')}
                      </button>
                      <button type="button" className="ad-small-button" aria-label={t('webhooks.logNamed', { name: subscription.name })} onClick={() => setLogFor(subscription)} data-testid="webhook-log">
                        {t('webhooks.log')}
                      </button>
                      <button
                        type="button"
                        className="ad-small-button"
                        aria-label={t(subscription.isActive ? 'webhooks.deactivateNamed' : 'webhooks.activateNamed', { name: subscription.name })}
                        onClick={() =>
                          act(async () => {
                            await api.patch(`/admin/webhooks/${subscription.id}`, { isActive: !subscription.isActive })
                            setNotice(t(subscription.isActive ? 'webhooks.deactivated' : 'webhooks.activated', { name: subscription.name }))
                          })
                        }
                        data-testid="webhook-toggle"
                      >
                        {subscription.isActive ? t('webhooks.deactivate') : t('webhooks.activate')}
                      </button>
                      <ConfirmAction
                        label={t('webhooks.rotate')}
                        confirmLabel={t('webhooks.rotateConfirm')}
                        accessibleName={t('webhooks.rotateNamed', { name: subscription.name })}
                        testId="webhook-rotate"
                        onConfirm={() =>
                          act(async () => {
                            const rotated = await api.post<Subscription & { secret: string }>(`/admin/webhooks/${subscription.id}/rotate-secret`)
                            setNotice(t('webhooks.rotated', { name: subscription.name }))
                            setSecret({ label: t('webhooks.secretFor', { name: subscription.name }), value: rotated.secret })
                          })
                        }
                      />
                      <ConfirmAction
                        label={t('webhooks.delete')}
                        confirmLabel={t('webhooks.deleteConfirm')}
                        accessibleName={t('webhooks.deleteNamed', { name: subscription.name })}
                        testId="webhook-delete"
                        onConfirm={() =>
                          act(async () => {
                            await api.delete(`/admin/webhooks/${subscription.id}`)
                            if (logFor?.id === subscription.id) setLogFor(null)
                            setNotice(t('webhooks.deleted', { name: subscription.name }))
                          })
                        }
                      />
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {logFor !== null && (
        <EditorPanel key={logFor.id} title={t('webhooks.logFor', { name: logFor.name })} onClose={() => setLogFor(null)} testId="delivery-log">
          <DeliveryLog subscription={logFor} version={logVersion} />
        </EditorPanel>
      )}
    </section>
  )
}

function SubscriptionForm({ eventTypes, onCreated, onCancel }: { eventTypes: readonly string[]; onCreated: (created: Subscription & { secret: string }) => void; onCancel: () => void }) {
  const { t } = useTranslation('integrations')
  const { t: tp } = useTranslation('portal')
  const id = useId()
  const [name, setName] = useState('')
  const [url, setUrl] = useState('https://')
  const [all, setAll] = useState(false)
  const [chosen, setChosen] = useState<string[]>(['ticket.created', 'ticket.message_added', 'ticket.resolved'])
  const [problem, setProblem] = useState<Problem | null>(null)
  const [busy, setBusy] = useState(false)

  async function submit(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setProblem(null)
    try {
      onCreated(await api.post<Subscription & { secret: string }>('/admin/webhooks', { name: name.trim(), url: url.trim(), eventTypes: all ? ['*'] : chosen }))
    } catch (caught) {
      setProblem(describeProblem(caught, tp))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="stack" onSubmit={submit} noValidate data-testid="webhook-form">
      <ProblemAlert problem={problem} showDetail />
      <Field id={`${id}-name`} label={t('webhooks.name')} field="name" problem={problem}>
        <input {...controlProps(`${id}-name`, problem, 'name')} value={name} maxLength={100} required onChange={(event) => setName(event.target.value)} data-testid="webhook-name" />
      </Field>
      <Field id={`${id}-url`} label={t('webhooks.url')} field="url" problem={problem} hint={t('webhooks.urlHint')}>
        <input {...controlProps(`${id}-url`, problem, 'url', true)} type="url" value={url} maxLength={2000} required onChange={(event) => setUrl(event.target.value)} data-testid="webhook-url" />
      </Field>
      <label className="ad-check">
        <input type="checkbox" checked={all} onChange={(event) => setAll(event.target.checked)} data-testid="webhook-all-events" />
        {t('webhooks.allEvents')}
      </label>
      {!all && (
        <CheckboxGroup
          legend={t('webhooks.events')}
          options={eventTypes.map((type) => ({ value: type, label: t(`webhooks.eventNames.${type}`, { defaultValue: type }) }))}
          value={chosen}
          onChange={setChosen}
          {...(problem?.fields.eventTypes !== undefined ? { error: problem.fields.eventTypes } : {})}
          testId="webhook-events"
        />
      )}
      <div className="row">
        <button type="submit" className="button-primary" disabled={busy} data-testid="webhook-save">
          {t('webhooks.create')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('webhooks.cancel')}
        </button>
      </div>
    </form>
  )
}

function DeliveryLog({ subscription, version }: { subscription: Subscription; version: number }) {
  const { t } = useTranslation('integrations')
  const { t: tp } = useTranslation('portal')
  const { when } = useFormatters()
  const log = useLoad(() => api.get<{ items: Delivery[] }>(`/admin/webhooks/${subscription.id}/deliveries?limit=50`), [subscription.id, version])
  const [notice, setNotice] = useState('')
  const [problem, setProblem] = useState<Problem | null>(null)

  async function redeliver(delivery: Delivery) {
    setNotice('')
    setProblem(null)
    try {
      await api.post(`/admin/webhook-deliveries/${delivery.id}/redeliver`)
      setNotice(t('webhooks.redelivered', { id: delivery.id }))
      log.reload()
    } catch (caught) {
      setProblem(describeProblem(caught, tp))
    }
  }

  return (
    <div className="stack">
      <div className="row">
        <button type="button" className="ad-small-button" onClick={log.reload} data-testid="delivery-refresh">
          {t('webhooks.refresh')}
        </button>
      </div>
      <Notice text={notice} />
      <ProblemAlert problem={problem} showDetail />
      <ListProblem error={log.error} />
      {log.data !== undefined && log.data.items.length === 0 ? (
        <p className="ad-empty">{t('webhooks.noDeliveries')}</p>
      ) : (
        <ul className="in-deliveries" aria-label={t('webhooks.logFor', { name: subscription.name })}>
          {(log.data?.items ?? []).map((delivery) => (
            <li key={delivery.id} className={`in-delivery in-delivery-${delivery.status}`} data-testid="delivery-row" data-status={delivery.status}>
              <div className="in-delivery-head">
                <span className="in-delivery-event">{t(`webhooks.eventNames.${delivery.eventType}`, { defaultValue: delivery.eventType })}</span>
                <span className="in-delivery-status">{t(`webhooks.statuses.${delivery.status}`)}</span>
                <span className="muted">{when(delivery.createdAt)}</span>
                {(delivery.status === 'delivered' || delivery.status === 'dead') && (
                  <button type="button" className="ad-small-button" onClick={() => redeliver(delivery)} aria-label={t('webhooks.redeliverNamed', { id: delivery.id })} data-testid="delivery-redeliver">
                    {t('webhooks.redeliver')}
                  </button>
                )}
              </div>
              <details>
                <summary>
                  {t('webhooks.attemptsSummary', { count: delivery.attempts })} · <code>{delivery.id}</code>
                </summary>
                {delivery.attemptLog.length === 0 ? (
                  <p className="muted">{t('webhooks.noAttempts')}</p>
                ) : (
                  <table className="in-attempts">
                    <caption className="visually-hidden">{t('webhooks.attemptsOf', { id: delivery.id })}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('webhooks.attemptedAt')}</th>
                        <th scope="col">{t('webhooks.statusCode')}</th>
                        <th scope="col">{t('webhooks.duration')}</th>
                        <th scope="col">{t('webhooks.error')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {delivery.attemptLog.map((attempt, index) => (
                        <tr key={index}>
                          <td>{when(attempt.attemptedAt)}</td>
                          <td>{attempt.statusCode ?? t('webhooks.noAnswer')}</td>
                          <td>{t('webhooks.ms', { count: attempt.durationMs })}</td>
                          <td>{attempt.error ?? ''}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </details>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
