import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient } from '../helpers/api-client.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildGroup, buildStaff, startTestServer } from '../helpers/test-server.ts'

describe('ticket listing, search, paging and idempotency', () => {
  let server: TestServer
  let agent: ApiClient
  let agentId: string
  let customerId: string
  let groupId: string

  beforeAll(async () => {
    server = await startTestServer()
    const staff = await buildStaff(server.deps, { roles: ['supervisor'] })
    agentId = staff.id
    groupId = (await buildGroup(server.deps, [staff.id])).id
    customerId = (await buildCustomer(server.deps)).id
    agent = new ApiClient(server.url)
    await agent.login(staff.email ?? '', TEST_PASSWORD)
  })
  afterAll(async () => server.close())

  const open = (body: Record<string, unknown>) => agent.post('/api/v1/tickets', { requesterId: customerId, ...body })

  it('finds Chinese words and English words in subjects, descriptions and messages', async () => {
    const printer = await open({ subject: '打印机无法连接网络', description: '三楼的打印机从早上开始离线' })
    const vpn = await open({ subject: 'VPN keeps disconnecting', description: 'After the update the VPN client drops every hour' })
    const invoice = await open({ subject: '发票抬头', description: '需要修改发票抬头' })
    await agent.post(`/api/v1/tickets/${invoice.body.id}/messages`, { body: '客户要求加急处理 — expedite', visibility: 'public' })
    const ids = async (text: string) => (await agent.get(`/api/v1/tickets?text=${encodeURIComponent(text)}`)).body.items.map((t: { id: string }) => t.id)
    expect(await ids('打印机')).toEqual([printer.body.id])
    expect(await ids('打印')).toEqual([printer.body.id])
    expect(await ids('网络')).toEqual([printer.body.id])
    expect(await ids('离线')).toEqual([printer.body.id])
    expect(await ids('vpn')).toEqual([vpn.body.id])
    expect(await ids('VPN update')).toEqual([vpn.body.id])
    expect(await ids('加急')).toEqual([invoice.body.id])
    expect(await ids('expedite')).toEqual([invoice.body.id])
    expect(await ids('打印机 发票')).toEqual([])
    expect(await ids('冰箱')).toEqual([])
  })

  it('filters by status, severity, type, assignee, group and tag', async () => {
    const p1 = await open({ subject: 'Core system down', description: 'outage', severity: 'P1', type: 'incident', groupId, assigneeId: agentId, tags: ['outage'] })
    await open({ subject: 'Question', description: 'how to', severity: 'P4', type: 'consultation' })
    const list = async (query: string) => (await agent.get(`/api/v1/tickets?${query}`)).body.items.map((t: { id: string }) => t.id)
    expect(await list('severity=P1')).toEqual([p1.body.id])
    expect(await list('severity=P1&type=incident&status=new')).toEqual([p1.body.id])
    expect(await list('assignee=me')).toEqual([p1.body.id])
    expect(await list(`group=${groupId}`)).toEqual([p1.body.id])
    expect(await list('tag=outage')).toEqual([p1.body.id])
    expect(await list('status=closed')).toEqual([])
    const unassigned = await list('assignee=none')
    expect(unassigned).not.toContain(p1.body.id)
    expect(unassigned.length).toBeGreaterThan(0)
  })

  it('filters by channel, one or several; an unknown channel is a validation error on `channel`', async () => {
    const chat = await open({ subject: 'Chat about billing', description: 'chat', channel: 'chat', tags: ['by-channel'] })
    const phone = await open({ subject: 'Call about billing', description: 'phone', channel: 'phone', tags: ['by-channel'] })
    const email = await open({ subject: 'Mail about billing', description: 'mail', channel: 'email', tags: ['by-channel'] })
    const walkIn = await open({ subject: 'Walk-in about billing', description: 'desk', channel: 'walk_in', tags: ['by-channel'] })
    await agent.post(`/api/v1/tickets/${walkIn.body.id}/transitions`, { action: 'accept' })
    await agent.post(`/api/v1/tickets/${walkIn.body.id}/transitions`, { action: 'resolve' })
    const list = async (query: string) => {
      const response = await agent.get(`/api/v1/tickets?tag=by-channel&${query}`)
      expect(response.status).toBe(200)
      return response.body.items.map((t: { id: string; channel: string }) => `${t.channel}:${t.id}`).sort()
    }
    expect(await list('channel=chat')).toEqual([`chat:${chat.body.id}`])
    expect(await list('channel=phone,email')).toEqual([`email:${email.body.id}`, `phone:${phone.body.id}`].sort())
    expect(await list('channel=walk_in')).toEqual([`walk_in:${walkIn.body.id}`])
    expect(await list('channel=walk_in&status=new,accepted,in_progress,waiting')).toEqual([])
    expect(await list('channel=chat,walk_in&status=new,accepted,in_progress,waiting')).toEqual([`chat:${chat.body.id}`])
    expect(await list('channel=wechat')).toEqual([])
    // The filter only narrows what the caller may see: a customer sees no one else's chat.
    const customer = new ApiClient(server.url)
    await customer.login((await buildCustomer(server.deps)).email ?? '', TEST_PASSWORD)
    expect((await customer.get('/api/v1/tickets?channel=chat')).body.items).toEqual([])

    for (const bad of ['fax', 'chat,fax', 'chat,', 'CHAT', '']) {
      const refused = await agent.get(`/api/v1/tickets?channel=${encodeURIComponent(bad)}`)
      expect(refused.status).toBe(400)
      expect(refused.body.error.code).toBe('VALIDATION')
      expect(refused.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['channel'])
    }
  })

  it('pages through every ticket exactly once with cursors, in each sort order', async () => {
    for (let i = 0; i < 23; i++) {
      server.clock.advance(1000)
      await open({ subject: `Paging ${i}`, description: 'paging', severity: (['P1', 'P2', 'P3', 'P4'] as const)[i % 4], tags: ['paging'] })
    }
    for (const sort of ['-receivedAt', 'receivedAt', 'severity', '-updatedAt']) {
      const seen: string[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const query: string = `tag=paging&limit=5&sort=${sort}${cursor === null ? '' : `&cursor=${cursor}`}`
        const page = await agent.get(`/api/v1/tickets?${query}`)
        expect(page.status).toBe(200)
        seen.push(...page.body.items.map((t: { id: string }) => t.id))
        cursor = page.body.nextCursor
        pages++
      } while (cursor !== null)
      expect(pages).toBe(5)
      expect(new Set(seen).size).toBe(23)
    }
    const severities = (await agent.get('/api/v1/tickets?tag=paging&sort=severity&limit=100')).body.items.map((t: { severity: string }) => t.severity)
    expect(severities).toEqual([...severities].sort())
    const bad = await agent.get('/api/v1/tickets?cursor=bm90LWEtY3Vyc29y')
    expect(bad.status).toBe(400)
    expect(bad.body.error.fields[0].field).toBe('cursor')
  })

  it('returns the first ticket for a repeated Idempotency-Key, even under concurrency', async () => {
    const body = { requesterId: customerId, subject: 'Idempotent', description: 'only once' }
    const results = await Promise.all(Array.from({ length: 8 }, () => agent.post('/api/v1/tickets', body, { 'idempotency-key': 'order-42' })))
    const ids = new Set(results.map((r) => r.body.id))
    expect(ids.size).toBe(1)
    expect(results.filter((r) => r.status === 201)).toHaveLength(1)
    expect(results.filter((r) => r.status === 200 && r.headers.get('idempotent-replayed') === 'true')).toHaveLength(7)
    const stored = await server.deps.db.selectFrom('tickets').select('id').where('subject', '=', 'Idempotent').execute()
    expect(stored).toHaveLength(1)
    const reused = await agent.post('/api/v1/tickets', { ...body, subject: 'Different' }, { 'idempotency-key': 'order-42' })
    expect(reused.status).toBe(422)
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED')
  })

  it('gives ticket numbers that are unique and dated in the desk time zone', async () => {
    server.clock.set(new Date('2026-11-23T16:30:00Z'))
    const created = await open({ subject: 'Late evening', description: 'after 00:00 in Shanghai' })
    expect(created.body.number).toMatch(/^20261124-\d{6}$/)
    server.clock.set(new Date())
  })

  it('serves the OpenAPI 3.1 document generated from the validating schemas, and its page', async () => {
    const doc = await agent.get('/api/openapi.json')
    expect(doc.status).toBe(200)
    expect(doc.body.openapi).toBe('3.1.0')
    const create = doc.body.paths['/api/v1/tickets'].post
    expect(create.requestBody.content['application/json'].schema.properties.severity.enum).toEqual(['P1', 'P2', 'P3', 'P4'])
    expect(create.requestBody.content['application/json'].schema.additionalProperties).toBe(false)
    const channel = doc.body.paths['/api/v1/tickets'].get.parameters.find((p: { name: string; in: string }) => p.name === 'channel' && p.in === 'query')
    expect(channel.schema.pattern).toContain('walk_in')
    expect(channel.description ?? channel.schema.description).toMatch(/comma-separated/)
    for (const path of ['/api/v1/auth/login', '/api/v1/auth/logout', '/api/v1/me', '/api/v1/tickets/{id}', '/api/v1/tickets/{id}/transitions', '/api/v1/tickets/{id}/messages', '/api/v1/tickets/{id}/events', '/api/v1/organisations', '/api/v1/customers', '/api/v1/users', '/api/v1/groups', '/api/v1/categories']) {
      expect(doc.body.paths).toHaveProperty([path])
    }
    const page = await fetch(`${server.url}/api/docs`, { redirect: 'follow' })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('swagger')
  })
})
