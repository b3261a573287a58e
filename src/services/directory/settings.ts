import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayRead, assertMayWrite } from '../../domain/policy/policy.ts'
import { insertEvents } from '../../db/events.ts'
import { type DeskSettings, loadSettings, saveSettings } from '../../db/settings.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'

export async function getSettings(deps: ServiceDeps, actor: Actor): Promise<DeskSettings> {
  assertMayRead(actor, 'settings')
  return inTransaction(deps, (trx) => loadSettings(trx))
}

export async function updateSettings(deps: ServiceDeps, actor: Actor, input: Partial<DeskSettings>): Promise<DeskSettings> {
  assertMayWrite(actor, 'settings')
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const before = await loadSettings(trx)
    await saveSettings(trx, input, now)
    const after = await loadSettings(trx)
    await insertEvents(trx, [
      { type: 'settings.updated', entityType: 'settings', entityId: '00000000-0000-0000-0000-000000000000', actorId: actor.id, at: now, data: { before, after } },
    ])
    return after
  })
}
