import { type ChangeEvent, type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'
import { api } from '../../../api/client.ts'
import type { MinuteInterval, SlaCalendar, SlaPolicy } from '../../../api/types.ts'
import { type Problem, ProblemAlert } from '../../../components/portal-form.tsx'
import { useLoad } from '../../../components/use-load.ts'
import { ConfirmAction, EditorPanel, Notice } from '../admin-ui.tsx'
import { ListProblem } from '../users-page.tsx'
import {
  COMMON_TIME_ZONES,
  FieldError,
  PathField,
  WEEK_ORDER,
  describeSlaProblem,
  errorAt,
  formatIntervals,
  formatMinutes,
  invalidProps,
  parseMinutes,
  useProblemFocus,
  useSlaText,
  weekdayName,
} from './sla-form.tsx'

/** An interval as typed: two times of day. */
interface IntervalText {
  readonly start: string
  readonly end: string
}

interface CalendarDraft {
  name: string
  timeZone: string
  is24x7: boolean
  week: Record<number, IntervalText[]>
  customMakeUp: boolean
  makeUp: IntervalText[]
  holidays: string[]
  workdays: string[]
}

const toText = (intervals: readonly MinuteInterval[] | undefined): IntervalText[] =>
  (intervals ?? []).map(([start, end]) => ({ start: formatMinutes(start), end: formatMinutes(end) }))

/** New calendars start from the brief's default working day, Monday to Friday. */
const DEFAULT_DAY: readonly IntervalText[] = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '18:00' },
]

function draftOf(calendar: SlaCalendar | null): CalendarDraft {
  const week: Record<number, IntervalText[]> = {}
  for (const day of WEEK_ORDER) week[day] = calendar === null ? (day >= 1 && day <= 5 ? [...DEFAULT_DAY] : []) : toText(calendar.weeklyHours[String(day)])
  return {
    name: calendar?.name ?? '',
    timeZone: calendar?.timeZone ?? 'Asia/Shanghai',
    is24x7: calendar?.is24x7 ?? false,
    week,
    customMakeUp: calendar?.makeUpDayHours != null,
    makeUp: toText(calendar?.makeUpDayHours ?? undefined),
    holidays: [...(calendar?.holidays ?? [])],
    workdays: [...(calendar?.workdays ?? [])],
  }
}

