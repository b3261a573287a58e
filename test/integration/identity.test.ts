import { sql } from 'kysely'
import { v7 as uuidv7 } from 'uuid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/domain/policy/actor.ts'
import { type ContactClues, resolveCustomer } from '../../src/services/people/resolve-customer.ts'
import { ApiClient } from '../helpers/api-client.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildGroup, buildOrganisation, buildStaff, startTestServer } from '../helpers/test-server.ts'

let server: TestServer
let agent: ApiClient
let agentId: string

beforeAll(async () => {
  server = await startTestServer({ sessionTtlSeconds: 30 * 86_400 })
  const agentUser = await buildStaff(server.deps, { tier: 'L1' })
  agentId = agentUser.id
  agent = new ApiClient(server.url)
  expect((await agent.login(agentUser.email ?? '', TEST_PASSWORD)).status).toBe(200)
})
afterAll(async () => server.close())

/** resolveCustomer in a transaction of its own, as a channel runs it. */
function resolve(clues: ContactClues) {
  return server.deps.db.transaction().execute((trx) => resolveCustomer(trx, clues, server.clock.now(), SYSTEM_ACTOR.id))
}

async function count(table: string, where = sql`true`): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(table)} WHERE ${where}`.execute(server.deps.db)
  return Number(rows[0]?.n)
}

async function userRow(id: string) {
  return server.deps.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

let seq = 0
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(seq++).toString(36)}`
/** A fresh Chinese mobile number in E.164. */
const freshMobile = () => `+86139${String(10_000_000 + Math.floor(Math.random() * 89_999_999)).slice(0, 8)}`

describe('resolveCustomer: one customer from the clues of every channel', () => {
  it('finds the e-mail customer again when a later contact brings e-mail and phone, then by phone alone', async () => {
    const email = `${unique('li.na')}@example.cn`
    const byMail = await resolve({ email: email.toUpperCase(), name: 'Li Na' })
    expect(byMail.created).toBe(true)
    const mobile = freshMobile()
    const national = `${mobile.slice(3, 6)} ${mobile.slice(6, 10)} ${mobile.slice(10)}`
    const withBoth = await resolve({ email, phone: `+86 ${mobile.slice(3, 6)}-${mobile.slice(6, 10)}-${mobile.slice(10)}` })
    expect(withBoth).toMatchObject({ created: false, user: { id: byMail.user.id, phone: mobile } })
    // A call from the national notation is the same customer.
    const byPhone = await resolve({ phone: national })
    expect(byPhone).toMatchObject({ created: false, user: { id: byMail.user.id } })
  })

  it('treats the national 138 0013 8000 and +86 138-0013-8000 as one number', async () => {
    const first = await resolve({ phone: '138 0013 8000' })
    const second = await resolve({ phone: '+86 138-0013-8000' })
    expect(first.user.phone).toBe('+8613800138000')
    expect(second.user.id).toBe(first.user.id)
    expect(second.created).toBe(false)
  })

  it('keeps external ids of different sources apart, and finds the same source id again', async () => {
    const id = unique('u')
    const app = await resolve({ identity: { source: 'app', externalId: id } })
    const wechat = await resolve({ identity: { source: 'wechat', externalId: id } })
    expect(wechat.user.id).not.toBe(app.user.id)
    const again = await resolve({ identity: { source: 'app', externalId: id }, email: `${id}@example.cn` })
    expect(again).toMatchObject({ created: false, user: { id: app.user.id, email: `${id}@example.cn` } })
  })

  it('leaves a clue another record holds where it is and records the meeting as a duplicate reason', async () => {
    const email = `${unique('wang')}@example.cn`
    const mobile = freshMobile()
    const byMail = await resolve({ email })
    const byPhone = await resolve({ phone: mobile })
    expect(byPhone.user.id).not.toBe(byMail.user.id)
    const both = await resolve({ email, phone: mobile })
    expect(both.user.id).toBe(byMail.user.id)
    expect((await userRow(byMail.user.id)).phone).toBeNull()
    expect((await userRow(byPhone.user.id)).phone).toBe(mobile)
    const duplicates = await agent.get(`/api/v1/customers/${byMail.user.id}/duplicates`)
    expect(duplicates.status).toBe(200)
    expect(duplicates.body.items).toEqual([
      expect.objectContaining({ customer: expect.objectContaining({ id: byPhone.user.id }), score: 90, reasons: [{ code: 'seen_together', evidence: mobile, weight: 90 }] }),
    ])
    // And from the other side.
    const reverse = await agent.get(`/api/v1/customers/${byPhone.user.id}/duplicates`)
    expect(reverse.body.items.map((item: { customer: { id: string } }) => item.customer.id)).toEqual([byMail.user.id])
  })

  it('creates one customer when contacts with the same new e-mail and phone arrive at once', async () => {
    const email = `${unique('race')}@example.cn`
    const mobile = freshMobile()
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        server.deps.db.transaction().execute(async (trx) => {
          const resolved = await resolveCustomer(trx, index % 2 === 0 ? { email, phone: mobile } : { phone: mobile, email }, server.clock.now(), SYSTEM_ACTOR.id)
          // Hold the transaction open so the others meet it uncommitted (PostgreSQL runs these in parallel).
          await sql`SELECT pg_sleep(0.05)`.execute(trx)
          return resolved
        }),
      ),
    )
    expect(new Set(results.map((result) => result.user.id)).size).toBe(1)
    expect(results.filter((result) => result.created)).toHaveLength(1)
    expect(await count('users', sql`email = ${email} OR phone = ${mobile}`)).toBe(1)
  })

  it('adds a clue to an existing customer safely while another contact claims the same phone', async () => {
    const mobile = freshMobile()
    const known = await resolve({ email: `${unique('known')}@example.cn` })
    const results = await Promise.all([
      server.deps.db.transaction().execute(async (trx) => {
        const resolved = await resolveCustomer(trx, { email: known.user.email, phone: mobile }, server.clock.now(), SYSTEM_ACTOR.id)
        await sql`SELECT pg_sleep(0.05)`.execute(trx)
        return resolved
      }),
      server.deps.db.transaction().execute(async (trx) => {
        const resolved = await resolveCustomer(trx, { phone: mobile }, server.clock.now(), SYSTEM_ACTOR.id)
        await sql`SELECT pg_sleep(0.05)`.execute(trx)
        return resolved
      }),
    ])
    // Both committed (no unique-index failure); exactly one record holds the phone.
    expect(results).toHaveLength(2)
    expect(await count('users', sql`phone = ${mobile}`)).toBe(1)
  })
})

