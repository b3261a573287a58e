import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient } from '../helpers/api-client.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildStaff, startTestServer } from '../helpers/test-server.ts'

// The smallest valid PNG: signature, IHDR, IDAT, IEND.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a4e3a8b40000000049454e44ae426082',
  'hex',
)
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(120, 0)])

describe('attachments', () => {
  let server: TestServer
  let customer: ApiClient
  let other: ApiClient
  let agent: ApiClient

  beforeAll(async () => {
    server = await startTestServer({ attachmentLimitBytes: 64 * 1024 })
    customer = new ApiClient(server.url)
    await customer.login((await buildCustomer(server.deps)).email ?? '', TEST_PASSWORD)
    other = new ApiClient(server.url)
    await other.login((await buildCustomer(server.deps)).email ?? '', TEST_PASSWORD)
    agent = new ApiClient(server.url)
    await agent.login((await buildStaff(server.deps)).email ?? '', TEST_PASSWORD)
  })
  afterAll(async () => server.close())

  it('decides the type from the bytes, not the name', async () => {
    const disguised = await customer.upload('screenshot.txt', PNG, 'text/plain')
    expect(disguised.status).toBe(201)
    expect(disguised.body.contentType).toBe('image/png')
    const text = await customer.upload('日志.log', Buffer.from('2026-11-24 ERROR 打印机 offline\n'))
    expect(text.body.contentType).toBe('text/plain')
    expect(text.body.filename).toBe('日志.log')
    const binary = await customer.upload('invoice.pdf', ELF, 'application/pdf')
    expect(binary.status).toBe(415)
    expect(binary.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    expect(binary.body.error.fields[0].field).toBe('file')
  })

  it('refuses a file over the limit and keeps nothing of it', async () => {
    const before = await server.deps.db.selectFrom('attachments').select('id').execute()
    const big = await customer.upload('big.log', Buffer.alloc(65 * 1024, 'a'))
    expect(big.status).toBe(413)
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE')
    expect(await server.deps.db.selectFrom('attachments').select('id').execute()).toHaveLength(before.length)
  })

  it('attaches uploads to a message; only those who may see the message may download them', async () => {
    const upload = await customer.upload('photo.png', PNG)
    const ticket = await customer.post('/api/v1/tickets', { subject: '屏幕花屏', description: 'see the photo' })
    const message = await customer.post(`/api/v1/tickets/${ticket.body.id}/messages`, { body: 'photo attached', visibility: 'public', attachmentIds: [upload.body.id] })
    expect(message.status).toBe(201)
    expect(message.body.attachments.map((a: { id: string }) => a.id)).toEqual([upload.body.id])

    const download = await agent.fetchRaw(upload.body.url)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toBe('image/png')
    expect(download.headers.get('x-content-type-options')).toBe('nosniff')
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true)

    expect((await other.get(upload.body.url)).status).toBe(404)
    const reuse = await other.post('/api/v1/tickets', { subject: 'steal', description: 'x' })
    const stolen = await other.post(`/api/v1/tickets/${reuse.body.id}/messages`, { body: 'mine', visibility: 'public', attachmentIds: [upload.body.id] })
    expect(stolen.status).toBe(400)
    expect(stolen.body.error.fields[0].field).toBe('attachmentIds')
    expect((await other.get(`/api/v1/tickets/${reuse.body.id}/messages`)).body.items).toEqual([])
  })

  it('hides the files of internal notes from customers', async () => {
    const ticket = await customer.post('/api/v1/tickets', { subject: 'internal file', description: 'x' })
    const upload = await agent.upload('diagnosis.txt', Buffer.from('internal diagnosis'))
    await agent.post(`/api/v1/tickets/${ticket.body.id}/messages`, { body: 'note', visibility: 'internal', attachmentIds: [upload.body.id] })
    expect((await agent.get(upload.body.url)).status).toBe(200)
    expect((await customer.get(upload.body.url)).status).toBe(404)
  })
})

