import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { Dialog } from './dialog.tsx'

/** Whether the person is typing, so a letter is text and not a command. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || target.closest('input, textarea, select, [contenteditable="true"]') !== null
}

/**
 * Single-key shortcuts for the page (`j`, `k`, `?` …), ignored while typing, with a modifier
 * held, or while a dialog is open (the dialog has the keyboard then). A handler that returns
 * `false` leaves the key to the browser.
 */
export function useShortcuts(bindings: Readonly<Record<string, (event: KeyboardEvent) => void | false>>): void {
  const ref = useRef(bindings)
  ref.current = bindings
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return
      if (document.querySelector('[aria-modal="true"]') !== null) return
      const handler = ref.current[event.key]
      if (handler === undefined || handler(event) === false) return
      event.preventDefault()
    }
    document.addEventListener('keydown', onKeyDown)
    return () => document.removeEventListener('keydown', onKeyDown)
  }, [])
}

export interface ShortcutHelpItem {
  readonly keys: readonly string[]
  /** Key of the description in the agent namespace. */
  readonly label: string
}

/** The list of shortcuts of a page, opened with `?`. */
export function ShortcutsHelp({ items, onClose }: { items: readonly ShortcutHelpItem[]; onClose: () => void }) {
  const { t } = useTranslation('agent')
  const all: readonly ShortcutHelpItem[] = [...items, { keys: ['?'], label: 'shortcuts.help' }, { keys: ['Esc'], label: 'shortcuts.closeDialog' }]
  return (
    <Dialog title={t('shortcuts.title')} onClose={onClose} testId="shortcuts-help">
      <table className="ag-shortcuts">
        <thead>
          <tr>
            <th scope="col">{t('shortcuts.key')}</th>
            <th scope="col">{t('shortcuts.action')}</th>
          </tr>
        </thead>
        <tbody>
          {all.map((item) => (
            <tr key={item.label}>
              <td>
                {item.keys.map((key, index) => (
                  <span key={key}>
                    {index > 0 && ` ${t('shortcuts.or')} `}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </td>
              <td>{t(item.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t('shortcuts.typingNote')}</p>
    </Dialog>
  )
}
