import { type BusinessCalendar, type DayHours, type Weekday, createBusinessCalendar, isWorkingInstant } from '../sla/business-calendar.ts'

/** Longest visitor message, in characters; a longer one is refused with `error {code:'too_long'}`. */
export const MAX_CHAT_TEXT = 4000
/** Longest name a visitor may give. */
export const MAX_VISITOR_NAME = 100
/** Longest page address remembered with a conversation. */
export const MAX_PAGE_URL = 2000
/** Characters of the first message that make the ticket's subject. */
export const SUBJECT_LENGTH = 60

/** When the desk answers chats: weekly hours in a time zone, or always. */
export interface ChatHours {
  /** Always online when true; `weeklyHours` is then ignored. */
  readonly always: boolean
  readonly timeZone: string
  /** Working intervals per weekday (0 = Sunday) in minutes from local midnight, `[start, end)`. */
  readonly weeklyHours: Readonly<Partial<Record<`${Weekday}`, DayHours>>>
  /** Local dates (YYYY-MM-DD) closed all day. */
  readonly holidays: readonly string[]
}

/** Chat settings with their defaults: the default business hours of the desk. */
export interface ChatSettings {
  /** Off: the widget shows only the message form. */
  readonly enabled: boolean
  readonly hours: ChatHours
  /** Origins (`https://shop.example.com`) whose pages may open chats; empty: any. */
  readonly allowedOrigins: readonly string[]
  /** Team that chat tickets go to; null: the common queue. */
  readonly groupId: string | null
  /** The widget's line while agents answer, per language; empty: the widget's own. */
  readonly greeting: ChatTexts
  /** The widget's line above the message form outside the hours, per language; empty: the widget's own. */
  readonly offlineText: ChatTexts
}

/** Languages of the widget. */
export type ChatLocale = 'zh-CN' | 'en'

/** One text of the widget in each of its languages. */
export type ChatTexts = Readonly<Record<ChatLocale, string>>

/** Longest greeting or offline text. */
export const MAX_CHAT_SETTING_TEXT = 300

const WORKDAY: DayHours = [
  [540, 720],
  [810, 1080],
]

export const DEFAULT_CHAT_SETTINGS: ChatSettings = {
  enabled: true,
  hours: { always: false, timeZone: 'Asia/Shanghai', weeklyHours: { 1: WORKDAY, 2: WORKDAY, 3: WORKDAY, 4: WORKDAY, 5: WORKDAY }, holidays: [] },
  allowedOrigins: [],
  groupId: null,
  greeting: { 'zh-CN': '', en: '' },
  offlineText: { 'zh-CN': '', en: '' },
}

/** The texts a visitor of `locale` is shown instead of the widget's own (only those set). */
export function widgetTexts(settings: ChatSettings, locale: ChatLocale): { greeting?: string; offlineText?: string } {
  const greeting = settings.greeting[locale]
  const offlineText = settings.offlineText[locale]
  return { ...(greeting !== '' ? { greeting } : {}), ...(offlineText !== '' ? { offlineText } : {}) }
}

/** The business calendar the chat hours describe. Throws on an unknown time zone or bad intervals. */
export function chatCalendar(hours: ChatHours): BusinessCalendar {
  const weeklyHours: Partial<Record<Weekday, DayHours>> = {}
  for (const [day, intervals] of Object.entries(hours.weeklyHours)) {
    if (intervals !== undefined) weeklyHours[Number(day) as Weekday] = intervals
  }
  return createBusinessCalendar({ timeZone: hours.timeZone, weeklyHours, holidays: hours.holidays })
}

/** Whether agents answer chats at `at`: chat switched on and inside the hours. */
export function isChatOnline(settings: ChatSettings, at: Date): boolean {
  if (!settings.enabled) return false
  if (settings.hours.always) return true
  return isWorkingInstant(chatCalendar(settings.hours), at)
}

/**
 * The ticket subject made from the first chat message: its first line, white space folded,
 * cut at a word boundary (or anywhere in text without spaces, such as Chinese) with an ellipsis.
 */
export function subjectFromFirstMessage(text: string, max = SUBJECT_LENGTH): string {
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? ''
  const folded = firstLine.replace(/\s+/g, ' ').trim()
  if (folded === '') return 'Web chat'
  const chars = [...folded]
  if (chars.length <= max) return folded
  const cut = chars.slice(0, max - 1).join('')
  const space = cut.lastIndexOf(' ')
  const head = space >= max / 2 ? cut.slice(0, space) : cut
  return `${head.trimEnd()}…`
}

/** Whether a page of `origin` may open a chat: any when the allow-list is empty. */
export function isOriginAllowed(origin: string | undefined, allowedOrigins: readonly string[]): boolean {
  if (allowedOrigins.length === 0) return true
  if (origin === undefined) return false
  const wanted = normaliseOrigin(origin)
  return wanted !== null && allowedOrigins.some((allowed) => normaliseOrigin(allowed) === wanted)
}

