import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient } from '../helpers/api-client.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildGroup, buildStaff, startTestServer } from '../helpers/test-server.ts'

describe('workspace support: queue counts, agent load, bulk transfer, saved views, names on the timeline', () => {
  let server: TestServer
  let agent: ApiClient
  let supervisor: ApiClient
  let agentId: string
  let otherId: string
  let groupId: string
  let customerId: string

  beforeAll(async () => {
    server = await startTestServer()
    const a = await buildStaff(server.deps, { name: '张伟' })
    const b = await buildStaff(server.deps, { tier: 'L2' })
    agentId = a.id
    otherId = b.id
    groupId = (await buildGroup(server.deps, [a.id, b.id])).id
    customerId = (await buildCustomer(server.deps, { name: '王芳' })).id
    agent = new ApiClient(server.url)
    await agent.login(a.email ?? '', TEST_PASSWORD)
    supervisor = new ApiClient(server.url)
    await supervisor.login((await buildStaff(server.deps, { roles: ['supervisor'] })).email ?? '', TEST_PASSWORD)
  })
  afterAll(async () => server.close())

  it('counts open tickets per queue and reports the load per agent', async () => {
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await supervisor.post('/api/v1/tickets', { subject: `t${i}`, description: 'd', requesterId: customerId, groupId, assigneeId: agentId })).body.id)
    await supervisor.post('/api/v1/tickets', { subject: 'unassigned', description: 'd', requesterId: customerId })
    await agent.post(`/api/v1/tickets/${ids[0]}/transitions`, { action: 'accept' })
    await agent.post(`/api/v1/tickets/${ids[0]}/transitions`, { action: 'resolve' })
    expect((await agent.get('/api/v1/tickets/counts')).body).toEqual({ mine: 2, myGroups: 2, unassigned: 1, allOpen: 3, chats: { mine: 0, myGroups: 0, unassigned: 0, allOpen: 0 } })
    // Chats of each queue: one of mine in my group, one unassigned, one resolved (not counted).
    const chat = (await supervisor.post('/api/v1/tickets', { subject: 'chat', description: 'd', requesterId: customerId, groupId, assigneeId: agentId, channel: 'chat' })).body.id
    await supervisor.post('/api/v1/tickets', { subject: 'chat 2', description: 'd', requesterId: customerId, channel: 'chat' })
    const done = (await supervisor.post('/api/v1/tickets', { subject: 'chat 3', description: 'd', requesterId: customerId, assigneeId: agentId, channel: 'chat' })).body.id
    await agent.post(`/api/v1/tickets/${done}/transitions`, { action: 'accept' })
    await agent.post(`/api/v1/tickets/${done}/transitions`, { action: 'resolve' })
    expect((await agent.get('/api/v1/tickets/counts')).body).toEqual({ mine: 3, myGroups: 3, unassigned: 2, allOpen: 5, chats: { mine: 1, myGroups: 1, unassigned: 1, allOpen: 2 } })
    await agent.post(`/api/v1/tickets/${chat}/transitions`, { action: 'accept' })
    await agent.post(`/api/v1/tickets/${chat}/transitions`, { action: 'resolve' })
    expect((await agent.get('/api/v1/reports/agent-load')).status).toBe(403)
    const load = (await supervisor.get('/api/v1/reports/agent-load')).body.items
    const mine = load.find((row: { agentId: string }) => row.agentId === agentId)
    expect(mine).toMatchObject({ name: '张伟', open: 2, notStarted: 2, inProgress: 0, waiting: 0 })
  })

  it('transfers tickets in bulk, all or none', async () => {
    const open = (await supervisor.get(`/api/v1/tickets?assignee=${agentId}&status=new`)).body.items.map((t: { id: string }) => t.id)
    expect(open).toHaveLength(2)
    const refused = await supervisor.post('/api/v1/tickets/bulk-transfer', { ticketIds: [...open, '00000000-0000-4000-8000-000000000000'], assigneeId: otherId, reason: 'rebalance' })
    expect(refused.status).toBe(404)
    expect(refused.body.error.fields[0].field).toBe('ticketIds/2')
    expect((await supervisor.get(`/api/v1/tickets?assignee=${otherId}`)).body.items).toEqual([])
    const moved = await supervisor.post('/api/v1/tickets/bulk-transfer', { ticketIds: open, assigneeId: otherId, reason: 'rebalance' })
    expect(moved.status).toBe(200)
    expect(moved.body.items.every((t: { assigneeId: string; transferCount: number }) => t.assigneeId === otherId && t.transferCount === 1)).toBe(true)
  })

  it('keeps saved views per person', async () => {
    const created = await agent.post('/api/v1/views', { name: 'P1 open', query: 'severity=P1&status=new,accepted' })
    expect(created.status).toBe(201)
    expect((await agent.post('/api/v1/views', { name: 'p1 OPEN', query: '' })).status).toBe(409)
    expect((await agent.get('/api/v1/views')).body.items.map((v: { name: string }) => v.name)).toEqual(['P1 open'])
    expect((await supervisor.get('/api/v1/views')).body.items).toEqual([])
    expect((await supervisor.delete(`/api/v1/views/${created.body.id}`)).status).toBe(404)
    expect((await agent.delete(`/api/v1/views/${created.body.id}`)).status).toBe(204)
  })

  it('names authors and actors on the timeline', async () => {
    const ticket = (await supervisor.post('/api/v1/tickets', { subject: 'names', description: 'd', requesterId: customerId, groupId })).body
    await agent.post(`/api/v1/tickets/${ticket.id}/transitions`, { action: 'accept' })
    await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: '您好', visibility: 'public' })
    const messages = (await agent.get(`/api/v1/tickets/${ticket.id}/messages`)).body.items
    expect(messages[0].author).toEqual({ id: agentId, name: '张伟', isStaff: true })
    const events = (await agent.get(`/api/v1/tickets/${ticket.id}/events`)).body.items
    expect(events.find((e: { type: string }) => e.type === 'ticket.accepted').actorName).toBe('张伟')
  })
})
