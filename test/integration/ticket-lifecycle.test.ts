import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient } from '../helpers/api-client.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildGroup, buildStaff, startTestServer } from '../helpers/test-server.ts'

describe('ticket lifecycle over HTTP', () => {
  let server: TestServer
  let agent: ApiClient
  let agentId: string
  let secondAgentId: string
  let groupId: string
  let customer: ApiClient
  let customerId: string

  beforeAll(async () => {
    // Sessions outlive the clock jumps of the reopen-window test.
    server = await startTestServer({ sessionTtlSeconds: 30 * 86_400 })
    const staff = await buildStaff(server.deps, { tier: 'L1' })
    const second = await buildStaff(server.deps, { tier: 'L2' })
    agentId = staff.id
    secondAgentId = second.id
    const group = await buildGroup(server.deps, [staff.id, second.id])
    groupId = group.id
    const person = await buildCustomer(server.deps)
    customerId = person.id
    agent = new ApiClient(server.url)
    expect((await agent.login(staff.email ?? '', TEST_PASSWORD)).status).toBe(200)
    customer = new ApiClient(server.url)
    expect((await customer.login(person.email ?? '', TEST_PASSWORD)).status).toBe(200)
  })
  afterAll(async () => server.close())

  it('runs a request from submission to closure with every step on record', async () => {
    const created = await customer.post('/api/v1/tickets', { subject: '打印机无法连接网络', description: 'The printer on floor 3 is offline since this morning.', type: 'incident', severity: 'P2' })
    expect(created.status).toBe(201)
    const ticket = created.body
    expect(ticket.number).toMatch(/^\d{8}-\d{6}$/)
    expect(ticket.status).toBe('new')
    expect(ticket.channel).toBe('portal')
    expect(ticket.requesterId).toBe(customerId)
    expect(ticket.assigneeId).toBeUndefined()
    expect(ticket.abilities.actions).toEqual([])

    const accepted = await agent.post(`/api/v1/tickets/${ticket.id}/transitions`, { action: 'accept' })
    expect(accepted.status).toBe(200)
    expect(accepted.body.status).toBe('accepted')
    expect(accepted.body.ownerId).toBe(agentId)
    expect(accepted.body.assigneeId).toBe(agentId)

    const reply = await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: '请重启打印机后再试。Please restart the printer.', visibility: 'public' })
    expect(reply.status).toBe(201)
    const note = await agent.post(`/api/v1/tickets/${ticket.id}/messages`, { body: 'Firmware 2.1 known issue', visibility: 'internal' })
    expect(note.status).toBe(201)

    const afterReply = await agent.get(`/api/v1/tickets/${ticket.id}`)
    expect(afterReply.body.firstResponseAt).not.toBeNull()

    const customerMessages = await customer.get(`/api/v1/tickets/${ticket.id}/messages`)
    expect(customerMessages.body.items.map((m: { body: string }) => m.body)).toEqual(['请重启打印机后再试。Please restart the printer.'])
    const agentMessages = await agent.get(`/api/v1/tickets/${ticket.id}/messages`)
    expect(agentMessages.body.items).toHaveLength(2)

    const transferred = await agent.post(`/api/v1/tickets/${ticket.id}/transfer`, { assigneeId: secondAgentId, groupId, reason: 'needs L2 firmware knowledge' })
    expect(transferred.status).toBe(200)
    expect(transferred.body.assigneeId).toBe(secondAgentId)
    expect(transferred.body.ownerId).toBe(agentId)
    expect(transferred.body.transferCount).toBe(1)

    expect((await agent.post(`/api/v1/tickets/${ticket.id}/transitions`, { action: 'start' })).body.status).toBe('in_progress')
    expect((await agent.post(`/api/v1/tickets/${ticket.id}/transitions`, { action: 'resolve', reason: 'firmware updated' })).body.status).toBe('resolved')

    const asCustomer = await customer.get(`/api/v1/tickets/${ticket.id}`)
    expect(asCustomer.body.abilities.actions).toEqual(['close', 'reopen'])
    const closed = await customer.post(`/api/v1/tickets/${ticket.id}/transitions`, { action: 'close' })
    expect(closed.status).toBe(200)
    expect(closed.body.status).toBe('closed')
    expect(closed.body.closedAt).not.toBeNull()

    const events = await agent.get(`/api/v1/tickets/${ticket.id}/events`)
    const lifecycle = events.body.items.map((e: { type: string }) => e.type).filter((type: string) => !type.startsWith('ticket.sla_'))
    expect(lifecycle).toEqual([
      'ticket.created',
      'ticket.accepted',
      'ticket.message_added',
      'ticket.message_added',
      'ticket.transferred',
      'ticket.started',
      'ticket.resolved',
      'ticket.closed',
    ])
    const transfer = events.body.items.find((e: { type: string }) => e.type === 'ticket.transferred')
    expect(transfer.reason).toBe('needs L2 firmware knowledge')
    expect(transfer.actorId).toBe(agentId)

    const customerEvents = await customer.get(`/api/v1/tickets/${ticket.id}/events`)
    const customerTypes = customerEvents.body.items.map((e: { type: string }) => e.type)
    expect(customerTypes).not.toContain('ticket.transferred')
    expect(customerTypes.filter((t: string) => t === 'ticket.message_added')).toHaveLength(1)
    expect(customerEvents.body.items.every((e: { data?: unknown }) => e.data === undefined)).toBe(true)
  })

  it('refuses transitions the state machine does not allow, and changes nothing', async () => {
    const created = await customer.post('/api/v1/tickets', { subject: 'Invoice title', description: '发票抬头需要修改' })
    const refused = await agent.post(`/api/v1/tickets/${created.body.id}/transitions`, { action: 'close' })
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('INVALID_TRANSITION')
    expect(refused.body.error.fields[0].field).toBe('action')
    const after = await agent.get(`/api/v1/tickets/${created.body.id}`)
    expect(after.body.status).toBe('new')
    const events = await agent.get(`/api/v1/tickets/${created.body.id}/events`)
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(['ticket.created', 'ticket.sla_updated'])
  })

  it('reopens within the window and refuses after it', async () => {
    const created = await customer.post('/api/v1/tickets', { subject: 'VPN drops', description: 'VPN keeps disconnecting after update' })
    const id = created.body.id
    await agent.post(`/api/v1/tickets/${id}/transitions`, { action: 'accept' })
    await agent.post(`/api/v1/tickets/${id}/transitions`, { action: 'resolve' })
    const reopened = await customer.post(`/api/v1/tickets/${id}/transitions`, { action: 'reopen', reason: '还是不行 / still broken' })
    expect(reopened.status).toBe(200)
    expect(reopened.body.status).toBe('in_progress')
    expect(reopened.body.reopenCount).toBe(1)
    await agent.post(`/api/v1/tickets/${id}/transitions`, { action: 'resolve' })
    server.clock.advance(8 * 86_400_000)
    try {
      const late = await customer.post(`/api/v1/tickets/${id}/transitions`, { action: 'reopen' })
      expect(late.status).toBe(409)
      expect(late.body.error.code).toBe('REOPEN_WINDOW_EXPIRED')
      expect((await agent.get(`/api/v1/tickets/${id}`)).body.status).toBe('resolved')
    } finally {
      server.clock.advance(-8 * 86_400_000)
    }
  })

  it('takes a ticket off hold when the customer replies', async () => {
    const created = await customer.post('/api/v1/tickets', { subject: 'Need logs', description: 'Service crashed' })
    const id = created.body.id
    await agent.post(`/api/v1/tickets/${id}/transitions`, { action: 'accept' })
    expect((await agent.post(`/api/v1/tickets/${id}/transitions`, { action: 'wait', reason: 'asked for logs' })).body.status).toBe('waiting')
    expect((await customer.post(`/api/v1/tickets/${id}/messages`, { body: 'Here are the logs', visibility: 'public' })).status).toBe(201)
    expect((await agent.get(`/api/v1/tickets/${id}`)).body.status).toBe('in_progress')
  })

  it('lets an agent open a ticket for an unknown caller by e-mail', async () => {
    const created = await agent.post('/api/v1/tickets', { subject: '电话报修', description: '客户来电：空调不制冷', requesterEmail: 'New.Caller@Example.test', requesterName: '张三' })
    expect(created.status).toBe(201)
    expect(created.body.channel).toBe('phone')
    const customers = await agent.get('/api/v1/customers?q=new.caller')
    expect(customers.body.items).toHaveLength(1)
    expect(customers.body.items[0].name).toBe('张三')
    expect(customers.body.items[0].email).toBe('new.caller@example.test')
    expect(created.body.requesterId).toBe(customers.body.items[0].id)
  })
})
