/**
 * The Loopdesk chat widget: one script tag on any site,
 * `<script src="https://desk.example.com/chat/widget.js" data-locale="zh-CN" async></script>`.
 * No dependencies; everything lives in a Shadow DOM so the host page's CSS neither leaks in
 * nor is touched. Talks to the desk over a WebSocket (`/api/v1/chat/socket`); keeps its resume
 * token and unacknowledged messages in localStorage, so a reload or a dropped connection
 * resumes the same conversation and resends what was not stored, under the same client id.
 */

import { WIDGET_STATUS_TEXTS } from './widget-texts.ts'

type Locale = 'zh-CN' | 'en'

const STRINGS = {
  'zh-CN': {
    launcher: '在线客服',
    title: '在线客服',
    close: '关闭对话窗口',
    ...WIDGET_STATUS_TEXTS['zh-CN'],
    connecting: '正在连接…',
    reconnecting: '连接中断，正在重新连接…',
    log: '对话记录',
    you: '我',
    agent: '客服',
    sending: '发送中…',
    agentTyping: '客服正在输入…',
    agentTypingNamed: '{name} 正在输入…',
    message: '输入消息',
    send: '发送',
    identifyIntro: '方便留下联系方式吗？这样我们可以在您离开后继续跟进。',
    name: '姓名（可选）',
    email: '电子邮箱',
    phone: '手机号码',
    save: '提交',
    skip: '跳过',
    identified: '谢谢，我们已记下您的联系方式。',
    offlineMessage: '留言内容',
    offlineSubmit: '提交留言',
    offlineThanks: '留言已收到，工单号 {number}。我们会尽快回复。',
    needContact: '请填写电子邮箱或手机号码。',
    invalid: '请检查填写的内容。',
    tooLong: '消息太长了。',
    failed: '出错了，请稍后再试。',
    empty: '有什么可以帮您？',
  },
  en: {
    launcher: 'Chat with us',
    title: 'Customer service',
    close: 'Close the chat window',
    ...WIDGET_STATUS_TEXTS.en,
    connecting: 'Connecting…',
    reconnecting: 'Connection lost, reconnecting…',
    log: 'Conversation',
    you: 'You',
    agent: 'Agent',
    sending: 'Sending…',
    agentTyping: 'The agent is typing…',
    agentTypingNamed: '{name} is typing…',
    message: 'Your message',
    send: 'Send',
    identifyIntro: 'Could you leave your contact details, so we can follow up after you leave?',
    name: 'Name (optional)',
    email: 'E-mail',
    phone: 'Mobile phone',
    save: 'Submit',
    skip: 'Skip',
    identified: 'Thank you, we have your contact details.',
    offlineMessage: 'Your message',
    offlineSubmit: 'Send message',
    offlineThanks: 'Message received, ticket {number}. We will reply soon.',
    needContact: 'Please give an e-mail address or a phone number.',
    invalid: 'Please check what you entered.',
    tooLong: 'The message is too long.',
    failed: 'Something went wrong, please try again later.',
    empty: 'How can we help?',
  },
} as const

type StringKey = keyof (typeof STRINGS)['en']

interface Line {
  id: string | null
  clientId: string | null
  from: 'visitor' | 'agent'
  text: string
  authorName?: string
  pending: boolean
}

interface Pending {
  clientId: string
  text: string
}

const TOKEN_KEY = 'loopdesk-chat-token'
const PENDING_KEY = 'loopdesk-chat-pending'
const TYPING_SEND_MS = 2000
const TYPING_IDLE_MS = 3000
const AGENT_TYPING_SHOWN_MS = 6000
const MAX_TEXT = 4000

