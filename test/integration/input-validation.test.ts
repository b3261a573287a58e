import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/domain/policy/actor.ts'
import { CHANNELS, SEVERITIES, TICKET_TYPES } from '../../src/domain/tickets/ticket.ts'
import { createCategory } from '../../src/services/directory/categories.ts'
import { ApiClient, type ApiResponse } from '../helpers/api-client.ts'
import {
  TEST_PASSWORD,
  type TestServer,
  buildCustomer,
  buildGroup,
  buildOrganisation,
  buildStaff,
  startTestServer,
} from '../helpers/test-server.ts'

/** What the API answers: a ticket, or `{ error }`. Only the parts these tests read. */
interface Reply {
  readonly error?: { readonly code: string; readonly message: string; readonly fields?: readonly { readonly field: string; readonly message: string }[] }
  readonly id?: string
  readonly subject?: string
  readonly receivedAt?: string
}

interface Counts {
  readonly tickets: number
  readonly events: number
}

const TICKETS = '/api/v1/tickets'

describe('input validation over HTTP: refused input writes nothing', () => {
  let server: TestServer
  let customer: ApiClient
  let admin: ApiClient
  let customerId: string
  let agentId: string
  let watcherId: string
  let groupId: string
  let organisationId: string
  let categoryId: string
  let existingTicketId: string

  beforeAll(async () => {
    server = await startTestServer()
    const organisation = await buildOrganisation(server.deps)
    organisationId = organisation.id
    const customerUser = await buildCustomer(server.deps, { organisationId })
    customerId = customerUser.id
    const agent = await buildStaff(server.deps)
    agentId = agent.id
    watcherId = (await buildStaff(server.deps)).id
    groupId = (await buildGroup(server.deps, [agent.id])).id
    categoryId = (await createCategory(server.deps, SYSTEM_ACTOR, { nameZh: '网络', nameEn: 'Network' })).id
    const adminUser = await buildStaff(server.deps, { roles: ['admin'] })

    customer = new ApiClient(server.url)
    expect((await customer.login(customerUser.email ?? '', TEST_PASSWORD)).status).toBe(200)
    admin = new ApiClient(server.url)
    expect((await admin.login(adminUser.email ?? '', TEST_PASSWORD)).status).toBe(200)

    const first = await customer.post<Reply>(TICKETS, { subject: 'Printer offline', description: '打印机无法连接网络' })
    expect(first.status).toBe(201)
    existingTicketId = first.body.id ?? ''
  })
  afterAll(async () => server?.close())

  async function counts(): Promise<Counts> {
    const db = server.deps.db
    const tickets = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`.execute(db)
    const events = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events`.execute(db)
    return { tickets: tickets.rows[0]?.n ?? -1, events: events.rows[0]?.n ?? -1 }
  }

  /** Sends a request and checks the status, the error code, the field at fault, and that no ticket or event was written. */
  async function expectRefused(
    send: () => Promise<ApiResponse<Reply>>,
    expected: { status: number; code: string; field?: string },
  ): Promise<ApiResponse<Reply>> {
    const before = await counts()
    const response = await send()
    expect({ status: response.status, code: response.body?.error?.code }, JSON.stringify(response.body)).toEqual({
      status: expected.status,
      code: expected.code,
    })
    if (expected.field !== undefined) {
      expect(response.body.error?.fields?.map((f) => f.field)).toContain(expected.field)
    }
    expect(await counts()).toEqual(before)
    return response
  }

  const validCustomerBody = () => ({ subject: 'VPN drops', description: 'The VPN client disconnects every hour' })

  it('accepts the valid body the refused cases start from', async () => {
    const before = await counts()
    const response = await customer.post<Reply>(TICKETS, validCustomerBody())
    expect(response.status).toBe(201)
    const after = await counts()
    expect(after.tickets).toBe(before.tickets + 1)
    // ticket.created, and ticket.sla_updated for the SLA policy the new ticket falls under.
    expect(after.events).toBe(before.events + 2)
  })

  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    await expectRefused(() => customer.post<Reply>(TICKETS, '{"subject": "VPN drops", "description": '), {
      status: 400,
      code: 'MALFORMED_JSON',
      field: '(body)',
    })
    await expectRefused(() => customer.post<Reply>(TICKETS, "{'subject': 'single quotes'}"), { status: 400, code: 'MALFORMED_JSON', field: '(body)' })
    await expectRefused(() => customer.post<Reply>(TICKETS, ''), { status: 400, code: 'MALFORMED_JSON', field: '(body)' })
  })

  it('a JSON body that is not an object → 400 VALIDATION', async () => {
    for (const body of ['[1,2]', 'null', '"text"', '42']) {
      await expectRefused(() => customer.post<Reply>(TICKETS, body), { status: 400, code: 'VALIDATION', field: '(body)' })
    }
  })

  it('an unknown field → 400 VALIDATION naming it', async () => {
    await expectRefused(() => customer.post<Reply>(TICKETS, { ...validCustomerBody(), bogus: 1 }), { status: 400, code: 'VALIDATION', field: 'bogus' })
  })

  it('a prototype-polluting key is refused and writes nothing', async () => {
    const before = await counts()
    const response = await customer.post<Reply>(TICKETS, '{"subject":"a","description":"b","__proto__":{"isAdmin":true}}')
    expect(response.status).toBe(400)
    expect(['MALFORMED_JSON', 'VALIDATION']).toContain(response.body.error?.code)
    expect(await counts()).toEqual(before)
  })

  it('a wrong type → 400 VALIDATION naming the field', async () => {
    await expectRefused(() => customer.post<Reply>(TICKETS, { ...validCustomerBody(), severity: 5 }), { status: 400, code: 'VALIDATION', field: 'severity' })
    await expectRefused(() => customer.post<Reply>(TICKETS, { ...validCustomerBody(), subject: 42 }), { status: 400, code: 'VALIDATION', field: 'subject' })
    await expectRefused(() => admin.post<Reply>(TICKETS, { ...validCustomerBody(), requesterId: customerId, tags: 'vpn' }), {
      status: 400,
      code: 'VALIDATION',
      field: 'tags',
    })
  })

  it('out-of-range values → 400 VALIDATION naming the field', async () => {
    await expectRefused(() => customer.post<Reply>(TICKETS, { ...validCustomerBody(), severity: 'P9' }), { status: 400, code: 'VALIDATION', field: 'severity' })
    await expectRefused(() => customer.post<Reply>(TICKETS, { ...validCustomerBody(), subject: 's'.repeat(301) }), {
      status: 400,
      code: 'VALIDATION',
      field: 'subject',
    })
    const tags = Array.from({ length: 31 }, (_, i) => `tag${i}`)
    await expectRefused(() => admin.post<Reply>(TICKETS, { ...validCustomerBody(), requesterId: customerId, tags }), {
      status: 400,
      code: 'VALIDATION',
      field: 'tags',
    })
    await expectRefused(() => customer.get<Reply>(`${TICKETS}?limit=1000`), { status: 400, code: 'VALIDATION', field: 'limit' })
    await expectRefused(() => customer.get<Reply>(`${TICKETS}?limit=0`), { status: 400, code: 'VALIDATION', field: 'limit' })
    await expectRefused(() => customer.get<Reply>(`${TICKETS}?limit=ten`), { status: 400, code: 'VALIDATION', field: 'limit' })
  })

  it('the limits themselves are accepted: a 300-character subject, 30 tags, limit=100', async () => {
    expect((await customer.post<Reply>(TICKETS, { ...validCustomerBody(), subject: 's'.repeat(300) })).status).toBe(201)
    const tags = Array.from({ length: 30 }, (_, i) => `tag${i}`)
    expect((await admin.post<Reply>(TICKETS, { ...validCustomerBody(), requesterId: customerId, tags })).status).toBe(201)
    expect((await customer.get<Reply>(`${TICKETS}?limit=100`)).status).toBe(200)
  })

  it('a missing required field → 400 VALIDATION naming it', async () => {
    await expectRefused(() => customer.post<Reply>(TICKETS, { description: 'no subject' }), { status: 400, code: 'VALIDATION', field: 'subject' })
    await expectRefused(() => customer.post<Reply>(TICKETS, { subject: 'no description' }), { status: 400, code: 'VALIDATION', field: 'description' })
    await expectRefused(() => customer.post<Reply>(TICKETS, {}), { status: 400, code: 'VALIDATION' })
  })

  it('blank text (empty, spaces, full-width spaces) → 400 VALIDATION naming the field', async () => {
    for (const blank of ['', '   ', '\t\n', '\u3000\u3000']) {
      await expectRefused(() => customer.post<Reply>(TICKETS, { ...validCustomerBody(), subject: blank }), { status: 400, code: 'VALIDATION', field: 'subject' })
      await expectRefused(() => customer.post<Reply>(TICKETS, { ...validCustomerBody(), description: blank }), {
        status: 400,
        code: 'VALIDATION',
        field: 'description',
      })
    }
  })

  it('an oversized body (over bodyLimitBytes) → 413 PAYLOAD_TOO_LARGE', async () => {
    expect(server.config.bodyLimitBytes).toBe(1024 * 1024)
    const body = JSON.stringify({ subject: 'big', description: 'x'.repeat(server.config.bodyLimitBytes) })
    expect(Buffer.byteLength(body)).toBeGreaterThan(server.config.bodyLimitBytes)
    await expectRefused(() => customer.post<Reply>(TICKETS, body), { status: 413, code: 'PAYLOAD_TOO_LARGE', field: '(body)' })
  })

  it('a body just under the limit is read (and then judged by the schema)', async () => {
    const body = JSON.stringify({ subject: 'big', description: 'x'.repeat(200_000) })
    expect(Buffer.byteLength(body)).toBeLessThan(server.config.bodyLimitBytes)
    await expectRefused(() => customer.post<Reply>(TICKETS, body), { status: 400, code: 'VALIDATION', field: 'description' })
  })

  it('a text/plain body on POST /tickets → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    await expectRefused(() => customer.post<Reply>(TICKETS, 'VPN drops every hour', { 'content-type': 'text/plain' }), {
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      field: 'Content-Type',
    })
    // Even when the text happens to be JSON: the declared type decides.
    await expectRefused(() => customer.post<Reply>(TICKETS, JSON.stringify(validCustomerBody()), { 'content-type': 'text/plain' }), {
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      field: 'Content-Type',
    })
  })

  it('other non-JSON content types → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    for (const type of ['application/xml', 'application/x-www-form-urlencoded']) {
      await expectRefused(() => customer.post<Reply>(TICKETS, 'subject=VPN', { 'content-type': type }), {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        field: 'Content-Type',
      })
    }
  })

  it('a non-uuid id in the path → 400 VALIDATION naming id', async () => {
    await expectRefused(() => customer.get<Reply>(`${TICKETS}/not-a-uuid`), { status: 400, code: 'VALIDATION', field: 'id' })
    await expectRefused(() => customer.get<Reply>(`${TICKETS}/${existingTicketId}x/messages`), { status: 400, code: 'VALIDATION', field: 'id' })
    await expectRefused(() => customer.patch<Reply>(`${TICKETS}/123`, { subject: 'renamed' }), { status: 400, code: 'VALIDATION', field: 'id' })
    await expectRefused(() => admin.post<Reply>(`${TICKETS}/${"'; DROP TABLE tickets; --"}/transitions`, { action: 'accept' }), {
      status: 400,
      code: 'VALIDATION',
      field: 'id',
    })
    await expectRefused(() => customer.post<Reply>(`${TICKETS}/zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz/messages`, { body: 'hi', visibility: 'public' }), {
      status: 400,
      code: 'VALIDATION',
      field: 'id',
    })
  })

  it('a cookie-authenticated POST without the CSRF header → 403 CSRF', async () => {
    const user = await buildCustomer(server.deps)
    const noCsrf = new ApiClient(server.url)
    // Signing in through the raw request keeps the cookie but never learns the CSRF token.
    const signIn = await noCsrf.request<Reply>('POST', '/api/v1/auth/login', { email: user.email, password: TEST_PASSWORD })
    expect(signIn.status).toBe(200)
    expect((await noCsrf.get<Reply>('/api/v1/me')).status).toBe(200)
    await expectRefused(() => noCsrf.post<Reply>(TICKETS, validCustomerBody()), { status: 403, code: 'CSRF', field: 'x-csrf-token' })
    await expectRefused(() => noCsrf.post<Reply>(TICKETS, validCustomerBody(), { 'x-csrf-token': 'not-the-token' }), {
      status: 403,
      code: 'CSRF',
      field: 'x-csrf-token',
    })
    await expectRefused(() => noCsrf.patch<Reply>(`${TICKETS}/${existingTicketId}`, { subject: 'hijacked' }), { status: 403, code: 'CSRF' })
  })

  it('no session → 401 UNAUTHENTICATED', async () => {
    const anonymous = new ApiClient(server.url)
    await expectRefused(() => anonymous.post<Reply>(TICKETS, validCustomerBody()), { status: 401, code: 'UNAUTHENTICATED' })
    await expectRefused(() => anonymous.get<Reply>(TICKETS), { status: 401, code: 'UNAUTHENTICATED' })
    await expectRefused(() => anonymous.post<Reply>(TICKETS, validCustomerBody(), { cookie: 'loopdesk_session=forged' }), {
      status: 401,
      code: 'UNAUTHENTICATED',
    })
    const badToken = ApiClient.withToken(server.url, 'ldt_not_a_real_token')
    await expectRefused(() => badToken.post<Reply>(TICKETS, validCustomerBody()), { status: 401, code: 'UNAUTHENTICATED' })
  })

  it('authentication is checked before the body: no session and a malformed body → 401, not 400', async () => {
    const anonymous = new ApiClient(server.url)
    await expectRefused(() => anonymous.post<Reply>(TICKETS, '{not json'), { status: 401, code: 'UNAUTHENTICATED' })
  })

  /** Sends a body with text PostgreSQL cannot store as is; it must be refused cleanly, never a 500. */
  async function expectStorableOrRefused(field: 'subject' | 'description', rawJsonValue: string): Promise<void> {
    const body = { subject: 'ok subject', description: 'ok description' }
    const json = JSON.stringify(body).replace(JSON.stringify(body[field]), rawJsonValue)
    const before = await counts()
    const response = await customer.post<Reply>(TICKETS, json)
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(500)
    if (response.status !== 201) {
      expect(response.status).toBe(400)
      expect(response.body.error?.code).toBe('VALIDATION')
      expect(response.body.error?.fields?.map((f) => f.field)).toContain(field)
      expect(await counts()).toEqual(before)
    }
  }

  it.each(['subject', 'description'] as const)('a NUL character in the %s is refused as VALIDATION, not a 500', async (field) => {
    await expectStorableOrRefused(field, '"line one\\u0000line two"')
  })

  it.each(['subject', 'description'] as const)('an unpaired surrogate escape in the %s is refused as VALIDATION, not a 500', async (field) => {
    await expectStorableOrRefused(field, '"broken \\ud800 emoji"')
  })

  it('an implausibly old receivedAt is refused or stored exactly, never shifted by a century', async () => {
    for (const receivedAt of ['0001-01-01T00:00:00.000Z', '0049-06-01T12:00:00.000Z']) {
      const before = await counts()
      const response = await admin.post<Reply>(TICKETS, { ...validCustomerBody(), requesterId: customerId, receivedAt })
      if (response.status === 201) {
        expect(response.body.receivedAt).toBe(receivedAt)
        const reread = await admin.get<Reply>(`${TICKETS}/${response.body.id ?? ''}`)
        expect(reread.body.receivedAt).toBe(receivedAt)
      } else {
        expect(response.status).toBe(400)
        expect(response.body.error?.code).toBe('VALIDATION')
        expect(response.body.error?.fields?.map((f) => f.field)).toContain('receivedAt')
        expect(await counts()).toEqual(before)
      }
    }
  })

  describe('property: one random corruption of a valid create-ticket body', () => {
    type Body = Record<string, unknown>

    const CREATE_FIELDS = [
      'subject',
      'description',
      'type',
      'severity',
      'channel',
      'categoryId',
      'requesterId',
      'requesterEmail',
      'requesterName',
      'organisationId',
      'groupId',
      'assigneeId',
      'tags',
      'watcherIds',
      'receivedAt',
    ] as const
    type Field = (typeof CREATE_FIELDS)[number]

    /** A corruption: the field it spoils and how it spoils the body. */
    interface Corruption {
      readonly field: string
      readonly kind: string
      apply(body: Body): Body
    }

    const replace = (field: Field, kind: string) => (value: unknown): Corruption => ({
      field,
      kind,
      apply: (body) => ({ ...body, [field]: value }),
    })

    // Values of a JSON type other than string / array.
    const smallObject = fc.dictionary(fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 1, maxLength: 3 }), fc.integer(), { maxKeys: 3 })
    const notString = fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
      smallObject,
    )
    const notArray = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 10 }), smallObject)
    const blank = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u3000', '\u00a0', '\u2003', '\ufeff'), minLength: 1, maxLength: 20 })
    const longerThan = (max: number) => fc.integer({ min: max + 1, max: max + 64 }).map((n) => 'x'.repeat(n))
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
    const notUuid = fc.oneof(fc.constant(''), fc.string({ maxLength: 40 }).filter((s) => !UUID.test(s)), fc.uuid().map((u) => `${u}0`), fc.uuid().map((u) => u.replaceAll('-', '')))
    const notOneOf = (values: readonly string[]) =>
      fc.oneof(fc.constant(''), fc.string({ maxLength: 12 }), ...values.map((v) => fc.constant(v.toLowerCase() === v ? v.toUpperCase() : v.toLowerCase()))).filter(
        (s) => !values.includes(s),
      )

    const textField = (field: Field, max: number) =>
      fc.oneof(
        notString.map(replace(field, 'wrong type')),
        fc.constant('').map(replace(field, 'empty string')),
        blank.map(replace(field, 'whitespace only')),
        longerThan(max).map(replace(field, 'too long')),
      )
    const enumField = (field: Field, values: readonly string[]) =>
      fc.oneof(notString.map(replace(field, 'wrong type')), notOneOf(values).map(replace(field, 'not an allowed value')))
    /** A reference: malformed, or well-formed but naming nothing (checked by the service, same error shape). */
    const referenceField = (field: Field) =>
      fc.oneof(
        notString.map(replace(field, 'wrong type')),
        notUuid.map(replace(field, 'not a uuid')),
        fc.uuid({ version: 4 }).map(replace(field, 'unknown id')),
      )

    const corruptions = (): fc.Arbitrary<Corruption> =>
      fc.oneof(
        fc.constantFrom('subject', 'description', 'requesterId').map(
          (field): Corruption => ({
            field,
            kind: 'missing required field',
            apply: (body) => Object.fromEntries(Object.entries(body).filter(([key]) => key !== field)),
          }),
        ),
        fc
          .tuple(
            fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$0123456789'), minLength: 1, maxLength: 24 }),
            fc.oneof(fc.integer(), fc.string({ maxLength: 10 }), fc.boolean(), fc.constant(null)),
          )
          .filter(([key]) => !(CREATE_FIELDS as readonly string[]).includes(key) && key !== '__proto__')
          .map(([key, value]): Corruption => ({ field: key, kind: 'unknown field', apply: (body) => ({ ...body, [key]: value }) })),
        textField('subject', 300),
        textField('description', 100_000),
        textField('requesterName', 200),
        enumField('type', TICKET_TYPES),
        enumField('severity', SEVERITIES),
        enumField('channel', CHANNELS),
        referenceField('requesterId'),
        referenceField('organisationId'),
        referenceField('groupId'),
        referenceField('assigneeId'),
        referenceField('categoryId'),
        fc.oneof(
          notString.map(replace('requesterEmail', 'wrong type')),
          fc.constantFrom('', 'no-at-sign', 'a@', '@example.test', 'two@@example.test', 'spaces in@example.test').map(replace('requesterEmail', 'not an e-mail')),
          fc.constant(`${'a'.repeat(250)}@example.test`).map(replace('requesterEmail', 'too long')),
        ),
        fc.oneof(
          notArray.map(replace('tags', 'wrong type')),
          fc.integer({ min: 31, max: 40 }).map((n) => Array.from({ length: n }, (_, i) => `t${i}`)).map(replace('tags', 'too many')),
          fc
            .tuple(fc.constantFrom('', 'two words', 'a,b', 'x'.repeat(51), '\t'), fc.nat({ max: 3 }))
            .map(([bad, at]) => ['ok', 'fine', 'good'].toSpliced(at, 0, bad))
            .map(replace('tags', 'bad element')),
          fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)).map((bad) => ['ok', bad]).map(replace('tags', 'element of wrong type')),
        ),
        fc.oneof(
          notArray.map(replace('watcherIds', 'wrong type')),
          fc.array(fc.uuid({ version: 4 }), { minLength: 51, maxLength: 55 }).map(replace('watcherIds', 'too many')),
          notUuid.map((bad) => [bad]).map(replace('watcherIds', 'bad element')),
          fc.uuid({ version: 4 }).map((unknown) => [unknown]).map(replace('watcherIds', 'unknown user')),
        ),
        fc.oneof(
          notString.map(replace('receivedAt', 'wrong type')),
          fc.constantFrom('', 'yesterday', '2026-01-01', '2026-01-01 10:00', '2026-13-01T00:00:00Z', '2026-01-01T25:00:00Z', '1700000000').map(
            replace('receivedAt', 'not a date-time'),
          ),
          fc.integer({ min: 2, max: 400 }).map((days) => new Date(server.clock.now().getTime() + days * 86_400_000).toISOString()).map(replace('receivedAt', 'in the future')),
        ),
      )

    const safeText = (max: number) =>
      fc
        .string({ unit: fc.constantFrom('a', 'Z', '9', ' ', '打', '印', '机', '网', '😀', '-', '.', '"', '\\', '<', '>', '&', "'", '/', '\n'), minLength: 1, maxLength: max })
        .filter((s) => /\S/u.test(s))

    /** A valid body using every field an admin may set on creation. */
    const validBody = (): fc.Arbitrary<Body> =>
      fc.record({
        subject: safeText(300),
        description: safeText(2000),
        type: fc.constantFrom(...TICKET_TYPES),
        severity: fc.constantFrom(...SEVERITIES),
        channel: fc.constantFrom(...CHANNELS),
        tags: fc.array(fc.stringMatching(/^[a-z0-9_-]{1,20}$/), { maxLength: 30 }),
      }).map((parts) => ({
        ...parts,
        requesterId: customerId,
        organisationId,
        groupId,
        assigneeId: agentId,
        categoryId,
        watcherIds: [watcherId],
        receivedAt: new Date(server.clock.now().getTime() - 3_600_000).toISOString(),
      }))

    it('a corrupted body → 400 VALIDATION naming the corrupted field, nothing written; an uncorrupted one → 201', async () => {
      let created = 0
      let refused = 0
      await fc.assert(
        fc.asyncProperty(validBody(), fc.option(corruptions(), { freq: 5 }), async (body, corruption) => {
          const before = await counts()
          const sent = corruption === null ? body : corruption.apply(body)
          const response = await admin.post<Reply>(TICKETS, sent)
          const after = await counts()
          const context = `${corruption === null ? 'valid body' : `${corruption.kind} on ${corruption.field}`}: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`
          if (corruption === null) {
            expect(response.status, context).toBe(201)
            expect(after.tickets, context).toBe(before.tickets + 1)
            created++
            return
          }
          expect(response.status, context).toBe(400)
          expect(response.body.error?.code, context).toBe('VALIDATION')
          const fields = response.body.error?.fields?.map((f) => f.field) ?? []
          expect(
            fields.some((f) => f === corruption.field || f.startsWith(`${corruption.field}/`)),
            context,
          ).toBe(true)
          expect(after, context).toEqual(before)
          refused++
        }),
        { numRuns: 60 },
      )
      expect(created + refused).toBe(60)
      expect(refused).toBeGreaterThan(0)
    })

    it('the uncorrupted valid body always gives 201', async () => {
      await fc.assert(
        fc.asyncProperty(validBody(), async (body) => {
          const before = await counts()
          const response = await admin.post<Reply>(TICKETS, body)
          expect(response.status, JSON.stringify(response.body).slice(0, 300)).toBe(201)
          expect(response.body.subject).toBe(body.subject)
          expect((await counts()).tickets).toBe(before.tickets + 1)
        }),
        { numRuns: 15 },
      )
    })
  })
})