/** Business calendars: working hours per weekday in a time zone, holidays and make-up working days (调休). */
export function CalendarsSection() {
  const { ta, tp, language } = useSlaText()
  const calendars = useLoad(() => api.get<{ items: SlaCalendar[] }>('/sla/calendars'), [])
  const policies = useLoad(() => api.get<{ items: SlaPolicy[] }>('/sla/policies'), [])
  const [editing, setEditing] = useState<SlaCalendar | 'new' | null>(null)
  const [notice, setNotice] = useState('')
  const [problem, setProblem] = useState<Problem | null>(null)
  const listAlertRef = useProblemFocus(problem)
  const open = (target: SlaCalendar | 'new') => {
    setNotice('')
    setProblem(null)
    setEditing(target)
  }
  const usedBy = (id: string) => (policies.data?.items ?? []).filter((policy) => policy.targets.some((target) => target.calendarId === id)).length

  async function remove(calendar: SlaCalendar) {
    setNotice('')
    setProblem(null)
    try {
      await api.delete(`/sla/calendars/${calendar.id}`)
      setNotice(ta('sla.calendars.deleted', { name: calendar.name }))
      if (editing !== null && editing !== 'new' && editing.id === calendar.id) setEditing(null)
      calendars.reload()
    } catch (caught) {
      setProblem(describeSlaProblem(caught, ta, tp))
    }
  }

  return (
    <section className="stack" aria-labelledby="sla-calendars-title" data-testid="sla-calendars">
      <div className="ad-section-head">
        <h3 id="sla-calendars-title">{ta('sla.sections.calendars')}</h3>
        <button type="button" className="button-primary" onClick={() => open('new')} data-testid="calendar-new">
          {ta('sla.calendars.new')}
        </button>
      </div>
      <p className="ad-intro muted">{ta('sla.calendars.intro')}</p>
      <Notice text={notice} />
      <div ref={listAlertRef}>
        <ProblemAlert problem={problem} showDetail />
      </div>
      {editing !== null && (
        <EditorPanel
          key={editing === 'new' ? 'new' : editing.id}
          title={editing === 'new' ? ta('sla.calendars.new') : ta('sla.calendars.edit', { name: editing.name })}
          onClose={() => setEditing(null)}
          testId="calendar-panel"
        >
          <CalendarEditor
            calendar={editing === 'new' ? null : editing}
            onSaved={(saved, created) => {
              setNotice(created ? ta('sla.calendars.created', { name: saved.name }) : ta('sla.calendars.saved', { name: saved.name }))
              setEditing(null)
              calendars.reload()
            }}
            onImported={() => calendars.reload()}
            onCancel={() => setEditing(null)}
          />
        </EditorPanel>
      )}
      <ListProblem error={calendars.error} />
      <div className="ad-table-scroll">
        <table className="ad-table" data-testid="calendars-table">
          <caption className="visually-hidden">{ta('sla.sections.calendars')}</caption>
          <thead>
            <tr>
              <th scope="col">{ta('sla.fields.name')}</th>
              <th scope="col">{ta('sla.fields.timeZone')}</th>
              <th scope="col">{ta('sla.calendars.hours')}</th>
              <th scope="col" className="ad-num">
                {ta('sla.fields.holidays')}
              </th>
              <th scope="col" className="ad-num">
                {ta('sla.fields.workdays')}
              </th>
              <th scope="col" className="ad-num">
                {ta('sla.calendars.usedBy')}
              </th>
              <th scope="col">
                <span className="visually-hidden">{ta('ui.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(calendars.data?.items ?? []).map((calendar) => (
              <tr key={calendar.id} data-testid="calendar-row" data-calendar-id={calendar.id}>
                <th scope="row">{calendar.name}</th>
                <td className="ad-nowrap">{calendar.timeZone}</td>
                <td>{calendar.is24x7 ? ta('sla.calendars.allDay') : <WeekSummary calendar={calendar} language={language} />}</td>
                <td className="ad-num">{calendar.is24x7 ? '—' : calendar.holidays.length}</td>
                <td className="ad-num">{calendar.is24x7 ? '—' : calendar.workdays.length}</td>
                <td className="ad-num">{policies.data === undefined ? '…' : usedBy(calendar.id)}</td>
                <td>
                  <span className="ad-row-actions">
                    <button type="button" className="ad-small-button" onClick={() => open(calendar)} aria-label={ta('ui.editNamed', { name: calendar.name })} data-testid="calendar-edit">
                      {ta('ui.edit')}
                    </button>
                    <ConfirmAction
                      label={ta('ui.delete')}
                      confirmLabel={ta('sla.confirmDelete')}
                      accessibleName={ta('sla.deleteNamed', { name: calendar.name })}
                      onConfirm={() => void remove(calendar)}
                      testId="calendar-delete"
                    />
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {calendars.data !== undefined && calendars.data.items.length === 0 && <p className="ad-empty">{ta('sla.calendars.none')}</p>}
    </section>
  )
}

const weekPosition = (day: number) => (WEEK_ORDER as readonly number[]).indexOf(day)

/** "Mon–Fri 09:00–12:00, 13:30–18:00": consecutive weekdays with the same hours read as one range. */
function WeekSummary({ calendar, language }: { calendar: SlaCalendar; language: string }) {
  const { ta } = useSlaText()
  const groups: { days: number[]; hours: string }[] = []
  for (const day of WEEK_ORDER) {
    const intervals = calendar.weeklyHours[String(day)] ?? []
    if (intervals.length === 0) continue
    const hours = formatIntervals(intervals, ta('ui.listSeparator'))
    const last = groups.at(-1)
    const previous = last?.days.at(-1)
    if (last !== undefined && last.hours === hours && previous !== undefined && weekPosition(previous) + 1 === weekPosition(day)) last.days.push(day)
    else groups.push({ days: [day], hours })
  }
  if (groups.length === 0) return <span className="muted">{ta('sla.calendars.noHours')}</span>
  return (
    <ul className="sla-plain-list">
      {groups.map((group) => {
        const first = group.days[0] ?? 0
        const last = group.days.at(-1) ?? first
        const days = first === last ? weekdayName(first, language, 'short') : `${weekdayName(first, language, 'short')}–${weekdayName(last, language, 'short')}`
        return (
          <li key={first}>
            {days} {group.hours}
          </li>
        )
      })}
    </ul>
  )
}

function CalendarEditor({
  calendar,
  onSaved,
  onImported,
  onCancel,
}: {
  calendar: SlaCalendar | null
  onSaved: (calendar: SlaCalendar, created: boolean) => void
  onImported: () => void
  onCancel: () => void
}) {
  const { ta, tp, language } = useSlaText()
  const [draft, setDraft] = useState<CalendarDraft>(() => draftOf(calendar))
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | null>(null)
  const alertRef = useProblemFocus(problem)
  const prefix = calendar === null ? 'cal-new' : `cal-${calendar.id}`
  const edit = (patch: Partial<CalendarDraft>) => setDraft((before) => ({ ...before, ...patch }))
  const zonesId = `${prefix}-zones`

  function intervalsOf(texts: readonly IntervalText[], path: string, errors: Record<string, string>): MinuteInterval[] {
    return texts.map((text, index) => {
      const start = parseMinutes(text.start)
      const end = parseMinutes(text.end)
      if (start === null || end === null) errors[`${path}/${index}`] = ta('sla.error.time')
      else if (start >= end) errors[`${path}/${index}`] = ta('sla.error.interval')
      return [start ?? 0, end ?? 0]
    })
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    const errors: Record<string, string> = {}
    if (draft.name.trim() === '') errors.name = tp('fieldError.blank')
    if (draft.timeZone.trim() === '') errors.timeZone = tp('fieldError.blank')
    const weeklyHours: Record<string, MinuteInterval[]> = {}
    for (const day of WEEK_ORDER) weeklyHours[String(day)] = intervalsOf(draft.week[day] ?? [], `weeklyHours/${day}`, errors)
    const makeUpDayHours = draft.customMakeUp ? intervalsOf(draft.makeUp, 'makeUpDayHours', errors) : null
    if (Object.keys(errors).length > 0) {
      setProblem({ code: 'VALIDATION', message: tp('problem.VALIDATION'), detail: null, fields: errors })
      return
    }
    const body = {
      name: draft.name.trim(),
      timeZone: draft.timeZone.trim(),
      is24x7: draft.is24x7,
      weeklyHours,
      makeUpDayHours,
      holidays: draft.holidays,
      workdays: draft.workdays,
    }
    setBusy(true)
    setProblem(null)
    try {
      const saved = calendar === null ? await api.post<SlaCalendar>('/sla/calendars', body) : await api.patch<SlaCalendar>(`/sla/calendars/${calendar.id}`, body)
      onSaved(saved, calendar === null)
    } catch (caught) {
      setProblem(describeSlaProblem(caught, ta, tp))
    } finally {
      setBusy(false)
    }
  }

  const labels: Record<string, { label: string; id: string }> = {
    name: { label: ta('sla.fields.name'), id: `${prefix}-name` },
    timeZone: { label: ta('sla.fields.timeZone'), id: `${prefix}-zone` },
    is24x7: { label: ta('sla.fields.is24x7'), id: `${prefix}-24x7` },
    holidays: { label: ta('sla.fields.holidays'), id: `${prefix}-holidays-add` },
    workdays: { label: ta('sla.fields.workdays'), id: `${prefix}-workdays-add` },
  }
  for (const day of WEEK_ORDER) {
    const name = weekdayName(day, language)
    labels[`weeklyHours/${day}`] = { label: name, id: `${prefix}-d${day}-add` }
    draft.week[day]?.forEach((_, index) => {
      labels[`weeklyHours/${day}/${index}`] = { label: ta('sla.calendars.intervalNamed', { day: name, index: index + 1 }), id: `${prefix}-d${day}-${index}-start` }
    })
  }
  draft.makeUp.forEach((_, index) => {
    labels[`makeUpDayHours/${index}`] = { label: ta('sla.calendars.intervalNamed', { day: ta('sla.fields.makeUpDayHours'), index: index + 1 }), id: `${prefix}-mu-${index}-start` }
  })

  return (
    <div className="stack">
      <form className="ad-form" onSubmit={submit} noValidate data-testid="calendar-form">
        <div ref={alertRef}>
          <ProblemAlert problem={problem} labels={labels} showDetail />
        </div>
        <div className="ad-form-grid">
          <PathField id={`${prefix}-name`} label={ta('sla.fields.name')} problem={problem} path="name">
            <input
              {...invalidProps(`${prefix}-name`, errorAt(problem, 'name'))}
              value={draft.name}
              maxLength={100}
              autoComplete="off"
              onChange={(event) => edit({ name: event.target.value })}
              data-testid="calendar-name"
            />
          </PathField>
          <PathField id={`${prefix}-zone`} label={ta('sla.fields.timeZone')} problem={problem} path="timeZone" hint={ta('sla.calendars.timeZoneHint')}>
            <input
              {...invalidProps(`${prefix}-zone`, errorAt(problem, 'timeZone'), `${prefix}-zone-hint`)}
              value={draft.timeZone}
              list={zonesId}
              maxLength={64}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => edit({ timeZone: event.target.value })}
              data-testid="calendar-timezone"
            />
            <datalist id={zonesId}>
              {COMMON_TIME_ZONES.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </PathField>
          <div className="form-field">
            <span className="sla-check-line">
              <input id={`${prefix}-24x7`} type="checkbox" checked={draft.is24x7} onChange={(event) => edit({ is24x7: event.target.checked })} data-testid="calendar-24x7" />
              <label htmlFor={`${prefix}-24x7`}>{ta('sla.fields.is24x7')}</label>
            </span>
            <p className="form-hint">{ta('sla.calendars.is24x7Hint')}</p>
          </div>
        </div>

        {!draft.is24x7 && (
          <>
            <fieldset className="ad-checks sla-week" data-testid="calendar-week">
              <legend>{ta('sla.fields.weeklyHours')}</legend>
              <p className="form-hint">{ta('sla.calendars.weeklyHint')}</p>
              {WEEK_ORDER.map((day) => (
                <IntervalsEditor
                  key={day}
                  idPrefix={`${prefix}-d${day}`}
                  name={weekdayName(day, language)}
                  intervals={draft.week[day] ?? []}
                  onChange={(intervals) => setDraft((before) => ({ ...before, week: { ...before.week, [day]: intervals } }))}
                  problem={problem}
                  path={`weeklyHours/${day}`}
                  testId={`calendar-day-${day}`}
                />
              ))}
            </fieldset>

            <fieldset className="ad-checks sla-week">
              <legend>{ta('sla.fields.makeUpDayHours')}</legend>
              <span className="sla-check-line">
                <input
                  id={`${prefix}-mu-custom`}
                  type="checkbox"
                  checked={draft.customMakeUp}
                  onChange={(event) => edit({ customMakeUp: event.target.checked, makeUp: event.target.checked && draft.makeUp.length === 0 ? [...DEFAULT_DAY] : draft.makeUp })}
                  data-testid="calendar-makeup-custom"
                />
                <label htmlFor={`${prefix}-mu-custom`}>{ta('sla.calendars.customMakeUp')}</label>
              </span>
              <p className="form-hint">{ta('sla.calendars.makeUpHint')}</p>
              {draft.customMakeUp && (
                <IntervalsEditor
                  idPrefix={`${prefix}-mu`}
                  name={ta('sla.fields.makeUpDayHours')}
                  intervals={draft.makeUp}
                  onChange={(makeUp) => edit({ makeUp })}
                  problem={problem}
                  path="makeUpDayHours"
                  testId="calendar-makeup"
                />
              )}
            </fieldset>

            <div className="ad-form-grid">
              <DateListEditor
                idPrefix={`${prefix}-holidays`}
                legend={ta('sla.fields.holidays')}
                hint={ta('sla.calendars.holidaysHint')}
                dates={draft.holidays}
                onChange={(holidays) => edit({ holidays })}
                problem={problem}
                path="holidays"
                testId="calendar-holidays"
              />
              <DateListEditor
                idPrefix={`${prefix}-workdays`}
                legend={ta('sla.fields.workdays')}
                hint={ta('sla.calendars.workdaysHint')}
                dates={draft.workdays}
                onChange={(workdays) => edit({ workdays })}
                problem={problem}
                path="workdays"
                testId="calendar-workdays"
              />
            </div>
          </>
        )}
        <div className="row">
          <button type="submit" className="button-primary" disabled={busy} data-testid="calendar-save">
            {calendar === null ? ta('ui.create') : ta('ui.save')}
          </button>
          <button type="button" onClick={onCancel}>
            {ta('ui.cancel')}
          </button>
        </div>
      </form>
      {calendar !== null && !draft.is24x7 && (
        <CalendarImport
          calendar={calendar}
          onImported={(imported) => {
            setDraft((before) => ({ ...before, holidays: imported.holidays, workdays: imported.workdays }))
            onImported()
          }}
        />
      )}
      {calendar === null && <p className="form-hint">{ta('sla.calendars.importAfterSave')}</p>}
    </div>
  )
}

/** The working intervals of one day: each a start and an end time, added and removed freely. */
function IntervalsEditor({
  idPrefix,
  name,
  intervals,
  onChange,
  problem,
  path,
  testId,
}: {
  idPrefix: string
  name: string
  intervals: readonly IntervalText[]
  onChange: (intervals: IntervalText[]) => void
  problem: Problem | null
  path: string
  testId: string
}) {
  const { ta } = useSlaText()
  const addRef = useRef<HTMLButtonElement>(null)
  const [focusIndex, setFocusIndex] = useState<number | null>(null)
  const list = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (focusIndex === null) return
    if (focusIndex < 0) addRef.current?.focus()
    else list.current?.querySelectorAll<HTMLInputElement>('input')[focusIndex * 2]?.focus()
    setFocusIndex(null)
  }, [focusIndex])
  const dayError = problem?.fields[path]
  const update = (index: number, patch: Partial<IntervalText>) => onChange(intervals.map((interval, i) => (i === index ? { ...interval, ...patch } : interval)))
  return (
    <div className="sla-day" role="group" aria-labelledby={`${idPrefix}-name`} data-testid={testId} ref={list}>
      <span className="sla-day-name" id={`${idPrefix}-name`}>
        {name}
      </span>
      <div className="sla-day-intervals">
        {intervals.length === 0 && <span className="muted">{ta('sla.calendars.closed')}</span>}
        {intervals.map((interval, index) => {
          const rowPath = `${path}/${index}`
          const error = problem?.fields[rowPath]
          const groupName = ta('sla.calendars.intervalNamed', { day: name, index: index + 1 })
          return (
            <div key={index} className="sla-interval" role="group" aria-label={groupName} data-testid="interval">
              <span className="sla-interval-row">
                <label className="visually-hidden" htmlFor={`${idPrefix}-${index}-start`}>
                  {ta('sla.calendars.start')}
                </label>
                <input
                  {...invalidProps(`${idPrefix}-${index}-start`, error)}
                  className="sla-time"
                  value={interval.start}
                  inputMode="numeric"
                  placeholder="09:00"
                  maxLength={5}
                  onChange={(event) => update(index, { start: event.target.value })}
                  data-testid="interval-start"
                />
                <span aria-hidden="true">–</span>
                <label className="visually-hidden" htmlFor={`${idPrefix}-${index}-end`}>
                  {ta('sla.calendars.end')}
                </label>
                <input
                  id={`${idPrefix}-${index}-end`}
                  aria-invalid={error !== undefined ? true : undefined}
                  aria-describedby={error !== undefined ? `${idPrefix}-${index}-start-error` : undefined}
                  className="sla-time"
                  value={interval.end}
                  inputMode="numeric"
                  placeholder="18:00"
                  maxLength={5}
                  onChange={(event) => update(index, { end: event.target.value })}
                  data-testid="interval-end"
                />
                <button
                  type="button"
                  className="ad-small-button"
                  onClick={() => {
                    onChange(intervals.filter((_, i) => i !== index))
                    setFocusIndex(intervals.length > 1 ? Math.min(index, intervals.length - 2) : -1)
                  }}
                  aria-label={ta('sla.calendars.removeInterval', { name: groupName })}
                  data-testid="interval-remove"
                >
                  {ta('sla.remove')}
                </button>
              </span>
              <FieldError id={`${idPrefix}-${index}-start`} message={error} path={rowPath} />
            </div>
          )
        })}
        {dayError !== undefined && <p className="form-field-error">{dayError}</p>}
      </div>
      <button
        type="button"
        ref={addRef}
        id={`${idPrefix}-add`}
        className="ad-small-button sla-add"
        disabled={intervals.length >= 12}
        onClick={() => {
          const last = intervals.at(-1)
          onChange([...intervals, last === undefined ? { start: '09:00', end: '18:00' } : { start: last.end, end: last.end }])
          setFocusIndex(intervals.length)
        }}
        aria-label={ta('sla.calendars.addIntervalNamed', { day: name })}
        data-testid="interval-add"
      >
        {ta('sla.calendars.addInterval')}
      </button>
    </div>
  )
}

