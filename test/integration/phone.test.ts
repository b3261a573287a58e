import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/domain/policy/actor.ts'
import { createUser } from '../../src/services/people/users.ts'
import { ApiClient } from '../helpers/api-client.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildOrganisation, buildStaff, startTestServer } from '../helpers/test-server.ts'

let server: TestServer
let admin: ApiClient
let agent: ApiClient
let pbx: ApiClient
let agentToken: string
let agentId: string
let agentEmail: string
let customerId: string

const DESK = '+864008001234'

beforeAll(async () => {
  server = await startTestServer({ sessionTtlSeconds: 30 * 86_400 })
  const adminUser = await buildStaff(server.deps, { roles: ['admin'] })
  const agentUser = await buildStaff(server.deps, { tier: 'L1', name: 'Wang Fang' })
  agentId = agentUser.id
  agentEmail = agentUser.email ?? ''
  admin = new ApiClient(server.url)
  expect((await admin.login(adminUser.email ?? '', TEST_PASSWORD)).status).toBe(200)
  agent = new ApiClient(server.url)
  expect((await agent.login(agentEmail, TEST_PASSWORD)).status).toBe(200)
  const token = await admin.post('/api/v1/tokens', { name: 'pbx' })
  expect(token.status).toBe(201)
  pbx = ApiClient.withToken(server.url, token.body.token)
  const own = await agent.post('/api/v1/tokens', { name: 'mine' })
  agentToken = own.body.token
  const org = await buildOrganisation(server.deps)
  const customer = await createUser(server.deps, SYSTEM_ACTOR, 'customer', {
    name: 'Li Lei',
    email: 'li.lei@example.test',
    phone: '+86 138 0013 8000',
    organisationId: org.id,
    password: TEST_PASSWORD,
  })
  customerId = customer.id
})
afterAll(async () => server.close())

let sequence = 0
const nextCallId = () => `call-${Date.now()}-${sequence++}`

