import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { ApiClient } from '../helpers/api-client.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildStaff, startTestServer } from '../helpers/test-server.ts'

type Frame = { type: string } & Record<string, any>

/** A visitor's widget, reduced to a real WebSocket that records every frame it is sent. */
class Visitor {
  readonly frames: Frame[] = []
  closeCode: number | null = null
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.frames.push(JSON.parse(String(data)) as Frame))
    socket.on('close', (code) => {
      this.closeCode = code
    })
  }

  static async open(server: TestServer, headers: Record<string, string> = {}): Promise<Visitor> {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/chat/socket`, { headers })
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    return new Visitor(socket)
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  async next(type: string, after = 0, timeoutMs = 3000): Promise<Frame> {
    await waitFor(() => this.frames.slice(after).some((frame) => frame.type === type), timeoutMs, `a ${type} frame`)
    return this.frames.slice(after).find((frame) => frame.type === type) as Frame
  }

  async hello(token?: string): Promise<Frame> {
    this.send({ type: 'hello', token, pageUrl: 'https://shop.example.test/pricing', locale: 'zh-CN' })
    return this.next('welcome')
  }

  async say(clientId: string, text: string): Promise<Frame> {
    const after = this.frames.length
    this.send({ type: 'message', clientId, text })
    await waitFor(() => this.frames.slice(after).some((frame) => (frame.type === 'ack' && frame.clientId === clientId) || frame.type === 'error'), 3000, `ack of ${clientId}`)
    return this.frames.slice(after).find((frame) => (frame.type === 'ack' && frame.clientId === clientId) || frame.type === 'error') as Frame
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve())
      this.socket.close()
    })
  }
}

async function waitFor(check: () => boolean, timeoutMs = 3000, what = 'a condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('web chat over real WebSockets', () => {
  let server: TestServer
  let agent: ApiClient
  let admin: ApiClient
  let agentName: string

  beforeAll(async () => {
    server = await startTestServer()
    // A Monday, 10:00 in Shanghai: inside the default chat hours.
    server.clock.set(new Date('2026-03-02T02:00:00Z'))
    const staff = await buildStaff(server.deps, { name: '李客服' })
    agentName = staff.name
    agent = new ApiClient(server.url)
    expect((await agent.login(staff.email ?? '', TEST_PASSWORD)).status).toBe(200)
    const adminUser = await buildStaff(server.deps, { roles: ['admin'] })
    admin = new ApiClient(server.url)
    expect((await admin.login(adminUser.email ?? '', TEST_PASSWORD)).status).toBe(200)
  })
  afterAll(async () => server.close())

  async function countRows(): Promise<{ tickets: number; messages: number; sessions: number; users: number }> {
    const one = async (table: 'tickets' | 'messages' | 'chat_sessions' | 'users') => Number((await server.deps.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    return { tickets: await one('tickets'), messages: await one('messages'), sessions: await one('chat_sessions'), users: await one('users') }
  }

  it('turns a conversation into a chat ticket, relays the agent reply live, and resumes with history after a reconnect', async () => {
    const visitor = await Visitor.open(server, { origin: 'https://shop.example.test' })
    const welcome = await visitor.hello()
    expect(welcome.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(welcome.online).toBe(true)
    expect(welcome.history).toEqual([])
    // A hello alone writes nothing.
    expect(await server.deps.db.selectFrom('chat_sessions').selectAll().execute()).toHaveLength(0)

    const ack = await visitor.say('c1', '我的打印机无法连接到无线网络，怎么办？')
    expect(ack.type).toBe('ack')
    const ticket = await server.deps.db.selectFrom('tickets').selectAll().where('id', '=', ack.messageId).executeTakeFirstOrThrow()
    expect(ticket.channel).toBe('chat')
    expect(ticket.type).toBe('consultation')
    expect(ticket.subject).toBe('我的打印机无法连接到无线网络，怎么办？')
    expect(ticket.description).toBe('我的打印机无法连接到无线网络，怎么办？')
    // Anonymous: the desk asks who they are.
    await visitor.next('ask_identity')
    const session = await server.deps.db.selectFrom('chat_sessions').selectAll().executeTakeFirstOrThrow()
    expect(session.ticket_id).toBe(ticket.id)
    expect(session.token_hash).not.toContain(welcome.token)
    expect(session.token_hash).toMatch(/^[0-9a-f]{64}$/)

    const second = await visitor.say('c2', '型号是 LaserJet 1020')
    expect(second.type).toBe('ack')
    const stored = await agent.get(`/api/v1/tickets/${ticket.id}/messages`)
    expect(stored.body.items.map((message: { body: string; channel: string }) => [message.body, message.channel])).toEqual([['型号是 LaserJet 1020', 'chat']])

    // The agent answers through the ordinary API; the visitor's socket hears it.
    const before = visitor.frames.length
    const reply = await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: '请先重启路由器，再试一次。', visibility: 'public' })
    expect(reply.status).toBe(201)
    await waitFor(() => visitor.frames.slice(before).some((frame) => frame.type === 'message' && frame.from === 'agent'), 3000, 'the agent reply')
    const relayed = visitor.frames.slice(before).find((frame) => frame.type === 'message' && frame.from === 'agent') as Frame
    expect(relayed).toMatchObject({ text: '请先重启路由器，再试一次。', authorName: agentName, id: reply.body.id })
    // An internal note never reaches the visitor.
    await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: 'internal: customer on old firmware', visibility: 'internal' })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(visitor.frames.some((frame) => frame.type === 'message' && String(frame.text).startsWith('internal'))).toBe(false)
    await visitor.close()

    // A page reload: a new socket with the stored token gets the whole conversation back.
    const again = await Visitor.open(server)
    const resumed = await again.hello(welcome.token)
    expect(resumed.sessionId).toBe(session.id)
    expect(resumed.history.map((item: Frame) => [item.from, item.text])).toEqual([
      ['visitor', '我的打印机无法连接到无线网络，怎么办？'],
      ['visitor', '型号是 LaserJet 1020'],
      ['agent', '请先重启路由器，再试一次。'],
    ])
    expect(resumed.history[0].clientId).toBe('c1')
    expect(resumed.history[1].clientId).toBe('c2')

    // Resending unacknowledged messages after the reconnect stores each once.
    const counts = await countRows()
    const dupFirst = await again.say('c1', '我的打印机无法连接到无线网络，怎么办？')
    const dupSecond = await again.say('c2', '型号是 LaserJet 1020')
    expect(dupFirst).toMatchObject({ type: 'ack', messageId: ticket.id })
    expect(dupSecond).toMatchObject({ type: 'ack', messageId: second.messageId })
    expect(await countRows()).toEqual(counts)
    await again.close()
  })

  it('moves the conversation to the existing customer who identifies by e-mail', async () => {
    const known = await buildCustomer(server.deps, { email: 'wang.fang@example.test', name: '王芳' })
    const visitor = await Visitor.open(server)
    await visitor.hello()
    const ack = await visitor.say('m1', 'Invoice for order 7781 is missing')
    const ticketId = ack.messageId as string
    const anonymous = await server.deps.db.selectFrom('tickets').select('requester_id').where('id', '=', ticketId).executeTakeFirstOrThrow()
    expect(anonymous.requester_id).not.toBe(known.id)

    const at = visitor.frames.length
    visitor.send({ type: 'identify', email: 'Wang.Fang@Example.test', name: 'Fang' })
    await visitor.next('identified', at)
    const moved = await server.deps.db.selectFrom('tickets').select('requester_id').where('id', '=', ticketId).executeTakeFirstOrThrow()
    expect(moved.requester_id).toBe(known.id)
    const session = await server.deps.db.selectFrom('chat_sessions').selectAll().where('ticket_id', '=', ticketId).executeTakeFirstOrThrow()
    expect(session).toMatchObject({ customer_id: known.id, identified: true })
    const events = await server.deps.db.selectFrom('events').select(['type', 'data']).where('ticket_id', '=', ticketId).execute()
    expect(events.find((event) => event.type === 'ticket.updated')?.data).toMatchObject({ changes: { requesterId: { before: anonymous.requester_id, after: known.id } } })
    const sessionEvents = await server.deps.db.selectFrom('events').select(['type', 'data']).where('entity_id', '=', session.id).execute()
    expect(sessionEvents.find((event) => event.type === 'chat_session.identified')?.data).toMatchObject({ ticketId, customerId: known.id, moved: true, by: 'email' })

    // Later messages are the known customer's.
    const next = await visitor.say('m2', 'It is for March')
    const message = await server.deps.db.selectFrom('messages').select('author_id').where('id', '=', next.messageId).executeTakeFirstOrThrow()
    expect(message.author_id).toBe(known.id)
    const customerView = await server.deps.db.selectFrom('tickets').select('id').where('requester_id', '=', known.id).execute()
    expect(customerView.map((row) => row.id)).toContain(ticketId)
    await visitor.close()
  })

  it('gives an unknown visitor who identifies their own contact details', async () => {
    const visitor = await Visitor.open(server)
    await visitor.hello()
    const ack = await visitor.say('n1', 'Do you ship to Hangzhou?')
    visitor.send({ type: 'identify', phone: '138 0013 8000', name: '陈先生' })
    await visitor.next('identified')
    const ticket = await server.deps.db.selectFrom('tickets').innerJoin('users', 'users.id', 'tickets.requester_id').select(['users.phone', 'users.name']).where('tickets.id', '=', ack.messageId).executeTakeFirstOrThrow()
    expect(ticket).toEqual({ phone: '+8613800138000', name: '陈先生' })
    await visitor.close()
  })

  it('relays typing both ways, presence to the agent, and a request for contact details to the visitor', async () => {
    const visitor = await Visitor.open(server)
    await visitor.hello()
    const ack = await visitor.say('t1', 'Hello?')
    const ticketId = ack.messageId as string
    const agentSocket = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/chat/agent-socket?ticketId=${ticketId}`, { headers: agent.credentials() })
    const agentFrames: Frame[] = []
    agentSocket.on('message', (data) => agentFrames.push(JSON.parse(String(data)) as Frame))
    await new Promise<void>((resolve, reject) => {
      agentSocket.once('open', () => resolve())
      agentSocket.once('error', reject)
    })
    await waitFor(() => agentFrames.some((frame) => frame.type === 'state'), 3000, 'state')
    expect(agentFrames.find((frame) => frame.type === 'state')).toMatchObject({ hasSession: true, identified: false, pageUrl: 'https://shop.example.test/pricing' })
    await waitFor(() => agentFrames.some((frame) => frame.type === 'presence' && frame.online === true), 3000, 'presence')

    visitor.send({ type: 'typing', on: true })
    await waitFor(() => agentFrames.some((frame) => frame.type === 'typing' && frame.from === 'visitor' && frame.on === true), 3000, 'visitor typing')
    const at = visitor.frames.length
    agentSocket.send(JSON.stringify({ type: 'typing', on: true }))
    const typing = await visitor.next('typing', at)
    expect(typing).toMatchObject({ from: 'agent', on: true, name: agentName })
    agentSocket.send(JSON.stringify({ type: 'ask_identity' }))
    await visitor.next('ask_identity', at)
    // Typing leaves no record.
    const typingEvents = await server.deps.db.selectFrom('events').select('type').where('type', 'like', '%typing%').execute()
    expect(typingEvents).toHaveLength(0)

    await visitor.close()
    await waitFor(() => agentFrames.some((frame) => frame.type === 'presence' && frame.online === false), 3000, 'offline presence')
    agentSocket.close()
  })

  it('refuses the agent socket to customers and to tickets of other channels', async () => {
    const customer = await buildCustomer(server.deps)
    const customerClient = new ApiClient(server.url)
    await customerClient.login(customer.email ?? '', TEST_PASSWORD)
    const portalTicket = await customerClient.post('/api/v1/tickets', { subject: 'Portal', description: 'from the portal' })
    for (const [client, ticketId] of [[customerClient, portalTicket.body.id], [agent, portalTicket.body.id]] as const) {
      const status = await new Promise<number>((resolve) => {
        const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/chat/agent-socket?ticketId=${ticketId}`, { headers: client.credentials() })
        socket.on('unexpected-response', (request, response) => {
          request.destroy()
          resolve(response.statusCode ?? 0)
        })
        socket.on('open', () => resolve(101))
      })
      expect(status).toBeGreaterThanOrEqual(400)
    }
  })

  it('answers bad frames with error frames and writes nothing', async () => {
    const visitor = await Visitor.open(server)
    const counts = await countRows()
    visitor.send({ type: 'message', clientId: 'x1', text: 'before hello' })
    expect(await visitor.next('error')).toMatchObject({ code: 'required', field: 'hello' })
    await visitor.hello()
    const cases: [unknown, Record<string, string>][] = [
      ['not json', { code: 'bad_frame' }],
      [[1, 2], { code: 'bad_frame' }],
      [{ type: 'shout' }, { code: 'unknown_type', field: 'type' }],
      [{ type: 'message', clientId: 'bad id!', text: 'x' }, { code: 'invalid', field: 'clientId' }],
      [{ type: 'message', clientId: 'ok1', text: '   ' }, { code: 'required', field: 'text' }],
      [{ type: 'message', clientId: 'ok2', text: 'x'.repeat(4001) }, { code: 'too_long', field: 'text' }],
      [{ type: 'message', clientId: 'ok3', text: 'bell \u0007' }, { code: 'invalid', field: 'text' }],
      [{ type: 'identify', email: 'not-an-email' }, { code: 'invalid', field: 'email' }],
      [{ type: 'identify' }, { code: 'required', field: 'email' }],
      [{ type: 'identify', phone: '12' }, { code: 'invalid', field: 'phone' }],
      [{ type: 'typing', on: 'yes' }, { code: 'invalid', field: 'on' }],
      [{ type: 'hello' }, { code: 'invalid', field: 'type' }],
    ]
    for (const [frame, expected] of cases) {
      const at = visitor.frames.length
      visitor.send(frame)
      expect(await visitor.next('error', at)).toEqual({ type: 'error', ...expected })
    }
    expect(await countRows()).toEqual(counts)
    await visitor.close()
  })

  it('refuses an oversized frame by closing the socket, and a flood of frames', async () => {
    const visitor = await Visitor.open(server)
    await visitor.hello()
    const counts = await countRows()
    visitor.send(JSON.stringify({ type: 'message', clientId: 'big', text: 'y'.repeat(64 * 1024) }))
    await waitFor(() => visitor.closeCode !== null, 3000, 'the close')
    expect(visitor.closeCode).toBe(1009)
    expect(await countRows()).toEqual(counts)

    const flooder = await Visitor.open(server)
    await flooder.hello()
    for (let i = 0; i < 200; i++) flooder.send({ type: 'typing', on: true })
    await waitFor(() => flooder.closeCode !== null, 3000, 'the flood close')
    expect(flooder.closeCode).toBe(1008)
    expect(flooder.frames.some((frame) => frame.type === 'error' && frame.code === 'rate_limited')).toBe(true)
  })

  it('keeps the staff live socket refusing large frames', async () => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/live`, { headers: agent.credentials() })
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    const code = await new Promise<number>((resolve) => {
      socket.once('close', (closeCode) => resolve(closeCode))
      socket.send('z'.repeat(32 * 1024))
    })
    expect(code).toBe(1009)
  })

  it('turns into a message form outside chat hours: the offline message opens a chat ticket', async () => {
    // Saturday in Shanghai: outside the default hours.
    server.clock.set(new Date('2026-03-07T03:00:00Z'))
    const visitor = await Visitor.open(server)
    expect((await visitor.hello()).online).toBe(false)
    await visitor.close()
    const status = await new ApiClient(server.url).get('/api/v1/chat/status')
    expect(status.body).toEqual({ online: false })

    const preflight = await fetch(`${server.url}/api/v1/chat/offline-message`, { method: 'OPTIONS', headers: { origin: 'https://shop.example.test', 'access-control-request-method': 'POST' } })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')

    const post = (body: unknown) =>
      fetch(`${server.url}/api/v1/chat/offline-message`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://shop.example.test' }, body: JSON.stringify(body) })
    const counts = await countRows()
    for (const [body, field] of [
      [{ message: 'no contact' }, 'email'],
      [{ email: 'nope', message: 'x' }, 'email'],
      [{ email: 'a@example.test', message: '' }, 'message'],
      [{ email: 'a@example.test', message: 'x', extra: 1 }, 'extra'],
      [{ phone: '123-', message: 'x' }, 'phone'],
    ] as const) {
      const response = await post(body)
      expect(response.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400)
      expect(response.status).toBeLessThan(500)
      const answer = (await response.json()) as { error: { fields?: { field: string }[] } }
      expect(answer.error.fields?.map((f) => f.field).join(',')).toContain(field)
    }
    expect(await countRows()).toEqual(counts)
    const tooBig = await post({ email: 'a@example.test', message: 'x'.repeat(20_000) })
    expect(tooBig.status).toBe(413)

    const ok = await post({ name: 'Zhao', email: 'zhao@example.test', message: 'Please call me back about my warranty', pageUrl: 'https://shop.example.test/warranty', locale: 'en' })
    expect(ok.status).toBe(201)
    expect(ok.headers.get('access-control-allow-origin')).toBe('*')
    const { ticketNumber } = (await ok.json()) as { ticketNumber: string }
    const ticket = await server.deps.db.selectFrom('tickets').innerJoin('users', 'users.id', 'tickets.requester_id').select(['tickets.channel', 'tickets.subject', 'tickets.tags', 'users.email']).where('number', '=', ticketNumber).executeTakeFirstOrThrow()
    expect(ticket).toMatchObject({ channel: 'chat', subject: 'Please call me back about my warranty', email: 'zhao@example.test' })
    expect(ticket.tags).toContain('chat-offline')
    server.clock.set(new Date('2026-03-02T02:00:00Z'))
  })

  it('lets administrators set chat hours and an origin allow-list that the socket enforces', async () => {
    expect((await agent.get('/api/v1/chat/settings')).status).toBe(403)
    const bad = await admin.request('PUT', '/api/v1/chat/settings', { hours: { timeZone: 'Mars/Olympus' } })
    expect(bad.status).toBe(400)
    const badOrigin = await admin.request('PUT', '/api/v1/chat/settings', { allowedOrigins: ['not a url'] })
    expect(badOrigin.status).toBe(400)
    expect(badOrigin.body.error.fields[0].field).toBe('allowedOrigins/0')
    const saved = await admin.request('PUT', '/api/v1/chat/settings', { allowedOrigins: ['https://shop.example.test'], hours: { always: true } })
    expect(saved.status).toBe(200)
    expect(saved.body).toMatchObject({ allowedOrigins: ['https://shop.example.test'], hours: { always: true, timeZone: 'Asia/Shanghai' } })

    const allowed = await Visitor.open(server, { origin: 'https://shop.example.test' })
    expect((await allowed.hello()).online).toBe(true)
    await allowed.close()
    const refused = await Visitor.open(server, { origin: 'https://evil.example.test' })
    refused.send({ type: 'hello', locale: 'en' })
    await waitFor(() => refused.closeCode !== null, 3000, 'the refusal')
    expect(refused.closeCode).toBe(4403)
    await admin.request('PUT', '/api/v1/chat/settings', { allowedOrigins: [], hours: { always: false } })
  })

  it('greets visitors with the texts the administrator set for their language, and names the field of a bad value', async () => {
    const before = (await admin.get('/api/v1/chat/settings')).body
    expect(before).toMatchObject({ greeting: { 'zh-CN': '', en: '' }, offlineText: { 'zh-CN': '', en: '' } })
    const plain = await Visitor.open(server)
    const welcome = await plain.hello()
    expect(welcome).not.toHaveProperty('greeting')
    expect(welcome).not.toHaveProperty('offlineText')
    await plain.close()

    const saved = await admin.request('PUT', '/api/v1/chat/settings', { greeting: { 'zh-CN': '  您好，售后团队在线  ', en: 'Hi, the after-sales team is here' }, offlineText: { en: 'Back on Monday at 9' } })
    expect(saved.status).toBe(200)
    expect(saved.body).toMatchObject({ greeting: { 'zh-CN': '您好，售后团队在线', en: 'Hi, the after-sales team is here' }, offlineText: { 'zh-CN': '', en: 'Back on Monday at 9' } })
    // One language changed alone keeps the other.
    const partial = await admin.request('PUT', '/api/v1/chat/settings', { greeting: { en: 'Hello from after-sales' } })
    expect(partial.body.greeting).toEqual({ 'zh-CN': '您好，售后团队在线', en: 'Hello from after-sales' })

    const zh = await Visitor.open(server)
    expect(await zh.hello()).toMatchObject({ greeting: '您好，售后团队在线' })
    expect(zh.frames.at(-1)).not.toHaveProperty('offlineText')
    await zh.close()
    const en = await Visitor.open(server)
    en.send({ type: 'hello', locale: 'en' })
    expect(await en.next('welcome')).toMatchObject({ greeting: 'Hello from after-sales', offlineText: 'Back on Monday at 9' })
    await en.close()

    const fieldOf = async (body: unknown) => {
      const refused = await admin.request('PUT', '/api/v1/chat/settings', body)
      expect(refused.status).toBe(400)
      expect(refused.body.error.code).toBe('VALIDATION')
      return refused.body.error.fields.map((f: { field: string }) => f.field)
    }
    expect(await fieldOf({ hours: { timeZone: 'Mars/Olympus' } })).toEqual(['hours/timeZone'])
    expect(await fieldOf({ hours: { weeklyHours: { 1: [[540, 720]], 3: [[540, 720], [1080, 600]] } } })).toEqual(['hours/weeklyHours/3/1'])
    expect(await fieldOf({ hours: { holidays: ['2026-10-01', '2026-13-01'] } })).toEqual(['hours/holidays'])
    expect(await fieldOf({ hours: { holidays: ['2026-10-01', 'May Day'] } })).toEqual(['hours/holidays/1'])
    expect(await fieldOf({ hours: { weeklyHours: {} } })).toEqual(['hours/weeklyHours'])
    expect(await fieldOf({ greeting: { en: 'x'.repeat(301) } })).toEqual(['greeting/en'])
    expect(await fieldOf({ offlineText: { fr: 'Bonjour' } })).toEqual(['offlineText/fr'])
    // Nothing of a refused change was kept.
    const after = (await admin.get('/api/v1/chat/settings')).body
    expect(after.hours).toEqual(before.hours)
    await admin.request('PUT', '/api/v1/chat/settings', { greeting: { 'zh-CN': '', en: '' }, offlineText: { 'zh-CN': '', en: '' } })
  })

  it('serves the widget script outside the web app fallback', async () => {
    const response = await fetch(`${server.url}/chat/widget.js`)
    if (response.status === 404) return // the web bundle is not built in this checkout
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/javascript/)
    expect(await response.text()).not.toContain('<!doctype html>')
  })
})
