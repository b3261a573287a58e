import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import pg from 'pg'
import { lockDataDir } from './data-dir-lock.ts'
import type { Database } from './schema.ts'

export type Db = Kysely<Database>

/** An open database and how to close it. */
export interface DatabaseHandle {
  readonly db: Db
  readonly kind: 'pglite' | 'postgres'
  close(): Promise<void>
}

export interface ConnectOptions {
  /** PostgreSQL server; when absent the embedded PGlite database is used. */
  readonly databaseUrl?: string | undefined
  /** PGlite data directory; `memory://` keeps it in memory (tests). */
  readonly dataDir?: string
  readonly poolSize?: number
}

// node-postgres returns bigint (int8) as strings; counts and ids here stay well inside 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))

/** Opens PostgreSQL when a URL is given, otherwise PGlite in `dataDir/pg` under an exclusive lock. */
export async function connectDatabase(options: ConnectOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl !== undefined) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 20 })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, kind: 'postgres', close: () => db.destroy() }
  }
  const dataDir = options.dataDir ?? './data'
  if (dataDir === 'memory://') {
    const pglite = await PGlite.create()
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
    return { db, kind: 'pglite', close: () => db.destroy() }
  }
  const release = lockDataDir(dataDir)
  try {
    const pglite = await PGlite.create(path.join(dataDir, 'pg'))
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
    return {
      db,
      kind: 'pglite',
      close: async () => {
        try {
          await db.destroy()
        } finally {
          release()
        }
      },
    }
  } catch (error) {
    release()
    throw error
  }
}