async function count(table: string, where = sql`true`): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(table)} WHERE ${where}`.execute(server.deps.db)
  return Number(rows[0]?.n)
}

async function callByPbxId(callId: string) {
  return server.deps.db.selectFrom('calls').selectAll().where('call_id', '=', callId).executeTakeFirstOrThrow()
}

function native(body: Record<string, unknown>) {
  return pbx.post('/api/v1/cti/events', body)
}

function form(path: string, fields: [string, string][], client = pbx) {
  return client.post(path, new URLSearchParams(fields).toString(), { 'content-type': 'application/x-www-form-urlencoded' })
}

describe('native call events', () => {
  it('builds the call log row with wait time, talk time and outcome from a full sequence', async () => {
    const callId = nextCallId()
    const base = { callId, from: '13800138000', to: DESK, direction: 'in' }
    expect((await native({ ...base, type: 'new_call' })).body).toEqual({})
    server.clock.advance(5_000)
    expect((await native({ ...base, type: 'queued', queue: 'support' })).status).toBe(200)
    server.clock.advance(10_000)
    expect((await native({ ...base, type: 'answered', agent: agentEmail })).status).toBe(200)
    server.clock.advance(90_000)
    const hangup = await native({ ...base, type: 'hangup', cause: 'normalClearing', recordingUrl: 'https://rec.example.test/1.mp3' })
    expect(hangup.status).toBe(200)
    expect(hangup.body).toEqual({})

    const list = await agent.get(`/api/v1/calls?agentId=${agentId}`)
    expect(list.status).toBe(200)
    const row = list.body.items.find((item: { callId: string }) => item.callId === callId)
    expect(row).toMatchObject({
      direction: 'in',
      from: '+8613800138000',
      queue: 'support',
      status: 'ended',
      outcome: 'answered',
      waitMs: 15_000,
      talkMs: 90_000,
      agent: { id: agentId, name: 'Wang Fang' },
      customer: { id: customerId, name: 'Li Lei' },
      recordingUrl: 'https://rec.example.test/1.mp3',
    })
    const events = await server.deps.db.selectFrom('events').select('type').where('entity_id', '=', row.id).orderBy('id').execute()
    expect(events.map((e) => e.type)).toEqual(['call.ringing', 'call.queued', 'call.answered', 'call.ended'])
    expect(await count('callback_tasks', sql`call_id = ${row.id}`)).toBe(0)
  })

  it('ignores repeated events: the same event twice changes nothing and writes no event', async () => {
    const callId = nextCallId()
    const base = { callId, from: '13800138000', to: DESK, direction: 'in' }
    const at = new Date(server.clock.now().getTime() - 60_000).toISOString()
    await native({ ...base, type: 'new_call', at })
    await native({ ...base, type: 'answered', agent: agentId, at: new Date(Date.parse(at) + 4_000).toISOString() })
    const call = await callByPbxId(callId)
    const eventsBefore = await count('events', sql`entity_id = ${call.id}`)
    server.clock.advance(1_000)
    await native({ ...base, type: 'answered', agent: agentId, at: new Date(Date.parse(at) + 4_000).toISOString() })
    await native({ ...base, type: 'new_call', at })
    const again = await callByPbxId(callId)
    expect(await count('events', sql`entity_id = ${call.id}`)).toBe(eventsBefore)
    expect(again.updated_at.getTime()).toBe(call.updated_at.getTime())
    expect(Number(again.wait_ms)).toBe(4_000)
  })

  it('takes a hangup that overtook its answer: answered, not missed, and no callback', async () => {
    const callId = nextCallId()
    const base = { callId, from: '13900139000', to: DESK, direction: 'in' }
    const t0 = server.clock.now().getTime() - 120_000
    await native({ ...base, type: 'new_call', at: new Date(t0).toISOString() })
    await native({ ...base, type: 'hangup', cause: 'normalClearing', at: new Date(t0 + 70_000).toISOString() })
    const call = await callByPbxId(callId)
    expect(call.outcome).toBe('missed')
    expect(await count('callback_tasks', sql`phone = '+8613900139000' AND status = 'open'`)).toBe(1)
    await native({ ...base, type: 'answered', agent: agentId, at: new Date(t0 + 10_000).toISOString() })
    const after = await callByPbxId(callId)
    expect(after.outcome).toBe('answered')
    expect(Number(after.talk_ms)).toBe(60_000)
    expect(await count('callback_tasks', sql`phone = '+8613900139000' AND status = 'open'`)).toBe(0)
  })

  it('creates one callback task for a missed call and one for an abandoned call, linked to their calls', async () => {
    const missedId = nextCallId()
    await native({ type: 'new_call', callId: missedId, from: '021-6234-5678', to: DESK, direction: 'in', agent: agentEmail })
    server.clock.advance(20_000)
    await native({ type: 'hangup', callId: missedId, from: '021-6234-5678', to: DESK, direction: 'in', cause: 'cancel' })
    await native({ type: 'hangup', callId: missedId, from: '021-6234-5678', to: DESK, direction: 'in', cause: 'cancel' })
    const missed = await callByPbxId(missedId)
    expect(missed).toMatchObject({ outcome: 'missed', status: 'ended', agent_id: agentId })
    expect(Number(missed.wait_ms)).toBe(20_000)

    const abandonedId = nextCallId()
    await native({ type: 'new_call', callId: abandonedId, from: '+86 10 8888 7777', to: DESK, direction: 'in' })
    await native({ type: 'queued', callId: abandonedId, from: '+86 10 8888 7777', to: DESK, direction: 'in', queue: 'sales' })
    server.clock.advance(45_000)
    await native({ type: 'hangup', callId: abandonedId, from: '+86 10 8888 7777', to: DESK, direction: 'in', cause: 'cancel' })
    const abandoned = await callByPbxId(abandonedId)
    expect(abandoned.outcome).toBe('abandoned')

    const open = await agent.get('/api/v1/callbacks?status=open')
    expect(open.status).toBe(200)
    const forMissed = open.body.items.filter((task: { callId: string }) => task.callId === missed.id)
    const forAbandoned = open.body.items.filter((task: { callId: string }) => task.callId === abandoned.id)
    expect(forMissed).toHaveLength(1)
    expect(forMissed[0]).toMatchObject({ reason: 'missed', phone: '+862162345678', assignee: { id: agentId } })
    expect(forAbandoned).toHaveLength(1)
    expect(forAbandoned[0]).toMatchObject({ reason: 'abandoned', phone: '+861088887777' })

    // The same number missed again while its callback is open: no second task, a note on the first.
    const againId = nextCallId()
    await native({ type: 'new_call', callId: againId, from: '02162345678', to: DESK, direction: 'in' })
    await native({ type: 'hangup', callId: againId, from: '02162345678', to: DESK, direction: 'in', cause: 'cancel' })
    expect(await count('callback_tasks', sql`phone = '+862162345678'`)).toBe(1)
    expect(await count('events', sql`type = 'callback_task.called_again' AND entity_id = ${forMissed[0].id}`)).toBe(1)

    const done = await agent.post(`/api/v1/callbacks/${forMissed[0].id}/complete`, { note: 'called back, fixed' })
    expect(done.status).toBe(204)
    expect((await agent.post(`/api/v1/callbacks/${forMissed[0].id}/complete`, {})).status).toBe(409)
    const remaining = await agent.get('/api/v1/callbacks?status=open')
    expect(remaining.body.items.some((task: { id: string }) => task.id === forMissed[0].id)).toBe(false)
  })

  it('keeps one call record when its events arrive at the same moment', async () => {
    const callId = nextCallId()
    const base = { callId, from: '13800138000', to: DESK, direction: 'in' }
    const t0 = server.clock.now().getTime() - 30_000
    const responses = await Promise.all([
      native({ ...base, type: 'new_call', at: new Date(t0).toISOString() }),
      native({ ...base, type: 'queued', queue: 'support', at: new Date(t0 + 2_000).toISOString() }),
      native({ ...base, type: 'answered', agent: agentId, at: new Date(t0 + 6_000).toISOString() }),
      native({ ...base, type: 'new_call', at: new Date(t0).toISOString() }),
    ])
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200])
    expect(await count('calls', sql`call_id = ${callId}`)).toBe(1)
    const call = await callByPbxId(callId)
    expect(call).toMatchObject({ status: 'answered', agent_id: agentId, queue: 'support' })
    expect(Number(call.wait_ms)).toBe(6_000)
  })

  it('matches the caller to the customer in national and +86 notations, and never creates customers', async () => {
    const users = await count('users')
    for (const from of ['13800138000', '+86 138-0013-8000', '008613800138000']) {
      const callId = nextCallId()
      await native({ type: 'new_call', callId, from, to: DESK, direction: 'in' })
      expect((await callByPbxId(callId)).customer_id).toBe(customerId)
    }
    const unknownId = nextCallId()
    await native({ type: 'new_call', callId: unknownId, from: '13711112222', to: DESK, direction: 'in' })
    expect((await callByPbxId(unknownId)).customer_id).toBeNull()
    expect(await count('users')).toBe(users)
  })

  it('records agent states', async () => {
    expect((await native({ type: 'agent_state', agent: agentEmail, state: 'wrap-up' })).status).toBe(200)
    let row = await server.deps.db.selectFrom('agent_presence').selectAll().where('user_id', '=', agentId).executeTakeFirstOrThrow()
    expect(row.state).toBe('wrap_up')
    await native({ type: 'agent_state', agent: 'Wang Fang', state: 'available' })
    row = await server.deps.db.selectFrom('agent_presence').selectAll().where('user_id', '=', agentId).executeTakeFirstOrThrow()
    expect(row.state).toBe('available')
    const unknown = await native({ type: 'agent_state', agent: 'nobody@desk.test', state: 'busy' })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.fields).toEqual([expect.objectContaining({ field: 'agent' })])
  })
})

describe('the three-event form (generic CTI)', () => {
  async function sequence(send: (fields: [string, string][]) => Promise<{ status: number; body: unknown }>) {
    const callId = nextCallId()
    const common: [string, string][] = [
      ['from', '13800138000'],
      ['to', DESK],
      ['direction', 'in'],
      ['callId', callId],
    ]
    const ring = await send([['event', 'newCall'], ...common, ['user[]', 'Wang Fang'], ['user[]', 'Someone Else'], ['queue', 'support']])
    expect(ring).toMatchObject({ status: 200, body: {} })
    server.clock.advance(8_000)
    expect((await send([['event', 'answer'], ...common, ['answeringNumber', agentEmail]])).status).toBe(200)
    server.clock.advance(30_000)
    expect((await send([['event', 'hangup'], ...common, ['cause', 'normalClearing'], ['answeringNumber', agentEmail]])).status).toBe(200)
    return callByPbxId(callId)
  }

  it('accepts form-encoded events with user[] and gives the same call log as the native form', async () => {
    const call = await sequence((fields) => form('/api/v1/cti/generic', fields))
    expect(call).toMatchObject({ outcome: 'answered', queue: 'support', agent_id: agentId, customer_id: customerId, cause: 'normalClearing' })
    expect(Number(call.wait_ms)).toBe(8_000)
    expect(Number(call.talk_ms)).toBe(30_000)
  })

  it('accepts JSON events', async () => {
    const call = await sequence((fields) => {
      const body: Record<string, unknown> = {}
      for (const [key, value] of fields) {
        if (key === 'user[]') body.user = [...((body.user as string[] | undefined) ?? []), value]
        else body[key] = value
      }
      return pbx.post('/api/v1/cti/generic', body)
    })
    expect(call).toMatchObject({ outcome: 'answered', agent_id: agentId })
    expect(Number(call.talk_ms)).toBe(30_000)
  })

  it('accepts the token in the URL path, as connectors for other desks send it', async () => {
    const token = (pbx.credentials().authorization ?? '').replace('Bearer ', '')
    const anonymous = new ApiClient(server.url)
    const call = await sequence((fields) => form(`/api/v1/cti/generic/${token}`, fields, anonymous))
    expect(call.outcome).toBe('answered')
    const wrong = await form('/api/v1/cti/generic/ldt_wrong', [['event', 'newCall'], ['from', '1'], ['to', '2'], ['direction', 'in'], ['callId', 'x']], anonymous)
    expect(wrong.status).toBe(401)
  })

  it('refuses a malformed event with the fields at fault', async () => {
    const calls = await count('calls')
    const response = await form('/api/v1/cti/generic', [['event', 'ring'], ['from', '13800138000'], ['direction', 'sideways']])
    expect(response.status).toBe(400)
    const fields = (response.body.error.fields as { field: string }[]).map((f) => f.field).sort()
    expect(fields).toEqual(['callId', 'direction', 'event', 'to'])
    expect(await count('calls')).toBe(calls)
  })
})

describe('blocked numbers', () => {
  it('answers reject to a new call from a blocked number and records only the rejected call', async () => {
    const blocked = await admin.post('/api/v1/cti/blocked-numbers', { number: '+86 135 0000 1111', reason: 'abusive' })
    expect(blocked.status).toBe(201)
    expect(blocked.body.number).toBe('+8613500001111')
    const before = { users: await count('users'), tickets: await count('tickets'), callbacks: await count('callback_tasks'), calls: await count('calls') }

    const callId = nextCallId()
    const answer = await native({ type: 'new_call', callId, from: '13500001111', to: DESK, direction: 'in' })
    expect(answer.body).toEqual({ action: 'reject', reason: 'blocked' })
    // The PBX hangs up and reports it; the call stays rejected, no callback is owed.
    expect((await native({ type: 'hangup', callId, from: '13500001111', to: DESK, direction: 'in', cause: 'busy' })).body).toEqual({})
    const generic = await pbx.post('/api/v1/cti/generic', { event: 'newCall', from: '+8613500001111', to: DESK, direction: 'in', callId: nextCallId() })
    expect(generic.body).toEqual({ action: 'reject', reason: 'busy' })

    const call = await callByPbxId(callId)
    expect(call).toMatchObject({ outcome: 'rejected', status: 'ended', customer_id: null })
    expect(await count('calls')).toBe(before.calls + 2)
    expect(await count('users')).toBe(before.users)
    expect(await count('tickets')).toBe(before.tickets)
    expect(await count('callback_tasks')).toBe(before.callbacks)

    expect((await admin.delete('/api/v1/cti/blocked-numbers/13500001111')).status).toBe(204)
    const free = await native({ type: 'new_call', callId: nextCallId(), from: '13500001111', to: DESK, direction: 'in' })
    expect(free.body).toEqual({})
  })

  it('lets only administrators manage blocked numbers, and refuses what is not a number', async () => {
    expect((await agent.post('/api/v1/cti/blocked-numbers', { number: '13500002222' })).status).toBe(403)
    const bad = await admin.post('/api/v1/cti/blocked-numbers', { number: 'call me' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.fields[0].field).toBe('number')
  })
})

describe('who may report calls', () => {
  it('refuses unknown tokens, agents, customers and signed-in sessions, writing nothing', async () => {
    const customer = await buildCustomer(server.deps)
    const customerClient = new ApiClient(server.url)
    await customerClient.login(customer.email ?? '', TEST_PASSWORD)
    const before = { calls: await count('calls'), events: await count('events') }
    const body = { type: 'new_call', callId: nextCallId(), from: '13800138000', to: DESK, direction: 'in' }
    expect((await ApiClient.withToken(server.url, 'ldt_not-a-token').post('/api/v1/cti/events', body)).status).toBe(401)
    expect((await new ApiClient(server.url).post('/api/v1/cti/events', body)).status).toBe(401)
    expect((await ApiClient.withToken(server.url, agentToken).post('/api/v1/cti/events', body)).status).toBe(403)
    expect((await admin.post('/api/v1/cti/events', body)).status).toBe(403)
    expect((await customerClient.post('/api/v1/cti/events', body)).status).toBe(403)
    expect((await customerClient.get('/api/v1/calls')).status).toBe(403)
    expect(await count('calls')).toBe(before.calls)
    expect(await count('events')).toBe(before.events)
  })

  it('refuses bad payloads with the field at fault', async () => {
    const calls = await count('calls')
    const missing = await native({ type: 'answered', from: '13800138000', to: DESK })
    expect(missing.status).toBe(400)
    expect((missing.body.error.fields as { field: string }[]).map((f) => f.field).sort()).toEqual(['callId', 'direction'])
    const wrongType = await native({ type: 'ringing', callId: 'x', from: '1', to: '2', direction: 'in' })
    expect(wrongType.status).toBe(400)
    expect(wrongType.body.error.fields[0].field).toBe('type')
    const script = await native({ type: 'hangup', callId: 'x', from: '1', to: '2', direction: 'in', recordingUrl: 'javascript:alert(1)' })
    expect(script.status).toBe(400)
    expect(script.body.error.fields[0].field).toBe('recordingUrl')
    const future = await native({ type: 'new_call', callId: 'y', from: '1', to: '2', direction: 'in', at: new Date(server.clock.now().getTime() + 3_600_000).toISOString() })
    expect(future.status).toBe(400)
    expect(future.body.error.fields[0].field).toBe('at')
    const huge = await pbx.post('/api/v1/cti/generic', { event: 'newCall', from: '1', to: '2', direction: 'in', callId: 'z', queue: 'q'.repeat(20_000) })
    expect(huge.status).toBe(413)
    expect(await count('calls')).toBe(calls)
  })
})

describe('screen pop and opening a ticket from a call', () => {
  it('shows the caller, their organisation and open tickets to the named agent only, and opens a phone ticket once', async () => {
    const existing = await agent.post('/api/v1/tickets', { subject: 'Printer jams', description: 'Again', requesterId: customerId })
    expect(existing.status).toBe(201)
    const callId = nextCallId()
    await native({ type: 'new_call', callId, from: '13800138000', to: DESK, direction: 'in', agent: agentEmail })
    const call = await callByPbxId(callId)

    const pop = await agent.get(`/api/v1/calls/${call.id}`)
    expect(pop.status).toBe(200)
    expect(pop.body).toMatchObject({ popForMe: true, customerDetail: { id: customerId, name: 'Li Lei', organisation: { vipLevel: 'gold' } } })
    expect(pop.body.openTickets.map((t: { id: string }) => t.id)).toContain(existing.body.id)
    expect((await admin.get(`/api/v1/calls/${call.id}`)).body.popForMe).toBe(false)

    const opened = await agent.post(`/api/v1/calls/${call.id}/ticket`, { subject: 'Phone call', description: 'Caller reports the printer jams' })
    expect(opened.status).toBe(201)
    const ticket = await agent.get(`/api/v1/tickets/${opened.body.ticketId}`)
    expect(ticket.body).toMatchObject({ channel: 'phone', requesterId: customerId })
    const twice = await agent.post(`/api/v1/calls/${call.id}/ticket`, { subject: 'Phone call', description: 'again' })
    expect(twice).toMatchObject({ status: 200, body: { ticketId: opened.body.ticketId, created: false } })
    expect((await callByPbxId(callId)).ticket_id).toBe(opened.body.ticketId)
  })

  it('creates the customer from the number when the caller was unknown', async () => {
    const callId = nextCallId()
    await native({ type: 'new_call', callId, from: '13622223333', to: DESK, direction: 'in' })
    const call = await callByPbxId(callId)
    const opened = await agent.post(`/api/v1/calls/${call.id}/ticket`, { subject: 'New caller', description: 'Asked about pricing', customerName: 'Zhao Min' })
    expect(opened.status).toBe(201)
    const linked = await callByPbxId(callId)
    const customer = await server.deps.db.selectFrom('users').selectAll().where('id', '=', linked.customer_id ?? '').executeTakeFirstOrThrow()
    expect(customer).toMatchObject({ phone: '+8613622223333', name: 'Zhao Min' })
  })

  it('pops a call with no named agent to available agents only', async () => {
    await agent.post('/api/v1/agent-presence/me', { state: 'away' })
    const callId = nextCallId()
    await native({ type: 'queued', callId, from: '13800138000', to: DESK, direction: 'in', queue: 'support' })
    const call = await callByPbxId(callId)
    expect((await agent.get(`/api/v1/calls/${call.id}`)).body.popForMe).toBe(false)
    expect((await agent.post('/api/v1/agent-presence/me', { state: 'available' })).status).toBe(200)
    expect((await agent.get(`/api/v1/calls/${call.id}`)).body.popForMe).toBe(true)
  })
})
