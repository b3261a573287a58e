import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/domain/policy/actor.ts'
import { createUser } from '../../src/services/people/users.ts'
import { ApiClient } from '../helpers/api-client.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildStaff, startTestServer } from '../helpers/test-server.ts'

/** Staff extensions (分机号): set on the users API, and how PBX events name agents by them. */

let server: TestServer
let admin: ApiClient
let pbx: ApiClient
let agentId: string
let agent: ApiClient
let otherAgent: ApiClient

const DESK = '+864008001234'
let sequence = 0
const nextCallId = () => `ext-${Date.now()}-${sequence++}`

beforeAll(async () => {
  server = await startTestServer()
  const adminUser = await buildStaff(server.deps, { roles: ['admin'] })
  admin = new ApiClient(server.url)
  expect((await admin.login(adminUser.email ?? '', TEST_PASSWORD)).status).toBe(200)
  const token = await admin.post('/api/v1/tokens', { name: 'pbx' })
  expect(token.status).toBe(201)
  pbx = ApiClient.withToken(server.url, token.body.token)

  // The agent answering on extension 8001 is set up over the API, as an administrator would.
  const created = await admin.post('/api/v1/users', {
    name: 'Zhou Jie',
    email: 'zhou.jie@desk.test',
    roles: ['agent'],
    tier: 'L1',
    phoneExtension: '8001',
    password: TEST_PASSWORD,
  })
  expect(created.status).toBe(201)
  expect(created.body.phoneExtension).toBe('8001')
  agentId = created.body.id
  agent = new ApiClient(server.url)
  expect((await agent.login('zhou.jie@desk.test', TEST_PASSWORD)).status).toBe(200)
  const other = await buildStaff(server.deps, { name: 'Other Agent' })
  otherAgent = new ApiClient(server.url)
  expect((await otherAgent.login(other.email ?? '', TEST_PASSWORD)).status).toBe(200)
})
afterAll(async () => server.close())

async function callByPbxId(callId: string) {
  return server.deps.db.selectFrom('calls').selectAll().where('call_id', '=', callId).executeTakeFirstOrThrow()
}

async function presenceOf(userId: string) {
  const row = await server.deps.db.selectFrom('agent_presence').select('state').where('user_id', '=', userId).executeTakeFirst()
  return row?.state
}

