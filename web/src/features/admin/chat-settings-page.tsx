import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import { WIDGET_STATUS_TEXTS } from '../../../widget/widget-texts.ts'
import { ApiError, api } from '../../api/client.ts'
import { Field, ProblemAlert, type Problem, controlProps, describeProblem, localProblem, translateFieldMessage } from '../../components/portal-form.tsx'
import { useLoad } from '../../components/use-load.ts'
import { Notice } from './admin-ui.tsx'
import './chat-settings-page.css'
import { ListProblem } from './users-page.tsx'

type Locale = 'zh-CN' | 'en'
type Texts = Record<Locale, string>
type Weekday = '0' | '1' | '2' | '3' | '4' | '5' | '6'

/** `GET|PUT /chat/settings`. */
interface ChatSettings {
  readonly enabled: boolean
  readonly hours: {
    readonly always: boolean
    readonly timeZone: string
    readonly weeklyHours: Partial<Record<Weekday, readonly (readonly [number, number])[]>>
    readonly holidays: readonly string[]
  }
  readonly allowedOrigins: readonly string[]
  readonly groupId: string | null
  readonly greeting: Texts
  readonly offlineText: Texts
}

interface Group {
  readonly id: string
  readonly name: string
}

interface Interval {
  /** A stable React key while rows are added and removed. */
  readonly key: number
  readonly start: string
  readonly end: string
}

/** The form's state: times as `HH:MM`, lists as one entry per line. */
interface Draft {
  readonly enabled: boolean
  readonly always: boolean
  readonly timeZone: string
  readonly days: Record<Weekday, readonly Interval[]>
  readonly holidays: string
  readonly allowedOrigins: string
  readonly groupId: string
  readonly greeting: Texts
  readonly offlineText: Texts
}

/** Monday first, as people read a week here; the API numbers Sunday 0. */
const WEEKDAYS: readonly Weekday[] = ['1', '2', '3', '4', '5', '6', '0']
const LOCALES: readonly Locale[] = ['zh-CN', 'en']
const MAX_TEXT = 300
const MINUTES_PER_DAY = 1440

let nextKey = 1

const pad = (value: number) => String(value).padStart(2, '0')

/** Minutes from midnight as `HH:MM`; the end of the day (1440) is shown as 00:00. */
function toTime(minutes: number): string {
  const within = minutes % MINUTES_PER_DAY
  return `${pad(Math.floor(within / 60))}:${pad(within % 60)}`
}

/** `HH:MM` as minutes from midnight; 00:00 as an end is midnight at the end of the day. Null when empty. */
function toMinutes(time: string, isEnd: boolean): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(time)
  if (match === null) return null
  const minutes = Number(match[1]) * 60 + Number(match[2])
  return isEnd && minutes === 0 ? MINUTES_PER_DAY : minutes
}

/** The non-empty lines of a text box, with their line numbers (1-based) for error messages. */
function linesOf(text: string): { value: string; line: number }[] {
  return text
    .split('\n')
    .map((value, index) => ({ value: value.trim(), line: index + 1 }))
    .filter((entry) => entry.value !== '')
}

function toDraft(settings: ChatSettings): Draft {
  const days = {} as Record<Weekday, Interval[]>
  for (const day of WEEKDAYS) {
    days[day] = (settings.hours.weeklyHours[day] ?? []).map(([start, end]) => ({ key: nextKey++, start: toTime(start), end: toTime(end) }))
  }
  return {
    enabled: settings.enabled,
    always: settings.hours.always,
    timeZone: settings.hours.timeZone,
    days,
    holidays: settings.hours.holidays.join('\n'),
    allowedOrigins: settings.allowedOrigins.join('\n'),
    groupId: settings.groupId ?? '',
    greeting: { ...settings.greeting },
    offlineText: { ...settings.offlineText },
  }
}