describe('customer search', () => {
  it('finds a customer by phone in any notation and by external id', async () => {
    const resolved = await resolve({ phone: '+86 137 0013 7000', identity: { source: 'app', externalId: 'app-user-4711' }, name: 'Search Me' })
    for (const q of ['137 0013 7000', '+86 137-0013-7000', '13700137000', 'app-user-4711']) {
      const found = await agent.get(`/api/v1/customers?q=${encodeURIComponent(q)}`)
      expect(found.status).toBe(200)
      expect(found.body.items.map((item: { id: string }) => item.id), q).toContain(resolved.user.id)
    }
  })
})

interface Fixture {
  survivorId: string
  mergedId: string
  mergedEmail: string
  mergedPhone: string
  survivorTicket: string
  mergedTickets: string[]
  messageId: string
  callId: string
  chatId: string
  callbackId: string
  watchedTicket: string
  mergedClient: ApiClient
}

/** Two records of one person: the survivor (e-mail, a ticket from the agent) and the duplicate (phone, WeChat, portal tickets, a call, a chat, an app id). */
async function twoRecords(): Promise<Fixture> {
  const survivor = await buildCustomer(server.deps, { name: 'Zhao Lei' })
  const merged = await buildCustomer(server.deps, { name: 'Zhao Lei' })
  const mergedPhone = freshMobile()
  expect((await agent.patch(`/api/v1/customers/${merged.id}`, { phone: mergedPhone, wechatOpenId: unique('o-') })).status).toBe(200)
  const mergedClient = new ApiClient(server.url)
  expect((await mergedClient.login(merged.email ?? '', TEST_PASSWORD)).status).toBe(200)
  const survivorTicket = await agent.post('/api/v1/tickets', { requesterId: survivor.id, subject: 'Invoice copy', description: 'Needs the March invoice', channel: 'email' })
  expect(survivorTicket.status).toBe(201)
  const portalTicket = await mergedClient.post('/api/v1/tickets', { subject: '无法登录', description: '登录时提示密码错误' })
  expect(portalTicket.status).toBe(201)
  const message = await mergedClient.post(`/api/v1/tickets/${portalTicket.body.id}/messages`, { body: '还是不行', visibility: 'public' })
  expect(message.status).toBe(201)
  const now = server.clock.now()
  const callId = uuidv7()
  const phoneTicket = await agent.post('/api/v1/tickets', { requesterId: merged.id, subject: 'Phone: delivery late', description: 'Called about a late delivery', channel: 'phone' })
  await server.deps.db
    .insertInto('calls')
    .values({ id: callId, source: 'pbx', call_id: unique('c'), direction: 'in', from_number: mergedPhone, to_number: '+864000000000', queue: null, agent_id: agentId, customer_id: merged.id, ticket_id: phoneTicket.body.id, status: 'ended', outcome: 'answered', cause: null, recording_url: null, started_at: now, queued_at: null, answered_at: now, ended_at: now, wait_ms: 0, talk_ms: 1000, created_at: now, updated_at: now })
    .execute()
  const chatId = uuidv7()
  await server.deps.db
    .insertInto('chat_sessions')
    .values({ id: chatId, token_hash: unique('h'), customer_id: merged.id, ticket_id: null, status: 'closed', page_url: 'https://shop.example.cn/help', created_at: now, last_seen_at: now, closed_at: now, first_client_id: null })
    .execute()
  const missedCall = uuidv7()
  await server.deps.db
    .insertInto('calls')
    .values({ id: missedCall, source: 'pbx', call_id: unique('c'), direction: 'in', from_number: mergedPhone, to_number: '+864000000000', queue: null, agent_id: null, customer_id: merged.id, ticket_id: null, status: 'ended', outcome: 'missed', cause: null, recording_url: null, started_at: now, queued_at: null, answered_at: null, ended_at: now, wait_ms: 0, talk_ms: 0, created_at: now, updated_at: now })
    .execute()
  const callbackId = uuidv7()
  await server.deps.db
    .insertInto('callback_tasks')
    .values({ id: callbackId, call_id: missedCall, phone: mergedPhone, customer_id: merged.id, reason: 'missed', status: 'open', assignee_id: null, due_at: now, note: null, created_at: now, done_at: null })
    .execute()
  await server.deps.db.insertInto('customer_identities').values({ source: 'app', external_id: unique('app-'), user_id: merged.id, created_at: now }).execute()
  await server.deps.db.insertInto('ticket_watchers').values({ ticket_id: survivorTicket.body.id, user_id: merged.id }).execute()
  return {
    survivorId: survivor.id,
    mergedId: merged.id,
    mergedEmail: merged.email ?? '',
    mergedPhone,
    survivorTicket: survivorTicket.body.id,
    mergedTickets: [portalTicket.body.id, phoneTicket.body.id].sort(),
    messageId: message.body.id,
    callId,
    chatId,
    callbackId,
    watchedTicket: survivorTicket.body.id,
    mergedClient,
  }
}

