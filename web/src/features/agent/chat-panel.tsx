import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'

/** What the agent's chat panel shows about the visitor of a chat ticket. */
export interface ChatLinkState {
  readonly connected: boolean
  readonly hasSession: boolean
  readonly online: boolean
  readonly visitorTyping: boolean
  readonly identified: boolean
  readonly pageUrl: string | null
}

export interface ChatLink {
  readonly state: ChatLinkState
  /** Tells the visitor the agent is typing (throttled by the server). */
  readonly typing: () => void
  readonly askIdentity: () => void
}

const INITIAL: ChatLinkState = { connected: false, hasSession: false, online: false, visitorTyping: false, identified: false, pageUrl: null }
/** A "typing" with no follow-up is dropped after this long. */
const TYPING_SHOWN_MS = 6000

/**
 * The agent's side of a web chat (`/api/v1/chat/agent-socket`): the visitor's presence and
 * typing come in; the agent's typing and a request for contact details go out. Replies go
 * through the ticket's ordinary reply editor. No socket for tickets of other channels.
 */
export function useChatLink(ticketId: string | null): ChatLink {
  const [state, setState] = useState<ChatLinkState>(INITIAL)
  const socket = useRef<WebSocket | null>(null)
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const lastTyping = useRef(0)

  useEffect(() => {
    if (ticketId === null) return
    let stopped = false
    let retry = 0
    let timer: ReturnType<typeof setTimeout> | null = null
    const connect = () => {
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/chat/agent-socket?ticketId=${encodeURIComponent(ticketId)}`)
      socket.current = ws
      ws.onmessage = (message) => {
        const frame = JSON.parse(String(message.data)) as { type: string; on?: boolean; online?: boolean; from?: string; hasSession?: boolean; identified?: boolean; pageUrl?: string | null }
        if (frame.type === 'state') {
          retry = 0
          setState((current) => ({ ...current, connected: true, hasSession: frame.hasSession === true, identified: frame.identified === true, pageUrl: frame.pageUrl ?? null }))
        } else if (frame.type === 'presence') {
          setState((current) => ({ ...current, online: frame.online === true, visitorTyping: frame.online === true && current.visitorTyping }))
        } else if (frame.type === 'typing' && frame.from === 'visitor') {
          if (typingTimer.current !== null) clearTimeout(typingTimer.current)
          setState((current) => ({ ...current, visitorTyping: frame.on === true, online: true }))
          if (frame.on === true) typingTimer.current = setTimeout(() => setState((current) => ({ ...current, visitorTyping: false })), TYPING_SHOWN_MS)
        }
      }
      ws.onclose = () => {
        socket.current = null
        setState((current) => ({ ...current, connected: false }))
        if (stopped) return
        timer = setTimeout(connect, Math.min(10_000, 500 * 2 ** retry++))
      }
    }
    connect()
    return () => {
      stopped = true
      if (timer !== null) clearTimeout(timer)
      if (typingTimer.current !== null) clearTimeout(typingTimer.current)
      socket.current?.close()
      socket.current = null
      setState(INITIAL)
    }
  }, [ticketId])

  const send = (frame: object) => {
    if (socket.current?.readyState === WebSocket.OPEN) socket.current.send(JSON.stringify(frame))
  }
  const typing = useCallback(() => {
    const now = Date.now()
    if (now - lastTyping.current < 1500) return
    lastTyping.current = now
    send({ type: 'typing', on: true })
  }, [])
  const askIdentity = useCallback(() => send({ type: 'ask_identity' }), [])
  return { state, typing, askIdentity }
}

/** Beside a chat ticket: whether the visitor is here and typing, where they are, and a button to ask who they are. */
export function ChatPanel({ link, onIdentityAsked }: { link: ChatLink; onIdentityAsked?: () => void }) {
  const { t } = useTranslation('chat')
  const { state } = link
  const [asked, setAsked] = useState(false)
  return (
    <section className="card" aria-labelledby="chat-panel-title" data-testid="chat-panel">
      <h2 id="chat-panel-title">{t('panel.title')}</h2>
      <p role="status" data-testid="chat-visitor-presence" data-online={state.online ? 'true' : 'false'}>
        <span className={state.online ? 'badge' : 'badge muted'}>{state.online ? t('panel.online') : t('panel.offline')}</span>
      </p>
      <p aria-live="polite" className="muted ag-small" data-testid="chat-visitor-typing">
        {state.visitorTyping ? t('panel.typing') : ''}
      </p>
      {state.pageUrl !== null && (
        <p className="muted ag-small">
          {t('panel.page')} <span data-testid="chat-page-url">{state.pageUrl}</span>
        </p>
      )}
      <p className="muted ag-small">{state.identified ? t('panel.identified') : t('panel.anonymous')}</p>
      {!state.identified && state.hasSession && (
        <button
          type="button"
          disabled={!state.online || asked}
          onClick={() => {
            link.askIdentity()
            setAsked(true)
            onIdentityAsked?.()
          }}
          data-testid="chat-ask-identity"
        >
          {asked ? t('panel.asked') : t('panel.askIdentity')}
        </button>
      )}
      {!state.connected && <p className="muted ag-small">{t('panel.connecting')}</p>}
    </section>
  )
}