/** Where each field error of the API shows on this form, in the reader's language. */
function placeProblem(error: unknown, draft: Draft, t: TFunction<'chat'>, tp: TFunction<'portal'>): Problem {
  const problem = describeProblem(error, tp)
  if (!(error instanceof ApiError)) return problem
  const holidays = linesOf(draft.holidays)
  const origins = linesOf(draft.allowedOrigins)
  const fields: Record<string, string> = {}
  const put = (key: string, message: string) => {
    fields[key] ??= message
  }
  for (const { field, message } of error.fields) {
    let match: RegExpExecArray | null
    if (field === 'hours/timeZone') put('timeZone', t('settings.errors.timeZone'))
    else if ((match = /^hours\/weeklyHours\/(\d)\/(\d+)$/.exec(field)) !== null) put(`interval-${match[1]}-${match[2]}`, t('settings.errors.interval'))
    else if (/^hours\/weeklyHours(\/\d)?$/.test(field)) put('weeklyHours', /at least one weekday/.test(message) ? t('settings.errors.noDay') : translateFieldMessage(message, tp))
    else if ((match = /^hours\/holidays(?:\/(\d+))?$/.exec(field)) !== null) {
      // The schema names the entry; the calendar names the date it could not read.
      const entry = match[1] !== undefined ? holidays[Number(match[1])] : holidays.find((item) => message.startsWith(`${item.value} `))
      put('holidays', entry !== undefined ? t('settings.errors.holidayLine', { line: entry.line }) : t('settings.errors.holiday'))
    } else if ((match = /^allowedOrigins(?:\/(\d+))?$/.exec(field)) !== null) {
      const entry = match[1] !== undefined ? origins[Number(match[1])] : undefined
      put('allowedOrigins', entry !== undefined ? t('settings.errors.originLine', { line: entry.line }) : translateFieldMessage(message, tp))
    } else if ((match = /^(greeting|offlineText)\/(zh-CN|en)$/.exec(field)) !== null) put(`${match[1]}-${match[2]}`, translateFieldMessage(message, tp))
    else put(field, translateFieldMessage(message, tp))
  }
  return { ...problem, fields }
}

/**
 * The web chat settings for administrators: whether chat is on, its opening hours per weekday
 * in a time zone (or around the clock) with holidays, the team new chats go to, the sites that
 * may embed the widget, the widget's greeting and offline text in both languages, and the
 * snippet that puts the widget on a page.
 */