/** `scheme://host[:port]` in lower case, or null when it is not an http(s) origin. */
export function normaliseOrigin(value: string): string | null {
  try {
    const url = new URL(value)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
    return url.origin.toLowerCase()
  } catch {
    return null
  }
}

/** A frame a visitor's widget sends, after validation. */
export type VisitorFrame =
  | { readonly type: 'hello'; readonly token: string | null; readonly pageUrl: string | null; readonly locale: ChatLocale }
  | { readonly type: 'message'; readonly clientId: string; readonly text: string }
  | { readonly type: 'typing'; readonly on: boolean }
  | { readonly type: 'identify'; readonly email: string | null; readonly phone: string | null; readonly name: string | null }

/** Why a frame was refused: a stable code and, where one field is at fault, its name. */
export interface FrameError {
  readonly code: 'bad_frame' | 'unknown_type' | 'invalid' | 'too_long' | 'required' | 'rate_limited' | 'conflict'
  readonly field?: string
}

const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/
const TOKEN = /^[A-Za-z0-9_-]{43}$/
// A loose, length-bounded shape; the customer record normalises it.
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{1,63}$/

/** Reads one visitor frame (already parsed JSON): the frame, or what is wrong with it. */
export function parseVisitorFrame(value: unknown): { frame: VisitorFrame } | { error: FrameError } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: { code: 'bad_frame' } }
  const input = value as Record<string, unknown>
  switch (input.type) {
    case 'hello': {
      const token = input.token ?? null
      if (token !== null && (typeof token !== 'string' || !TOKEN.test(token))) return { error: { code: 'invalid', field: 'token' } }
      const pageUrl = optionalString(input.pageUrl, MAX_PAGE_URL)
      if (pageUrl === false) return { error: { code: 'invalid', field: 'pageUrl' } }
      const locale = input.locale === 'en' || (typeof input.locale === 'string' && input.locale.toLowerCase().startsWith('en')) ? 'en' : 'zh-CN'
      return { frame: { type: 'hello', token, pageUrl, locale } }
    }
    case 'message': {
      if (typeof input.clientId !== 'string' || !CLIENT_ID.test(input.clientId)) return { error: { code: 'invalid', field: 'clientId' } }
      if (typeof input.text !== 'string') return { error: { code: 'required', field: 'text' } }
      const text = input.text.trim()
      if (text === '') return { error: { code: 'required', field: 'text' } }
      if ([...text].length > MAX_CHAT_TEXT) return { error: { code: 'too_long', field: 'text' } }
      if (hasControlCharacters(text)) return { error: { code: 'invalid', field: 'text' } }
      return { frame: { type: 'message', clientId: input.clientId, text } }
    }
    case 'typing':
      if (typeof input.on !== 'boolean') return { error: { code: 'invalid', field: 'on' } }
      return { frame: { type: 'typing', on: input.on } }
    case 'identify': {
      const email = optionalString(input.email, 254)
      if (email === false || (email !== null && !EMAIL.test(email))) return { error: { code: 'invalid', field: 'email' } }
      const phone = optionalString(input.phone, 40)
      if (phone === false || (phone !== null && !/^\+?[\d\s()-]{5,40}$/.test(phone))) return { error: { code: 'invalid', field: 'phone' } }
      if (email === null && phone === null) return { error: { code: 'required', field: 'email' } }
      const name = optionalString(input.name, MAX_VISITOR_NAME)
      if (name === false) return { error: { code: 'invalid', field: 'name' } }
      return { frame: { type: 'identify', email, phone, name } }
    }
    default:
      return { error: { code: typeof input.type === 'string' ? 'unknown_type' : 'bad_frame', field: 'type' } }
  }
}

/** A trimmed non-empty string within `max` characters, null when absent or blank, false when wrong. */
function optionalString(value: unknown, max: number): string | null | false {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string') return false
  const trimmed = value.trim()
  if (trimmed === '') return null
  if ([...trimmed].length > max || hasControlCharacters(trimmed)) return false
  return trimmed
}

/** Control characters other than tab and line breaks, and lone surrogates, are never text a person typed. */
function hasControlCharacters(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) || !text.isWellFormed()
}

/**
 * A fixed-window frame budget per socket: at most `limit` frames in any window of `windowMs`.
 * Returns a function that says, for each frame at `now`, whether it is within the budget.
 */
export function frameBudget(limit: number, windowMs: number): (now: number) => boolean {
  let windowStart = -Infinity
  let used = 0
  return (now) => {
    if (now - windowStart >= windowMs) {
      windowStart = now
      used = 0
    }
    used++
    return used <= limit
  }
}
