import type { FastifyInstance } from 'fastify'
import type { Config } from './config.ts'
import { type DatabaseHandle, connectDatabase } from './db/connection.ts'
import { migrateToLatest } from './db/migrate.ts'
import { buildApp } from './http/app.ts'
import type { ServiceDeps } from './services/deps.ts'
import { startChannels } from './channels/start.ts'
import { startJobs } from './jobs/job-runner.ts'
import { ensureAdmin } from './services/people/users.ts'
import { ensureSlaDefaults } from './services/sla/sla-config.ts'

/** An opened database with migrations applied, and the dependencies use cases need. */
export interface Runtime {
  readonly deps: ServiceDeps
  readonly database: DatabaseHandle
  close(): Promise<void>
}

export async function openRuntime(config: Config): Promise<Runtime> {
  const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  try {
    await migrateToLatest(database.db as never)
  } catch (error) {
    await database.close()
    throw error
  }
  const deps: ServiceDeps = { db: database.db, clock: () => new Date(), config }
  return { deps, database, close: () => database.close() }
}

export interface RunningServer {
  readonly app: FastifyInstance
  readonly url: string
  readonly runtime: Runtime
  stop(): Promise<void>
}

/** Opens the database, makes sure an administrator exists, and listens. */
export async function startServer(config: Config, log: (line: string) => void = console.log): Promise<RunningServer> {
  const runtime = await openRuntime(config)
  const created = await ensureAdmin(runtime.deps, config.adminEmail ?? 'admin@loopdesk.local', config.adminPassword)
  if (created?.password != null) {
    log(`Created the first administrator ${created.email} with the one-time password: ${created.password}`)
    log('Change it after signing in; it is not shown again.')
  }
  if (await ensureSlaDefaults(runtime.deps)) log('Installed the default SLA calendars, policies and escalation chain.')
  const app = await buildApp(runtime.deps, {
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    listen: runtime.database.listen,
  })
  try {
    await app.listen({ port: config.port, host: config.host })
  } catch (error) {
    await app.close()
    await runtime.close()
    throw error
  }
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : config.port
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`
  const jobs = startJobs(runtime.deps, (message, error) => app.log.error({ err: error }, message))
  const channels = await startChannels(runtime.deps, (message, error) =>
    error === undefined ? app.log.info(message) : app.log.error({ err: error }, message),
  )
  let stopped = false
  return {
    app,
    url,
    runtime,
    stop: async () => {
      if (stopped) return
      stopped = true
      await channels.stop()
      await jobs.stop()
      await app.close()
      await runtime.close()
    },
  }
}
