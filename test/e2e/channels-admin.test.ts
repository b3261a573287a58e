import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EMAIL_TOPIC } from '../../src/channels/email/outbound-mail.ts'
import { outboxHandlers } from '../../src/channels/registry.ts'
import { loadChatSettings } from '../../src/channels/chat/chat-settings.ts'
import { retryDelayMs, runOutboxPass } from '../../src/jobs/outbox-dispatcher.ts'
import agentEn from '../../web/src/locales/en/agent.json' with { type: 'json' }
import chatEn from '../../web/src/locales/en/chat.json' with { type: 'json' }
import commonEn from '../../web/src/locales/en/common.json' with { type: 'json' }
import integrationsEn from '../../web/src/locales/en/integrations.json' with { type: 'json' }
import agentZh from '../../web/src/locales/zh-CN/agent.json' with { type: 'json' }
import chatZh from '../../web/src/locales/zh-CN/chat.json' with { type: 'json' }
import commonZh from '../../web/src/locales/zh-CN/common.json' with { type: 'json' }
import integrationsZh from '../../web/src/locales/zh-CN/integrations.json' with { type: 'json' }
import { ApiClient } from '../helpers/api-client.ts'
import { hasChromium, launchBrowser, newContext, seriousA11yViolations, signIn } from '../helpers/browser.ts'
import { SmtpSink } from '../helpers/smtp-sink.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildStaff, startTestServer } from '../helpers/test-server.ts'

const SCREENSHOTS = path.resolve('test/e2e/screenshots')
const STRINGS = {
  en: { agent: agentEn, chat: chatEn, common: commonEn, integrations: integrationsEn },
  'zh-CN': { agent: agentZh, chat: chatZh, common: commonZh, integrations: integrationsZh },
} as const
const LOCALES = ['en', 'zh-CN'] as const
const runInBrowser = hasChromium() || process.env.CI === 'true' ? describe : describe.skip

async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true })
}

