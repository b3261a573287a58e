import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from 'react'
import { useTranslation } from 'react-i18next'

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

/**
 * A modal dialog: focus moves into it and stays there, Escape or the close button closes it,
 * and focus returns to whatever opened it.
 */
export function Dialog({ title, onClose, children, testId }: { title: string; onClose: () => void; children: ReactNode; testId?: string }) {
  const { t } = useTranslation('agent')
  const titleId = useId()
  const box = useRef<HTMLDivElement>(null)
  const closeRef = useRef(onClose)
  closeRef.current = onClose

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    const first = box.current?.querySelector('.ag-dialog-body')?.querySelector<HTMLElement>(FOCUSABLE) ?? box.current
    first?.focus()
    return () => opener?.focus()
  }, [])

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.stopPropagation()
      closeRef.current()
      return
    }
    if (event.key !== 'Tab' || box.current === null) return
    const items = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)]
    const first = items[0]
    const last = items[items.length - 1]
    if (first === undefined || last === undefined) return
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault()
      first.focus()
    }
  }

  return (
    <div className="ag-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div className="ag-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={box} tabIndex={-1} onKeyDown={onKeyDown} data-testid={testId}>
        <div className="ag-dialog-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="button-quiet" onClick={onClose} aria-label={t('dialog.close')} data-testid="dialog-close">
            <span aria-hidden="true">×</span>
          </button>
        </div>
        <div className="ag-dialog-body">{children}</div>
      </div>
    </div>
  )
}
