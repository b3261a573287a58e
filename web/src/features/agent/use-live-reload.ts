import { useEffect, useRef } from 'react'
import { type LiveEvent, useLiveEvents } from '../../api/live.ts'

/**
 * Calls `reload` shortly after live events that `matches` accepts. A burst of events (a bulk
 * transfer writes many) becomes one reload, still well within a second of the change.
 */
export function useLiveReload(matches: (event: LiveEvent) => boolean, reload: () => void, delayMs = 150): void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const reloadRef = useRef(reload)
  reloadRef.current = reload
  useLiveEvents((event) => {
    if (!matches(event) || timer.current !== null) return
    timer.current = setTimeout(() => {
      timer.current = null
      reloadRef.current()
    }, delayMs)
  })
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current)
    },
    [],
  )
}

/** Any change to any ticket: queues and counts depend on all of them. */
export function isTicketEvent(event: LiveEvent): boolean {
  return event.ticketId !== null || event.entityType === 'ticket'
}
