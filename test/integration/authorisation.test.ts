import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient } from '../helpers/api-client.ts'
import {
  TEST_PASSWORD,
  type TestServer,
  buildCustomer,
  buildGroup,
  buildOrganisation,
  buildStaff,
  startTestServer,
} from '../helpers/test-server.ts'

async function signIn(server: TestServer, email: string | null): Promise<ApiClient> {
  const client = new ApiClient(server.url)
  const response = await client.login(email ?? '', TEST_PASSWORD)
  if (response.status !== 200) throw new Error(`login failed: ${JSON.stringify(response.body)}`)
  return client
}

describe('authorisation policy over HTTP', () => {
  let server: TestServer
  let alice: ApiClient
  let bob: ApiClient
  let orgAdmin: ApiClient
  let agentA: ApiClient
  let agentB: ApiClient
  let supervisor: ApiClient
  let admin: ApiClient
  let groupA: string
  let groupB: string
  let aliceTicket: string
  let bobTicket: string
  let groupBTicket: string

  beforeAll(async () => {
    server = await startTestServer()
    const org = await buildOrganisation(server.deps)
    const a = await buildStaff(server.deps)
    const b = await buildStaff(server.deps)
    groupA = (await buildGroup(server.deps, [a.id])).id
    groupB = (await buildGroup(server.deps, [b.id])).id
    const aliceUser = await buildCustomer(server.deps, { organisationId: org.id })
    const bobUser = await buildCustomer(server.deps, { organisationId: org.id })
    const orgAdminUser = await buildCustomer(server.deps, { organisationId: org.id, isOrgAdmin: true })
    alice = await signIn(server, aliceUser.email)
    bob = await signIn(server, bobUser.email)
    orgAdmin = await signIn(server, orgAdminUser.email)
    agentA = await signIn(server, a.email)
    agentB = await signIn(server, b.email)
    supervisor = await signIn(server, (await buildStaff(server.deps, { roles: ['supervisor'] })).email)
    admin = await signIn(server, (await buildStaff(server.deps, { roles: ['admin'] })).email)
    aliceTicket = (await alice.post('/api/v1/tickets', { subject: 'Alice', description: 'alice secret' })).body.id
    bobTicket = (await bob.post('/api/v1/tickets', { subject: 'Bob', description: 'bob issue' })).body.id
    const routed = await supervisor.post('/api/v1/tickets', { subject: 'Routed to B', description: 'x', requesterId: bobUser.id, groupId: groupB })
    groupBTicket = routed.body.id
  })
  afterAll(async () => server.close())

  it('answers 404, not 403, for a ticket another customer owns, by URL and by every sub-resource', async () => {
    for (const path of ['', '/messages', '/events']) {
      const response = await bob.get(`/api/v1/tickets/${aliceTicket}${path}`)
      expect(response.status).toBe(404)
      expect(response.body.error.code).toBe('NOT_FOUND')
    }
    expect((await bob.post(`/api/v1/tickets/${aliceTicket}/messages`, { body: 'hi', visibility: 'public' })).status).toBe(404)
    expect((await bob.patch(`/api/v1/tickets/${aliceTicket}`, { subject: 'mine now' })).status).toBe(404)
    const missing = await bob.get('/api/v1/tickets/00000000-0000-4000-8000-000000000000')
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual((await bob.get(`/api/v1/tickets/${aliceTicket}`)).body)
  })

  it('lists only the caller’s own tickets for a customer, the organisation’s for an organisation admin', async () => {
    const aliceList = (await alice.get('/api/v1/tickets')).body.items.map((t: { id: string }) => t.id)
    expect(aliceList).toEqual([aliceTicket])
    const bobAsksForAlice = (await bob.get(`/api/v1/tickets?requester=${(await alice.get('/api/v1/me')).body.user.id}`)).body.items
    expect(bobAsksForAlice).toEqual([])
    const orgList = (await orgAdmin.get('/api/v1/tickets')).body.items.map((t: { id: string }) => t.id).sort()
    expect(orgList).toEqual([aliceTicket, bobTicket, groupBTicket].sort())
  })

  it('hides internal notes and agent-only fields from customers', async () => {
    await agentA.post(`/api/v1/tickets/${aliceTicket}/messages`, { body: 'internal: VIP customer, be careful', visibility: 'internal' })
    const messages = await alice.get(`/api/v1/tickets/${aliceTicket}/messages`)
    expect(messages.body.items).toEqual([])
    const ticket = await alice.get(`/api/v1/tickets/${aliceTicket}`)
    expect(ticket.body).not.toHaveProperty('assigneeId')
    expect(ticket.body).not.toHaveProperty('tags')
    const note = await alice.post(`/api/v1/tickets/${aliceTicket}/messages`, { body: 'sneaky', visibility: 'internal' })
    expect(note.status).toBe(403)
    expect(note.body.error.fields[0].field).toBe('visibility')
    const found = await alice.get('/api/v1/tickets?text=careful')
    expect(found.body.items).toEqual([])
    const agentFound = await agentA.get('/api/v1/tickets?text=careful')
    expect(agentFound.body.items.map((t: { id: string }) => t.id)).toEqual([aliceTicket])
  })

  it('refuses agent-only fields to customers, naming each', async () => {
    const refused = await alice.patch(`/api/v1/tickets/${aliceTicket}`, { severity: 'P1', tags: ['urgent'] })
    expect(refused.status).toBe(403)
    expect(refused.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['severity', 'tags'])
    expect((await agentA.get(`/api/v1/tickets/${aliceTicket}`)).body.severity).toBe('P3')
    const allowed = await alice.patch(`/api/v1/tickets/${aliceTicket}`, { subject: 'Alice (updated)' })
    expect(allowed.status).toBe(200)
    const accept = await alice.post(`/api/v1/tickets/${aliceTicket}/transitions`, { action: 'accept' })
    expect(accept.status).toBe(403)
    const onCreate = await alice.post('/api/v1/tickets', { subject: 's', description: 'd', assigneeId: '00000000-0000-4000-8000-000000000000' })
    expect(onCreate.status).toBe(403)
    expect(onCreate.body.error.fields[0].field).toBe('assigneeId')
  })

  it('shows an agent the queues of their groups and unrouted tickets, not other groups', async () => {
    expect((await agentA.get(`/api/v1/tickets/${groupBTicket}`)).status).toBe(404)
    expect((await agentB.get(`/api/v1/tickets/${groupBTicket}`)).status).toBe(200)
    expect((await agentA.get(`/api/v1/tickets/${aliceTicket}`)).status).toBe(200)
    const queueA = (await agentA.get(`/api/v1/tickets?group=${groupB}`)).body.items
    expect(queueA).toEqual([])
    expect((await supervisor.get(`/api/v1/tickets/${groupBTicket}`)).status).toBe(200)
    expect((await supervisor.get('/api/v1/tickets')).body.items).toHaveLength(3)
    await supervisor.patch(`/api/v1/tickets/${bobTicket}`, { groupId: groupA })
    expect((await agentA.get(`/api/v1/tickets?group=${groupA}`)).body.items.map((t: { id: string }) => t.id)).toEqual([bobTicket])
    expect((await agentB.get(`/api/v1/tickets/${bobTicket}`)).status).toBe(404)
  })

  it('keeps user and settings management to administrators', async () => {
    const body = { name: 'New Agent', email: 'new.agent@desk.test', roles: ['agent'], tier: 'L2' }
    const byAgent = await agentA.post('/api/v1/users', body)
    expect(byAgent.status).toBe(403)
    expect(byAgent.body.error.code).toBe('FORBIDDEN')
    expect((await supervisor.post('/api/v1/users', body)).status).toBe(403)
    expect((await agentA.patch('/api/v1/settings', { reopenWindowDays: 1 })).status).toBe(403)
    expect((await agentA.post('/api/v1/groups', { name: 'x' })).status).toBe(403)
    expect((await alice.get('/api/v1/customers')).status).toBe(403)
    expect((await alice.get('/api/v1/categories')).status).toBe(200)
    const byAdmin = await admin.post('/api/v1/users', body)
    expect(byAdmin.status).toBe(201)
    expect(byAdmin.body.tier).toBe('L2')
    const customerByAgent = await agentA.post('/api/v1/customers', { name: '李娜', email: 'li.na@example.test', phone: '138 0013 8000' })
    expect(customerByAgent.status).toBe(201)
    expect(customerByAgent.body.phone).toBe('+8613800138000')
    const staffAsCustomer = await agentA.post('/api/v1/customers', { name: 'x', roles: ['admin'] })
    expect(staffAsCustomer.status).toBe(400)
    expect(staffAsCustomer.body.error.fields[0].field).toBe('roles')
  })
})
