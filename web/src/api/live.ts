import { useEffect, useRef } from 'react'

/** A change announced by the server: clients re-read what they show through the API. */
export interface LiveEvent {
  readonly kind: 'event'
  readonly id: string
  readonly type: string
  readonly entityType: string
  readonly entityId: string
  readonly ticketId: string | null
  readonly occurredAt: string
}

type Handler = (event: LiveEvent) => void

const handlers = new Set<Handler>()
let socket: WebSocket | null = null
let retry = 0
let wanted = false

function connect(): void {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/live`
  const ws = new WebSocket(url)
  socket = ws
  ws.onmessage = (message) => {
    const data = JSON.parse(String(message.data)) as { kind: string }
    if (data.kind === 'ready') retry = 0
    if (data.kind === 'event') for (const handler of handlers) handler(data as LiveEvent)
  }
  ws.onclose = () => {
    socket = null
    if (!wanted) return
    // Back off up to 10 s; the first retry is fast so a server restart is barely noticed.
    const delay = Math.min(10_000, 250 * 2 ** retry++)
    setTimeout(() => wanted && socket === null && connect(), delay)
  }
}

/** Opens the live socket while someone is signed in. */
export function startLive(): void {
  wanted = true
  if (socket === null) connect()
}

export function stopLive(): void {
  wanted = false
  socket?.close()
  socket = null
}

/** Calls `handler` for every live event while the component is mounted. */
export function useLiveEvents(handler: Handler): void {
  const ref = useRef(handler)
  ref.current = handler
  useEffect(() => {
    const listener: Handler = (event) => ref.current(event)
    handlers.add(listener)
    return () => {
      handlers.delete(listener)
    }
  }, [])
}
