import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import enPhone from '../../web/src/locales/en/phone.json' with { type: 'json' }
import zhPhone from '../../web/src/locales/zh-CN/phone.json' with { type: 'json' }
import { SYSTEM_ACTOR } from '../../src/domain/policy/actor.ts'
import { issueApiToken } from '../../src/services/auth/api-tokens.ts'
import { createUser } from '../../src/services/people/users.ts'
import { ApiClient } from '../helpers/api-client.ts'
import { hasChromium, launchBrowser, newContext, seriousA11yViolations, signIn } from '../helpers/browser.ts'
import { TEST_PASSWORD, type TestServer, buildOrganisation, buildStaff, startTestServer } from '../helpers/test-server.ts'

const PHONE = { en: enPhone, 'zh-CN': zhPhone } as const
const runInBrowser = hasChromium() || process.env.CI === 'true' ? describe : describe.skip

runInBrowser('CTI screen pop (real Chromium, real server, real WebSocket, real HTTP call events)', () => {
  let server: TestServer
  let browser: Browser
  let pbx: ApiClient

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    const supervisor = await buildStaff(server.deps, { roles: ['supervisor'] })
    const token = await issueApiToken(server.deps, SYSTEM_ACTOR, { name: 'pbx', userId: supervisor.id })
    pbx = ApiClient.withToken(server.url, token.token)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`pops the caller with their open ticket for the agent rung, and opens a ticket from the call (${locale})`, async () => {
      const strings = PHONE[locale]
      const agentUser = await buildStaff(server.deps, { tier: 'L1' })
      const otherAgent = await buildStaff(server.deps, { tier: 'L1' })
      const org = await buildOrganisation(server.deps)
      const suffix = String(Date.now()).slice(-4)
      const phone = locale === 'en' ? `1380013${suffix}` : `1390013${suffix}`
      const customerName = locale === 'en' ? 'Morgan Caller' : '陈来电'
      const customer = await createUser(server.deps, SYSTEM_ACTOR, 'customer', {
        name: customerName,
        email: `caller-${locale}-${suffix}@example.test`,
        phone,
        organisationId: org.id,
      })
      const agentApi = new ApiClient(server.url)
      await agentApi.login(agentUser.email ?? '', TEST_PASSWORD)
      const subject = locale === 'en' ? `Router keeps rebooting ${suffix}` : `路由器反复重启 ${suffix}`
      const existing = await agentApi.post('/api/v1/tickets', { subject, description: '…', requesterId: customer.id })
      expect(existing.status).toBe(201)

      const context = await newContext(browser, server.url, locale)
      const otherContext = await newContext(browser, server.url, locale)
      const page = await context.newPage()
      const other = await otherContext.newPage()
      try {
        await signIn(page, agentUser.email ?? '', TEST_PASSWORD)
        await signIn(other, otherAgent.email ?? '', TEST_PASSWORD)
        await page.goto('/desk')
        await other.goto('/desk')
        // The live socket is open once the workspace has loaded its queue.
        await page.getByTestId('queue-tab-unassigned').waitFor()
        await other.getByTestId('queue-tab-unassigned').waitFor()

        const callId = `e2e-${locale}-${Date.now()}`
        const ring = await pbx.post('/api/v1/cti/events', {
          type: 'new_call',
          callId,
          from: `+86 ${phone}`,
          to: '+864008001234',
          direction: 'in',
          queue: 'support',
          agent: agentUser.email,
        })
        expect(ring).toMatchObject({ status: 200, body: {} })

        const pop = page.getByRole('dialog', { name: new RegExp(strings.pop.title.in) })
        await pop.waitFor({ timeout: 10_000 })
        await expect.poll(() => pop.getByText(customerName).count()).toBeGreaterThan(0)
        await expect.poll(() => pop.getByRole('link', { name: new RegExp(subject) }).count()).toBe(1)
        expect(await seriousA11yViolations(page)).toEqual([])

        // Only the agent named on the call sees it.
        await page.waitForTimeout(500)
        expect(await other.getByRole('dialog', { name: new RegExp(strings.pop.title.in) }).count()).toBe(0)

        await pop.getByRole('button', { name: strings.pop.openTicket }).click()
        await page.waitForURL(/\/desk\/tickets\/[0-9a-f-]{36}$/)
        const ticketId = page.url().split('/').pop() ?? ''
        expect(ticketId).not.toBe(existing.body.id)
        const ticket = await agentApi.get(`/api/v1/tickets/${ticketId}`)
        expect(ticket.body).toMatchObject({ channel: 'phone', requesterId: customer.id })
        const call = await agentApi.get('/api/v1/calls')
        expect(call.body.items.find((item: { callId: string }) => item.callId === callId)).toMatchObject({ ticketId })

        // The call log shows the call with its ticket.
        await pbx.post('/api/v1/cti/events', { type: 'hangup', callId, from: phone, to: '+864008001234', direction: 'in', cause: 'cancel' })
        await page.getByRole('link', { name: strings.nav.calls }).click()
        await page.getByRole('heading', { name: strings.log.heading }).waitFor()
        await expect.poll(() => page.getByRole('cell', { name: strings.outcome.missed }).count()).toBeGreaterThan(0)
        expect(await seriousA11yViolations(page)).toEqual([])
      } finally {
        await context.close()
        await otherContext.close()
      }
    })
  }

  it('lets an administrator block and unblock a number from the Calls page', async () => {
    const adminUser = await buildStaff(server.deps, { roles: ['admin'] })
    const context = await newContext(browser, server.url, 'en')
    const page = await context.newPage()
    try {
      await signIn(page, adminUser.email ?? '', TEST_PASSWORD)
      await page.goto('/desk/calls')
      await page.getByRole('heading', { name: enPhone.blocked.title }).waitFor()
      await page.getByLabel(enPhone.blocked.number, { exact: true }).fill('135 0000 9999')
      await page.getByRole('button', { name: enPhone.blocked.add }).click()
      await page.getByRole('cell', { name: '+8613500009999', exact: true }).waitFor()
      expect(await seriousA11yViolations(page)).toEqual([])
      const answer = await pbx.post('/api/v1/cti/events', { type: 'new_call', callId: `e2e-blocked-${Date.now()}`, from: '13500009999', to: '+864008001234', direction: 'in' })
      expect(answer.body).toEqual({ action: 'reject', reason: 'blocked' })
      await page.getByRole('button', { name: enPhone.blocked.removeFor.replace('{{number}}', '+8613500009999') }).click()
      await page.getByText(enPhone.blocked.none).waitFor()
    } finally {
      await context.close()
    }
  })
})
