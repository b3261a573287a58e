import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { ApiClient } from '../helpers/api-client.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildGroup, buildStaff, startTestServer } from '../helpers/test-server.ts'

interface Received {
  type: string
  ticketId: string | null
}

/** A real WebSocket client that records what it is told. */
async function connect(server: TestServer, client: ApiClient, headers: Record<string, string> = {}) {
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/live`, { headers: { ...client.credentials(), ...headers } })
  const received: Received[] = []
  await new Promise<void>((resolve, reject) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { kind: string } & Received
      if (message.kind === 'ready') resolve()
      else received.push({ type: message.type, ticketId: message.ticketId })
    })
    socket.on('error', reject)
    socket.on('unexpected-response', (request, response) => {
      // ws leaves the refused handshake's connection open unless it is aborted here.
      request.destroy()
      reject(new Error(`HTTP ${response.statusCode}`))
    })
  })
  return { socket, received }
}

async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a live event')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('live updates over WebSocket', () => {
  let server: TestServer
  let agent: ApiClient
  let otherAgent: ApiClient
  let customer: ApiClient
  let stranger: ApiClient
  let groupB: string

  beforeAll(async () => {
    server = await startTestServer()
    const a = await buildStaff(server.deps)
    const b = await buildStaff(server.deps)
    await buildGroup(server.deps, [a.id])
    groupB = (await buildGroup(server.deps, [b.id])).id
    agent = new ApiClient(server.url)
    await agent.login(a.email ?? '', TEST_PASSWORD)
    otherAgent = new ApiClient(server.url)
    await otherAgent.login(b.email ?? '', TEST_PASSWORD)
    customer = new ApiClient(server.url)
    await customer.login((await buildCustomer(server.deps)).email ?? '', TEST_PASSWORD)
    stranger = new ApiClient(server.url)
    await stranger.login((await buildCustomer(server.deps)).email ?? '', TEST_PASSWORD)
  })
  afterAll(async () => server.close())

  it('tells each person, within a second, of the changes they may see and nothing else', async () => {
    const agentLive = await connect(server, agent)
    const customerLive = await connect(server, customer)
    const strangerLive = await connect(server, stranger)
    const otherLive = await connect(server, otherAgent)
    try {
      const started = Date.now()
      const ticket = await customer.post('/api/v1/tickets', { subject: '新工单', description: 'live' })
      await waitFor(() => agentLive.received.some((e) => e.ticketId === ticket.body.id && e.type === 'ticket.created'), 1000)
      expect(Date.now() - started).toBeLessThan(1000)
      await waitFor(() => customerLive.received.some((e) => e.type === 'ticket.created'))

      await agent.post(`/api/v1/tickets/${ticket.body.id}/transitions`, { action: 'accept' })
      await agent.post(`/api/v1/tickets/${ticket.body.id}/messages`, { body: 'internal only', visibility: 'internal' })
      await agent.post(`/api/v1/tickets/${ticket.body.id}/messages`, { body: 'hello', visibility: 'public' })
      await waitFor(() => agentLive.received.filter((e) => e.type === 'ticket.message_added').length === 2)
      await waitFor(() => customerLive.received.some((e) => e.type === 'ticket.message_added'))
      // The internal note came first; the customer was told of one message only, the public one.
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(customerLive.received.filter((e) => e.type === 'ticket.message_added')).toHaveLength(1)
      expect(customerLive.received.map((e) => e.type)).toEqual(['ticket.created', 'ticket.accepted', 'ticket.message_added'])

      // Transferred to group B: the agent is told it left the queue; B's agent sees it arrive.
      await agent.post(`/api/v1/tickets/${ticket.body.id}/transfer`, { groupId: groupB, assigneeId: null, reason: 'belongs to B' })
      await waitFor(() => agentLive.received.some((e) => e.type === 'ticket.transferred'))
      await waitFor(() => otherLive.received.some((e) => e.type === 'ticket.transferred'))
      expect(strangerLive.received).toEqual([])
    } finally {
      for (const live of [agentLive, customerLive, strangerLive, otherLive]) live.socket.close()
    }
  })

  it('refuses sockets without a session', async () => {
    await expect(connect(server, new ApiClient(server.url))).rejects.toThrow('HTTP 401')
  })

  it('refuses sockets from other sites', async () => {
    const foreign = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/live`, { headers: { ...agent.credentials(), origin: 'https://evil.example' } })
    const code = await new Promise<number>((resolve) => foreign.on('close', (closeCode) => resolve(closeCode)))
    expect(code).toBe(4403)
  })
})
