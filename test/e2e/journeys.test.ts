import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import enCommon from '../../web/src/locales/en/common.json' with { type: 'json' }
import zhCommon from '../../web/src/locales/zh-CN/common.json' with { type: 'json' }
import { hasChromium, launchBrowser, newContext, seriousA11yViolations, signIn } from '../helpers/browser.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildGroup, buildStaff, startTestServer } from '../helpers/test-server.ts'

// The smallest valid PNG, attached by the customer.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a4e3a8b40000000049454e44ae426082',
  'hex',
)
const SCREENSHOTS = path.resolve('test/e2e/screenshots')
const COMMON = { en: enCommon, 'zh-CN': zhCommon } as const

/** Screenshots of the main screens; `UPDATE_SCREENSHOTS=1` also refreshes the set kept in docs/. */
async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true })
  const file = path.join(SCREENSHOTS, `${name}.png`)
  await page.screenshot({ path: file })
  if (process.env.UPDATE_SCREENSHOTS === '1') fs.copyFileSync(file, path.resolve('docs/screenshots', `${name}.png`))
}

async function expectAccessible(page: Page, screen: string): Promise<void> {
  const violations = await seriousA11yViolations(page)
  expect(violations, `${screen}: ${JSON.stringify(violations, null, 2)}`).toEqual([])
}

const runInBrowser = hasChromium() || process.env.CI === 'true' ? describe : describe.skip
if (!hasChromium()) console.warn('e2e: no Chromium at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM_PATH)')

