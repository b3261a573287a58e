import fs from 'node:fs'
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core'

/** Debian's Chromium (installed by .ci/run); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export function hasChromium(): boolean {
  return fs.existsSync(CHROMIUM_PATH)
}

/** Headless Chromium with the flags this sandbox needs (no background network, no sandbox as root). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** A fresh browser profile in the given language (Accept-Language and navigator.languages follow it). */
export async function newContext(browser: Browser, baseURL: string, locale: 'zh-CN' | 'en', viewport = { width: 1280, height: 860 }): Promise<BrowserContext> {
  return browser.newContext({ baseURL, locale, viewport, timezoneId: 'Asia/Shanghai' })
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login')
  await page.locator('#login-email').fill(email)
  await page.locator('#login-password').fill(password)
  await page.locator('button[type="submit"]').click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
}

/** Runs axe-core in the page and returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<{ id: string; impact: string; help: string; nodes: string[] }[]> {
  const source = fs.readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8')
  await page.addScriptTag({ content: source })
  // A string, so the code runs in the page (this file is compiled without DOM types).
  const results = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as {
    violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]
  }
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, impact: violation.impact ?? '', help: violation.help, nodes: violation.nodes.map((node) => node.target.join(' ')) }))
}