describe('the users API: phoneExtension', () => {
  it('reads the extension back on the user, in the list and by a search for it', async () => {
    const read = await admin.get(`/api/v1/users/${agentId}`)
    expect(read.status).toBe(200)
    expect(read.body.phoneExtension).toBe('8001')
    const found = await admin.get('/api/v1/users?q=8001')
    expect(found.body.items.map((u: { id: string }) => u.id)).toEqual([agentId])
    const staff = await buildStaff(server.deps)
    expect((await admin.get(`/api/v1/users/${staff.id}`)).body.phoneExtension).toBeNull()
  })

  it('refuses what is not an extension with 400 VALIDATION on phoneExtension', async () => {
    const staff = await buildStaff(server.deps)
    for (const bad of ['', '80-01', '8001 ', 'ext8001', '1'.repeat(21), 8001]) {
      const response = await admin.patch(`/api/v1/users/${staff.id}`, { phoneExtension: bad })
      expect(response.status, JSON.stringify(bad)).toBe(400)
      expect(response.body.error.code).toBe('VALIDATION')
      // Nullable fields report each alternative; all of them name phoneExtension.
      expect([...new Set(response.body.error.fields.map((f: { field: string }) => f.field))]).toEqual(['phoneExtension'])
    }
    const created = await admin.post('/api/v1/users', { name: 'Bad Ext', roles: ['supervisor'], phoneExtension: '8 002' })
    expect(created.status).toBe(400)
    expect(created.body.error.fields[0].field).toBe('phoneExtension')
    expect((await admin.get('/api/v1/users?q=Bad%20Ext')).body.total).toBe(0)
    // Digits with * and #, up to 20 characters, are taken as they are.
    const ok = await admin.patch(`/api/v1/users/${staff.id}`, { phoneExtension: '*72#' })
    expect(ok).toMatchObject({ status: 200, body: { phoneExtension: '*72#' } })
    const long = await admin.patch(`/api/v1/users/${staff.id}`, { phoneExtension: '1'.repeat(20) })
    expect(long).toMatchObject({ status: 200, body: { phoneExtension: '1'.repeat(20) } })
  })

  it('answers a taken extension with 409 CONFLICT on phoneExtension, and frees it when cleared', async () => {
    const taken = await admin.post('/api/v1/users', { name: 'Second Desk', roles: ['agent'], tier: 'L2', phoneExtension: '8001' })
    expect(taken.status).toBe(409)
    expect(taken.body.error).toMatchObject({ code: 'CONFLICT', fields: [{ field: 'phoneExtension' }] })
    const staff = await buildStaff(server.deps)
    const moved = await admin.patch(`/api/v1/users/${staff.id}`, { phoneExtension: '8001' })
    expect(moved.status).toBe(409)
    expect(moved.body.error.fields[0].field).toBe('phoneExtension')
    expect((await admin.get(`/api/v1/users/${staff.id}`)).body.phoneExtension).toBeNull()

    // Clearing an extension (null) lets someone else take it.
    const holder = await buildStaff(server.deps)
    expect((await admin.patch(`/api/v1/users/${holder.id}`, { phoneExtension: '8050' })).status).toBe(200)
    expect((await admin.patch(`/api/v1/users/${staff.id}`, { phoneExtension: '8050' })).status).toBe(409)
    expect((await admin.patch(`/api/v1/users/${holder.id}`, { phoneExtension: null })).body.phoneExtension).toBeNull()
    expect((await admin.patch(`/api/v1/users/${staff.id}`, { phoneExtension: '8050' })).body.phoneExtension).toBe('8050')
  })

  it('gives customers no extension: 400 on the field, none shown', async () => {
    const created = await admin.post('/api/v1/customers', { name: 'Caller With Ext', phoneExtension: '8100' })
    expect(created.status).toBe(400)
    expect(created.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['phoneExtension'])
    const customer = await buildCustomer(server.deps)
    const patched = await admin.patch(`/api/v1/customers/${customer.id}`, { phoneExtension: '8100' })
    expect(patched.status).toBe(400)
    expect(patched.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['phoneExtension'])
    const read = await admin.get(`/api/v1/customers/${customer.id}`)
    expect(read.status).toBe(200)
    expect(read.body).not.toHaveProperty('phoneExtension')
    // The service refuses it too, for callers other than HTTP.
    await expect(createUser(server.deps, SYSTEM_ACTOR, 'customer', { name: 'Direct', phoneExtension: '8100' })).rejects.toMatchObject({
      code: 'VALIDATION',
      fields: [{ field: 'phoneExtension' }],
    })
  })

  it('is described in the OpenAPI document: settable on /users only, read on the user', async () => {
    const doc = await admin.get('/api/openapi.json')
    expect(doc.status).toBe(200)
    const body = (path: string, method: string) => doc.body.paths[path][method].requestBody.content['application/json'].schema
    const field = body('/api/v1/users', 'post').properties.phoneExtension
    expect(JSON.stringify(field)).toContain('^[0-9*#]{1,20}$')
    expect(body('/api/v1/users/{id}', 'patch').properties).toHaveProperty('phoneExtension')
    expect(body('/api/v1/customers', 'post').properties).not.toHaveProperty('phoneExtension')
    const user = doc.body.paths['/api/v1/users/{id}'].get.responses['200'].content['application/json'].schema
    expect(JSON.stringify(user)).toContain('phoneExtension')
    const agentField = doc.body.paths['/api/v1/cti/events'].post.requestBody.content['application/json'].schema.properties.agent
    expect(JSON.stringify(agentField)).toContain('extension')
  })

  it('lets only administrators set an extension', async () => {
    const staff = await buildStaff(server.deps)
    expect((await agent.patch(`/api/v1/users/${staff.id}`, { phoneExtension: '8200' })).status).toBe(403)
    expect((await admin.get(`/api/v1/users/${staff.id}`)).body.phoneExtension).toBeNull()
  })
})

