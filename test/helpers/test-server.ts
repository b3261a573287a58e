import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { type Config, loadConfig } from '../../src/config.ts'
import { SYSTEM_ACTOR } from '../../src/domain/policy/actor.ts'
import type { Role, Tier } from '../../src/domain/tickets/ticket.ts'
import { buildApp } from '../../src/http/app.ts'
import type { Clock, ServiceDeps } from '../../src/services/deps.ts'
import { createGroup } from '../../src/services/directory/groups.ts'
import { ensureSlaDefaults } from '../../src/services/sla/sla-config.ts'
import { createOrganisation } from '../../src/services/directory/organisations.ts'
import { type UserView, createUser } from '../../src/services/people/users.ts'
import { type TestDatabase, createTestDatabase } from './test-database.ts'

export const TEST_PASSWORD = 'correct horse battery staple'

/** A clock the test can move. */
export interface TestClock {
  readonly now: Clock
  set(at: Date): void
  advance(ms: number): void
}

export function testClock(start = new Date()): TestClock {
  let current = start.getTime()
  return {
    now: () => new Date(current),
    set: (at) => {
      current = at.getTime()
    },
    advance: (ms) => {
      current += ms
    },
  }
}

/** The real server on a real socket, over a fresh database. */
export interface TestServer {
  readonly url: string
  readonly app: FastifyInstance
  readonly deps: ServiceDeps
  readonly db: TestDatabase
  readonly clock: TestClock
  readonly config: Config
  close(): Promise<void>
}

export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const db = await createTestDatabase()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopdesk-test-'))
  const config = loadConfig({}, { dataDir, logLevel: 'silent', ...overrides })
  const clock = testClock()
  const deps: ServiceDeps = { db: db.db, clock: clock.now, config }
  await ensureSlaDefaults(deps)
  const app = await buildApp(deps, { listen: db.listen })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (typeof address !== 'object' || address === null) throw new Error('no address')
  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    deps,
    db,
    clock,
    config,
    close: async () => {
      await app.close()
      await db.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

let counter = 0
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`

/** Factories over the real services. */
export async function buildStaff(
  deps: ServiceDeps,
  overrides: { roles?: Role[]; tier?: Tier; groupIds?: string[]; email?: string; name?: string } = {},
): Promise<UserView> {
  const roles = overrides.roles ?? ['agent']
  return createUser(deps, SYSTEM_ACTOR, 'staff', {
    name: overrides.name ?? `Agent ${unique()}`,
    email: overrides.email ?? `agent-${unique()}@desk.test`,
    roles,
    ...(roles.includes('agent') ? { tier: overrides.tier ?? 'L1' } : {}),
    groupIds: overrides.groupIds ?? [],
    password: TEST_PASSWORD,
  })
}

export async function buildCustomer(
  deps: ServiceDeps,
  overrides: { organisationId?: string; isOrgAdmin?: boolean; email?: string; name?: string } = {},
): Promise<UserView> {
  return createUser(deps, SYSTEM_ACTOR, 'customer', {
    name: overrides.name ?? `Customer ${unique()}`,
    email: overrides.email ?? `customer-${unique()}@example.test`,
    ...(overrides.organisationId !== undefined ? { organisationId: overrides.organisationId } : {}),
    ...(overrides.isOrgAdmin !== undefined ? { isOrgAdmin: overrides.isOrgAdmin } : {}),
    password: TEST_PASSWORD,
  })
}

export async function buildOrganisation(deps: ServiceDeps, name = `Org ${unique()}`) {
  return createOrganisation(deps, SYSTEM_ACTOR, { name, vipLevel: 'gold', servicePackage: 'exclusive' })
}

export async function buildGroup(deps: ServiceDeps, memberIds: string[] = [], name = `Group ${unique()}`) {
  return createGroup(deps, SYSTEM_ACTOR, { name, memberIds })
}