/** Who each moved thing belongs to now. */
async function owners(f: Fixture) {
  const db = server.deps.db
  const tickets = await db.selectFrom('tickets').select(['id', 'requester_id']).where('id', 'in', f.mergedTickets).execute()
  return {
    tickets: [...new Set(tickets.map((t) => t.requester_id))],
    message: (await db.selectFrom('messages').select('author_id').where('id', '=', f.messageId).executeTakeFirstOrThrow()).author_id,
    call: (await db.selectFrom('calls').select('customer_id').where('id', '=', f.callId).executeTakeFirstOrThrow()).customer_id,
    chat: (await db.selectFrom('chat_sessions').select('customer_id').where('id', '=', f.chatId).executeTakeFirstOrThrow()).customer_id,
    callback: (await db.selectFrom('callback_tasks').select('customer_id').where('id', '=', f.callbackId).executeTakeFirstOrThrow()).customer_id,
    identities: (await db.selectFrom('customer_identities').select('user_id').where('source', '=', 'app').where('user_id', 'in', [f.survivorId, f.mergedId]).execute()).map((r) => r.user_id),
    watcher: (await db.selectFrom('ticket_watchers').select('user_id').where('ticket_id', '=', f.watchedTicket).execute()).map((r) => r.user_id),
  }
}

