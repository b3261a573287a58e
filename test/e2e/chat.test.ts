import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { updateChatSettings } from '../../src/channels/chat/chat-settings.ts'
import { SYSTEM_ACTOR } from '../../src/domain/policy/actor.ts'
import { hasChromium, launchBrowser, newContext, seriousA11yViolations, signIn } from '../helpers/browser.ts'
import { TEST_PASSWORD, type TestServer, buildStaff, startTestServer } from '../helpers/test-server.ts'

const SCREENSHOTS = path.resolve('test/e2e/screenshots')
const runInBrowser = hasChromium() || process.env.CI === 'true' ? describe : describe.skip

/** A customer's own site, on another origin, embedding the widget with the one script tag. */
function hostPage(deskUrl: string, locale: string): string {
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>Shop</title>
<style>button { background: red !important; } * { font-size: 40px; }</style></head>
<body><main><h1>Example shop</h1><p>Printers and supplies.</p></main>
<script src="${deskUrl}/chat/widget.js" data-locale="${locale}" async></script>
</body></html>`
}

runInBrowser('web chat in Chromium: a visitor on another site chats, the agent answers from the workspace', () => {
  let server: TestServer
  let browser: Browser
  let site: http.Server
  let siteUrl: string
  let locale = 'zh-CN'

  beforeAll(async () => {
    server = await startTestServer()
    // Chat answered around the clock for the conversation (the hours themselves are tested in integration).
    await updateChatSettings(server.deps, SYSTEM_ACTOR, { hours: { always: true, timeZone: 'Asia/Shanghai', weeklyHours: {}, holidays: [] } })
    browser = await launchBrowser()
    site = http.createServer((_request, response) => {
      response.setHeader('content-type', 'text/html; charset=utf-8')
      response.end(hostPage(server.url, locale))
    })
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
    siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await new Promise<void>((resolve) => site?.close(() => resolve()))
  })

  it('turns the conversation into a ticket, relays the reply live and keeps it across a reload', async () => {
    const staff = await buildStaff(server.deps, { name: 'Li Wei' })
    const visitorContext = await newContext(browser, siteUrl, 'zh-CN')
    const agentContext = await newContext(browser, server.url, 'en')
    const visitor = await visitorContext.newPage()
    const agent = await agentContext.newPage()
    try {
      await visitor.goto(siteUrl)
      await visitor.getByTestId('chat-launcher').click()
      await expect.poll(() => visitor.getByTestId('chat-status').textContent()).toBe('客服在线，通常几分钟内回复')
      // The host page's CSS does not reach into the widget.
      // A string, so the code runs in the page (this file is compiled without DOM types).
      const launcherBackground = await visitor.evaluate("getComputedStyle(document.getElementById('loopdesk-chat').shadowRoot.querySelector('.launcher')).backgroundColor")
      expect(launcherBackground).not.toBe('rgb(255, 0, 0)')
      await visitor.getByTestId('chat-input').fill('打印机无法连接无线网络')
      await visitor.getByTestId('chat-send').click()
      await expect.poll(() => visitor.getByTestId('chat-log').textContent()).toContain('打印机无法连接无线网络')
      await expect.poll(() => visitor.getByTestId('chat-log').textContent()).not.toContain('发送中')
      // The desk asks who is writing.
      await expect.poll(() => visitor.getByTestId('chat-identify').isVisible()).toBe(true)
      expect(await seriousA11yViolations(visitor)).toEqual([])

      const ticket = await server.deps.db.selectFrom('tickets').select(['id', 'subject', 'channel']).where('channel', '=', 'chat').executeTakeFirstOrThrow()
      expect(ticket.subject).toBe('打印机无法连接无线网络')

      // The agent finds it in the queue and opens it.
      await signIn(agent, staff.email ?? '', TEST_PASSWORD)
      await agent.goto('/desk?queue=unassigned')
      await agent.getByTestId('ticket-link').filter({ hasText: '打印机无法连接无线网络' }).click()
      await expect.poll(() => agent.getByTestId('ticket-subject').textContent()).toBe('打印机无法连接无线网络')
      await expect.poll(() => agent.getByTestId('chat-visitor-presence').getAttribute('data-online')).toBe('true')

      // Visitor typing shows on the agent's page; a second visitor message arrives live.
      await visitor.getByTestId('chat-input').pressSequentially('型号')
      await expect.poll(() => agent.getByTestId('chat-visitor-typing').textContent()).toBe('The visitor is typing…')
      await visitor.getByTestId('chat-input').fill('型号是 LaserJet 1020')
      await visitor.getByTestId('chat-input').press('Enter')
      await expect.poll(() => agent.locator('body').textContent(), { timeout: 5000 }).toContain('型号是 LaserJet 1020')

      // The agent replies with the ordinary reply editor; the visitor sees the reply and that the agent was typing.
      await agent.getByTestId('reply-body').fill('请先重启路由器，再试一次。')
      await expect.poll(() => visitor.getByTestId('chat-typing').textContent()).toBe('Li Wei 正在输入…')
      await agent.getByTestId('reply-send').click()
      await expect.poll(() => visitor.getByTestId('chat-log').textContent(), { timeout: 5000 }).toContain('请先重启路由器，再试一次。')
      expect(await seriousA11yViolations(agent)).toEqual([])
      await visitor.screenshot({ path: path.join(SCREENSHOTS, 'chat-widget-zh-CN.png') })
      await agent.screenshot({ path: path.join(SCREENSHOTS, 'chat-agent-en.png'), fullPage: true })

      // Identify with an e-mail address.
      await visitor.getByTestId('ld-id-email').fill('visitor@example.test')
      await visitor.getByTestId('chat-identify-submit').click()
      await expect.poll(() => visitor.getByTestId('chat-identify').isVisible()).toBe(false)
      const requester = await server.deps.db.selectFrom('tickets').innerJoin('users', 'users.id', 'tickets.requester_id').select('users.email').where('tickets.id', '=', ticket.id).executeTakeFirstOrThrow()
      expect(requester.email).toBe('visitor@example.test')

      // A reload: the same conversation, whole.
      await visitor.reload()
      await visitor.getByTestId('chat-launcher').click()
      await expect.poll(() => visitor.getByTestId('chat-log').locator('li').count()).toBe(3)
      const lines = await visitor.getByTestId('chat-log').locator('li').allTextContents()
      expect(lines[0]).toContain('打印机无法连接无线网络')
      expect(lines[2]).toContain('请先重启路由器，再试一次。')
      expect(await server.deps.db.selectFrom('tickets').select('id').where('channel', '=', 'chat').execute()).toHaveLength(1)
    } finally {
      await visitorContext.close()
      await agentContext.close()
    }
  })

  it('shows the message form outside chat hours and opens a ticket from it (English)', async () => {
    locale = 'en'
    // Open every day, but today and tomorrow (in Shanghai) are holidays: outside the hours.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' })
    const everyDay = Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((weekday) => [weekday, [[0, 1440]] as [number, number][]]))
    await updateChatSettings(server.deps, SYSTEM_ACTOR, { hours: { always: false, timeZone: 'Asia/Shanghai', weeklyHours: everyDay, holidays: [day(0), day(1)] } })
    const context = await newContext(browser, siteUrl, 'en')
    const page = await context.newPage()
    try {
      await page.goto(siteUrl)
      await page.getByTestId('chat-launcher').click()
      await expect.poll(() => page.getByTestId('chat-offline').isVisible()).toBe(true)
      expect(await page.getByTestId('chat-compose').isVisible()).toBe(false)
      await page.getByTestId('chat-offline-text').fill('Please call me about the warranty')
      await page.getByTestId('chat-offline-submit').click()
      await expect.poll(() => page.getByRole('alert').filter({ hasText: 'e-mail' }).count()).toBeGreaterThan(0)
      await page.getByTestId('ld-off-email').fill('after.hours@example.test')
      await page.getByTestId('chat-offline-submit').click()
      await expect.poll(() => page.getByTestId('chat-offline-thanks').textContent()).toMatch(/^Message received, ticket \S+\./)
      expect(await seriousA11yViolations(page)).toEqual([])
      const ticket = await server.deps.db.selectFrom('tickets').select(['channel', 'tags']).where('subject', '=', 'Please call me about the warranty').executeTakeFirstOrThrow()
      expect(ticket.channel).toBe('chat')
      expect(ticket.tags).toContain('chat-offline')
    } finally {
      await context.close()
      locale = 'zh-CN'
    }
  })
})
