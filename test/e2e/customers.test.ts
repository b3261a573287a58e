import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import en from '../../web/src/locales/en/customers.json' with { type: 'json' }
import zh from '../../web/src/locales/zh-CN/customers.json' with { type: 'json' }
import { ApiClient } from '../helpers/api-client.ts'
import { hasChromium, launchBrowser, newContext, seriousA11yViolations, signIn } from '../helpers/browser.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildStaff, startTestServer } from '../helpers/test-server.ts'

const SCREENSHOTS = path.resolve('test/e2e/screenshots')
const STRINGS = { en, 'zh-CN': zh } as const
const runInBrowser = hasChromium() || process.env.CI === 'true' ? describe : describe.skip

runInBrowser('customer page: one customer across channels (real Chromium)', () => {
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
    it(`merges a duplicate from the customer page, shows both histories, and undoes it (${locale})`, async () => {
      const strings = STRINGS[locale]
      const agentUser = await buildStaff(server.deps, { tier: 'L1' })
      const name = locale === 'en' ? `Morgan Lee ${Date.now()}` : `李明${Date.now()}`
      const survivor = await buildCustomer(server.deps, { name })
      const duplicate = await buildCustomer(server.deps, { name })
      const api = new ApiClient(server.url)
      expect((await api.login(agentUser.email ?? '', TEST_PASSWORD)).status).toBe(200)
      const phone = `+86139${String(Date.now()).slice(-8)}`
      expect((await api.patch(`/api/v1/customers/${duplicate.id}`, { phone })).status).toBe(200)
      const mine = await api.post('/api/v1/tickets', { requesterId: survivor.id, subject: 'Invoice copy', description: 'March invoice', channel: 'email' })
      const theirs = await api.post('/api/v1/tickets', { requesterId: duplicate.id, subject: 'Delivery late', description: 'Called about it', channel: 'phone' })
      expect([mine.status, theirs.status]).toEqual([201, 201])

      const context = await newContext(browser, server.url, locale)
      const page = await context.newPage()
      try {
        await signIn(page, agentUser.email ?? '', TEST_PASSWORD)
        // From the ticket's customer panel to the customer page.
        await page.goto(`/desk/tickets/${mine.body.id}`)
        await page.getByTestId('customer-page-link').click()
        await page.waitForURL(new RegExp(`/desk/customers/${survivor.id}$`))
        await expect.poll(() => page.getByTestId('customer-page-name').textContent()).toBe(name)
        await expect.poll(() => page.getByTestId('history-item').count()).toBe(1)
        await expect.poll(() => page.getByTestId('duplicate').count()).toBe(1)
        expect(await page.getByTestId('duplicate').textContent()).toContain(strings.duplicates.reason.same_name.replace(' ({{evidence}})', '').replace('（{{evidence}}）', ''))
        expect(await seriousA11yViolations(page)).toEqual([])

        await page.getByTestId('merge-button').click()
        const dialog = page.getByTestId('merge-dialog')
        await expect.poll(() => dialog.getByTestId('merge-preview').textContent()).toContain(phone)
        expect(await seriousA11yViolations(page)).toEqual([])
        await page.screenshot({ path: path.join(SCREENSHOTS, `${locale}-customer-merge-dialog.png`) })
        await dialog.getByTestId('merge-confirm').click()
        await expect.poll(() => page.getByTestId('customer-notice').isVisible()).toBe(true)
        // The history now holds both records' tickets, with their channels; the phone moved over.
        await expect.poll(() => page.getByTestId('history-item').count()).toBe(2)
        const history = (await page.getByTestId('history').textContent()) ?? ''
        expect(history).toContain('Invoice copy')
        expect(history).toContain('Delivery late')
        expect(await page.getByTestId('contact-points').textContent()).toContain(phone)
        await expect.poll(() => page.getByTestId('merge-row').count()).toBe(1)
        expect(await seriousA11yViolations(page)).toEqual([])
        await page.screenshot({ path: path.join(SCREENSHOTS, `${locale}-customer-page.png`) })

        await page.getByTestId('undo-merge').click()
        await expect.poll(() => page.getByTestId('history-item').count()).toBe(1)
        expect(await page.getByTestId('contact-points').textContent()).not.toContain(phone)
        const restored = await server.deps.db.selectFrom('users').select(['merged_into', 'is_active', 'phone']).where('id', '=', duplicate.id).executeTakeFirstOrThrow()
        expect(restored).toEqual({ merged_into: null, is_active: true, phone })
      } finally {
        await context.close()
      }
    })
  }
})