describe('merging two customer records, and undoing it', () => {
  it('refuses bad merges with a code and the field at fault, and writes nothing', async () => {
    const f = await twoRecords()
    const staff = await buildStaff(server.deps)
    const orgA = await buildOrganisation(server.deps)
    const orgB = await buildOrganisation(server.deps)
    const inA = await buildCustomer(server.deps, { organisationId: orgA.id })
    const inB = await buildCustomer(server.deps, { organisationId: orgB.id })
    const customer = new ApiClient(server.url)
    expect((await customer.login(inA.email ?? '', TEST_PASSWORD)).status).toBe(200)
    const before = { merges: await count('customer_merges'), events: await count('events'), users: JSON.stringify(await owners(f)) }
    const cases: [ApiClient, string, unknown, number, string, string | null][] = [
      [agent, uuidv7(), { mergeId: f.mergedId }, 404, 'NOT_FOUND', 'id'],
      [agent, f.survivorId, { mergeId: uuidv7() }, 404, 'NOT_FOUND', 'mergeId'],
      [agent, f.survivorId, { mergeId: f.survivorId }, 400, 'VALIDATION', 'mergeId'],
      [agent, f.survivorId, { mergeId: staff.id }, 400, 'VALIDATION', 'mergeId'],
      [agent, staff.id, { mergeId: f.mergedId }, 404, 'NOT_FOUND', 'id'],
      [agent, inA.id, { mergeId: inB.id }, 409, 'CONFLICT', 'force'],
      [agent, f.survivorId, {}, 400, 'VALIDATION', null],
      [agent, f.survivorId, { mergeId: 'not-a-uuid' }, 400, 'VALIDATION', null],
      [agent, f.survivorId, { mergeId: f.mergedId, extra: 1 }, 400, 'VALIDATION', null],
      [customer, inA.id, { mergeId: f.mergedId }, 403, 'FORBIDDEN', null],
    ]
    for (const [client, id, body, status, code, field] of cases) {
      const response = await client.post(`/api/v1/customers/${id}/merge`, body)
      expect(response.status, JSON.stringify(body)).toBe(status)
      expect(response.body.error.code).toBe(code)
      if (field !== null) expect(response.body.error.fields, JSON.stringify(response.body)).toEqual(expect.arrayContaining([expect.objectContaining({ field })]))
    }
    expect(await count('customer_merges')).toBe(before.merges)
    expect(await count('events')).toBe(before.events)
    expect(JSON.stringify(await owners(f))).toBe(before.users)
    expect((await agent.post(`/api/v1/customer-merges/${uuidv7()}/undo`)).status).toBe(404)
    expect((await customer.get(`/api/v1/customers/${inA.id}/history`)).status).toBe(403)
    expect((await agent.get(`/api/v1/customers/${uuidv7()}/history`)).status).toBe(404)
    expect((await agent.get(`/api/v1/customers/${f.survivorId}/history?cursor=bogus`)).body).toMatchObject({ error: { code: 'VALIDATION', fields: [{ field: 'cursor' }] } })
    // Across organisations with force it goes through.
    expect((await agent.post(`/api/v1/customers/${inA.id}/merge`, { mergeId: inB.id, force: true })).status).toBe(201)
  })

  it('moves everything listed, blocks the merged record, shows one history, and undo restores exactly', async () => {
    const f = await twoRecords()
    const survivorBefore = await userRow(f.survivorId)
    const mergedBefore = await userRow(f.mergedId)
    expect(await owners(f)).toEqual({ tickets: [f.mergedId], message: f.mergedId, call: f.mergedId, chat: f.mergedId, callback: f.mergedId, identities: [f.mergedId], watcher: [f.mergedId] })

    const duplicates = await agent.get(`/api/v1/customers/${f.survivorId}/duplicates`)
    const suggestion = duplicates.body.items.find((item: { customer: { id: string } }) => item.customer.id === f.mergedId)
    expect(suggestion.reasons.map((r: { code: string }) => r.code)).toContain('same_name')

    const merge = await agent.post(`/api/v1/customers/${f.survivorId}/merge`, { mergeId: f.mergedId })
    expect(merge.status).toBe(201)
    expect(merge.body).toMatchObject({ survivorId: f.survivorId, mergedId: f.mergedId, undoneAt: null })
    expect([...merge.body.moved.tickets].sort()).toEqual(f.mergedTickets)
    expect(merge.body.moved).toMatchObject({
      messages: [f.messageId],
      chatSessions: [f.chatId],
      callbackTasks: [f.callbackId],
      watchersMoved: [f.watchedTicket],
      watchersDropped: [],
      contactPoints: { phone: f.mergedPhone, wechat_open_id: mergedBefore.wechat_open_id },
      wasActive: true,
    })
    expect(merge.body.moved.calls).toHaveLength(2)
    expect(merge.body.moved.contactPoints.email).toBeUndefined()
    expect(await owners(f)).toEqual({ tickets: [f.survivorId], message: f.survivorId, call: f.survivorId, chat: f.survivorId, callback: f.survivorId, identities: [f.survivorId], watcher: [f.survivorId] })
    const survivorAfter = await userRow(f.survivorId)
    const mergedAfter = await userRow(f.mergedId)
    expect(survivorAfter).toMatchObject({ email: survivorBefore.email, phone: f.mergedPhone, wechat_open_id: mergedBefore.wechat_open_id })
    expect(mergedAfter).toMatchObject({ merged_into: f.survivorId, is_active: false, phone: null, wechat_open_id: null, email: f.mergedEmail })
    expect(await count('events', sql`type = 'customer.merged' AND entity_id = ${merge.body.id}`)).toBe(1)
    expect(await count('events', sql`type = 'ticket.updated' AND reason = 'customer merge' AND entity_id = ANY(${sql.val(f.mergedTickets)}::uuid[])`)).toBe(2)

    // The merged record cannot sign in, and its open session is over.
    expect((await new ApiClient(server.url).login(f.mergedEmail, TEST_PASSWORD)).status).toBe(401)
    expect((await f.mergedClient.get('/api/v1/tickets')).status).toBe(401)
    // A new contact with the merged record's e-mail reaches the survivor.
    expect((await resolve({ email: f.mergedEmail })).user.id).toBe(f.survivorId)
    // Merging it again is refused.
    expect((await agent.post(`/api/v1/customers/${f.survivorId}/merge`, { mergeId: f.mergedId })).body).toMatchObject({ error: { code: 'CONFLICT', fields: [{ field: 'mergeId' }] } })

    // The survivor's history shows both records' tickets, the message, the calls and the chat, newest first, paged exactly once.
    const seen: { kind: string; id: string; at: string; ticketId: string | null }[] = []
    let cursor: string | null = null
    do {
      const page: { status: number; body: { items: typeof seen; nextCursor: string | null } } = await agent.get(`/api/v1/customers/${f.survivorId}/history?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`)
      expect(page.status).toBe(200)
      expect(page.body.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.body.items)
      cursor = page.body.nextCursor
    } while (cursor !== null)
    const ticketIds = seen.filter((item) => item.kind === 'ticket').map((item) => item.id).sort()
    expect(ticketIds).toEqual([f.survivorTicket, ...f.mergedTickets].sort())
    expect(seen.filter((item) => item.kind === 'message').map((item) => item.id)).toEqual([f.messageId])
    expect(seen.filter((item) => item.kind === 'call')).toHaveLength(2)
    expect(seen.filter((item) => item.kind === 'chat').map((item) => item.id)).toEqual([f.chatId])
    expect(new Set(seen.map((item) => `${item.kind}:${item.id}`)).size).toBe(seen.length)
    const times = seen.map((item) => Date.parse(item.at))
    expect([...times].sort((a, b) => b - a)).toEqual(times)
    const portalItem = seen.find((item) => item.id === f.mergedTickets.find((id) => id !== undefined))
    expect(portalItem).toBeDefined()

    // Something created after the merge stays with the survivor on undo.
    server.clock.advance(60_000)
    const later = await agent.post('/api/v1/tickets', { requesterId: f.survivorId, subject: 'After the merge', description: 'stays with the survivor' })
    expect(later.status).toBe(201)

    const history = await agent.get(`/api/v1/customers/${f.survivorId}/merges`)
    expect(history.body.items.map((item: { id: string }) => item.id)).toEqual([merge.body.id])

    const undo = await agent.post(`/api/v1/customer-merges/${merge.body.id}/undo`)
    expect(undo.status).toBe(200)
    expect(undo.body).toMatchObject({ id: merge.body.id, undoneBy: agentId, notRestored: [] })
    expect(await owners(f)).toEqual({ tickets: [f.mergedId], message: f.mergedId, call: f.mergedId, chat: f.mergedId, callback: f.mergedId, identities: [f.mergedId], watcher: [f.mergedId] })
    const { updated_at: _a, ...survivorRestored } = await userRow(f.survivorId)
    const { updated_at: _b, ...survivorOriginal } = survivorBefore
    expect(survivorRestored).toEqual(survivorOriginal)
    const { updated_at: _c, ...mergedRestored } = await userRow(f.mergedId)
    const { updated_at: _d, ...mergedOriginal } = mergedBefore
    expect(mergedRestored).toEqual(mergedOriginal)
    expect((await server.deps.db.selectFrom('tickets').select('requester_id').where('id', '=', later.body.id).executeTakeFirstOrThrow()).requester_id).toBe(f.survivorId)
    expect((await new ApiClient(server.url).login(f.mergedEmail, TEST_PASSWORD)).status).toBe(200)
    expect(await count('events', sql`type = 'customer.merge_undone' AND entity_id = ${merge.body.id}`)).toBe(1)

    // Undoing twice is refused, and writes nothing.
    const events = await count('events')
    const twice = await agent.post(`/api/v1/customer-merges/${merge.body.id}/undo`)
    expect(twice.status).toBe(409)
    expect(twice.body).toMatchObject({ error: { code: 'CONFLICT', fields: [{ field: 'id' }] } })
    expect(await count('events')).toBe(events)
  })

  it('refuses to undo a merge a later merge depends on, until that one is undone', async () => {
    const a = await buildCustomer(server.deps)
    const b = await buildCustomer(server.deps)
    const c = await buildCustomer(server.deps)
    const first = await agent.post(`/api/v1/customers/${b.id}/merge`, { mergeId: a.id })
    expect(first.status).toBe(201)
    const second = await agent.post(`/api/v1/customers/${c.id}/merge`, { mergeId: b.id })
    expect(second.status).toBe(201)
    // A contact with a's address follows both merges to c.
    expect((await resolve({ email: a.email })).user.id).toBe(c.id)
    const blocked = await agent.post(`/api/v1/customer-merges/${first.body.id}/undo`)
    expect(blocked.status).toBe(409)
    expect(blocked.body.error.fields).toEqual([{ field: 'id', message: 'a later merge depends on it' }])
    expect((await agent.post(`/api/v1/customer-merges/${second.body.id}/undo`)).status).toBe(200)
    expect((await agent.post(`/api/v1/customer-merges/${first.body.id}/undo`)).status).toBe(200)
    expect((await userRow(a.id)).merged_into).toBeNull()
    expect((await userRow(b.id)).merged_into).toBeNull()
  })

  it('drops a watch the survivor already had and restores it on undo', async () => {
    const f = await twoRecords()
    await server.deps.db.insertInto('ticket_watchers').values({ ticket_id: f.watchedTicket, user_id: f.survivorId }).execute()
    const merge = await agent.post(`/api/v1/customers/${f.survivorId}/merge`, { mergeId: f.mergedId })
    expect(merge.body.moved).toMatchObject({ watchersMoved: [], watchersDropped: [f.watchedTicket] })
    expect((await owners(f)).watcher).toEqual([f.survivorId])
    expect((await agent.post(`/api/v1/customer-merges/${merge.body.id}/undo`)).status).toBe(200)
    expect((await owners(f)).watcher.sort()).toEqual([f.survivorId, f.mergedId].sort())
  })

  it("shows an agent only the history entries of tickets in their scope; a supervisor sees all", async () => {
    const customer = await buildCustomer(server.deps)
    const outsider = await buildStaff(server.deps, { tier: 'L2' })
    const closedGroup = await buildGroup(server.deps, [outsider.id])
    const supervisorUser = await buildStaff(server.deps, { roles: ['supervisor'] })
    const supervisor = new ApiClient(server.url)
    expect((await supervisor.login(supervisorUser.email ?? '', TEST_PASSWORD)).status).toBe(200)
    const open = await agent.post('/api/v1/tickets', { requesterId: customer.id, subject: 'Visible to all', description: 'no group' })
    const restricted = await supervisor.post('/api/v1/tickets', { requesterId: customer.id, subject: 'Restricted', description: 'L2 only', groupId: closedGroup.id })
    expect([open.status, restricted.status]).toEqual([201, 201])
    const ids = async (client: ApiClient) => (await client.get(`/api/v1/customers/${customer.id}/history`)).body.items.map((item: { id: string }) => item.id).sort()
    expect(await ids(agent)).toEqual([open.body.id])
    expect(await ids(supervisor)).toEqual([open.body.id, restricted.body.id].sort())
  })
})
