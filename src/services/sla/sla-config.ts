import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { v7 as uuidv7 } from 'uuid'
import { DEFAULT_WORKING_HOURS } from '../../domain/sla/business-calendar.ts'
import { defaultEscalationChain } from '../../domain/sla/escalation.ts'
import { CALENDAR_24X7_ID, CALENDAR_BUSINESS_CN_ID, defaultSlaPolicies } from '../../domain/sla/sla-policy.ts'
import type { Db } from '../../db/connection.ts'
import { type SlaConfig, loadSlaConfig } from '../../db/sla.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'

/** How long a node trusts its copy of the SLA configuration; a change made on another node shows within this time. */
const CONFIG_TTL_MS = 5_000

const cache = new WeakMap<object, { config: SlaConfig; loadedAt: number }>()

/** The SLA configuration, cached per database for a few seconds (it is read on every ticket change). */
export async function slaConfigFor(deps: ServiceDeps, trx: Db): Promise<SlaConfig> {
  const hit = cache.get(deps.db)
  const nowMs = Date.now()
  if (hit !== undefined && nowMs - hit.loadedAt < CONFIG_TTL_MS) return hit.config
  const config = await loadSlaConfig(trx)
  cache.set(deps.db, { config, loadedAt: nowMs })
  return config
}

/** Forgets the cached configuration after a change on this node. */
export function invalidateSlaConfig(deps: ServiceDeps): void {
  cache.delete(deps.db)
}

interface HolidayFile {
  readonly days: readonly { readonly date: string; readonly isOffDay: boolean }[]
}

/** Chinese public holidays and make-up working days shipped with the product (src/data/holidays-cn). */
export function shippedChineseHolidays(): { holidays: string[]; workdays: string[] } {
  const dir = path.resolve(import.meta.dirname, '../../data/holidays-cn')
  const holidays: string[] = []
  const workdays: string[] = []
  for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
    const data = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as HolidayFile
    for (const day of data.days) (day.isOffDay ? holidays : workdays).push(day.date)
  }
  return { holidays, workdays }
}

/**
 * On an empty configuration, installs the defaults of the brief: a 24×7 calendar, the
 * Chinese business calendar with its public holidays and 调休 days, the escalation chain
 * agent → supervisor → manager, and the tier / complaint / "321" policies. All editable.
 */
export async function ensureSlaDefaults(deps: ServiceDeps): Promise<boolean> {
  return inTransaction(deps, async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(727002)`.execute(trx)
    const existing = await trx.selectFrom('calendars').select('id').limit(1).execute()
    if (existing.length > 0) return false
    const now = deps.clock()
    const stamps = { created_at: now, updated_at: now }
    const { holidays, workdays } = shippedChineseHolidays()
    await trx
      .insertInto('calendars')
      .values([
        { id: CALENDAR_24X7_ID, name: '7×24', time_zone: 'Asia/Shanghai', is_24x7: true, weekly_hours: JSON.stringify({}), make_up_day_hours: null, holidays: [], workdays: [], ...stamps },
        {
          id: CALENDAR_BUSINESS_CN_ID,
          name: '工作日历（中国）/ Business calendar (China)',
          time_zone: 'Asia/Shanghai',
          is_24x7: false,
          weekly_hours: JSON.stringify({ 1: DEFAULT_WORKING_HOURS, 2: DEFAULT_WORKING_HOURS, 3: DEFAULT_WORKING_HOURS, 4: DEFAULT_WORKING_HOURS, 5: DEFAULT_WORKING_HOURS }),
          make_up_day_hours: null,
          holidays,
          workdays,
          ...stamps,
        },
      ])
      .execute()
    const chain = defaultEscalationChain()
    await trx.insertInto('escalation_chains').values({ id: chain.id, name: chain.name, levels: JSON.stringify(chain.levels), ...stamps }).execute()
    await trx
      .insertInto('sla_policies')
      .values(
        defaultSlaPolicies().map((policy) => ({
          id: uuidv7(),
          name: policy.name,
          position: policy.position,
          is_active: policy.isActive,
          conditions: JSON.stringify(policy.conditions),
          targets: JSON.stringify(policy.targets),
          escalation_chain_id: chain.id,
          ...stamps,
        })),
      )
      .execute()
    return true
  })
}
