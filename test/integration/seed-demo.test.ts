import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_MARKER_ORGANISATION, DEMO_PASSWORD, seedDemo } from '../../src/cli/seed-demo.ts'
import { loadConfig } from '../../src/config.ts'
import { SYSTEM_ACTOR } from '../../src/domain/policy/actor.ts'
import { TICKET_STATUSES } from '../../src/domain/tickets/ticket.ts'
import { verifyPassword } from '../../src/services/auth/passwords.ts'
import type { ServiceDeps } from '../../src/services/deps.ts'
import { createGroup } from '../../src/services/directory/groups.ts'
import { type TestDatabase, createTestDatabase } from '../helpers/test-database.ts'

const TICKETS = 40
const HAN = /\p{Script=Han}/u

describe('seed-demo', () => {
  let database: TestDatabase
  let dataDir: string
  let deps: ServiceDeps
  let summary: string
  // A fixed instant makes the seeded PRNG's demo identical on every run.
  const now = new Date('2026-03-18T06:30:00Z')

  beforeAll(async () => {
    database = await createTestDatabase()
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopdesk-seed-'))
    deps = { db: database.db, clock: () => now, config: loadConfig({}, { dataDir, logLevel: 'silent' }) }
    summary = await seedDemo(deps, { tickets: TICKETS })
  })
  afterAll(async () => {
    await database.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('creates exactly the number of tickets asked for, and says so', async () => {
    const tickets = await deps.db.selectFrom('tickets').select('id').execute()
    expect(tickets).toHaveLength(TICKETS)
    expect(summary).toContain(`${TICKETS} tickets`)
    expect(summary).toContain(DEMO_PASSWORD)
  })

  it('covers every status of the lifecycle', async () => {
    const rows = await deps.db.selectFrom('tickets').select('status').distinct().execute()
    expect(rows.map((row) => row.status).sort()).toEqual([...TICKET_STATUSES].sort())
  })

  it('has agents in all three tiers, a supervisor and a manager, who can sign in with the demo password', async () => {
    const staff = await deps.db.selectFrom('users').select(['roles', 'tier', 'email', 'password_hash']).where(sql<boolean>`roles <> ARRAY['customer']::text[]`).execute()
    expect(new Set(staff.filter((user) => user.roles.includes('agent')).map((user) => user.tier))).toEqual(new Set(['L1', 'L2', 'L3']))
    expect(staff.some((user) => user.roles.includes('supervisor'))).toBe(true)
    expect(staff.some((user) => user.roles.includes('manager'))).toBe(true)
    const supervisor = staff.find((user) => user.roles.includes('supervisor'))
    expect(supervisor?.email !== undefined && summary.includes(supervisor.email ?? '')).toBe(true)
    expect(await verifyPassword(supervisor?.password_hash ?? null, DEMO_PASSWORD)).toBe(true)
  })

  it('writes requests in Chinese and in English', async () => {
    const subjects = (await deps.db.selectFrom('tickets').select('subject').execute()).map((row) => row.subject)
    expect(subjects.some((subject) => HAN.test(subject))).toBe(true)
    expect(subjects.some((subject) => !HAN.test(subject) && /[a-z]{3}/i.test(subject))).toBe(true)
  })

  it('records a ticket.created event for every ticket, and a history that matches the ticket', async () => {
    const created = await deps.db.selectFrom('events').select('entity_id').where('type', '=', 'ticket.created').execute()
    const tickets = await deps.db.selectFrom('tickets').selectAll().execute()
    expect(new Set(created.map((row) => row.entity_id))).toEqual(new Set(tickets.map((ticket) => ticket.id)))
    for (const ticket of tickets) {
      expect(ticket.received_at.getTime()).toBeLessThanOrEqual(now.getTime())
      expect(ticket.received_at.getTime()).toBeGreaterThan(now.getTime() - 61 * 86_400_000)
      if (ticket.status === 'closed') expect(ticket.closed_at).not.toBeNull()
      if (ticket.status !== 'new') expect(ticket.owner_id).not.toBeNull()
    }
    const latest = await deps.db.selectFrom('events').select((eb) => eb.fn.max('occurred_at').as('at')).executeTakeFirstOrThrow()
    expect(new Date(String(latest.at)).getTime()).toBeLessThanOrEqual(now.getTime())
  })

  it('has replies, internal notes and transfers with reasons', async () => {
    const visibilities = await deps.db.selectFrom('messages').select('visibility').distinct().execute()
    expect(visibilities.map((row) => row.visibility).sort()).toEqual(['internal', 'public'])
    const transfers = await deps.db.selectFrom('events').select('reason').where('type', '=', 'ticket.transferred').execute()
    expect(transfers.length).toBeGreaterThan(0)
    expect(transfers.every((event) => event.reason !== null && event.reason !== '')).toBe(true)
  })

  it('is reproducible: the same clock gives the same tickets', async () => {
    const other = await createTestDatabase()
    try {
      await seedDemo({ ...deps, db: other.db }, { tickets: TICKETS })
      const facts = (db: ServiceDeps['db']) =>
        db.selectFrom('tickets').select(['number', 'subject', 'status', 'severity', 'channel', 'received_at', 'transfer_count']).orderBy('number').execute()
      expect(await facts(other.db)).toEqual(await facts(deps.db))
    } finally {
      await other.close()
    }
  })

  it('leaves an existing demo alone when run again', async () => {
    const again = await seedDemo(deps, { tickets: TICKETS })
    expect(again).toContain('nothing was added')
    expect(again).toContain(DEMO_MARKER_ORGANISATION)
    const tickets = await deps.db.selectFrom('tickets').select('id').execute()
    expect(tickets).toHaveLength(TICKETS)
    const markers = await deps.db.selectFrom('organisations').select('id').where('name', '=', DEMO_MARKER_ORGANISATION).execute()
    expect(markers).toHaveLength(1)
  })
})

describe('seed-demo on a desk in use', () => {
  it('refuses to mix the demo into existing records, and refuses a bad count', async () => {
    const database = await createTestDatabase()
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopdesk-seed-'))
    try {
      const deps: ServiceDeps = { db: database.db, clock: () => new Date(), config: loadConfig({}, { dataDir, logLevel: 'silent' }) }
      await expect(seedDemo(deps, { tickets: -1 })).rejects.toMatchObject({ code: 'VALIDATION' })
      await expect(seedDemo(deps, { tickets: Number.NaN })).rejects.toMatchObject({ code: 'VALIDATION' })
      await createGroup(deps, SYSTEM_ACTOR, { name: 'Real team' })
      await expect(seedDemo(deps, { tickets: 5 })).rejects.toMatchObject({ code: 'CONFLICT' })
      const organisations = await deps.db.selectFrom('organisations').select('id').execute()
      expect(organisations).toHaveLength(0)
    } finally {
      await database.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
