import type {} from '@fastify/websocket'
import type { FastifyInstance } from 'fastify'
import type { EventFeed } from '../../services/live/event-feed.ts'
import { actorOf } from '../auth.ts'

/** Seconds between pings; a client that misses one is dropped. */
const PING_INTERVAL_MS = 30_000

/**
 * `GET /api/v1/live` (WebSocket): the signed-in person is told, within moments of the commit,
 * of every change to a ticket or record they may see — `{ "kind": "event", "type",
 * "ticketId", "entityType", "entityId", "id", "occurredAt" }`. Clients read the changed
 * record through the API, so the socket carries no data the API would not give them.
 */
export function registerLiveRoute(app: FastifyInstance, feed: EventFeed): void {
  app.get('/api/v1/live', { websocket: true, schema: { hide: true } }, (socket, request) => {
    const origin = request.headers.origin
    if (origin !== undefined && new URL(origin).host !== request.headers.host) {
      // A page of another site must not open a socket with this site's cookie.
      socket.close(4403, 'origin not allowed')
      return
    }
    const actor = actorOf(request)
    const unsubscribe = feed.subscribe(actor, (event) => socket.send(JSON.stringify({ kind: 'event', ...event })))
    let alive = true
    socket.on('pong', () => {
      alive = true
    })
    const ping = setInterval(() => {
      if (!alive) {
        socket.terminate()
        return
      }
      alive = false
      socket.ping()
    }, PING_INTERVAL_MS)
    socket.on('close', () => {
      clearInterval(ping)
      unsubscribe()
    })
    socket.on('message', () => {
      // The feed is one-way; a client that talks is ignored rather than trusted.
    })
    socket.send(JSON.stringify({ kind: 'ready' }))
  })
  app.addHook('onClose', async () => feed.stop())
}