runInBrowser('channel administration and the chat filter in Chromium', () => {
  let browser: Browser

  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  describe('the outbox tab', () => {
    let server: TestServer
    const sink = new SmtpSink()

    beforeAll(async () => {
      // A port that was free a moment ago and is now closed: the relay is "down" until the sink starts there again.
      await sink.start(0)
      await sink.stop()
      server = await startTestServer({ smtpUrl: sink.url, mailFrom: 'Loopdesk Support <support@desk.test>' })
    })
    afterAll(async () => {
      await server?.close()
      await sink.stop()
    })

    /** Outbox passes with the real handlers until the e-mail to `address` is dead, the clock moved past each backoff. */
    async function untilDead(address: string): Promise<void> {
      for (let pass = 1; pass <= 40; pass++) {
        await runOutboxPass(server.deps, outboxHandlers(server.deps))
        const rows = await server.deps.db.selectFrom('outbox').select(['payload', 'dead_at']).where('topic', '=', EMAIL_TOPIC).execute()
        if (rows.some((row) => (row.payload as { to: { address: string } }).to.address === address && row.dead_at !== null)) return
        server.clock.advance(retryDelayMs(pass) + 1)
      }
      throw new Error(`the e-mail to ${address} never went dead`)
    }

    for (const locale of LOCALES) {
      it(`shows an undeliverable e-mail with its error and retries it once the relay is back (${locale})`, async () => {
        const strings = STRINGS[locale].integrations
        const agentUser = await buildStaff(server.deps)
        const agent = new ApiClient(server.url)
        await agent.login(agentUser.email ?? '', TEST_PASSWORD)
        const customer = await buildCustomer(server.deps, { email: `outbox-${locale.toLowerCase()}@example.test` })
        const subject = locale === 'en' ? 'Printer jams on every page' : '打印机每页都卡纸'
        expect((await agent.post('/api/v1/tickets', { subject, description: 'Since Monday.', requesterId: customer.id, channel: 'email' })).status).toBe(201)
        // The acknowledgement is queued by the customer-updates reactor and fails against the closed port until it is dead.
        await untilDead(customer.email ?? '')

        const adminUser = await buildStaff(server.deps, { roles: ['admin'] })
        const context = await newContext(browser, server.url, locale)
        const page = await context.newPage()
        try {
          await signIn(page, adminUser.email ?? '', TEST_PASSWORD)
          await page.goto('/admin/outbox')
          const row = page.getByTestId('outbox-row').filter({ hasText: customer.email ?? '' })
          await expect.poll(() => row.count()).toBe(1)
          const cells = row.locator('td')
          expect(await cells.nth(0).textContent()).toBe(strings.outbox.topics.email)
          // All 20 attempts of an e-mail were made, and the last error says why.
          expect(await cells.nth(2).textContent()).toBe('20')
          expect(await cells.nth(3).textContent()).toMatch(/ECONNREFUSED 127\.0\.0\.1:\d+/)
          expect(await seriousA11yViolations(page)).toEqual([])
          await screenshot(page, `${locale}-admin-outbox.png`)

          await sink.start(sink.port)
          try {
            await row.getByTestId('outbox-retry').click()
            await expect.poll(() => page.getByTestId('admin-notice').textContent()).toMatch(new RegExp(strings.outbox.retried.replace('{{id}}', '\\d+')))
            await expect.poll(() => row.count()).toBe(0)
            await page.getByTestId('outbox-state').selectOption('pending')
            const waiting = page.getByTestId('outbox-row').filter({ hasText: customer.email ?? '' })
            await expect.poll(() => waiting.getAttribute('data-state')).toBe('pending')

            await runOutboxPass(server.deps, outboxHandlers(server.deps))
            expect(sink.received.filter((mail) => mail.envelopeTo.includes(customer.email ?? ''))).toHaveLength(1)
            await page.getByTestId('outbox-state').selectOption('delivered')
            const delivered = page.getByTestId('outbox-row').filter({ hasText: customer.email ?? '' })
            await expect.poll(() => delivered.getAttribute('data-state')).toBe('delivered')
            // Delivered: no error left, and no retry offered.
            expect(await delivered.locator('td').nth(3).textContent()).toBe('—')
            expect(await delivered.getByTestId('outbox-retry').count()).toBe(0)
            expect(await seriousA11yViolations(page)).toEqual([])
          } finally {
            await sink.stop()
          }
        } finally {
          await context.close()
        }
      })
    }
  })

  describe('the web chat settings tab', () => {
    let server: TestServer
    let site: http.Server
    let siteUrl: string
    let siteLocale = 'en'

    beforeAll(async () => {
      server = await startTestServer()
      site = http.createServer((_request, response) => {
        response.setHeader('content-type', 'text/html; charset=utf-8')
        response.end(`<!doctype html><html lang="${siteLocale}"><head><meta charset="utf-8"><title>Shop</title></head>
<body><main><h1>Shop</h1></main><script src="${server.url}/chat/widget.js" data-locale="${siteLocale}" async></script></body></html>`)
      })
      await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
      siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`
    })
    afterAll(async () => {
      await server?.close()
      await new Promise<void>((resolve) => site?.close(() => resolve()))
    })

    for (const locale of LOCALES) {
      it(`edits hours, holidays, origins and texts, keeps them across a reload and shows a bad value on its field (${locale})`, async () => {
        const strings = STRINGS[locale].chat.settings
        const adminUser = await buildStaff(server.deps, { roles: ['admin'] })
        const context = await newContext(browser, server.url, locale)
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
        const page = await context.newPage()
        const greeting = locale === 'en' ? 'Hello from the after-sales team' : '您好，售后团队为您服务'
        const offline = locale === 'en' ? 'We are back on Monday at nine' : '周一九点恢复服务'
        try {
          await signIn(page, adminUser.email ?? '', TEST_PASSWORD)
          await page.goto('/admin/chat')
          await expect.poll(() => page.getByTestId('chat-time-zone').inputValue()).toBe(locale === 'en' ? 'Asia/Shanghai' : 'Asia/Hong_Kong')
          expect(await seriousA11yViolations(page)).toEqual([])

          // Monday's first period ends at 12:30; Saturday gets 10:00–16:00; Sunday stays closed.
          const monday = page.getByTestId('chat-day-1')
          await monday.getByTestId('chat-interval-end').first().fill('12:30')
          const saturday = page.getByTestId('chat-day-6')
          while ((await saturday.getByTestId('chat-interval').count()) > 0) await saturday.getByTestId('chat-interval-remove').first().click()
          await saturday.getByTestId('chat-interval-add').click()
          await saturday.getByTestId('chat-interval-start').fill('10:00')
          await saturday.getByTestId('chat-interval-end').fill('16:00')
          await page.getByTestId('chat-time-zone').fill('Asia/Hong_Kong')
          await page.getByTestId('chat-holidays').fill('2026-10-01\n\n2026-10-02')
          await page.getByTestId('chat-origins').fill(`https://shop.example.test\n${new URL(siteUrl).origin}`)
          await page.getByTestId(`chat-greeting-${locale}`).fill(greeting)
          await page.getByTestId(`chat-offlineText-${locale}`).fill(offline)
          await page.getByTestId('chat-always').check()
          await page.getByTestId('chat-settings-save').click()
          await expect.poll(() => page.getByTestId('admin-notice').textContent()).toBe(strings.saved)
          await expect.poll(() => page.getByTestId('chat-status').getAttribute('data-online')).toBe('true')
          expect(await page.getByTestId('chat-status').textContent()).toBe(strings.statusOnline)

          const stored = await loadChatSettings(server.deps.db)
          expect(stored.hours).toMatchObject({ always: true, timeZone: 'Asia/Hong_Kong', holidays: ['2026-10-01', '2026-10-02'] })
          expect(stored.hours.weeklyHours['1']).toEqual([
            [540, 750],
            [810, 1080],
          ])
          expect(stored.hours.weeklyHours['6']).toEqual([[600, 960]])
          expect(stored.hours.weeklyHours['0']).toBeUndefined()
          expect(stored.allowedOrigins).toEqual(['https://shop.example.test', new URL(siteUrl).origin])
          expect(stored.greeting[locale]).toBe(greeting)
          expect(stored.offlineText[locale]).toBe(offline)

          await page.reload()
          await expect.poll(() => page.getByTestId('chat-time-zone').inputValue()).toBe('Asia/Hong_Kong')
          expect(await monday.getByTestId('chat-interval-end').first().inputValue()).toBe('12:30')
          expect(await saturday.getByTestId('chat-interval-start').inputValue()).toBe('10:00')
          expect(await saturday.getByTestId('chat-interval-end').inputValue()).toBe('16:00')
          expect(await page.getByTestId('chat-day-0').getByTestId('chat-interval').count()).toBe(0)
          expect(await page.getByTestId('chat-holidays').inputValue()).toBe('2026-10-01\n2026-10-02')
          expect(await page.getByTestId(`chat-greeting-${locale}`).inputValue()).toBe(greeting)
          expect(await page.getByTestId(`chat-offlineText-${locale}`).inputValue()).toBe(offline)
          expect(await page.getByTestId('chat-always').isChecked()).toBe(true)

          // The widget on the allowed site greets the visitor with the new text.
          siteLocale = locale
          const visitor = await context.newPage()
          await visitor.goto(siteUrl)
          await visitor.getByTestId('chat-launcher').click()
          await expect.poll(() => visitor.getByTestId('chat-status').textContent()).toBe(greeting)
          await visitor.close()

          // A time zone that does not exist: the error sits under the time zone.
          await page.getByTestId('chat-time-zone').fill('Mars/Olympus')
          await page.getByTestId('chat-settings-save').click()
          const zoneError = page.locator('[data-testid="field-error"][data-field="timeZone"]')
          await expect.poll(() => zoneError.textContent()).toBe(strings.errors.timeZone)
          expect(await page.getByTestId('chat-time-zone').getAttribute('aria-invalid')).toBe('true')
          expect(await page.getByTestId('form-error').getAttribute('data-code')).toBe('VALIDATION')
          expect(await seriousA11yViolations(page)).toEqual([])

          // A period that ends before it starts: the error sits on that period, the time zone is fine again.
          await page.getByTestId('chat-time-zone').fill('Asia/Hong_Kong')
          await monday.getByTestId('chat-interval-start').first().fill('13:00')
          await page.getByTestId('chat-settings-save').click()
          const periodError = monday.locator('[data-testid="field-error"][data-field="interval-1-0"]')
          await expect.poll(() => periodError.textContent()).toBe(strings.errors.interval)
          expect(await zoneError.count()).toBe(0)
          expect(await monday.getByTestId('chat-interval-start').first().getAttribute('aria-invalid')).toBe('true')
          expect(await monday.getByTestId('chat-interval-start').nth(1).getAttribute('aria-invalid')).toBeNull()
          await screenshot(page, `${locale}-admin-chat-settings.png`)
          // Nothing of the refused change was stored.
          expect((await loadChatSettings(server.deps.db)).hours.weeklyHours['1']).toEqual([
            [540, 750],
            [810, 1080],
          ])

          // The embed snippet names this desk, and the copy button puts it on the clipboard.
          const snippet = `<script src="${server.url}/chat/widget.js" async></script>`
          expect(await page.getByTestId('chat-embed-code').textContent()).toBe(snippet)
          await page.getByTestId('chat-embed-copy').click()
          await expect.poll(() => page.getByTestId('chat-embed-copied').textContent()).toBe(strings.embed.copied)
          expect(await page.evaluate('navigator.clipboard.readText()')).toBe(snippet)
        } finally {
          await context.close()
        }
      })
    }
  })

  describe('the queue’s channel filter', () => {
    let server: TestServer
    const subjects = { chatNew: 'Chat: order 1001 missing', chatMine: 'Chat: refund question', email: 'Mail: invoice copy', phone: 'Call: router reset' }

    beforeAll(async () => {
      server = await startTestServer()
      const opener = await buildStaff(server.deps, { roles: ['supervisor'] })
      const client = new ApiClient(server.url)
      await client.login(opener.email ?? '', TEST_PASSWORD)
      const customer = await buildCustomer(server.deps)
      const open = async (subject: string, channel: string, extra: Record<string, unknown> = {}) =>
        expect((await client.post('/api/v1/tickets', { subject, description: 'd', requesterId: customer.id, channel, ...extra })).status).toBe(201)
      await open(subjects.email, 'email')
      await open(subjects.phone, 'phone')
      await open(subjects.chatNew, 'chat')
      await open(subjects.chatMine, 'chat', { assigneeId: opener.id })
    })
    afterAll(async () => {
      await server?.close()
    })

    for (const locale of LOCALES) {
      it(`shows only web chats with the quick filter, keeps it in the URL and a saved view (${locale})`, async () => {
        const strings = STRINGS[locale]
        const supervisor = await buildStaff(server.deps, { roles: ['supervisor'] })
        const context = await newContext(browser, server.url, locale)
        const page = await context.newPage()
        const shownSubjects = async () => (await page.getByTestId('ticket-link').allTextContents()).sort()
        const shownChannels = async () => page.getByTestId('ticket-channel').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-channel')))
        try {
          await signIn(page, supervisor.email ?? '', TEST_PASSWORD)
          await page.goto('/desk?queue=all')
          await expect.poll(shownSubjects).toEqual(Object.values(subjects).sort())
          // Each row names its channel.
          const phoneRow = page.getByTestId('ticket-row').filter({ hasText: subjects.phone })
          expect(await phoneRow.getByTestId('ticket-channel').textContent()).toContain(strings.common.channel.phone)
          const quick = page.getByTestId('quick-chats')
          expect(await quick.getAttribute('aria-pressed')).toBe('false')
          await expect.poll(() => page.getByTestId('quick-chats-count').textContent()).toBe('2')
          expect(await quick.textContent()).toContain(strings.agent.filter.chats)

          await quick.click()
          await expect.poll(shownSubjects).toEqual([subjects.chatMine, subjects.chatNew].sort())
          expect(await shownChannels()).toEqual(['chat', 'chat'])
          expect(new URL(page.url()).searchParams.get('channel')).toBe('chat')
          expect(await quick.getAttribute('aria-pressed')).toBe('true')
          expect(await page.getByTestId('filter-channel').inputValue()).toBe('chat')
          expect(await page.getByTestId('ticket-channel').first().textContent()).toContain(strings.common.channel.chat)
          expect(await seriousA11yViolations(page)).toEqual([])
          await screenshot(page, `${locale}-queue-chats.png`)

          // The unassigned queue keeps the filter: its one open chat, and its count.
          await page.getByTestId('queue-tab-unassigned').click()
          await expect.poll(shownSubjects).toEqual([subjects.chatNew])
          await expect.poll(() => page.getByTestId('quick-chats-count').textContent()).toBe('1')

          // The filter lives in the URL: a reload shows the same.
          await page.reload()
          await expect.poll(shownSubjects).toEqual([subjects.chatNew])

          // Saved as a view, it comes back from another queue.
          await page.getByTestId('queue-tab-all').click()
          await expect.poll(shownSubjects).toEqual([subjects.chatMine, subjects.chatNew].sort())
          await page.getByTestId('view-name').fill(locale === 'en' ? 'Web chats' : '在线聊天工单')
          await page.getByTestId('view-save').click()
          await expect.poll(() => new URL(page.url()).searchParams.get('view')).not.toBeNull()
          await page.goto('/desk?queue=all')
          await expect.poll(shownSubjects).toEqual(Object.values(subjects).sort())
          await page.getByTestId('view-select').selectOption({ label: locale === 'en' ? 'Web chats' : '在线聊天工单' })
          await expect.poll(shownSubjects).toEqual([subjects.chatMine, subjects.chatNew].sort())
          expect(await shownChannels()).toEqual(['chat', 'chat'])

          // The channel list narrows to another channel; the quick filter then is off, and clears nothing it did not set.
          await page.getByTestId('filter-channel').selectOption('phone')
          await expect.poll(shownSubjects).toEqual([subjects.phone])
          expect(await quick.getAttribute('aria-pressed')).toBe('false')
          await page.goto('/desk?queue=all&channel=chat')
          await expect.poll(shownSubjects).toEqual([subjects.chatMine, subjects.chatNew].sort())
          await quick.click()
          await expect.poll(shownSubjects).toEqual(Object.values(subjects).sort())
          expect(new URL(page.url()).searchParams.has('channel')).toBe(false)
        } finally {
          await context.close()
        }
      })
    }
  })
})
