import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { outboxHandlers } from '../../src/channels/registry.ts'
import { runOutboxPass } from '../../src/jobs/outbox-dispatcher.ts'
import { runSlaPass } from '../../src/jobs/sla-scheduler.ts'
import { ApiClient } from '../helpers/api-client.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildGroup, buildStaff, startTestServer } from '../helpers/test-server.ts'

interface SlaTarget {
  target: string
  status: string
  dueAt: string | null
  businessSecondsLeft: number
  escalationLevel: number
}


describe('SLA engine on the default policies and the Chinese business calendar', () => {
  let server: TestServer
  let admin: ApiClient
  let agent: ApiClient
  let customer: ApiClient
  let customerId: string
  let agentId: string
  let groupId: string
  let supervisorId: string

  beforeAll(async () => {
    server = await startTestServer({ sessionTtlSeconds: 365 * 86_400 })
    const a = await buildStaff(server.deps)
    agentId = a.id
    groupId = (await buildGroup(server.deps, [a.id])).id
    supervisorId = (await buildStaff(server.deps, { roles: ['supervisor'] })).id
    await buildStaff(server.deps, { roles: ['manager'] })
    const c = await buildCustomer(server.deps)
    customerId = c.id
    admin = new ApiClient(server.url)
    await admin.login((await buildStaff(server.deps, { roles: ['admin'] })).email ?? '', TEST_PASSWORD)
    agent = new ApiClient(server.url)
    await agent.login(a.email ?? '', TEST_PASSWORD)
    customer = new ApiClient(server.url)
    await customer.login(c.email ?? '', TEST_PASSWORD)
  })
  afterAll(async () => server.close())

  const targets = async (id: string): Promise<Record<string, SlaTarget>> => {
    const ticket = await admin.get(`/api/v1/tickets/${id}`)
    return Object.fromEntries((ticket.body.sla as SlaTarget[]).map((target) => [target.target, target]))
  }
  const at = (iso: string) => server.clock.set(new Date(iso))

  it('dates a P3 received before National Day across the holidays and the make-up Saturday', async () => {
    at('2026-09-30T09:00:00Z') // Wednesday 17:00 in Shanghai
    const created = await admin.post('/api/v1/tickets', { subject: '系统使用咨询', description: 'how do I export?', severity: 'P3', requesterId: customerId })
    expect(created.status).toBe(201)
    const sla = await targets(created.body.id)
    expect(sla.acknowledgement?.dueAt).toBe('2026-09-30T09:15:00.000Z')
    expect(sla.first_response?.dueAt).toBe('2026-09-30T09:30:00.000Z')
    // 15 business hours: 1 h on 9/30, 7.5 h on Thu 10/8, 6.5 h of Fri 10/9 → Fri 17:00.
    expect(sla.resolution?.dueAt).toBe('2026-10-09T09:00:00.000Z')
    expect(sla.resolution?.businessSecondsLeft).toBe(15 * 3600)
    expect(sla.follow_up?.status).toBe('pending')
    expect(created.body.priorityScore).toBe(20)
    expect(created.body.slaState).toBe('ok')
  })

  it('stops the resolution clock while waiting on the customer over a weekend', async () => {
    at('2026-11-20T08:00:00Z') // Friday 16:00
    const created = await customer.post('/api/v1/tickets', { subject: '需要日志', description: 'service crashed', severity: 'P3' })
    const id = created.body.id
    at('2026-11-20T08:10:00Z')
    await agent.post(`/api/v1/tickets/${id}/transitions`, { action: 'accept' })
    at('2026-11-20T08:30:00Z')
    await agent.post(`/api/v1/tickets/${id}/transitions`, { action: 'wait', reason: 'asked for the logs' })
    expect((await targets(id)).resolution?.status).toBe('paused')
    at('2026-11-23T02:00:00Z') // Monday 10:00
    await customer.post(`/api/v1/tickets/${id}/messages`, { body: 'logs attached', visibility: 'public' })
    const sla = await targets(id)
    expect(sla.resolution?.status).toBe('running')
    // 30 min spent on Friday; 870 left from Monday 10:00 → Wednesday 09:30.
    expect(sla.resolution?.businessSecondsLeft).toBe(870 * 60)
    expect(sla.resolution?.dueAt).toBe('2026-11-25T01:30:00.000Z')
    expect(sla.acknowledgement?.status).toBe('met')
  })

  it('moves to the P1 policy when the severity is raised mid-way, with the change on record', async () => {
    at('2026-11-24T01:00:00Z')
    const created = await customer.post('/api/v1/tickets', { subject: 'Core system slow', description: 'getting worse', severity: 'P3' })
    const id = created.body.id
    at('2026-11-24T01:05:00Z')
    const raised = await agent.patch(`/api/v1/tickets/${id}`, { severity: 'P1' })
    expect(raised.body.priorityScore).toBe(60)
    const sla = await targets(id)
    expect(sla.first_response?.dueAt).toBe('2026-11-24T01:15:00.000Z')
    expect(sla.solution?.dueAt).toBe('2026-11-24T03:00:00.000Z')
    expect(sla.resolution).toBeUndefined()
    const events = (await agent.get(`/api/v1/tickets/${id}/events`)).body.items.filter((e: { type: string }) => e.type === 'ticket.sla_updated')
    expect(events).toHaveLength(2)
    expect(events[1].reason).toBe('severity changed')
    expect(events[1].data.policyName).toContain('P1')
  })

  it('warns, breaches and escalates agent → supervisor → manager, each step once', async () => {
    at('2026-11-24T04:00:00Z')
    const created = await admin.post('/api/v1/tickets', { subject: '核心系统宕机', description: 'outage', severity: 'P1', requesterId: customerId, groupId, assigneeId: agentId })
    const id = created.body.id
    at('2026-11-24T04:01:00Z')
    await agent.post(`/api/v1/tickets/${id}/transitions`, { action: 'accept' })
    // Only the first-response target is followed here (the solution target runs on its own 2 h).
    const firedTypes = async () =>
      (await server.deps.db.selectFrom('events').select(['type', 'data']).where('ticket_id', '=', id).where('type', 'in', ['ticket.sla_warning', 'ticket.sla_breached', 'ticket.escalated']).orderBy('id').execute())
        .filter((e) => (e.data as { target?: string }).target === 'first_response')
        .map((e) => e.type)
    const tick = async (iso: string) => {
      at(iso)
      // Two passes at the same instant: the second finds nothing left to fire.
      await runSlaPass(server.deps)
      await runSlaPass(server.deps)
      await runOutboxPass(server.deps, outboxHandlers(server.deps))
    }
    await tick('2026-11-24T04:10:00Z')
    expect(await firedTypes()).toEqual([])
    await tick('2026-11-24T04:12:00Z') // past 75 % of 15 min
    expect(await firedTypes()).toEqual(['ticket.sla_warning'])
    await tick('2026-11-24T04:16:00Z') // first response overdue
    expect(await firedTypes()).toEqual(['ticket.sla_warning', 'ticket.sla_breached', 'ticket.escalated'])
    expect((await agent.get(`/api/v1/tickets/${id}`)).body.slaState).toBe('breached')
    await tick('2026-11-24T04:47:00Z') // 30 min after the breach: handed to a supervisor
    expect((await admin.get(`/api/v1/tickets/${id}`)).body.assigneeId).toBe(supervisorId)
    await tick('2026-11-24T06:17:00Z') // 2 h after the breach: the managers are told
    const types = await firedTypes()
    expect(types.filter((type) => type === 'ticket.escalated')).toHaveLength(3)
    expect(types.filter((type) => type === 'ticket.sla_warning')).toHaveLength(1)
    expect(types.filter((type) => type === 'ticket.sla_breached')).toHaveLength(1)

    const notices = (await agent.get('/api/v1/notifications')).body.items.filter((n: { ticketId: string }) => n.ticketId === id)
    const firstResponseNotices = notices.filter((n: { payload: { target: string } }) => n.payload.target === 'first_response')
    expect(firstResponseNotices.map((n: { kind: string }) => n.kind).sort()).toEqual(['sla_escalation', 'sla_escalation', 'sla_warning'])
    const atRisk = await admin.get('/api/v1/tickets?sla=breached')
    expect(atRisk.body.items.map((t: { id: string }) => t.id)).toContain(id)
  })

  it('resumes the resolution target of a reopened ticket instead of starting over', async () => {
    at('2026-11-24T01:00:00Z') // Tuesday 09:00
    const created = await customer.post('/api/v1/tickets', { subject: 'Reopen me', description: 'x', severity: 'P3' })
    const id = created.body.id
    await agent.post(`/api/v1/tickets/${id}/transitions`, { action: 'accept' })
    at('2026-11-24T02:00:00Z') // 10:00, 60 min in
    await agent.post(`/api/v1/tickets/${id}/transitions`, { action: 'resolve' })
    expect((await targets(id)).resolution?.status).toBe('met')
    at('2026-11-24T06:00:00Z') // 14:00: not fixed
    await customer.post(`/api/v1/tickets/${id}/transitions`, { action: 'reopen' })
    const sla = await targets(id)
    expect(sla.resolution?.status).toBe('running')
    expect(sla.resolution?.businessSecondsLeft).toBe((900 - 60) * 60)
  })

  it('lets admins edit calendars and recomputes the open targets on them', async () => {
    at('2026-11-24T01:00:00Z') // Tuesday 09:00
    const created = await customer.post('/api/v1/tickets', { subject: 'Holiday test', description: 'x', severity: 'P3' })
    const before = (await targets(created.body.id)).resolution?.dueAt
    const calendars = (await admin.get('/api/v1/sla/calendars')).body.items
    const business = calendars.find((c: { is24x7: boolean }) => !c.is24x7)
    expect(business.holidays).toContain('2026-10-01')
    expect(business.workdays).toContain('2026-10-10')
    const closed = await admin.patch(`/api/v1/sla/calendars/${business.id}`, { holidays: [...business.holidays, '2026-11-25'] })
    expect(closed.status).toBe(200)
    await runSlaPass(server.deps)
    const after = (await targets(created.body.id)).resolution?.dueAt
    // 15 business hours from Tuesday 09:00 end Wednesday 18:00; with Wednesday closed, Thursday 18:00.
    expect(before).toBe('2026-11-25T10:00:00.000Z')
    expect(after).toBe('2026-11-26T10:00:00.000Z')
    const refused = await agent.patch(`/api/v1/sla/calendars/${business.id}`, { holidays: [] })
    expect(refused.status).toBe(403)
    const bad = await admin.post('/api/v1/sla/calendars', { name: 'bad', timeZone: 'Mars/Olympus' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.fields[0].field).toBe('timeZone')
  })

  it('counts a reply and a switch to waiting made in one action as both', async () => {
    at('2026-11-24T01:00:00Z')
    const created = await customer.post('/api/v1/tickets', { subject: 'One action', description: 'x', severity: 'P3' })
    const id = created.body.id
    await agent.post(`/api/v1/tickets/${id}/transitions`, { action: 'accept' })
    at('2026-11-24T01:20:00Z')
    const reply = await agent.post(`/api/v1/tickets/${id}/messages`, { body: '请提供日志', visibility: 'public', then: 'wait' })
    expect(reply.status).toBe(201)
    const ticket = await agent.get(`/api/v1/tickets/${id}`)
    expect(ticket.body.status).toBe('waiting')
    expect(ticket.body.firstResponseAt).toBe('2026-11-24T01:20:00.000Z')
    const sla = Object.fromEntries((ticket.body.sla as SlaTarget[]).map((target) => [target.target, target]))
    expect(sla.first_response?.status).toBe('met')
    expect(sla.resolution?.status).toBe('paused')
    expect(sla.resolution?.businessSecondsLeft).toBe((900 - 20) * 60)
    const refused = await customer.post(`/api/v1/tickets/${id}/messages`, { body: 'x', visibility: 'public', then: 'resolve' })
    expect(refused.status).toBe(403)
  })

  it('escalates a customer’s third complaint within 90 days to supervisors and managers', async () => {
    const complainer = await buildCustomer(server.deps)
    const client = new ApiClient(server.url)
    await client.login(complainer.email ?? '', TEST_PASSWORD)
    const complain = async (iso: string) => {
      at(iso)
      return (await client.post('/api/v1/tickets', { subject: '投诉', description: '服务太慢', type: 'complaint' })).body.id as string
    }
    await complain('2026-06-01T02:00:00Z')
    await complain('2026-10-01T02:00:00Z')
    const second = await complain('2026-11-01T02:00:00Z')
    const escalations = async () => server.deps.db.selectFrom('events').select(['ticket_id', 'data']).where('type', '=', 'customer.escalated').where('entity_id', '=', complainer.id).execute()
    // The June complaint is outside the window: two within 90 days do not escalate.
    expect(await escalations()).toEqual([])
    const third = await complain('2026-11-20T02:00:00Z')
    const recorded = await escalations()
    expect(recorded.map((event) => event.ticket_id)).toEqual([third])
    expect(recorded[0]?.data).toMatchObject({ rule: 'complaints_per_customer', complaints: 3 })
    await runOutboxPass(server.deps, outboxHandlers(server.deps))
    const notices = await server.deps.db.selectFrom('notifications').select(['user_id', 'kind']).where('ticket_id', '=', third).where('kind', '=', 'complaint_escalation').execute()
    expect(notices.map((notice) => notice.user_id)).toContain(supervisorId)
    expect(second).not.toBe(third)
    await complain('2026-11-21T02:00:00Z')
    expect(await escalations()).toHaveLength(1)
  })
})