export function ChatSettingsPage() {
  const { t, i18n } = useTranslation('chat')
  const { t: tp } = useTranslation('portal')
  const id = useId()
  const settings = useLoad(() => api.get<ChatSettings>('/chat/settings'), [])
  const groups = useLoad(() => api.get<{ items: Group[] }>('/groups'), [])
  const [statusVersion, setStatusVersion] = useState(0)
  const status = useLoad(() => api.get<{ online: boolean }>('/chat/status'), [statusVersion])
  const [draft, setDraft] = useState<Draft | null>(null)
  const [problem, setProblem] = useState<Problem | null>(null)
  const [notice, setNotice] = useState('')
  const [busy, setBusy] = useState(false)
  const alertRef = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (settings.data !== undefined) setDraft(toDraft(settings.data))
  }, [settings.data])
  useEffect(() => {
    if (problem !== null) alertRef.current?.querySelector<HTMLElement>('[role="alert"]')?.focus()
  }, [problem])

  const dayName = useMemo(() => {
    const format = new Intl.DateTimeFormat(i18n.language, { weekday: 'long', timeZone: 'UTC' })
    // 2024-01-07 was a Sunday: day d of the API is d days later.
    return (day: Weekday) => format.format(new Date(Date.UTC(2024, 0, 7 + Number(day))))
  }, [i18n.language])
  const timeZones = useMemo(() => Intl.supportedValuesOf('timeZone'), [])

  if (draft === null) {
    return (
      <section className="stack" aria-labelledby={`${id}-title`} data-testid="chat-settings">
        <h2 id={`${id}-title`}>{t('settings.title')}</h2>
        <ListProblem error={settings.error} />
        {settings.error === null && (
          <p className="loading" role="status">
            {t('common:loading')}
          </p>
        )}
      </section>
    )
  }

  const change = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch })
  const changeDay = (day: Weekday, intervals: readonly Interval[]) => setDraft({ ...draft, days: { ...draft.days, [day]: intervals } })
  const changeInterval = (day: Weekday, key: number, patch: Partial<Interval>) => changeDay(day, draft.days[day].map((item) => (item.key === key ? { ...item, ...patch } : item)))

  async function save(event: FormEvent) {
    event.preventDefault()
    if (draft === null) return
    setNotice('')
    const missing: Record<string, string> = {}
    const weeklyHours: Partial<Record<Weekday, [number, number][]>> = {}
    for (const day of WEEKDAYS) {
      const intervals: [number, number][] = []
      draft.days[day].forEach((interval, index) => {
        const start = toMinutes(interval.start, false)
        const end = toMinutes(interval.end, true)
        if (start === null || end === null) missing[`interval-${day}-${index}`] = t('settings.errors.timeMissing')
        else intervals.push([start, end])
      })
      if (intervals.length > 0) weeklyHours[day] = intervals
    }
    const local = localProblem(missing, tp)
    if (local !== null) {
      setProblem(local)
      return
    }
    setBusy(true)
    setProblem(null)
    try {
      const saved = await api.put<ChatSettings>('/chat/settings', {
        enabled: draft.enabled,
        hours: { always: draft.always, timeZone: draft.timeZone.trim(), weeklyHours, holidays: linesOf(draft.holidays).map((entry) => entry.value) },
        allowedOrigins: linesOf(draft.allowedOrigins).map((entry) => entry.value),
        groupId: draft.groupId === '' ? null : draft.groupId,
        greeting: draft.greeting,
        offlineText: draft.offlineText,
      })
      setDraft(toDraft(saved))
      setNotice(t('settings.saved'))
      setStatusVersion((version) => version + 1)
    } catch (caught) {
      setProblem(placeProblem(caught, draft, t, tp))
    } finally {
      setBusy(false)
    }
  }

  const labels: Record<string, { label: string; id: string }> = {
    timeZone: { label: t('settings.timeZone'), id: `${id}-tz` },
    weeklyHours: { label: t('settings.weekly'), id: `${id}-weekly` },
    holidays: { label: t('settings.holidays'), id: `${id}-holidays` },
    allowedOrigins: { label: t('settings.origins'), id: `${id}-origins` },
    groupId: { label: t('settings.team'), id: `${id}-team` },
  }
  for (const day of WEEKDAYS) {
    draft.days[day].forEach((interval, index) => {
      labels[`interval-${day}-${index}`] = { label: t('settings.intervalName', { day: dayName(day), n: index + 1 }), id: `${id}-${interval.key}-start` }
    })
  }
  for (const locale of LOCALES) {
    labels[`greeting-${locale}`] = { label: t('settings.greeting', { language: t(`settings.languages.${locale}`) }), id: `${id}-greeting-${locale}` }
    labels[`offlineText-${locale}`] = { label: t('settings.offlineText', { language: t(`settings.languages.${locale}`) }), id: `${id}-offline-${locale}` }
  }
  const weeklyError = problem?.fields.weeklyHours

  return (
    <section className="stack" aria-labelledby={`${id}-title`} data-testid="chat-settings">
      <h2 id={`${id}-title`}>{t('settings.title')}</h2>
      <p className="muted ad-intro">{t('settings.intro')}</p>
      {status.data !== undefined && (
        <p className="cs-status" data-testid="chat-status" data-online={status.data.online}>
          <span aria-hidden="true" className={status.data.online ? 'cs-dot cs-dot-on' : 'cs-dot'} />
          {status.data.online ? t('settings.statusOnline') : t('settings.statusOffline')}
        </p>
      )}
      <Notice text={notice} />
      <div ref={alertRef}>
        <ProblemAlert problem={problem} labels={labels} showDetail />
      </div>

      <form className="stack" onSubmit={save} noValidate data-testid="chat-settings-form">
        <fieldset className="card cs-section">
          <legend>{t('settings.availability')}</legend>
          <div className="cs-checks">
            <label className="ad-check">
              <input type="checkbox" checked={draft.enabled} onChange={(event) => change({ enabled: event.target.checked })} aria-describedby={`${id}-enabled-hint`} data-testid="chat-enabled" />
              {t('settings.enabled')}
            </label>
            <p className="form-hint" id={`${id}-enabled-hint`}>
              {t('settings.enabledHint')}
            </p>
            <label className="ad-check">
              <input type="checkbox" checked={draft.always} onChange={(event) => change({ always: event.target.checked })} aria-describedby={`${id}-always-hint`} data-testid="chat-always" />
              {t('settings.always')}
            </label>
            <p className="form-hint" id={`${id}-always-hint`}>
              {t('settings.alwaysHint')}
            </p>
          </div>
          <Field id={`${id}-team`} label={t('settings.team')} field="groupId" problem={problem}>
            <select {...controlProps(`${id}-team`, problem, 'groupId')} value={draft.groupId} onChange={(event) => change({ groupId: event.target.value })} data-testid="chat-team">
              <option value="">{t('settings.noTeam')}</option>
              {(groups.data?.items ?? []).map((group) => (
                <option key={group.id} value={group.id}>
                  {group.name}
                </option>
              ))}
              {draft.groupId !== '' && groups.data !== undefined && !groups.data.items.some((group) => group.id === draft.groupId) && <option value={draft.groupId}>{draft.groupId}</option>}
            </select>
          </Field>
        </fieldset>

        <fieldset className="card cs-section">
          <legend>{t('settings.hours')}</legend>
          <Field id={`${id}-tz`} label={t('settings.timeZone')} field="timeZone" problem={problem} hint={t('settings.timeZoneHint')}>
            <input
              {...controlProps(`${id}-tz`, problem, 'timeZone', true)}
              value={draft.timeZone}
              list={`${id}-tz-list`}
              maxLength={64}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => change({ timeZone: event.target.value })}
              data-testid="chat-time-zone"
            />
          </Field>
          <datalist id={`${id}-tz-list`}>
            {timeZones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>

          <div
            className="cs-week"
            role="group"
            id={`${id}-weekly`}
            tabIndex={-1}
            aria-labelledby={`${id}-weekly-label`}
            aria-describedby={[`${id}-weekly-hint`, weeklyError !== undefined ? `${id}-weekly-error` : null].filter((part) => part !== null).join(' ')}
            data-testid="chat-weekly"
          >
            <p className="cs-label" id={`${id}-weekly-label`}>
              {t('settings.weekly')}
            </p>
            <p className="form-hint" id={`${id}-weekly-hint`}>
              {t('settings.weeklyHint')}
            </p>
            {weeklyError !== undefined && (
              <p className="form-field-error" id={`${id}-weekly-error`} data-testid="field-error" data-field="weeklyHours">
                {weeklyError}
              </p>
            )}
            <ul className="cs-days">
              {WEEKDAYS.map((day) => (
                <li key={day} className="cs-day" data-testid={`chat-day-${day}`}>
                  <span className="cs-day-name">{dayName(day)}</span>
                  <div className="cs-intervals">
                    {draft.days[day].length === 0 && <span className="muted">{t('settings.closed')}</span>}
                    {draft.days[day].map((interval, index) => {
                      const key = `interval-${day}-${index}`
                      const error = problem?.fields[key]
                      const base = `${id}-${interval.key}`
                      const invalid = error !== undefined ? true : undefined
                      const describedBy = error !== undefined ? `${base}-error` : undefined
                      return (
                        <div key={interval.key} className="cs-interval" data-testid="chat-interval">
                          <label className="visually-hidden" htmlFor={`${base}-start`}>
                            {t('settings.from', { day: dayName(day), n: index + 1 })}
                          </label>
                          <input
                            id={`${base}-start`}
                            type="time"
                            value={interval.start}
                            aria-invalid={invalid}
                            aria-describedby={describedBy}
                            onChange={(event) => changeInterval(day, interval.key, { start: event.target.value })}
                            data-testid="chat-interval-start"
                          />
                          <span aria-hidden="true">–</span>
                          <label className="visually-hidden" htmlFor={`${base}-end`}>
                            {t('settings.until', { day: dayName(day), n: index + 1 })}
                          </label>
                          <input
                            id={`${base}-end`}
                            type="time"
                            value={interval.end}
                            aria-invalid={invalid}
                            aria-describedby={describedBy}
                            onChange={(event) => changeInterval(day, interval.key, { end: event.target.value })}
                            data-testid="chat-interval-end"
                          />
                          <button
                            type="button"
                            className="ad-small-button"
                            aria-label={t('settings.removeIntervalNamed', { day: dayName(day), start: interval.start, end: interval.end })}
                            onClick={() => changeDay(day, draft.days[day].filter((item) => item.key !== interval.key))}
                            data-testid="chat-interval-remove"
                          >
                            {t('settings.removeInterval')}
                          </button>
                          {error !== undefined && (
                            <p className="form-field-error cs-interval-error" id={`${base}-error`} data-testid="field-error" data-field={key}>
                              {error}
                            </p>
                          )}
                        </div>
                      )
                    })}
                  </div>
                  <button
                    type="button"
                    className="ad-small-button"
                    aria-label={t('settings.addIntervalNamed', { day: dayName(day) })}
                    onClick={() => changeDay(day, [...draft.days[day], { key: nextKey++, start: '09:00', end: '18:00' }])}
                    data-testid="chat-interval-add"
                  >
                    {t('settings.addInterval')}
                  </button>
                </li>
              ))}
            </ul>
          </div>

          <Field id={`${id}-holidays`} label={t('settings.holidays')} field="holidays" problem={problem} hint={t('settings.holidaysHint')}>
            <textarea
              {...controlProps(`${id}-holidays`, problem, 'holidays', true)}
              value={draft.holidays}
              rows={4}
              spellCheck={false}
              onChange={(event) => change({ holidays: event.target.value })}
              data-testid="chat-holidays"
            />
          </Field>
        </fieldset>

        <fieldset className="card cs-section">
          <legend>{t('settings.originsTitle')}</legend>
          <Field id={`${id}-origins`} label={t('settings.origins')} field="allowedOrigins" problem={problem} hint={t('settings.originsHint')}>
            <textarea
              {...controlProps(`${id}-origins`, problem, 'allowedOrigins', true)}
              value={draft.allowedOrigins}
              rows={3}
              spellCheck={false}
              onChange={(event) => change({ allowedOrigins: event.target.value })}
              data-testid="chat-origins"
            />
          </Field>
        </fieldset>

        <fieldset className="card cs-section">
          <legend>{t('settings.texts')}</legend>
          <p className="form-hint">{t('settings.textsIntro')}</p>
          <div className="ad-form-grid">
            {LOCALES.map((locale) => (
              <div key={locale} className="stack">
                {(['greeting', 'offlineText'] as const).map((kind) => {
                  const fieldId = `${id}-${kind === 'greeting' ? 'greeting' : 'offline'}-${locale}`
                  const fallback = WIDGET_STATUS_TEXTS[locale][kind === 'greeting' ? 'online' : 'offline']
                  return (
                    <Field
                      key={kind}
                      id={fieldId}
                      label={t(`settings.${kind}`, { language: t(`settings.languages.${locale}`) })}
                      field={`${kind}-${locale}`}
                      problem={problem}
                      hint={
                        <>
                          {t('settings.defaultText')} <q lang={locale}>{fallback}</q>
                        </>
                      }
                    >
                      <textarea
                        {...controlProps(fieldId, problem, `${kind}-${locale}`, true)}
                        lang={locale}
                        rows={2}
                        maxLength={MAX_TEXT}
                        value={draft[kind][locale]}
                        onChange={(event) => change({ [kind]: { ...draft[kind], [locale]: event.target.value } })}
                        data-testid={`chat-${kind}-${locale}`}
                      />
                    </Field>
                  )
                })}
              </div>
            ))}
          </div>
        </fieldset>

        <div className="row">
          <button type="submit" className="button-primary" disabled={busy} data-testid="chat-settings-save">
            {t('settings.save')}
          </button>
        </div>
      </form>

      <EmbedSnippet />
    </section>
  )
}

