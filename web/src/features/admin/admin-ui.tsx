import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'

/**
 * The card in which a record is created or edited. Its heading takes the focus when it
 * opens; Escape or the close button closes it and focus goes back where it came from.
 */
export function EditorPanel({ title, onClose, children, testId }: { title: string; onClose: () => void; children: ReactNode; testId?: string }) {
  const { t } = useTranslation('admin')
  const headingId = useId()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    heading.current?.focus()
    return () => {
      if (opener !== null && opener.isConnected) opener.focus()
    }
  }, [])
  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.stopPropagation()
      onClose()
    }
  }
  return (
    <section className="card ad-panel" aria-labelledby={headingId} onKeyDown={onKeyDown} data-testid={testId}>
      <div className="ad-panel-head">
        <h3 id={headingId} ref={heading} tabIndex={-1}>
          {title}
        </h3>
        <button type="button" className="button-quiet ad-close" onClick={onClose} aria-label={t('ui.closePanel')} data-testid="panel-close">
          <span aria-hidden="true">×</span>
        </button>
      </div>
      {children}
    </section>
  )
}

/** A button that asks once more before doing something hard to undo (no browser dialogs). */
export function ConfirmAction({
  label,
  confirmLabel,
  onConfirm,
  testId,
  disabled = false,
  accessibleName,
}: {
  label: string
  confirmLabel: string
  onConfirm: () => void
  testId: string
  disabled?: boolean
  /** A fuller name for screen readers, e.g. "Delete category Printers". */
  accessibleName?: string
}) {
  const { t } = useTranslation('admin')
  const [armed, setArmed] = useState(false)
  const confirmRef = useRef<HTMLButtonElement>(null)
  const startRef = useRef<HTMLButtonElement>(null)
  const wasArmed = useRef(false)
  useEffect(() => {
    if (armed) confirmRef.current?.focus()
    else if (wasArmed.current) startRef.current?.focus()
    wasArmed.current = armed
  }, [armed])
  if (!armed) {
    return (
      <button type="button" ref={startRef} className="ad-small-button" onClick={() => setArmed(true)} disabled={disabled} aria-label={accessibleName} data-testid={testId}>
        {label}
      </button>
    )
  }
  return (
    <span className="ad-confirm">
      <button
        type="button"
        ref={confirmRef}
        className="button-danger ad-small-button"
        onClick={() => {
          setArmed(false)
          onConfirm()
        }}
        data-testid={`${testId}-confirm`}
      >
        {confirmLabel}
      </button>
      <button type="button" className="ad-small-button" onClick={() => setArmed(false)} data-testid={`${testId}-cancel`}>
        {t('ui.cancel')}
      </button>
    </span>
  )
}

/** Previous / next through a list the API pages with offset and limit. */
export function Pager({ offset, limit, total, onChange }: { offset: number; limit: number; total: number; onChange: (offset: number) => void }) {
  const { t } = useTranslation('admin')
  if (total === 0) return null
  return (
    <nav className="ad-pager" aria-label={t('ui.pages')}>
      <p role="status">{t('ui.range', { from: offset + 1, to: Math.min(total, offset + limit), total })}</p>
      {total > limit && (
        <span className="row">
          <button type="button" onClick={() => onChange(Math.max(0, offset - limit))} disabled={offset === 0} data-testid="page-previous">
            {t('ui.previous')}
          </button>
          <button type="button" onClick={() => onChange(offset + limit)} disabled={offset + limit >= total} data-testid="page-next">
            {t('ui.next')}
          </button>
        </span>
      )}
    </nav>
  )
}

/** A search box that reports what was typed after a short pause. */
export function SearchBox({ label, onSearch, testId }: { label: string; onSearch: (q: string) => void; testId: string }) {
  const id = useId()
  const [text, setText] = useState('')
  const report = useRef(onSearch)
  report.current = onSearch
  const first = useRef(true)
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    const timer = setTimeout(() => report.current(text.trim()), 300)
    return () => clearTimeout(timer)
  }, [text])
  return (
    <div className="form-field ad-search">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="search" value={text} maxLength={100} onChange={(event) => setText(event.target.value)} data-testid={testId} />
    </div>
  )
}

/** A set of checkboxes for a multi-valued field, with its legend and an error line. */
export function CheckboxGroup<V extends string>({
  legend,
  options,
  value,
  onChange,
  error,
  testId,
  hint,
  emptyText,
}: {
  legend: string
  options: readonly { value: V; label: string }[]
  value: readonly V[]
  onChange: (value: V[]) => void
  error?: string
  testId: string
  hint?: string
  emptyText?: string
}) {
  const id = useId()
  const describedBy = [hint !== undefined ? `${id}-hint` : null, error !== undefined ? `${id}-error` : null].filter((part) => part !== null).join(' ')
  return (
    <fieldset className="ad-checks" aria-describedby={describedBy === '' ? undefined : describedBy} aria-invalid={error !== undefined ? true : undefined} data-testid={testId}>
      <legend>{legend}</legend>
      {options.length === 0 && emptyText !== undefined && <p className="form-hint">{emptyText}</p>}
      <div className="ad-checks-list">
        {options.map((option) => (
          <label key={option.value} className="ad-check">
            <input
              type="checkbox"
              value={option.value}
              checked={value.includes(option.value)}
              onChange={(event) => onChange(event.target.checked ? [...value, option.value] : value.filter((item) => item !== option.value))}
            />{' '}
            {option.label}
          </label>
        ))}
      </div>
      {hint !== undefined && (
        <p className="form-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p className="form-field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  )
}

/** A polite line that says what just happened ("Saved."), read out by screen readers. */
export function Notice({ text }: { text: string }) {
  return (
    <p className={text === '' ? 'visually-hidden' : 'notice ad-notice'} role="status" data-testid="admin-notice">
      {text}
    </p>
  )
}
