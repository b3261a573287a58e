import { randomBytes } from 'node:crypto'
import { formatSecret } from '../../domain/webhooks/signature.ts'

/** How long a rotated-out secret still counts (inbound: accepted; outbound: also signed with). */
export const SECRET_GRACE_MS = 24 * 3600_000

/** A fresh `whsec_…` secret: 24 random bytes. */
export function generateWebhookSecret(): string {
  return formatSecret(randomBytes(24))
}

/** The secrets in force now: the current one, and the previous one during its grace period. */
export function secretsInForce(row: { readonly secret: string; readonly previous_secret: string | null; readonly previous_secret_expires_at: Date | null }, now: Date): string[] {
  const previous = row.previous_secret !== null && row.previous_secret_expires_at !== null && row.previous_secret_expires_at > now ? [row.previous_secret] : []
  return [row.secret, ...previous]
}
