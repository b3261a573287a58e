import { createHash } from 'node:crypto'

/**
 * Inbound webhooks: an Idempotency-Key remembers the first answer. The same key with the same
 * body gets that answer again; the same key with another body is refused.
 */
export function requestHash(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex')
}

export type IdempotencyDecision = 'replay' | 'key_reused'

export function decideOnKnownKey(storedHash: string, hash: string): IdempotencyDecision {
  return storedHash === hash ? 'replay' : 'key_reused'
}

/** An Idempotency-Key: 1–200 visible ASCII characters. */
export function isValidIdempotencyKey(key: string): boolean {
  return /^[\x21-\x7e]{1,200}$/.test(key)
}

/** A source key used in the inbound URL: lower-case letters, digits and dashes. */
export function isValidSourceKey(key: string): boolean {
  return /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/.test(key)
}

/** The ticket channel a source's kind stands for. */
export function channelOfSource(kind: 'app' | 'wechat' | 'other'): 'app' | 'wechat' | 'api' {
  if (kind === 'wechat') return 'wechat'
  if (kind === 'app') return 'app'
  return 'api'
}