const WIDGET_CSS = `
:host { all: initial; }
[hidden] { display: none !important; }
* { box-sizing: border-box; font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; }
.launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; border: 0; border-radius: 24px; padding: 12px 18px;
  background: #1f5fbf; color: #fff; font-size: 15px; cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.25); }
.launcher:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
.panel { position: fixed; right: 20px; bottom: 80px; z-index: 2147483000; width: min(360px, calc(100vw - 40px)); height: min(520px, calc(100vh - 120px));
  display: flex; flex-direction: column; background: #fff; color: #1d2330; border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.3); overflow: hidden; font-size: 14px; }
.panel[hidden] { display: none; }
header { display: flex; align-items: center; justify-content: space-between; background: #1f5fbf; color: #fff; padding: 10px 14px; }
header h2 { margin: 0; font-size: 16px; }
header button { background: transparent; color: #fff; border: 0; font-size: 20px; cursor: pointer; line-height: 1; }
.status { margin: 0; padding: 6px 14px; background: #eef3fb; color: #23406e; font-size: 13px; }
.scroller { flex: 1; overflow-y: auto; }
.log { list-style: none; margin: 0; padding: 12px; display: flex; flex-direction: column; gap: 8px; }
.log li { max-width: 85%; padding: 8px 10px; border-radius: 10px; white-space: pre-wrap; overflow-wrap: anywhere; }
.log li.visitor { align-self: flex-end; background: #1f5fbf; color: #fff; }
.log li.agent { align-self: flex-start; background: #eef0f4; color: #1d2330; }
.log li .who { display: block; font-size: 11px; opacity: .85; margin-bottom: 2px; }
.log li .state { display: block; font-size: 11px; opacity: .85; }
.empty { color: #4a5568; text-align: center; margin-top: 20px; }
.typing { margin: 0; padding: 0 14px 4px; min-height: 18px; font-size: 12px; color: #4a5568; }
form { display: flex; flex-direction: column; gap: 6px; padding: 10px 14px; border-top: 1px solid #e2e6ee; }
form.compose { flex-direction: row; align-items: flex-end; }
label { font-size: 12px; color: #2d3748; }
input, textarea { width: 100%; font-size: 14px; padding: 7px 8px; border: 1px solid #8a94a6; border-radius: 6px; color: #1d2330; background: #fff; }
textarea { resize: none; }
.compose textarea { flex: 1; height: 40px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
button.primary { background: #1f5fbf; color: #fff; border: 0; border-radius: 6px; padding: 8px 14px; font-size: 14px; cursor: pointer; }
button.quiet { background: transparent; color: #23406e; border: 1px solid #8a94a6; border-radius: 6px; padding: 7px 12px; cursor: pointer; }
.row { display: flex; gap: 8px; }
.notice { margin: 0; font-size: 13px; color: #23406e; }
.error { margin: 0; font-size: 13px; color: #a4161a; }
.offline { overflow-y: auto; }
`

// Read while the script runs: it is null later, in event handlers.
const ownScript = document.currentScript as HTMLScriptElement | null

