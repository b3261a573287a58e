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
  /** Listens on a NOTIFY channel; resolves to the function that stops listening. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>
  close(): Promise<void>
}

/**
 * LISTEN on PostgreSQL needs a connection of its own, outside the pool, kept for the
 * listener's life. If the server drops it (a restart, a failover), it is opened again.
 */
function listenOnServer(databaseUrl: string) {
  return async (channel: string, onPayload: (payload: string) => void) => {
    let stopped = false
    let client: pg.Client | null = null
    let reconnecting = false
    const reconnect = (): void => {
      if (stopped || reconnecting) return
      reconnecting = true
      setTimeout(() => {
        reconnecting = false
        void open().catch(reconnect)
      }, 1000)
    }
    const open = async (): Promise<void> => {
      const next = new pg.Client({ connectionString: databaseUrl })
      next.on('notification', (message) => {
        if (message.channel === channel && message.payload !== undefined) onPayload(message.payload)
      })
      next.on('error', () => {
        // Reconnection below; the error itself needs no handling beyond not crashing the process.
      })
      next.on('end', reconnect)
      await next.connect()
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`)
      client = next
    }
    await open()
    return async () => {
      stopped = true
      await client?.end()
    }
  }
}

function listenOnPglite(pglite: PGlite) {
  return async (channel: string, onPayload: (payload: string) => void) => {
    const unsubscribe = await pglite.listen(channel, onPayload)
    return async () => {
      if (!pglite.closed) await unsubscribe()
    }
  }
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
    return { db, kind: 'postgres', listen: listenOnServer(options.databaseUrl), close: () => db.destroy() }
  }
  const dataDir = options.dataDir ?? './data'
  if (dataDir === 'memory://') {
    const pglite = await PGlite.create()
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
    return { db, kind: 'pglite', listen: listenOnPglite(pglite), close: () => db.destroy() }
  }
  const release = lockDataDir(dataDir)
  try {
    const pglite = await PGlite.create(path.join(dataDir, 'pg'))
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
    return {
      db,
      kind: 'pglite',
      listen: listenOnPglite(pglite),
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
