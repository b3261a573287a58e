import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import adminEn from '../../web/src/locales/en/admin.json' with { type: 'json' }
import portalEn from '../../web/src/locales/en/portal.json' with { type: 'json' }
import adminZh from '../../web/src/locales/zh-CN/admin.json' with { type: 'json' }
import portalZh from '../../web/src/locales/zh-CN/portal.json' with { type: 'json' }
import { hasChromium, launchBrowser, newContext, seriousA11yViolations, signIn } from '../helpers/browser.ts'
import { TEST_PASSWORD, type TestServer, buildStaff, startTestServer } from '../helpers/test-server.ts'

const STRINGS = { en: { admin: adminEn, portal: portalEn }, 'zh-CN': { admin: adminZh, portal: portalZh } } as const
const runInBrowser = hasChromium() || process.env.CI === 'true' ? describe : describe.skip

runInBrowser('admin staff form: extension / 分机号 (real Chromium)', () => {
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

  for (const [index, locale] of (['en', 'zh-CN'] as const).entries()) {
    it(`sets a staff member's extension, refuses a malformed or taken one on the field (${locale})`, async () => {
      const strings = STRINGS[locale]
      const adminUser = await buildStaff(server.deps, { roles: ['admin'] })
      const holder = await buildStaff(server.deps, { name: `Holder ${locale}` })
      const extension = `81${index}1`
      const context = await newContext(browser, server.url, locale)
      const page = await context.newPage()
      try {
        await signIn(page, adminUser.email ?? '', TEST_PASSWORD)
        await page.goto('/admin/users')
        await page.getByTestId('user-new').click()
        const form = page.getByTestId('staff-form')
        await expect.poll(() => form.getByLabel(strings.admin.fields.phoneExtension, { exact: true }).count()).toBe(1)
        await page.getByTestId('user-name').fill(`Agent ${locale}`)
        await page.getByTestId('user-email').fill(`agent-ext-${index}@desk.test`)
        await page.getByTestId('user-password').fill(TEST_PASSWORD)
        await page.getByTestId('user-extension').fill('80-01')
        await page.getByTestId('user-save').click()
        const fieldError = form.locator('[data-testid="field-error"][data-field="phoneExtension"]')
        await expect.poll(() => fieldError.textContent()).toBe(strings.portal.fieldError.extension)
        expect(await page.getByTestId('user-extension').getAttribute('aria-invalid')).toBe('true')
        expect(await seriousA11yViolations(page)).toEqual([])

        await page.getByTestId('user-extension').fill(extension)
        await page.getByTestId('user-save').click()
        const row = page.getByTestId('user-row').filter({ hasText: `Agent ${locale}` })
        await expect.poll(() => row.getByTestId('user-extension-cell').textContent()).toBe(extension)
        const saved = await server.deps.db.selectFrom('users').select('phone_extension').where('email', '=', `agent-ext-${index}@desk.test`).executeTakeFirstOrThrow()
        expect(saved.phone_extension).toBe(extension)

        // Someone else's extension: the server's 409 lands on the field.
        await page.getByTestId('user-row').filter({ hasText: holder.name }).getByTestId('user-edit').click()
        await page.getByTestId('user-extension').fill(extension)
        await page.getByTestId('user-save').click()
        await expect.poll(() => fieldError.textContent()).toBe(strings.portal.fieldError.taken)
        expect(await page.getByTestId('form-error').getAttribute('data-code')).toBe('CONFLICT')
        expect(await seriousA11yViolations(page)).toEqual([])
        const unchanged = await server.deps.db.selectFrom('users').select('phone_extension').where('id', '=', holder.id).executeTakeFirstOrThrow()
        expect(unchanged.phone_extension).toBeNull()
      } finally {
        await context.close()
      }
    })
  }
})