runInBrowser('browser journeys (real Chromium, real server, real WebSocket)', () => {
  let server: TestServer
  let browser: Browser

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`a request goes from the portal to the agent and back to closure (${locale})`, async () => {
      const common = COMMON[locale]
      const agentUser = await buildStaff(server.deps, { tier: 'L1', name: locale === 'en' ? 'Alex Agent' : '张坐席' })
      await buildGroup(server.deps, [agentUser.id])
      const customerUser = await buildCustomer(server.deps, { name: locale === 'en' ? 'Casey Customer' : '王客户' })
      const intruderUser = await buildCustomer(server.deps)
      const subject = locale === 'en' ? `Printer offline ${Date.now()}` : `打印机无法连接网络 ${Date.now()}`
      const publicReply = locale === 'en' ? 'Please restart the printer and try again.' : '请重启打印机后再试。'
      const internalNote = locale === 'en' ? 'Known firmware issue 2.1 — internal only' : '固件 2.1 已知问题 — 仅内部可见'

      const agentContext = await newContext(browser, server.url, locale)
      const customerContext = await newContext(browser, server.url, locale, { width: 390, height: 844 })
      const agent = await agentContext.newPage()
      const customer = await customerContext.newPage()
      try {
        await signIn(agent, agentUser.email ?? '', TEST_PASSWORD)
        await agent.getByTestId('queue-tab-unassigned').click()
        await expect.poll(() => agent.evaluate('document.documentElement.lang')).toBe(locale)
        await expectAccessible(agent, 'agent queue')
        await screenshot(agent, `${locale}-agent-queue`)

        await signIn(customer, customerUser.email ?? '', TEST_PASSWORD)
        await customer.goto('/portal/new')
        await customer.getByTestId('new-type').selectOption('incident')
        await customer.getByTestId('new-subject').fill(subject)
        await customer.getByTestId('new-description').fill(locale === 'en' ? 'The printer on floor 3 has been offline since this morning.' : '三楼的打印机从早上开始离线。')
        await customer.getByTestId('new-files').setInputFiles({ name: 'screenshot.png', mimeType: 'image/png', buffer: PNG })
        await expectAccessible(customer, 'portal new request')
        await screenshot(customer, `${locale}-portal-new-request`)
        await customer.getByTestId('new-submit').click()
        await customer.waitForURL(/\/portal\/requests\/[0-9a-f-]{36}$/)
        const ticketId = customer.url().split('/').pop() ?? ''

        // The agent's unassigned queue shows it without a reload.
        const row = agent.locator(`[data-testid="ticket-row"][data-ticket-id="${ticketId}"]`)
        await row.waitFor({ timeout: 3000 })
        await row.getByRole('link').first().click()
        await agent.waitForURL(new RegExp(`/desk/tickets/${ticketId}$`))
        await agent.getByTestId('sla-panel').waitFor()
        expect(await agent.getByTestId('sla-target').count()).toBeGreaterThan(0)
        await agent.getByTestId('action-accept').click()
        await expect.poll(() => agent.getByTestId('ticket-status').getAttribute('data-status')).toBe('accepted')
        await agent.getByTestId('reply-body').fill(publicReply)
        await agent.getByTestId('reply-send').click()
        await agent.locator('[data-testid="message"][data-visibility="public"]', { hasText: publicReply }).waitFor()
        await agent.getByTestId('visibility-internal').check()
        await agent.getByTestId('reply-body').fill(internalNote)
        await agent.getByTestId('reply-send').click()
        await agent.locator('[data-testid="message"][data-visibility="internal"]', { hasText: internalNote }).waitFor()
        await expect.poll(() => agent.getByTestId('attachment-link').count()).toBe(1)
        await expectAccessible(agent, 'agent ticket')
        await screenshot(agent, `${locale}-agent-ticket`)

        // The customer sees the reply live, never the note.
        await customer.locator('[data-testid="message"]', { hasText: publicReply }).waitFor({ timeout: 3000 })
        expect(await customer.locator('body').innerText()).not.toContain(internalNote)
        expect(await customer.locator('[data-visibility="internal"]').count()).toBe(0)

        await agent.getByTestId('action-resolve').click()
        await expect.poll(() => agent.getByTestId('ticket-status').getAttribute('data-status')).toBe('resolved')
        await customer.getByTestId('confirm-fixed').waitFor({ timeout: 3000 })
        await expectAccessible(customer, 'portal request')
        await screenshot(customer, `${locale}-portal-request`)
        await customer.getByTestId('confirm-fixed').click()
        await expect.poll(() => customer.getByTestId('request-status').getAttribute('data-status')).toBe('closed')
        expect(await customer.getByTestId('request-status').innerText()).toBe(common.status.closed)

        const history = await server.deps.db.selectFrom('events').select('type').where('ticket_id', '=', ticketId).orderBy('id').execute()
        // The portal sends the attachment as a first message, which may land before or after the acceptance.
        const types = history.map((event) => event.type).filter((type) => !type.startsWith('ticket.sla_'))
        expect(types[0]).toBe('ticket.created')
        expect(types.slice(-2)).toEqual(['ticket.resolved', 'ticket.closed'])
        expect([...types].sort()).toEqual(
          ['ticket.accepted', 'ticket.closed', 'ticket.created', 'ticket.message_added', 'ticket.message_added', 'ticket.message_added', 'ticket.resolved'],
        )
        await expect.poll(() => agent.getByTestId('ticket-status').getAttribute('data-status')).toBe('closed')

        // Another customer who guesses the address sees nothing of it.
        const intruderContext = await newContext(browser, server.url, locale)
        const intruder = await intruderContext.newPage()
        await signIn(intruder, intruderUser.email ?? '', TEST_PASSWORD)
        await intruder.goto(`/portal/requests/${ticketId}`)
        await intruder.getByTestId('not-found').waitFor()
        expect(await intruder.locator('body').innerText()).not.toContain(subject)
        await intruderContext.close()
      } finally {
        await agentContext.close()
        await customerContext.close()
      }
    })
  }

  it('keeps the supervisor and admin screens accessible, in both languages', async () => {
    const admin = await buildStaff(server.deps, { roles: ['admin', 'supervisor'] })
    for (const locale of ['en', 'zh-CN'] as const) {
      const context = await newContext(browser, server.url, locale)
      const page = await context.newPage()
      try {
        await page.goto('/login')
        await expectAccessible(page, 'login')
        await screenshot(page, `${locale}-login`)
        await signIn(page, admin.email ?? '', TEST_PASSWORD)
        await page.goto('/supervisor')
        await page.getByTestId('agent-load').waitFor()
        await expectAccessible(page, 'supervisor')
        await screenshot(page, `${locale}-supervisor`)
        for (const tab of ['users', 'groups', 'organisations', 'categories', 'sla']) {
          await page.goto('/admin')
          await page.getByTestId(`admin-tab-${tab}`).click()
          await page.waitForLoadState('networkidle')
          await expectAccessible(page, `admin ${tab}`)
        }
        await screenshot(page, `${locale}-admin`)
      } finally {
        await context.close()
      }
    }
  })

  it('sends a person whose session ended to sign in, and back where they were', async () => {
    const agentUser = await buildStaff(server.deps)
    const context = await newContext(browser, server.url, 'en')
    const page = await context.newPage()
    try {
      await signIn(page, agentUser.email ?? '', TEST_PASSWORD)
      await page.goto('/desk?queue=unassigned')
      await server.deps.db.deleteFrom('sessions').where('user_id', '=', agentUser.id).execute()
      await page.reload()
      await page.waitForURL(/\/login/)
      await page.locator('#login-email').fill(agentUser.email ?? '')
      await page.locator('#login-password').fill(TEST_PASSWORD)
      await page.locator('button[type="submit"]').click()
      await page.waitForURL(/\/desk\?queue=unassigned$/)
    } finally {
      await context.close()
    }
  })
})
