import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient } from '../helpers/api-client.ts'
import { TEST_PASSWORD, type TestServer, buildStaff, startTestServer } from '../helpers/test-server.ts'

describe('directory: organisations, customers, users, groups, categories', () => {
  let server: TestServer
  let admin: ApiClient

  beforeAll(async () => {
    server = await startTestServer()
    admin = new ApiClient(server.url)
    await admin.login((await buildStaff(server.deps, { roles: ['admin'] })).email ?? '', TEST_PASSWORD)
  })
  afterAll(async () => server.close())

  it('creates, reads, updates and deletes organisations, with conflicts on duplicate names', async () => {
    const created = await admin.post('/api/v1/organisations', { name: '华东电力', vipLevel: 'gold', servicePackage: 'exclusive', region: '华东' })
    expect(created.status).toBe(201)
    expect(created.body.vipLevel).toBe('gold')
    const duplicate = await admin.post('/api/v1/organisations', { name: '华东电力' })
    expect(duplicate.status).toBe(409)
    expect(duplicate.body.error.fields[0].field).toBe('name')
    const updated = await admin.patch(`/api/v1/organisations/${created.body.id}`, { servicePackage: 'value_added' })
    expect(updated.body.servicePackage).toBe('value_added')
    expect((await admin.get('/api/v1/organisations?q=华东')).body.total).toBe(1)
    const events = await server.deps.db.selectFrom('events').select(['type', 'data']).where('entity_id', '=', created.body.id).orderBy('id').execute()
    expect(events.map((e) => e.type)).toEqual(['organisation.created', 'organisation.updated'])
    expect(events[1]?.data).toEqual({ changes: { service_package: { before: 'exclusive', after: 'value_added' } } })
    expect((await admin.delete(`/api/v1/organisations/${created.body.id}`)).status).toBe(204)
    expect((await admin.get(`/api/v1/organisations/${created.body.id}`)).status).toBe(404)
  })

  it('keeps e-mail, phone and external ids unique where present', async () => {
    const first = await admin.post('/api/v1/customers', { name: '王伟', email: 'wang.wei@example.test', phone: '13800138001', wechatOpenId: 'o_wx_1' })
    expect(first.status).toBe(201)
    const sameEmail = await admin.post('/api/v1/customers', { name: 'Wang', email: 'WANG.WEI@example.test' })
    expect(sameEmail.status).toBe(409)
    expect(sameEmail.body.error.fields[0].field).toBe('email')
    const samePhone = await admin.post('/api/v1/customers', { name: 'Wang', phone: '+86 138 0013 8001' })
    expect(samePhone.status).toBe(409)
    expect(samePhone.body.error.fields[0].field).toBe('phone')
    const sameWechat = await admin.post('/api/v1/customers', { name: 'Wang', wechatOpenId: 'o_wx_1' })
    expect(sameWechat.body.error.fields[0].field).toBe('wechatOpenId')
    const noContact = await admin.post('/api/v1/customers', { name: 'Walk-in, no contact details' })
    const alsoNoContact = await admin.post('/api/v1/customers', { name: 'Another walk-in' })
    expect([noContact.status, alsoNoContact.status]).toEqual([201, 201])
  })

  it('manages agents with tiers, roles and groups; never removes the last admin', async () => {
    const group = await admin.post('/api/v1/groups', { name: '二线专家 / Specialists' })
    const agent = await admin.post('/api/v1/users', { name: '李娜', email: 'li.na@desk.test', roles: ['agent'], tier: 'L2', groupIds: [group.body.id], password: 'a-long-password' })
    expect(agent.status).toBe(201)
    expect(agent.body.groupIds).toEqual([group.body.id])
    expect((await admin.get(`/api/v1/groups/${group.body.id}`)).body.memberIds).toEqual([agent.body.id])
    const noTier = await admin.post('/api/v1/users', { name: 'x', email: 'x@desk.test', roles: ['agent'] })
    expect(noTier.status).toBe(400)
    expect(noTier.body.error.fields[0].field).toBe('tier')
    const me = (await admin.get('/api/v1/me')).body.user
    const demote = await admin.patch(`/api/v1/users/${me.id}`, { roles: ['agent'], tier: 'L1' })
    expect(demote.status).toBe(409)
    const deactivated = await admin.delete(`/api/v1/users/${agent.body.id}`)
    expect(deactivated.body.isActive).toBe(false)
    expect((await new ApiClient(server.url).login('li.na@desk.test', 'a-long-password')).status).toBe(401)
  })

  it('keeps categories a tree', async () => {
    const hardware = await admin.post('/api/v1/categories', { nameZh: '硬件故障', nameEn: 'Hardware faults' })
    const printers = await admin.post('/api/v1/categories', { nameZh: '打印机', nameEn: 'Printers', parentId: hardware.body.id })
    expect(printers.body.parentId).toBe(hardware.body.id)
    const cycle = await admin.patch(`/api/v1/categories/${hardware.body.id}`, { parentId: printers.body.id })
    expect(cycle.status).toBe(400)
    expect(cycle.body.error.fields[0].field).toBe('parentId')
    const inUse = await admin.delete(`/api/v1/categories/${hardware.body.id}`)
    expect(inUse.status).toBe(409)
    expect((await admin.get('/api/v1/categories')).body.items).toHaveLength(2)
  })
})