/** A list of dates (holidays or make-up working days) with a date box to add one and a button to remove each. */
function DateListEditor({
  idPrefix,
  legend,
  hint,
  dates,
  onChange,
  problem,
  path,
  testId,
}: {
  idPrefix: string
  legend: string
  hint: string
  dates: readonly string[]
  onChange: (dates: string[]) => void
  problem: Problem | null
  path: string
  testId: string
}) {
  const { ta, language } = useSlaText()
  const [value, setValue] = useState('')
  const [message, setMessage] = useState('')
  const listRef = useRef<HTMLUListElement>(null)
  const inputRef = useRef<HTMLInputElement>(null)
  const [focusIndex, setFocusIndex] = useState<number | null>(null)
  const hintId = useId()
  const error = errorAt(problem, path)
  useEffect(() => {
    if (focusIndex === null) return
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('button')
    const target = focusIndex < 0 ? null : buttons?.[focusIndex]
    if (target != null) target.focus()
    else inputRef.current?.focus()
    setFocusIndex(null)
  }, [focusIndex])
  const sorted = [...dates].sort()
  const format = (date: string) => new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`))
  const weekday = (date: string) => new Intl.DateTimeFormat(language, { weekday: 'short', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`))

  function add() {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      setMessage(ta('sla.error.date'))
      return
    }
    if (dates.includes(value)) {
      setMessage(ta('sla.calendars.dateAlready', { date: format(value) }))
      return
    }
    onChange([...dates, value].sort())
    setMessage(ta('sla.calendars.dateAdded', { date: format(value) }))
    setValue('')
  }

  return (
    <fieldset className="ad-checks sla-dates" aria-describedby={`${hintId}${error !== undefined ? ` ${idPrefix}-error` : ''}`} data-testid={testId}>
      <legend>
        {legend} <span className="muted">({sorted.length})</span>
      </legend>
      <p className="form-hint" id={hintId}>
        {hint}
      </p>
      {sorted.length === 0 ? (
        <p className="muted sla-dates-empty">{ta('sla.calendars.noDates')}</p>
      ) : (
        <ul className="sla-date-list" ref={listRef}>
          {sorted.map((date, index) => (
            <li key={date} className="sla-date" data-testid="date-item" data-date={date}>
              <time dateTime={date}>{format(date)}</time> <span className="muted">{weekday(date)}</span>
              <button
                type="button"
                className="sla-date-remove"
                onClick={() => {
                  onChange(dates.filter((item) => item !== date))
                  setMessage(ta('sla.calendars.dateRemoved', { date: format(date) }))
                  setFocusIndex(sorted.length > 1 ? Math.min(index, sorted.length - 2) : -1)
                }}
                aria-label={ta('sla.calendars.removeDate', { date: format(date) })}
                data-testid="date-remove"
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="sla-date-add">
        <label htmlFor={`${idPrefix}-add`}>{ta('sla.calendars.addDate')}</label>
        <input
          id={`${idPrefix}-add`}
          ref={inputRef}
          type="date"
          value={value}
          onChange={(event) => setValue(event.target.value)}
          onKeyDown={(event: KeyboardEvent) => {
            if (event.key === 'Enter') {
              event.preventDefault()
              add()
            }
          }}
          data-testid="date-input"
        />
        <button type="button" className="ad-small-button" onClick={add} data-testid="date-add">
          {ta('sla.calendars.add')}
        </button>
      </div>
      <p className="visually-hidden" role="status">
        {message}
      </p>
      <FieldError id={idPrefix} message={error} path={path} />
    </fieldset>
  )
}

/** Holidays and make-up working days from an iCalendar feed (a file or pasted text), saved at once. */
function CalendarImport({ calendar, onImported }: { calendar: SlaCalendar; onImported: (calendar: SlaCalendar) => void }) {
  const { ta, tp } = useSlaText()
  const [text, setText] = useState('')
  const [fileName, setFileName] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState('')
  const [problem, setProblem] = useState<Problem | null>(null)
  const prefix = `cal-${calendar.id}-import`
  const alertRef = useProblemFocus(problem)

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0]
    if (file === undefined) return
    setFileName(file.name)
    setText(await file.text())
    setResult('')
  }

  async function runImport() {
    setResult('')
    if (text.trim() === '') {
      setProblem({ code: 'VALIDATION', message: tp('problem.VALIDATION'), detail: null, fields: { ics: ta('sla.calendars.importEmpty') } })
      return
    }
    setBusy(true)
    setProblem(null)
    try {
      const answer = await api.post<{ calendar: SlaCalendar; importedHolidays: number; importedWorkdays: number }>(`/sla/calendars/${calendar.id}/import`, { ics: text })
      setResult(ta('sla.calendars.imported', { holidays: answer.importedHolidays, workdays: answer.importedWorkdays }))
      onImported(answer.calendar)
    } catch (caught) {
      setProblem(describeSlaProblem(caught, ta, tp))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="sla-import" aria-labelledby={`${prefix}-title`} data-testid="calendar-import">
      <h4 id={`${prefix}-title`}>{ta('sla.calendars.importTitle')}</h4>
      <p className="form-hint">{ta('sla.calendars.importHint')}</p>
      <div ref={alertRef}>
        <ProblemAlert problem={problem} labels={{ ics: { label: ta('sla.calendars.importText'), id: `${prefix}-text` } }} showDetail />
      </div>
      <div className="ad-form-grid">
        <div className="form-field">
          <label htmlFor={`${prefix}-file`}>{ta('sla.calendars.importFile')}</label>
          <input id={`${prefix}-file`} type="file" accept=".ics,text/calendar" onChange={(event) => void readFile(event)} data-testid="calendar-import-file" />
          {fileName !== null && <p className="form-hint">{ta('sla.calendars.importFileRead', { name: fileName })}</p>}
        </div>
        <div className="form-field">
          <label htmlFor={`${prefix}-text`}>{ta('sla.calendars.importText')}</label>
          <textarea
            {...invalidProps(`${prefix}-text`, problem?.fields.ics)}
            rows={4}
            value={text}
            spellCheck={false}
            placeholder="BEGIN:VCALENDAR…"
            onChange={(event) => {
              setText(event.target.value)
              setFileName(null)
            }}
            data-testid="calendar-import-text"
          />
          <FieldError id={`${prefix}-text`} message={problem?.fields.ics} path="ics" />
        </div>
      </div>
      <div className="row">
        <button type="button" onClick={() => void runImport()} disabled={busy} data-testid="calendar-import-submit">
          {ta('sla.calendars.importButton')}
        </button>
        <p className={result === '' ? 'visually-hidden' : 'notice ad-notice'} role="status" data-testid="calendar-import-result">
          {result}
        </p>
      </div>
    </section>
  )
}
