import { type ChatSettings, DEFAULT_CHAT_SETTINGS, chatCalendar, normaliseOrigin } from '../../domain/chat/chat-rules.ts'
import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayConfigureChannels } from '../../domain/policy/policy.ts'
import { AppError, invalidField } from '../../domain/shared/app-error.ts'
import type { Db } from '../../db/connection.ts'
import { insertEvents } from '../../db/events.ts'
import { type ServiceDeps, inTransaction } from '../../services/deps.ts'
import { assertGroupExists } from '../../services/tickets/ticket-references.ts'

/** Key of the chat settings in the desk's settings table. */
export const CHAT_SETTINGS_KEY = 'chat'

const SETTINGS_ENTITY_ID = '00000000-0000-0000-0000-000000000000'

/** The stored chat settings over the defaults. */
export async function loadChatSettings(trx: Db): Promise<ChatSettings> {
  const row = await trx.selectFrom('settings').select('value').where('key', '=', CHAT_SETTINGS_KEY).executeTakeFirst()
  const stored = (row?.value ?? {}) as Partial<ChatSettings>
  return {
    ...DEFAULT_CHAT_SETTINGS,
    ...stored,
    hours: { ...DEFAULT_CHAT_SETTINGS.hours, ...(stored.hours ?? {}) },
    greeting: { ...DEFAULT_CHAT_SETTINGS.greeting, ...(stored.greeting ?? {}) },
    offlineText: { ...DEFAULT_CHAT_SETTINGS.offlineText, ...(stored.offlineText ?? {}) },
  }
}

export async function getChatSettings(deps: ServiceDeps, actor: Actor): Promise<ChatSettings> {
  assertMayConfigureChannels(actor)
  return loadChatSettings(deps.db)
}

/** A change of the chat settings: any of them; hours and texts also in part (one language, the time zone alone). */
export interface ChatSettingsChange extends Partial<Omit<ChatSettings, 'hours' | 'greeting' | 'offlineText'>> {
  readonly hours?: Partial<ChatSettings['hours']>
  readonly greeting?: Partial<ChatSettings['greeting']>
  readonly offlineText?: Partial<ChatSettings['offlineText']>
}

/**
 * Changes chat hours, the origin allow-list, the team, the widget's texts or the on/off switch;
 * the change is an event. A bad value is a VALIDATION error naming its field (`hours/timeZone`,
 * `hours/weeklyHours/1/0`, `allowedOrigins/2`).
 */
export async function updateChatSettings(deps: ServiceDeps, actor: Actor, input: ChatSettingsChange): Promise<ChatSettings> {
  assertMayConfigureChannels(actor)
  return inTransaction(deps, async (trx) => {
    const now = deps.clock()
    const before = await loadChatSettings(trx)
    const after: ChatSettings = {
      ...before,
      ...input,
      hours: { ...before.hours, ...(input.hours ?? {}) },
      greeting: trimTexts({ ...before.greeting, ...(input.greeting ?? {}) }),
      offlineText: trimTexts({ ...before.offlineText, ...(input.offlineText ?? {}) }),
      allowedOrigins: (input.allowedOrigins ?? before.allowedOrigins).map((origin, index) => {
        const normal = normaliseOrigin(origin)
        if (normal === null || new URL(origin).pathname.replace(/\/$/, '') !== '') throw invalidField(`allowedOrigins/${index}`, 'an origin such as https://shop.example.com')
        return normal
      }),
    }
    try {
      // Hours kept while the chat runs around the clock must still be valid for when it does not.
      if (!after.hours.always || Object.keys(after.hours.weeklyHours).length > 0) chatCalendar(after.hours)
    } catch (error) {
      // The calendar names its own field (`timeZone`, `weeklyHours/1/0`); here it sits under `hours`.
      const at = error instanceof AppError ? error.fields?.[0] : undefined
      if (at !== undefined) throw invalidField(`hours/${at.field}`, at.message)
      throw invalidField('hours', error instanceof Error ? error.message : 'invalid hours')
    }
    if (after.groupId !== null && after.groupId !== before.groupId) await assertGroupExists(trx, after.groupId)
    const value = JSON.stringify(after)
    await trx
      .insertInto('settings')
      .values({ key: CHAT_SETTINGS_KEY, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute()
    await insertEvents(trx, [{ type: 'settings.updated', entityType: 'settings', entityId: SETTINGS_ENTITY_ID, actorId: actor.id, at: now, data: { key: CHAT_SETTINGS_KEY, before, after } }])
    return after
  })
}

function trimTexts(texts: ChatSettings['greeting']): ChatSettings['greeting'] {
  return { 'zh-CN': texts['zh-CN'].trim(), en: texts.en.trim() }
}
