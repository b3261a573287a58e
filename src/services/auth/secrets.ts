import { createHash, randomBytes } from 'node:crypto'

/** A random secret for a session or token, URL-safe. */
export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`
}

/** Sessions and API tokens are stored by their SHA-256: they are long random secrets, so no slow hash is needed. */
export function digestSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}
