import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the secret is `whsec_` and
 * base64 key bytes; the signature is `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`,
 * timestamp in whole seconds. One header may carry several space-separated signatures (a
 * secret being rotated), any one of which may match.
 */
export const SECRET_PREFIX = 'whsec_'

/** The key bytes of a `whsec_…` secret (the prefix is optional, as in the reference libraries). */
export function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret
  return Buffer.from(encoded, 'base64')
}

/** A secret from random key bytes. */
export function formatSecret(keyBytes: Uint8Array): string {
  return `${SECRET_PREFIX}${Buffer.from(keyBytes).toString('base64')}`
}

/** What is signed: `<webhook-id>.<webhook-timestamp>.<raw body>`. */
export function signatureBase(id: string, timestampSeconds: number, body: string | Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${id}.${timestampSeconds}.`, 'utf8'), typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body)])
}

/** One `v1,<base64>` signature. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string | Uint8Array): string {
  const mac = createHmac('sha256', secretKey(secret)).update(signatureBase(id, timestampSeconds, body)).digest('base64')
  return `v1,${mac}`
}

/** The `webhook-signature` header value: one signature per secret, space-separated. */
export function signatureHeader(secrets: readonly string[], id: string, timestampSeconds: number, body: string | Uint8Array): string {
  return secrets.map((secret) => signWebhook(secret, id, timestampSeconds, body)).join(' ')
}

/** Whether any `v1` signature in the header matches any of the secrets; compared in constant time. */
export function hasValidSignature(secrets: readonly string[], header: string, id: string, timestampSeconds: number, body: string | Uint8Array): boolean {
  const given = header
    .split(' ')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1,'))
    .map((part) => Buffer.from(part.slice(3), 'base64'))
  if (given.length === 0) return false
  let matched = false
  for (const secret of secrets) {
    const expected = createHmac('sha256', secretKey(secret)).update(signatureBase(id, timestampSeconds, body)).digest()
    for (const signature of given) {
      // Length first: timingSafeEqual throws on buffers of different lengths.
      if (signature.length === expected.length && timingSafeEqual(signature, expected)) matched = true
    }
  }
  return matched
}

export type TimestampCheck = 'ok' | 'invalid' | 'stale' | 'future'

/** A `webhook-timestamp` (integer seconds) within `toleranceSeconds` of now, either way. */
export function checkTimestamp(header: string, now: Date, toleranceSeconds: number): { readonly result: TimestampCheck; readonly seconds: number } {
  if (!/^\d{1,12}$/.test(header)) return { result: 'invalid', seconds: Number.NaN }
  const seconds = Number(header)
  const nowSeconds = Math.floor(now.getTime() / 1000)
  if (nowSeconds - seconds > toleranceSeconds) return { result: 'stale', seconds }
  if (seconds - nowSeconds > toleranceSeconds) return { result: 'future', seconds }
  return { result: 'ok', seconds }
}
