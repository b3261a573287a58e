import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import en from '../../web/src/locales/en/integrations.json' with { type: 'json' }
import zh from '../../web/src/locales/zh-CN/integrations.json' with { type: 'json' }
import { hasChromium, launchBrowser, newContext, seriousA11yViolations, signIn } from '../helpers/browser.ts'
import { TEST_PASSWORD, type TestServer, buildStaff, startTestServer } from '../helpers/test-server.ts'

const SCREENSHOTS = path.resolve('test/e2e/screenshots')
const STRINGS = { en, 'zh-CN': zh } as const
const runInBrowser = hasChromium() || process.env.CI === 'true' ? describe : describe.skip

runInBrowser('admin integrations page (real Chromium)', () => {
  let server: TestServer
  let browser: Browser
  let receiver: http.Server
  let receiverUrl: string
  const received: string[] = []

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    receiver = http.createServer((request, response) => {
      received.push(request.headers['webhook-id'] as string)
      response.end('ok')
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await new Promise<void>((resolve) => receiver?.close(() => resolve()))
  })

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`creates a source and a webhook, pings it and redelivers from the log (${locale})`, async () => {
      const strings = STRINGS[locale]
      const adminUser = await buildStaff(server.deps, { roles: ['admin'] })
      const context = await newContext(browser, server.url, locale)
      const page = await context.newPage()
      try {
        await signIn(page, adminUser.email ?? '', TEST_PASSWORD)
        await page.goto('/admin/integrations')
        await page.getByTestId('source-new').click()
        const key = `app-${locale.toLowerCase()}`
        await page.getByTestId('source-name').fill(locale === 'en' ? 'Shop app' : '商城 App')
        await page.getByTestId('source-key').fill(key)
        await page.getByTestId('source-kind').selectOption('wechat')
        await page.getByTestId('source-save').click()
        await expect.poll(() => page.getByTestId('secret-value').textContent()).toMatch(/^whsec_/)
        await expect.poll(() => page.locator(`[data-source-key="${key}"]`).textContent()).toContain(strings.sources.kinds.wechat)
        expect(await seriousA11yViolations(page)).toEqual([])
        await page.getByTestId('secret-done').click()

        await page.getByTestId('webhook-new').click()
        await page.getByTestId('webhook-name').fill(`CRM ${locale}`)
        await page.getByTestId('webhook-url').fill(receiverUrl)
        expect(await seriousA11yViolations(page)).toEqual([])
        await page.getByTestId('webhook-save').click()
        await expect.poll(() => page.getByTestId('secret-value').textContent()).toMatch(/^whsec_/)
        const row = page.getByTestId('webhook-row').filter({ hasText: `CRM ${locale}` })
        const before = received.length
        await row.getByTestId('webhook-test').click()
        await expect.poll(() => received.length).toBe(before + 1)
        await row.getByTestId('webhook-log').click()
        const delivery = page.getByTestId('delivery-row').first()
        await expect.poll(() => delivery.getAttribute('data-status')).toBe('delivered')
        await delivery.locator('summary').click()
        expect(await seriousA11yViolations(page)).toEqual([])
        fs.mkdirSync(SCREENSHOTS, { recursive: true })
        await page.screenshot({ path: path.join(SCREENSHOTS, `${locale}-admin-integrations.png`), fullPage: true })
        await delivery.getByTestId('delivery-redeliver').click()
        await expect.poll(() => page.getByTestId('delivery-row').first().getAttribute('data-status')).toBe('pending')
        expect(await page.getByTestId('delivery-log').textContent()).toContain(strings.webhooks.statuses.pending)
      } finally {
        await context.close()
      }
    })
  }
})
