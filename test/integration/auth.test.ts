import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient } from '../helpers/api-client.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildStaff, startTestServer } from '../helpers/test-server.ts'

describe('sign-in, sessions, CSRF and API tokens', () => {
  let server: TestServer
  let agentEmail: string
  let adminEmail: string

  beforeAll(async () => {
    server = await startTestServer({ sessionTtlSeconds: 3600 })
    agentEmail = (await buildStaff(server.deps)).email ?? ''
    adminEmail = (await buildStaff(server.deps, { roles: ['admin'] })).email ?? ''
  })
  afterAll(async () => server.close())

  it('stores passwords as argon2id hashes', async () => {
    const row = await server.deps.db.selectFrom('users').select('password_hash').where('email', '=', agentEmail).executeTakeFirstOrThrow()
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  })

  it('refuses a wrong password and an unknown e-mail alike', async () => {
    const wrong = await new ApiClient(server.url).login(agentEmail, 'not the password')
    const unknown = await new ApiClient(server.url).login('nobody@desk.test', TEST_PASSWORD)
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(wrong.body).toEqual(unknown.body)
  })

  it('signs in with an HttpOnly cookie, checks CSRF on changes, and signs out', async () => {
    const client = new ApiClient(server.url)
    const login = await client.login(agentEmail.toUpperCase(), TEST_PASSWORD)
    expect(login.status).toBe(200)
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/i)
    expect(login.headers.get('set-cookie')).toMatch(/SameSite=Lax/i)
    const me = await client.get('/api/v1/me')
    expect(me.body.user.email).toBe(agentEmail)
    expect(me.body.csrfToken).toBe(login.body.csrfToken)
    const forged = await client.post('/api/v1/tickets', { subject: 's', description: 'd', requesterEmail: 'x@example.test' }, { 'x-csrf-token': 'forged' })
    expect(forged.status).toBe(403)
    expect(forged.body.error.code).toBe('CSRF')
    expect(await server.deps.db.selectFrom('tickets').select('id').execute()).toEqual([])
    expect((await client.post('/api/v1/auth/logout')).status).toBe(204)
    expect((await client.get('/api/v1/me')).status).toBe(401)
  })

  it('expires idle sessions and slides active ones', async () => {
    const client = new ApiClient(server.url)
    await client.login(agentEmail, TEST_PASSWORD)
    try {
      server.clock.advance(40 * 60_000)
      expect((await client.get('/api/v1/me')).status).toBe(200) // extends the session by a full hour
      server.clock.advance(50 * 60_000)
      expect((await client.get('/api/v1/me')).status).toBe(200)
      server.clock.advance(61 * 60_000)
      const expired = await client.get('/api/v1/me')
      expect(expired.status).toBe(401)
      expect(expired.body.error.code).toBe('UNAUTHENTICATED')
    } finally {
      server.clock.advance(-151 * 60_000)
    }
  })

  it('authenticates integrations by API token, stored only as a hash, and honours revocation', async () => {
    const admin = new ApiClient(server.url)
    await admin.login(adminEmail, TEST_PASSWORD)
    const created = await admin.post('/api/v1/tokens', { name: 'crm sync' })
    expect(created.status).toBe(201)
    const token: string = created.body.token
    expect(token).toMatch(/^ldt_/)
    const stored = await server.deps.db.selectFrom('api_tokens').selectAll().execute()
    expect(stored.some((row) => row.token_hash.includes(token) || token.includes(row.token_hash))).toBe(false)

    const integration = ApiClient.withToken(server.url, token)
    const customer = await buildCustomer(server.deps)
    const imported = await integration.post('/api/v1/tickets', {
      subject: 'Imported from the old desk',
      description: '旧系统迁移的工单',
      requesterId: customer.id,
      receivedAt: '2025-03-01T02:00:00.000Z',
    })
    expect(imported.status).toBe(201)
    expect(imported.body.receivedAt).toBe('2025-03-01T02:00:00.000Z')
    expect(imported.body.channel).toBe('api')

    expect((await admin.delete(`/api/v1/tokens/${created.body.id}`)).status).toBe(204)
    const revoked = await integration.get('/api/v1/tickets')
    expect(revoked.status).toBe(401)
    expect(revoked.body.error.code).toBe('UNAUTHENTICATED')
  })

  it('lets only admins and integration tokens set receivedAt', async () => {
    const agent = new ApiClient(server.url)
    await agent.login(agentEmail, TEST_PASSWORD)
    const customer = await buildCustomer(server.deps)
    const refused = await agent.post('/api/v1/tickets', { subject: 's', description: 'd', requesterId: customer.id, receivedAt: '2025-01-01T00:00:00Z' })
    expect(refused.status).toBe(403)
    expect(refused.body.error.fields[0].field).toBe('receivedAt')
    const admin = new ApiClient(server.url)
    await admin.login(adminEmail, TEST_PASSWORD)
    const future = await admin.post('/api/v1/tickets', { subject: 's', description: 'd', requesterId: customer.id, receivedAt: '2999-01-01T00:00:00Z' })
    expect(future.status).toBe(400)
    expect(future.body.error.fields[0].field).toBe('receivedAt')
  })
})
