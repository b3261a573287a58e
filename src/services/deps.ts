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

/**
 * Runs `work` in one transaction; database constraint errors come out as AppErrors. When
 * `deps.db` already is a transaction (see `joinTransaction`), the work joins it, so a channel
 * adapter can record its own rows and call the ticket use cases in one transaction.
 */
export async function inTransaction<T>(deps: ServiceDeps, work: (trx: Db) => Promise<T>): Promise<T> {
  if (deps.db.isTransaction) return work(deps.db)
  try {
    return await deps.db.transaction().execute(work)
  } catch (error) {
    throw translateDbError(error)
  }
}

/** The same dependencies bound to an open transaction: use cases called with them join it. */
export function joinTransaction(deps: ServiceDeps, trx: Db): ServiceDeps {
  return { ...deps, db: trx }
}
