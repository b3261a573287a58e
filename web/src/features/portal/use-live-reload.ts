import { useEffect, useRef } from 'react'
import { type LiveEvent, useLiveEvents } from '../../api/live.ts'

/**
 * Calls `reload` shortly after a live event that `matches` accepts; a burst of events
 * (a reply with a status change writes several) becomes one reload, well within a second.
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

/** Any change to a ticket (the API only announces the customer's own). */
export function isTicketEvent(event: LiveEvent): boolean {
  return event.ticketId !== null || event.entityType === 'ticket'
}