function start(): void {
  const script = ownScript ?? document.querySelector<HTMLScriptElement>('script[src*="/chat/widget.js"]')
  if (script === null || document.getElementById('loopdesk-chat') !== null) return
  const base = new URL(script.src, location.href)
  const requested = script.dataset.locale ?? navigator.language ?? 'zh-CN'
  const locale: Locale = requested.toLowerCase().startsWith('en') ? 'en' : 'zh-CN'
  const strings = STRINGS[locale]
  const t = (key: StringKey, values: Record<string, string> = {}) => strings[key].replace(/\{(\w+)\}/g, (_m, name: string) => values[name] ?? '')

  const host = document.createElement('div')
  host.id = 'loopdesk-chat'
  document.body.appendChild(host)
  const root = host.attachShadow({ mode: 'open' })
  const style = document.createElement('style')
  style.textContent = WIDGET_CSS
  root.appendChild(style)

  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] => {
    const node = document.createElement(tag)
    for (const [name, value] of Object.entries(props)) node.setAttribute(name, value)
    if (text !== undefined) node.textContent = text
    return node
  }

  const launcher = el('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'ld-panel', 'data-testid': 'chat-launcher' }, t('launcher'))
  const panel = el('section', { id: 'ld-panel', class: 'panel', role: 'dialog', 'aria-labelledby': 'ld-title' })
  panel.hidden = true
  const header = el('header')
  const title = el('h2', { id: 'ld-title' }, t('title'))
  const closeButton = el('button', { type: 'button', 'aria-label': t('close') }, '×')
  header.append(title, closeButton)
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'chat-status' }, t('connecting'))
  // The live region scrolls and takes focus, so keyboard users can scroll back through it.
  const scroller = el('div', { class: 'scroller', role: 'log', 'aria-live': 'polite', 'aria-label': t('log'), tabindex: '0' })
  const log = el('ol', { class: 'log', 'data-testid': 'chat-log' })
  scroller.append(log)
  const typing = el('p', { class: 'typing', 'aria-live': 'polite', 'data-testid': 'chat-typing' })

  const compose = el('form', { class: 'compose', 'data-testid': 'chat-compose' })
  const composeLabel = el('label', { for: 'ld-text', class: 'sr-only' }, t('message'))
  const composeText = el('textarea', { id: 'ld-text', maxlength: String(MAX_TEXT), placeholder: t('message'), 'data-testid': 'chat-input' })
  const sendButton = el('button', { type: 'submit', class: 'primary', 'data-testid': 'chat-send' }, t('send'))
  compose.append(composeLabel, composeText, sendButton)

  const identify = el('form', { class: 'identify', 'data-testid': 'chat-identify' })
  identify.hidden = true
  const identifyIntro = el('p', { class: 'notice' }, t('identifyIntro'))
  const identifyError = el('p', { class: 'error', role: 'alert' })
  const [idName, idNameLabel] = field('ld-id-name', 'name', 'text', 'name')
  const [idEmail, idEmailLabel] = field('ld-id-email', 'email', 'email', 'email')
  const [idPhone, idPhoneLabel] = field('ld-id-phone', 'phone', 'tel', 'tel')
  const identifyButtons = el('div', { class: 'row' })
  const identifySave = el('button', { type: 'submit', class: 'primary', 'data-testid': 'chat-identify-submit' }, t('save'))
  const identifySkip = el('button', { type: 'button', class: 'quiet' }, t('skip'))
  identifyButtons.append(identifySave, identifySkip)
  identify.append(identifyIntro, idEmailLabel, idEmail, idPhoneLabel, idPhone, idNameLabel, idName, identifyError, identifyButtons)

  const offline = el('form', { class: 'offline', 'data-testid': 'chat-offline' })
  offline.hidden = true
  const [offName, offNameLabel] = field('ld-off-name', 'name', 'text', 'name')
  const [offEmail, offEmailLabel] = field('ld-off-email', 'email', 'email', 'email')
  const [offPhone, offPhoneLabel] = field('ld-off-phone', 'phone', 'tel', 'tel')
  const offTextLabel = el('label', { for: 'ld-off-text' }, t('offlineMessage'))
  const offText = el('textarea', { id: 'ld-off-text', rows: '4', maxlength: String(MAX_TEXT), required: '', 'data-testid': 'chat-offline-text' })
  const offError = el('p', { class: 'error', role: 'alert' })
  const offSubmit = el('button', { type: 'submit', class: 'primary', 'data-testid': 'chat-offline-submit' }, t('offlineSubmit'))
  offline.append(offNameLabel, offName, offEmailLabel, offEmail, offPhoneLabel, offPhone, offTextLabel, offText, offError, offSubmit)
  const offlineThanks = el('p', { class: 'notice', role: 'status', 'data-testid': 'chat-offline-thanks' })
  offlineThanks.hidden = true

  panel.append(header, status, scroller, typing, identify, compose, offline, offlineThanks)
  root.append(launcher, panel)

  function field(id: string, key: StringKey, type: string, autocomplete: string): [HTMLInputElement, HTMLLabelElement] {
    const label = el('label', { for: id }, t(key))
    const input = el('input', { id, type, autocomplete, maxlength: type === 'tel' ? '40' : '200', 'data-testid': id })
    return [input, label]
  }

  // --- conversation state ---
  const lines: Line[] = []
  let pending: Pending[] = readPending()
  let socket: WebSocket | null = null
  let ready = false
  let online = true
  let retry = 0
  let stopped = false
  let lastTypingSent = 0
  let typingIdle: ReturnType<typeof setTimeout> | null = null
  let agentTypingTimer: ReturnType<typeof setTimeout> | null = null
  let identified = false
  // The desk's own lines from the chat settings, when it set them.
  let greeting: string | null = null
  let offlineText: string | null = null

  function readPending(): Pending[] {
    try {
      const stored = JSON.parse(localStorage.getItem(PENDING_KEY) ?? '[]') as unknown
      return Array.isArray(stored) ? (stored as Pending[]).filter((item) => typeof item?.clientId === 'string' && typeof item.text === 'string') : []
    } catch {
      return []
    }
  }
  function savePending(): void {
    try {
      localStorage.setItem(PENDING_KEY, JSON.stringify(pending))
    } catch {
      // Storage may be off (private mode); the conversation still works until the page closes.
    }
  }
  function storedToken(): string | null {
    try {
      return localStorage.getItem(TOKEN_KEY)
    } catch {
      return null
    }
  }

  function render(): void {
    log.replaceChildren()
    if (lines.length === 0) log.append(el('li', { class: 'empty' }, t('empty')))
    for (const line of lines) {
      const item = el('li', { class: line.from, 'data-from': line.from })
      const who = el('span', { class: 'who' }, line.from === 'visitor' ? t('you') : (line.authorName ?? t('agent')))
      item.append(who, document.createTextNode(line.text))
      if (line.pending) item.append(el('span', { class: 'state' }, t('sending')))
      log.append(item)
    }
    scroller.scrollTop = scroller.scrollHeight
  }

  function upsert(line: Line): void {
    const known = lines.find((existing) => (line.id !== null && existing.id === line.id) || (line.clientId !== null && existing.clientId === line.clientId))
    if (known !== undefined) Object.assign(known, { ...line, authorName: line.authorName ?? known.authorName })
    else lines.push(line)
  }

  function showMode(): void {
    compose.hidden = !online
    offline.hidden = online || !offlineThanks.hidden
    status.textContent = ready ? (online ? (greeting ?? t('online')) : (offlineText ?? t('offline'))) : status.textContent
  }

  function send(frame: object): boolean {
    if (socket === null || socket.readyState !== WebSocket.OPEN || !ready) return false
    socket.send(JSON.stringify(frame))
    return true
  }

  function connect(): void {
    if (socket !== null || stopped) return
    const url = new URL('/api/v1/chat/socket', base)
    url.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:'
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'hello', token: storedToken(), pageUrl: location.href.slice(0, 2000), locale }))
    }
    ws.onmessage = (event) => {
      let frame: Record<string, unknown>
      try {
        frame = JSON.parse(String(event.data)) as Record<string, unknown>
      } catch {
        return
      }
      receive(frame)
    }
    ws.onclose = (event) => {
      socket = null
      ready = false
      if (event.code === 4403 || stopped) return
      status.textContent = t('reconnecting')
      // Back off up to 15 s; the first retry is quick so a server restart is barely noticed.
      const delay = Math.min(15_000, 500 * 2 ** retry++) * (0.75 + Math.random() / 2)
      setTimeout(connect, delay)
    }
  }

  function receive(frame: Record<string, unknown>): void {
    switch (frame.type) {
      case 'welcome': {
        ready = true
        retry = 0
        try {
          localStorage.setItem(TOKEN_KEY, String(frame.token))
        } catch {
          // Without storage, a reload starts a new conversation.
        }
        online = frame.online === true
        identified = frame.identified === true
        greeting = typeof frame.greeting === 'string' ? frame.greeting : null
        offlineText = typeof frame.offlineText === 'string' ? frame.offlineText : null
        lines.length = 0
        for (const item of (frame.history as Record<string, unknown>[] | undefined) ?? []) upsert(toLine(item))
        // Whatever was not acknowledged before the connection dropped goes again, same client id.
        for (const item of pending) {
          // Stored already (its ack was lost with the connection): the history has it.
          if (lines.some((line) => line.clientId === item.clientId)) continue
          upsert({ id: null, clientId: item.clientId, from: 'visitor', text: item.text, pending: true })
          send({ type: 'message', clientId: item.clientId, text: item.text })
        }
        pending = pending.filter((item) => lines.some((line) => line.clientId === item.clientId && line.pending))
        savePending()
        render()
        showMode()
        return
      }
      case 'ack': {
        pending = pending.filter((item) => item.clientId !== frame.clientId)
        savePending()
        const line = lines.find((existing) => existing.clientId === frame.clientId)
        if (line !== undefined) {
          line.pending = false
          line.id = String(frame.messageId)
        }
        render()
        return
      }
      case 'message': {
        upsert({ ...toLine(frame), pending: false })
        if (frame.from === 'agent') setAgentTyping(false)
        render()
        return
      }
      case 'typing':
        if (frame.from === 'agent') setAgentTyping(frame.on === true, typeof frame.name === 'string' ? frame.name : undefined)
        return
      case 'ask_identity':
        if (!identified) identify.hidden = false
        return
      case 'identified':
        identified = true
        identify.hidden = true
        typing.textContent = t('identified')
        return
      case 'error':
        if (!identify.hidden && (frame.field === 'email' || frame.field === 'phone')) identifyError.textContent = t('invalid')
        else if (frame.code === 'too_long') status.textContent = t('tooLong')
        return
    }
  }

  function toLine(item: Record<string, unknown>): Line {
    return {
      id: typeof item.id === 'string' ? item.id : null,
      clientId: typeof item.clientId === 'string' ? item.clientId : null,
      from: item.from === 'agent' ? 'agent' : 'visitor',
      text: String(item.text ?? ''),
      ...(typeof item.authorName === 'string' ? { authorName: item.authorName } : {}),
      pending: false,
    }
  }

  function setAgentTyping(on: boolean, name?: string): void {
    if (agentTypingTimer !== null) clearTimeout(agentTypingTimer)
    agentTypingTimer = null
    typing.textContent = on ? (name !== undefined && name !== '' ? t('agentTypingNamed', { name }) : t('agentTyping')) : ''
    if (on) agentTypingTimer = setTimeout(() => setAgentTyping(false), AGENT_TYPING_SHOWN_MS)
  }

  function newClientId(): string {
    const bytes = new Uint8Array(12)
    crypto.getRandomValues(bytes)
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
  }

  // --- events ---
  function open(): void {
    panel.hidden = false
    launcher.setAttribute('aria-expanded', 'true')
    connect()
    showMode()
    ;(online ? composeText : offText).focus()
  }
  launcher.addEventListener('click', () => (panel.hidden ? open() : closePanel()))
  function closePanel(): void {
    panel.hidden = true
    launcher.setAttribute('aria-expanded', 'false')
    launcher.focus()
  }
  closeButton.addEventListener('click', closePanel)
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closePanel()
  })

  compose.addEventListener('submit', (event) => {
    event.preventDefault()
    const text = composeText.value.trim()
    if (text === '') return
    const item = { clientId: newClientId(), text: text.slice(0, MAX_TEXT) }
    pending.push(item)
    savePending()
    upsert({ id: null, clientId: item.clientId, from: 'visitor', text: item.text, pending: true })
    render()
    composeText.value = ''
    send({ type: 'typing', on: false })
    lastTypingSent = 0
    // Sent now if connected; otherwise on the next welcome.
    send({ type: 'message', ...item })
  })
  composeText.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault()
      compose.requestSubmit()
    }
  })
  composeText.addEventListener('input', () => {
    const now = Date.now()
    if (now - lastTypingSent > TYPING_SEND_MS) {
      lastTypingSent = now
      send({ type: 'typing', on: true })
    }
    if (typingIdle !== null) clearTimeout(typingIdle)
    typingIdle = setTimeout(() => {
      lastTypingSent = 0
      send({ type: 'typing', on: false })
    }, TYPING_IDLE_MS)
  })

  identify.addEventListener('submit', (event) => {
    event.preventDefault()
    const email = idEmail.value.trim()
    const phone = idPhone.value.trim()
    if (email === '' && phone === '') {
      identifyError.textContent = t('needContact')
      return
    }
    identifyError.textContent = ''
    send({ type: 'identify', ...(email !== '' ? { email } : {}), ...(phone !== '' ? { phone } : {}), ...(idName.value.trim() !== '' ? { name: idName.value.trim() } : {}) })
  })
  identifySkip.addEventListener('click', () => {
    identify.hidden = true
  })

  offline.addEventListener('submit', (event) => {
    event.preventDefault()
    const email = offEmail.value.trim()
    const phone = offPhone.value.trim()
    if (email === '' && phone === '') {
      offError.textContent = t('needContact')
      return
    }
    offError.textContent = ''
    offSubmit.disabled = true
    const body = {
      message: offText.value.trim(),
      locale,
      pageUrl: location.href.slice(0, 2000),
      ...(offName.value.trim() !== '' ? { name: offName.value.trim() } : {}),
      ...(email !== '' ? { email } : {}),
      ...(phone !== '' ? { phone } : {}),
    }
    fetch(new URL('/api/v1/chat/offline-message', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit' })
      .then(async (response) => {
        if (response.ok) {
          const answer = (await response.json()) as { ticketNumber: string }
          offlineThanks.textContent = t('offlineThanks', { number: answer.ticketNumber })
          offlineThanks.hidden = false
          offline.hidden = true
          return
        }
        offError.textContent = response.status === 400 ? t('invalid') : t('failed')
      })
      .catch(() => {
        offError.textContent = t('failed')
      })
      .finally(() => {
        offSubmit.disabled = false
      })
  })

  render()
  // A returning visitor with a conversation connects at once, so replies arrive while the panel is closed.
  if (storedToken() !== null || pending.length > 0) connect()
  window.addEventListener('pagehide', () => {
    stopped = true
    socket?.close()
  })
  window.addEventListener('pageshow', (event) => {
    // Back from the back/forward cache: the socket was closed on the way out.
    if (!event.persisted) return
    stopped = false
    if (storedToken() !== null) connect()
  })
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()

// A module for the type checker (no globals leak into the host page); the build wraps it in a function.
export {}
