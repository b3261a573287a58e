import type { Kysely } from 'kysely'
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration'
import * as core from './migrations/0001-core.ts'
import * as eventNotify from './migrations/0002-event-notify.ts'
import * as savedViews from './migrations/0003-saved-views.ts'
import * as sla from './migrations/0004-sla.ts'
import * as channels from './migrations/0005-channels.ts'
import * as webhooks from './migrations/0006-webhooks.ts'
import * as chat from './migrations/0007-chat.ts'
import * as identity from './migrations/0008-identity.ts'
import * as channelFilter from './migrations/0009-channel-filter.ts'
import * as staffExtension from './migrations/0010-staff-extension.ts'

const MIGRATIONS: Record<string, Migration> = {
  '0001-core': core,
  '0002-event-notify': eventNotify,
  '0003-saved-views': savedViews,
  '0004-sla': sla,
  '0005-channels': channels,
  '0006-webhooks': webhooks,
  '0007-chat': chat,
  '0008-identity': identity,
  '0009-channel-filter': channelFilter,
  '0010-staff-extension': staffExtension,
}

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS
  }
}

/** Brings the schema up to date; safe to run from several processes at once (Kysely takes an advisory lock). */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider() })
  const { error, results } = await migrator.migrateToLatest()
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName)
}
