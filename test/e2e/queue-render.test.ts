import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchBrowser, newContext, signIn } from '../helpers/browser.ts'
import { TEST_PASSWORD, type TestServer, buildCustomer, buildStaff, startTestServer } from '../helpers/test-server.ts'

const TICKETS = 10_000
const RESULTS = path.resolve('test/e2e/results')

const runInBrowser = hasChromium() || process.env.CI === 'true' ? describe : describe.skip

/**
 * Measures (does not assert) the first render of the agent queue with 10 000 tickets in the
 * database: navigation to the first ticket row on screen, in real Chromium. The figure is
 * written to test/e2e/results/queue-render.json for docs/benchmarks.md.
 */
runInBrowser('first render of the agent queue with 10 000 tickets', () => {
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

  it('renders the queue and records how long the first rows took', async () => {
    const supervisor = await buildStaff(server.deps, { roles: ['supervisor'] })
    const customer = await buildCustomer(server.deps)
    await sql`
      INSERT INTO tickets (id, number, subject, description, type, severity, status, channel, requester_id, received_at,
                           created_by, created_at, updated_at, search_public)
      SELECT gen_random_uuid(), 'Q-' || lpad(n::text, 6, '0'), '打印机故障 printer fault #' || n, 'load', 'incident',
             (ARRAY['P1','P2','P3','P4'])[1 + n % 4], (ARRAY['new','accepted','in_progress','waiting'])[1 + n % 4], 'portal',
             ${customer.id}, now() - (n || ' minutes')::interval, ${supervisor.id}, now(), now(), ''::tsvector
      FROM generate_series(1, ${TICKETS}) AS n
    `.execute(server.deps.db)
    await sql`ANALYZE tickets`.execute(server.deps.db)

    const context = await newContext(browser, server.url, 'zh-CN')
    const page = await context.newPage()
    try {
      await signIn(page, supervisor.email ?? '', TEST_PASSWORD)
      const timings: number[] = []
      for (let run = 0; run < 5; run++) {
        const started = Date.now()
        await page.goto('/desk?queue=all')
        await page.locator('[data-testid="ticket-row"]').first().waitFor()
        timings.push(Date.now() - started)
      }
      const rows = await page.locator('[data-testid="ticket-row"]').count()
      expect(rows).toBeGreaterThan(0)
      expect(rows).toBeLessThanOrEqual(100)
      const sorted = [...timings].sort((a, b) => a - b)
      const result = { tickets: TICKETS, database: server.db.kind, runsMs: timings, medianMs: sorted[2], firstVisitMs: timings[0], measuredAt: new Date().toISOString() }
      fs.mkdirSync(RESULTS, { recursive: true })
      fs.writeFileSync(path.join(RESULTS, `queue-render-${server.db.kind}.json`), `${JSON.stringify(result, null, 2)}\n`)
      console.log(`queue first render with ${TICKETS} tickets (${server.db.kind}): median ${result.medianMs} ms, runs ${timings.join(', ')} ms`)
    } finally {
      await context.close()
    }
  })
})
