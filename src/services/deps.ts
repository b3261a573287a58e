import type { Config } from '../config.ts'
import type { Db } from '../db/connection.ts'
import { translateDbError } from '../db/errors.ts'

/** The current time; injected so rules and tests control it. */
export type Clock = () => Date

/** What every use case receives: the database, the clock and the configuration. */
export interface ServiceDeps {
  readonly db: Db
  readonly clock: Clock
  readonly config: Config
}

/** Runs `work` in one transaction; database constraint errors come out as AppErrors. */
export async function inTransaction<T>(deps: ServiceDeps, work: (trx: Db) => Promise<T>): Promise<T> {
  try {
    return await deps.db.transaction().execute(work)
  } catch (error) {
    throw translateDbError(error)
  }
}