/** The script tag that puts the widget on a page of this desk, with a copy button. */
function EmbedSnippet() {
  const { t } = useTranslation('chat')
  const id = useId()
  const code = useRef<HTMLElement>(null)
  const [message, setMessage] = useState('')
  const snippet = `<script src="${window.location.origin}/chat/widget.js" async></script>`

  async function copy() {
    try {
      await navigator.clipboard.writeText(snippet)
      setMessage(t('settings.embed.copied'))
    } catch {
      // Without clipboard access (an insecure origin, a refused permission) the code is selected instead.
      const selection = window.getSelection()
      if (code.current !== null && selection !== null) {
        const range = document.createRange()
        range.selectNodeContents(code.current)
        selection.removeAllRanges()
        selection.addRange(range)
      }
      setMessage(t('settings.embed.copyFailed'))
    }
  }

  return (
    <section className="card cs-section stack" aria-labelledby={`${id}-title`} data-testid="chat-embed">
      <h3 id={`${id}-title`}>{t('settings.embed.title')}</h3>
      <p className="form-hint">{t('settings.embed.intro')}</p>
      <pre className="cs-snippet">
        <code ref={code} data-testid="chat-embed-code">
          {snippet}
        </code>
      </pre>
      <div className="row">
        <button type="button" onClick={() => void copy()} data-testid="chat-embed-copy">
          {t('settings.embed.copy')}
        </button>
        <p className="muted" role="status" data-testid="chat-embed-copied">
          {message}
        </p>
      </div>
    </section>
  )
}
