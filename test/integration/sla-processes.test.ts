import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { v7 as uuidv7 } from 'uuid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { SYSTEM_ACTOR } from '../../src/domain/policy/actor.ts'
import { CALENDAR_24X7_ID } from '../../src/domain/sla/sla-policy.ts'
import { type Runtime, openRuntime } from '../../src/runtime.ts'
import { ensureSlaDefaults } from '../../src/services/sla/sla-config.ts'
import { createTicket } from '../../src/services/tickets/create-ticket.ts'
import { type TestDatabase, createTestDatabase } from '../helpers/test-database.ts'
import { buildCustomer } from '../helpers/test-server.ts'

const JOB_PROCESS = path.resolve('test/helpers/job-process.ts')

/** Starts an app process running the jobs; resolves once it is ready. */
function startProcess(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', JOB_PROCESS], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' } })
    let output = ''
    const timer = setTimeout(() => reject(new Error(`job process did not start: ${output}`)), 60_000)
    child.stdout.on('data', (chunk) => {
      output += chunk
      if (output.includes('READY')) {
        clearTimeout(timer)
        resolve(child)
      }
    })
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('exit', (code) => reject(new Error(`job process exited with ${code}: ${output}`)))
  })
}

function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit')
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.on('exit', () => resolve())
    child.kill(signal)
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A policy with targets of seconds, so real processes on the real clock reach them quickly:
 * first response in 3 s, escalation at the breach and 1.2 s after it.
 */
async function installFastPolicy(runtime: Runtime): Promise<void> {
  const now = new Date()
  const chainId = uuidv7()
  await runtime.deps.db
    .insertInto('escalation_chains')
    .values({
      id: chainId,
      name: 'fast',
      levels: JSON.stringify([
        { afterMinutes: 0, notify: ['supervisors'], reassignToSupervisor: false },
        { afterMinutes: 0.02, notify: ['managers'], reassignToSupervisor: false },
      ]),
      created_at: now,
      updated_at: now,
    })
    .execute()
  await runtime.deps.db
    .insertInto('sla_policies')
    .values({
      id: uuidv7(),
      name: 'fast changes',
      position: 0,
      is_active: true,
      conditions: JSON.stringify({ types: ['change'] }),
      targets: JSON.stringify([{ target: 'first_response', startOn: 'received', stopOn: 'first_response', minutes: 0.05, calendarId: CALENDAR_24X7_ID, pauseStatuses: [], warnAtRatio: 0.5 }]),
      escalation_chain_id: chainId,
      created_at: now,
      updated_at: now,
    })
    .execute()
}

async function fired(runtime: Runtime, ticketIds: readonly string[]) {
  const rows = await runtime.deps.db
    .selectFrom('events')
    .select(['ticket_id', 'type'])
    .where('ticket_id', 'in', [...ticketIds])
    .where('type', 'in', ['ticket.sla_warning', 'ticket.sla_breached', 'ticket.escalated'])
    .execute()
  const count = (type: string) => ticketIds.map((id) => rows.filter((row) => row.ticket_id === id && row.type === type).length)
  return { warnings: count('ticket.sla_warning'), breaches: count('ticket.sla_breached'), escalations: count('ticket.escalated') }
}

async function openTickets(runtime: Runtime, n: number): Promise<string[]> {
  const customer = await buildCustomer(runtime.deps)
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const created = await createTicket(runtime.deps, SYSTEM_ACTOR, { subject: `change ${i}`, description: 'x', type: 'change', requesterId: customer.id })
    ids.push(created.ticket.id)
  }
  return ids
}

describe('durable SLA timers across processes', () => {
  let database: TestDatabase | undefined
  let dataDir: string
  let env: NodeJS.ProcessEnv

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopdesk-jobs-'))
    if (process.env.DATABASE_URL) {
      database = await createTestDatabase()
      env = { DATABASE_URL: database.url }
    } else {
      env = { DATABASE_URL: '', DATA_DIR: dataDir }
    }
  })
  afterAll(async () => {
    await database?.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  /** The database as this test process sees it (the embedded one only while no job process holds it). */
  const open = () => openRuntime(loadConfig({ ...process.env, ...env, LOG_LEVEL: 'silent' }))

  it('fires each escalation exactly once with two app processes on one PostgreSQL', async (context) => {
    if (database === undefined) {
      context.skip('the embedded database belongs to one process by design; this runs on PostgreSQL')
      return
    }
    const runtime = await open()
    let ids: string[] = []
    try {
      await ensureSlaDefaults(runtime.deps)
      await installFastPolicy(runtime)
      ids = await openTickets(runtime, 30)
    } finally {
      await runtime.close()
    }
    const processes = await Promise.all([startProcess(env), startProcess(env)])
    const check = await open()
    try {
      const deadline = Date.now() + 30_000
      let result = await fired(check, ids)
      while (result.escalations.some((n) => n < 2) && Date.now() < deadline) {
        await sleep(250)
        result = await fired(check, ids)
      }
      await sleep(500) // a duplicate, if any, would have landed by now
      result = await fired(check, ids)
      // The processes start after the warning share has passed, so a warning may be overtaken by the breach; never doubled.
      expect(result.warnings.every((n) => n <= 1)).toBe(true)
      expect(result.breaches).toEqual(ids.map(() => 1))
      expect(result.escalations).toEqual(ids.map(() => 2))
      const outbox = await check.deps.db.selectFrom('outbox').select(['dedupe_key', 'delivered_at']).execute()
      expect(outbox.filter((row) => row.delivered_at === null)).toEqual([])
    } finally {
      await Promise.all(processes.map((child) => stopProcess(child, 'SIGTERM')))
      await check.close()
    }
  })

  it('fires what fell due while the process was killed, once, after a restart', async () => {
    let runtime = await open()
    let ids: string[] = []
    try {
      await ensureSlaDefaults(runtime.deps)
      const policies = await runtime.deps.db.selectFrom('sla_policies').select('name').where('name', '=', 'fast changes').execute()
      if (policies.length === 0) await installFastPolicy(runtime)
      ids = await openTickets(runtime, 5)
    } finally {
      await runtime.close()
    }
    const first = await startProcess(env)
    await stopProcess(first, 'SIGKILL') // before anything falls due (3 s)
    await sleep(4000)
    if (database !== undefined) {
      runtime = await open()
      expect((await fired(runtime, ids)).breaches).toEqual(ids.map(() => 0))
      await runtime.close()
    }
    const second = await startProcess(env)
    try {
      await sleep(3000)
    } finally {
      await stopProcess(second, 'SIGTERM')
    }
    runtime = await open()
    try {
      const result = await fired(runtime, ids)
      expect(result.breaches).toEqual(ids.map(() => 1))
      expect(result.escalations).toEqual(ids.map(() => 2))
    } finally {
      await runtime.close()
    }
  })
})
