import type { WebSocket } from 'ws'
import { type FrameError, frameBudget, isOriginAllowed, parseVisitorFrame } from '../../domain/chat/chat-rules.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import type { ServiceDeps } from '../../services/deps.ts'
import { type VisitorSession, identifyVisitor, openChat, postVisitorMessage, touchSession } from './chat-conversation.ts'
import type { ChatHub, ChatPeer } from './chat-hub.ts'
import { loadChatSettings } from './chat-settings.ts'

/** Largest frame read, in bytes (a 4,000-character message in Chinese is about 12 kB); the socket layer refuses larger ones. */
export const MAX_VISITOR_FRAME_BYTES = 14 * 1024
/** Frames a visitor may send in a window, and the window. */
const FRAME_LIMIT = 40
const FRAME_WINDOW_MS = 10_000
/** A socket that has not said hello by then is closed. */
const HELLO_TIMEOUT_MS = 10_000
const PING_INTERVAL_MS = 30_000

/**
 * One visitor's socket: `hello` first, then `message`, `typing` and `identify` frames, each
 * handled in order. Bad frames get `error {code, field?}` and write nothing; a socket that
 * floods is closed.
 */
export function handleVisitorSocket(deps: ServiceDeps, hub: ChatHub, socket: WebSocket, origin: string | undefined, onError: (error: unknown) => void): void {
  let session: VisitorSession | null = null
  let closed = false
  let overBudget = 0
  const withinBudget = frameBudget(FRAME_LIMIT, FRAME_WINDOW_MS)
  const peer: ChatPeer = { send: (frame) => send(frame) }
  let queue: Promise<void> = Promise.resolve()

  function send(frame: object): void {
    if (!closed && socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame))
  }
  function refuse(error: FrameError): void {
    send({ type: 'error', code: error.code, ...(error.field !== undefined ? { field: error.field } : {}) })
  }
  function join(ticketId: string | null): void {
    if (ticketId === null || closed) return
    hub.addVisitor(ticketId, peer)
    void hub.publish({ kind: 'presence', ticketId, online: true }).catch(onError)
  }

  const helloTimer = setTimeout(() => {
    if (session === null) socket.close(4408, 'hello expected')
  }, HELLO_TIMEOUT_MS)
  let alive = true
  socket.on('pong', () => {
    alive = true
  })
  const ping = setInterval(() => {
    if (!alive) return socket.terminate()
    alive = false
    socket.ping()
  }, PING_INTERVAL_MS)

  socket.on('close', () => {
    closed = true
    clearTimeout(helloTimer)
    clearInterval(ping)
    const ticketId = session?.ticketId ?? null
    if (ticketId !== null) {
      hub.removeVisitor(ticketId, peer)
      if (!hub.hasVisitor(ticketId)) void hub.publish({ kind: 'presence', ticketId, online: false }).catch(onError)
      void touchSession(deps, session as VisitorSession).catch(onError)
    }
  })

  socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    if (!withinBudget(Date.now())) {
      // A widget never sends this fast; after repeated warnings the socket goes.
      if (++overBudget > FRAME_LIMIT) socket.close(1008, 'too many frames')
      else refuse({ code: 'rate_limited' })
      return
    }
    const size = Array.isArray(data) ? data.reduce((sum, part) => sum + part.length, 0) : data.byteLength
    if (isBinary || size > MAX_VISITOR_FRAME_BYTES) return refuse({ code: isBinary ? 'bad_frame' : 'too_long' })
    let value: unknown
    try {
      value = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'))
    } catch {
      return refuse({ code: 'bad_frame' })
    }
    const parsed = parseVisitorFrame(value)
    if ('error' in parsed) return refuse(parsed.error)
    const { frame } = parsed
    queue = queue.then(async () => {
      if (closed) return
      try {
        if (frame.type === 'hello') {
          if (session !== null) return refuse({ code: 'invalid', field: 'type' })
          const settings = await loadChatSettings(deps.db)
          if (!isOriginAllowed(origin, settings.allowedOrigins)) {
            socket.close(4403, 'origin not allowed')
            return
          }
          const opened = await openChat(deps, frame)
          session = opened.session
          clearTimeout(helloTimer)
          send(opened.welcome)
          join(session.ticketId)
          return
        }
        if (session === null) return refuse({ code: 'required', field: 'hello' })
        if (frame.type === 'message') {
          const before = session.ticketId
          const posted = await postVisitorMessage(deps, session, frame)
          session = posted.session
          if (before === null && session.ticketId !== null) join(session.ticketId)
          else if (before !== null && session.ticketId !== before) {
            // The old ticket was closed and this message opened a new one.
            hub.removeVisitor(before, peer)
            join(session.ticketId)
          }
          send(posted.ack)
          if (posted.ticketCreated && !session.identified) send({ type: 'ask_identity' })
          return
        }
        if (frame.type === 'identify') {
          const identified = await identifyVisitor(deps, session, frame)
          session = identified.session
          send({ type: 'identified' })
          return
        }
        if (session.ticketId !== null) await hub.publish({ kind: 'typing', ticketId: session.ticketId, from: 'visitor', on: frame.on })
      } catch (error) {
        if (error instanceof AppError && error.code === 'VALIDATION') return refuse({ code: 'invalid', ...(error.fields?.[0] !== undefined ? { field: error.fields[0].field } : {}) })
        if (error instanceof AppError && error.code === 'CONFLICT') return refuse({ code: 'conflict' })
        onError(error)
        send({ type: 'error', code: 'internal' })
      }
    })
  })
}
