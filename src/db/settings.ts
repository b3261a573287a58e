import type { Db } from './connection.ts'

/** Desk-wide settings with their defaults. */
export interface DeskSettings {
  /** How long after resolution a ticket may still be reopened, in days. */
  readonly reopenWindowDays: number
}

export const DEFAULT_SETTINGS: DeskSettings = { reopenWindowDays: 7 }

export async function loadSettings(trx: Db): Promise<DeskSettings> {
  const rows = await trx.selectFrom('settings').select(['key', 'value']).execute()
  const stored = Object.fromEntries(rows.map((row) => [row.key, row.value]))
  return { ...DEFAULT_SETTINGS, ...stored }
}

export async function saveSettings(trx: Db, settings: Partial<DeskSettings>, at: Date): Promise<void> {
  for (const [key, value] of Object.entries(settings)) {
    await trx
      .insertInto('settings')
      .values({ key, value: JSON.stringify(value), updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: at }))
      .execute()
  }
}