describe('PBX events naming the agent by extension', () => {
  it('pops a call with agent "8001" for the agent on that extension only', async () => {
    const callId = nextCallId()
    const ring = await pbx.post('/api/v1/cti/events', { type: 'new_call', callId, from: '13800138000', to: DESK, direction: 'in', agent: '8001' })
    expect(ring).toMatchObject({ status: 200, body: {} })
    const call = await callByPbxId(callId)
    expect(call.agent_id).toBe(agentId)
    const pop = await agent.get(`/api/v1/calls/${call.id}`)
    expect(pop.status).toBe(200)
    expect(pop.body).toMatchObject({ popForMe: true, agent: { id: agentId, name: 'Zhou Jie' } })
    expect((await otherAgent.get(`/api/v1/calls/${call.id}`)).body.popForMe).toBe(false)

    // The three-event form's answeringNumber is matched the same way.
    const generic = nextCallId()
    const fields = { from: '13800138000', to: DESK, direction: 'in', callId: generic }
    expect((await pbx.post('/api/v1/cti/generic', { event: 'newCall', ...fields })).status).toBe(200)
    expect((await pbx.post('/api/v1/cti/generic', { event: 'answer', ...fields, answeringNumber: '8001' })).status).toBe(200)
    expect((await callByPbxId(generic)).agent_id).toBe(agentId)
  })

  it('sets the presence of the agent on the extension from agent_state', async () => {
    expect((await pbx.post('/api/v1/cti/events', { type: 'agent_state', agent: '8001', state: 'wrap-up' })).status).toBe(200)
    expect(await presenceOf(agentId)).toBe('wrap_up')
    expect((await pbx.post('/api/v1/cti/events', { type: 'agent_state', agent: ' 8001 ', state: 'available' })).status).toBe(200)
    expect(await presenceOf(agentId)).toBe('available')
  })

  it('matches the extension before reading it as a phone number', async () => {
    // "8001234" is also a possible Chinese landline number (+868001234), held by another staff member.
    const byPhone = await admin.post('/api/v1/users', { name: 'Phone Holder', roles: ['agent'], tier: 'L1', phone: '8001234' })
    expect(byPhone.status).toBe(201)
    expect(byPhone.body.phone).toBe('+868001234')
    const byExtension = await admin.post('/api/v1/users', { name: 'Extension Holder', roles: ['agent'], tier: 'L1', phoneExtension: '8001234' })
    expect(byExtension.status).toBe(201)
    const callId = nextCallId()
    await pbx.post('/api/v1/cti/events', { type: 'new_call', callId, from: '13800138000', to: DESK, direction: 'in', agent: '8001234' })
    expect((await callByPbxId(callId)).agent_id).toBe(byExtension.body.id)
    // A real phone number still finds its holder when no one has it as an extension.
    const viaPhone = nextCallId()
    await pbx.post('/api/v1/cti/events', { type: 'new_call', callId: viaPhone, from: '13800138000', to: DESK, direction: 'in', agent: '+86 800 1234' })
    expect((await callByPbxId(viaPhone)).agent_id).toBe(byPhone.body.id)
  })

  it('treats an unknown extension as an unknown agent: the call is logged with the reference kept, agent_state is refused on agent', async () => {
    const callId = nextCallId()
    const ring = await pbx.post('/api/v1/cti/events', { type: 'new_call', callId, from: '13800138000', to: DESK, direction: 'in', agent: '8999' })
    expect(ring).toMatchObject({ status: 200, body: {} })
    const call = await callByPbxId(callId)
    expect(call.agent_id).toBeNull()
    expect(call.history).toEqual([expect.objectContaining({ type: 'new_call', agentId: null, agentRefs: ['8999'] })])
    // With no agent matched it pops up as a queue call: for available agents.
    expect((await agent.post('/api/v1/agent-presence/me', { state: 'available' })).status).toBe(200)
    expect((await agent.get(`/api/v1/calls/${call.id}`)).body.popForMe).toBe(true)

    const before = await presenceOf(agentId)
    const refused = await pbx.post('/api/v1/cti/events', { type: 'agent_state', agent: '8999', state: 'busy' })
    expect(refused.status).toBe(400)
    expect(refused.body.error.fields).toEqual([expect.objectContaining({ field: 'agent' })])
    expect(await presenceOf(agentId)).toBe(before)
  })

  it('no longer matches the extension of a deactivated staff member', async () => {
    const created = await admin.post('/api/v1/users', { name: 'Leaving Agent', roles: ['agent'], tier: 'L1', phoneExtension: '8300' })
    expect(created.status).toBe(201)
    expect((await pbx.post('/api/v1/cti/events', { type: 'agent_state', agent: '8300', state: 'busy' })).status).toBe(200)
    expect((await admin.delete(`/api/v1/users/${created.body.id}`)).status).toBe(200)
    const refused = await pbx.post('/api/v1/cti/events', { type: 'agent_state', agent: '8300', state: 'available' })
    expect(refused.status).toBe(400)
    expect(await presenceOf(created.body.id)).toBe('busy')
  })
})
