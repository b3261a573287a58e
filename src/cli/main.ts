import { Command, InvalidArgumentError } from 'commander'
import { type Config, loadConfig } from '../config.ts'
import { DataDirLockedError } from '../db/data-dir-lock.ts'
import { SYSTEM_ACTOR } from '../domain/policy/actor.ts'
import { AppError } from '../domain/shared/app-error.ts'
import { ROLES, type Role, TIERS, type Tier } from '../domain/tickets/ticket.ts'
import { normaliseEmail } from '../domain/people/contact-points.ts'
import { openRuntime, startServer } from '../runtime.ts'
import { issueApiToken } from '../services/auth/api-tokens.ts'
import { createOrganisation, listOrganisations } from '../services/directory/organisations.ts'
import { createUser } from '../services/people/users.ts'
import { ensureSlaDefaults } from '../services/sla/sla-config.ts'
import { seedDemo } from './seed-demo.ts'

function configFrom(options: { data?: string; port?: number }): Config {
  return loadConfig(process.env, {
    ...(options.data !== undefined ? { dataDir: options.data } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
  })
}

function parsePort(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('a port is an integer from 0 to 65535')
  return port
}

function oneOf<T extends string>(values: readonly T[]) {
  return (value: string): T => {
    if (!(values as readonly string[]).includes(value)) throw new InvalidArgumentError(`one of ${values.join(', ')}`)
    return value as T
  }
}

/** Runs `work` on an opened database and closes it whatever happens. */
async function withRuntime<T>(config: Config, work: (runtime: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(config)
  try {
    return await work(runtime)
  } finally {
    await runtime.close()
  }
}

const program = new Command()
  .name('loopdesk')
  .description('Loopdesk, a closed-loop customer service desk')
  .option('--data <dir>', 'data directory of the embedded database (default ./data, or DATA_DIR)')

program
  .command('serve')
  .description('start the server')
  .option('--port <port>', 'port to listen on (default 3000, or PORT)', parsePort)
  .action(async (options: { port?: number }) => {
    const config = configFrom({ ...program.opts<{ data?: string }>(), ...options })
    const server = await startServer(config)
    console.log(`Loopdesk listening on ${server.url} (${config.databaseUrl !== undefined ? 'PostgreSQL' : `embedded database in ${config.dataDir}`})`)
    console.log(`API documentation: ${server.url}/api/docs`)
    const shutdown = async (signal: string) => {
      console.log(`${signal}: shutting down`)
      await server.stop()
      process.exit(0)
    }
    process.once('SIGINT', () => void shutdown('SIGINT'))
    process.once('SIGTERM', () => void shutdown('SIGTERM'))
  })

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(async () => {
    await withRuntime(configFrom(program.opts()), async () => undefined)
    console.log('Database schema is up to date.')
  })

program
  .command('user')
  .description('manage users')
  .command('add')
  .description('add a user (staff or customer)')
  .requiredOption('--email <email>', 'e-mail address (sign-in name)')
  .requiredOption('--name <name>', 'display name')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, oneOf(ROLES))
  .option('--tier <tier>', `agent tier: ${TIERS.join(', ')}`, oneOf(TIERS))
  .option('--org <name>', 'organisation (created when unknown)')
  .option('--password <password>', 'password (at least 10 characters); without it the user cannot sign in yet')
  .action(async (options: { email: string; name: string; role: Role; tier?: Tier; org?: string; password?: string }) => {
    if (options.password !== undefined && options.password.length < 10) throw new InvalidArgumentError('the password needs at least 10 characters')
    await withRuntime(configFrom(program.opts()), async ({ deps }) => {
      let organisationId: string | undefined
      if (options.org !== undefined) {
        const found = (await listOrganisations(deps, SYSTEM_ACTOR, { q: options.org, limit: 200 })).items.find(
          (org) => org.name.toLowerCase() === options.org?.toLowerCase(),
        )
        organisationId = found?.id ?? (await createOrganisation(deps, SYSTEM_ACTOR, { name: options.org })).id
      }
      const kind = options.role === 'customer' ? 'customer' : 'staff'
      const tier = options.tier ?? (options.role === 'agent' ? 'L1' : undefined)
      const user = await createUser(deps, SYSTEM_ACTOR, kind, {
        name: options.name,
        email: normaliseEmail(options.email),
        roles: [options.role],
        ...(tier !== undefined ? { tier } : {}),
        ...(organisationId !== undefined ? { organisationId } : {}),
        ...(options.password !== undefined ? { password: options.password } : {}),
      })
      console.log(`Added ${user.roles.join(', ')} ${user.email} (${user.id})`)
    })
  })

program
  .command('token')
  .description('manage API tokens')
  .command('create')
  .description('create an API token for a user and print it (it is shown once)')
  .requiredOption('--email <email>', 'the user the token acts as')
  .option('--name <name>', 'what the token is for', 'cli')
  .action(async (options: { email: string; name: string }) => {
    await withRuntime(configFrom(program.opts()), async ({ deps }) => {
      const user = await deps.db.selectFrom('users').select('id').where('email', '=', normaliseEmail(options.email)).executeTakeFirst()
      if (user === undefined) throw new AppError('NOT_FOUND', `no user with the e-mail ${options.email}`)
      const token = await issueApiToken(deps, SYSTEM_ACTOR, { name: options.name, userId: user.id })
      console.log(token.token)
    })
  })

program
  .command('seed-demo')
  .description('fill the database with a demo workspace in Chinese and English')
  .option('--tickets <n>', 'number of tickets', (value) => Number(value), 300)
  .action(async (options: { tickets: number }) => {
    await withRuntime(configFrom(program.opts()), async ({ deps }) => {
      // The demo tickets get their SLA targets like any other: the defaults go in first.
      await ensureSlaDefaults(deps)
      const summary = await seedDemo(deps, { tickets: options.tickets })
      console.log(summary)
    })
  })

try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof DataDirLockedError || error instanceof AppError || error instanceof InvalidArgumentError) {
    console.error(`loopdesk: ${error.message}`)
    process.exit(1)
  }
  throw error
}
