import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { type DatabaseHandle, connectDatabase } from '../../src/db/connection.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'

/**
 * A fresh, migrated database for one test file: a new database on the PostgreSQL server
 * named by DATABASE_URL (dropped afterwards), or an in-memory PGlite when it is unset.
 * Leftovers of earlier runs never matter.
 */
export interface TestDatabase extends DatabaseHandle {
  readonly url: string | undefined
}

export async function createTestDatabase(serverUrl = process.env.DATABASE_URL): Promise<TestDatabase> {
  if (serverUrl === undefined || serverUrl === '') {
    const handle = await connectDatabase({ dataDir: 'memory://' })
    await migrateToLatest(handle.db as never)
    return { ...handle, url: undefined }
  }
  const name = `loopdesk_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const handle = await connectDatabase({ databaseUrl: url.toString(), poolSize: 10 })
  await migrateToLatest(handle.db as never)
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close()
      const cleanup = new pg.Client({ connectionString: serverUrl })
      await cleanup.connect()
      // pg's pool reports itself ended while its sockets are still closing; dropping the
      // database under them would kill them mid-goodbye, so wait until they are gone.
      for (let attempt = 0; attempt < 100; attempt++) {
        const { rows } = await cleanup.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1', [name])
        if (Number(rows[0]?.n ?? 0) === 0) break
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await cleanup.end()
    },
  }
}
