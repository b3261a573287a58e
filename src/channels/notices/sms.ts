import { isPermanentHttpStatus } from '../../domain/notices/delivery-failures.ts'
import type { OutboxHandler } from '../../jobs/outbox-dispatcher.ts'
import { PermanentDeliveryError } from '../../jobs/outbox-dispatcher.ts'

/** A phone number in E.164 form (`+8613800138000`), as `normalisePhone` stores them. */
export type E164 = string & { readonly __e164?: never }

/** Sends one text message; resolves with the provider's id of it, throws when it was not accepted. */
export interface SmsProvider {
  send(to: E164, text: string): Promise<{ id: string }>
}

/** Outbox topic of SMS notices. */
export const SMS_TOPIC = 'sms'

export interface SmsPayload {
  readonly ticketId: string
  readonly eventId: number
  readonly to: E164
  readonly text: string
}

/** Longest a gateway may take to answer before the attempt counts as failed (and is retried). */
const SMS_TIMEOUT_MS = 10_000
/** Longest gateway answer read; the id is all we need. */
const MAX_ANSWER_BYTES = 64 * 1024

/**
 * The HTTP SMS gateway contract (fits a small relay in front of Aliyun or Tencent Cloud SMS,
 * which adds the sender signature and template):
 * `POST <SMS_URL>` with `Authorization: Bearer <SMS_TOKEN>`, `Content-Type: application/json`,
 * body `{"to": "+8613800138000", "text": "…"}`; any 2xx accepts the message, optionally
 * answering `{"id": "<gateway message id>"}`. 408, 429, 5xx and network errors are retried;
 * any other 4xx is permanent (the message is set aside as dead).
 */
export function httpSmsProvider(options: { readonly url: string; readonly token: string | undefined; readonly timeoutMs?: number }): SmsProvider {
  return {
    send: async (to, text) => {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
        body: JSON.stringify({ to, text }),
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? SMS_TIMEOUT_MS),
      })
      const answer = await readLimited(response, MAX_ANSWER_BYTES)
      if (!response.ok) {
        const message = `SMS gateway answered ${response.status}: ${answer.slice(0, 200)}`
        if (isPermanentHttpStatus(response.status)) throw new PermanentDeliveryError(message)
        throw new Error(message)
      }
      let id = ''
      try {
        const parsed = JSON.parse(answer) as { id?: unknown }
        if (typeof parsed.id === 'string' || typeof parsed.id === 'number') id = String(parsed.id)
      } catch {
        // A 2xx without a JSON body still means accepted.
      }
      return { id }
    },
  }
}

/** The start of a response body, at most `limit` bytes; the rest is not read. */
async function readLimited(response: Response, limit: number): Promise<string> {
  if (response.body === null) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  while (size < limit) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.byteLength
  }
  await reader.cancel().catch(() => undefined)
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8')
}

/** Attempts before an SMS is set aside as dead. */
export const SMS_MAX_ATTEMPTS = 12

/**
 * The `sms` outbox handler. Without `SMS_URL` an attempt fails with a clear error and the
 * message waits; `provider` replaces the HTTP gateway (another vendor's API, or a test).
 */
export function smsDeliveryHandler(provider?: SmsProvider): OutboxHandler {
  return {
    kind: 'io',
    maxAttempts: SMS_MAX_ATTEMPTS,
    deliver: async (raw, { deps }) => {
      const payload = raw as SmsPayload
      const gateway = provider ?? (deps.config.smsUrl !== undefined ? httpSmsProvider({ url: deps.config.smsUrl, token: deps.config.smsToken }) : undefined)
      if (gateway === undefined) throw new Error('SMS_URL not configured: the SMS waits in the outbox until it is')
      return gateway.send(payload.to, payload.text)
    },
  }
}
