import { AppError, type FieldError } from '../shared/app-error.ts'
import type { CallDirection, CallEventType } from './call-state.ts'

/**
 * The three-event form other desks use (Zammad's "generic CTI" API), so PBX connectors written
 * for it work unchanged. A request is JSON or form-encoded with:
 * - `event`: `newCall` | `answer` | `hangup`
 * - `from`, `to`: numbers (`from` may be `anonymous`), `direction`: `in` | `out`
 * - `callId`: the PBX's id of the call (at most 250 characters)
 * - `user` / `user[]`: real name(s) of the agents rung (in) or calling (out); optional
 * - `queue`: optional queue name
 * - `answeringNumber` (answer, hangup): the agent who picked up, looked up by extension, phone, login (e-mail) or id
 * - `cause` (hangup): `normalClearing`, `busy`, `cancel`, `noAnswer`, `congestion`, `notFound`, `forwarded`
 * The desk answers `{}`, or `{"action":"reject","reason":"busy"}` to a `newCall` from a blocked number.
 */

/** A body as parsed from JSON or a form: strings, or lists of strings for repeated keys. */
export type LooseBody = Readonly<Record<string, unknown>>

/** A call event in the desk's own (native) vocabulary, before the agent reference is resolved to a user. */
export interface ReportedCallEvent {
  readonly type: CallEventType
  readonly callId: string
  readonly from: string
  readonly to: string
  readonly direction: CallDirection
  readonly queue: string | null
  /** How the PBX names the agent, most specific first (answering number, then user names). */
  readonly agentRefs: readonly string[]
  readonly cause: string | null
  readonly recordingUrl: string | null
  readonly at: Date | null
}

const GENERIC_EVENTS: Readonly<Record<string, CallEventType>> = { newCall: 'new_call', answer: 'answered', hangup: 'hangup' }

export const MAX_CALL_ID_LENGTH = 250
const MAX_NUMBER_LENGTH = 64
const MAX_NAME_LENGTH = 200
const MAX_USERS = 50

/** The body of a form: repeated keys become lists and `user[]` is read as `user`. */
export function formToBody(params: URLSearchParams): Record<string, string | string[]> {
  const body: Record<string, string | string[]> = {}
  for (const [key, value] of params) {
    const isList = key.endsWith('[]')
    const name = isList ? key.slice(0, -2) : key
    const existing = body[name]
    if (existing === undefined) body[name] = isList ? [value] : value
    else body[name] = [...(Array.isArray(existing) ? existing : [existing]), value]
  }
  return body
}

/** Reads a three-event-form request; throws VALIDATION naming every field at fault. */
export function parseGenericCtiEvent(body: LooseBody): ReportedCallEvent {
  const errors: FieldError[] = []
  const text = (field: string, options: { required: boolean; max: number }): string | null => {
    const value = body[field]
    if (value === undefined || value === null || value === '') {
      if (options.required) errors.push({ field, message: 'is required' })
      return null
    }
    if (typeof value !== 'string') {
      errors.push({ field, message: 'must be a string' })
      return null
    }
    if (value.length > options.max) {
      errors.push({ field, message: `must be at most ${options.max} characters` })
      return null
    }
    return value.trim()
  }
  const event = text('event', { required: true, max: 20 })
  const type = event === null ? undefined : GENERIC_EVENTS[event]
  if (event !== null && type === undefined) errors.push({ field: 'event', message: 'must be newCall, answer or hangup' })
  const from = text('from', { required: true, max: MAX_NUMBER_LENGTH })
  const to = text('to', { required: true, max: MAX_NUMBER_LENGTH })
  const direction = text('direction', { required: true, max: 3 })
  if (direction !== null && direction !== 'in' && direction !== 'out') errors.push({ field: 'direction', message: 'must be in or out' })
  const callId = text('callId', { required: true, max: MAX_CALL_ID_LENGTH })
  const queue = text('queue', { required: false, max: MAX_NAME_LENGTH })
  const answeringNumber = text('answeringNumber', { required: false, max: MAX_NAME_LENGTH })
  const cause = text('cause', { required: false, max: 50 })
  const users = readUsers(body.user, errors)
  if (errors.length > 0 || type === undefined || from === null || to === null || callId === null) {
    throw new AppError('VALIDATION', `invalid CTI event: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors)
  }
  return {
    type,
    callId,
    from,
    to,
    direction: direction as CallDirection,
    queue,
    agentRefs: [...(answeringNumber === null ? [] : [answeringNumber]), ...users],
    cause,
    recordingUrl: null,
    at: null,
  }
}

function readUsers(value: unknown, errors: FieldError[]): string[] {
  if (value === undefined || value === null || value === '') return []
  const list = Array.isArray(value) ? value : [value]
  if (list.length > MAX_USERS) {
    errors.push({ field: 'user', message: `at most ${MAX_USERS} users` })
    return []
  }
  const names: string[] = []
  for (const [index, item] of list.entries()) {
    if (typeof item !== 'string' || item.length > MAX_NAME_LENGTH) {
      errors.push({ field: `user/${index}`, message: `must be a name of at most ${MAX_NAME_LENGTH} characters` })
      continue
    }
    if (item.trim() !== '') names.push(item.trim())
  }
  return names
}

/** The answer to a call event in the three-event form: reject a blocked caller as busy, otherwise nothing. */
export function genericCtiAnswer(rejected: boolean): Record<string, string> {
  return rejected ? { action: 'reject', reason: 'busy' } : {}
}

/** The answer in the native form. */
export function nativeCtiAnswer(rejected: boolean): Record<string, string> {
  return rejected ? { action: 'reject', reason: 'blocked' } : {}
}
