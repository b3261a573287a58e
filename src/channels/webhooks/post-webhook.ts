import { signatureHeader } from '../../domain/webhooks/signature.ts'

/** What one attempt to reach a receiver came to. */
export interface WebhookAttemptResult {
  readonly statusCode: number | null
  readonly durationMs: number
  readonly error: string | null
}

/** How long a receiver may take to answer before the attempt counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000
/** How much of a receiver's answer is kept in the log (the rest is read and dropped). */
const KEPT_RESPONSE_CHARS = 300

/**
 * POSTs one signed webhook: `webhook-id`, `webhook-timestamp` (seconds, this attempt's),
 * `webhook-signature` (one `v1,` signature per secret in force). Redirects are not followed
 * (a receiver that moved must be reconfigured, not silently chased); a timeout aborts.
 * Never throws: network failures come back as a result with an error.
 */
export async function postWebhook(target: { readonly url: string; readonly secrets: readonly string[] }, id: string, body: string, now: Date, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<WebhookAttemptResult> {
  const timestamp = Math.floor(now.getTime() / 1000)
  const started = performance.now()
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Loopdesk-Webhooks/1',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(target.secrets, id, timestamp, body),
      },
      body,
    })
    const text = await readSome(response)
    const durationMs = Math.round(performance.now() - started)
    const ok = response.status >= 200 && response.status < 300
    return { statusCode: response.status, durationMs, error: ok ? null : `HTTP ${response.status}${text === '' ? '' : `: ${text}`}` }
  } catch (error) {
    const durationMs = Math.round(performance.now() - started)
    const name = (error as Error)?.name
    const message = name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : describe(error)
    return { statusCode: null, durationMs, error: message }
  }
}

async function readSome(response: Response): Promise<string> {
  if (response.body === null) return ''
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  try {
    while (text.length < KEPT_RESPONSE_CHARS) {
      const { done, value } = await reader.read()
      if (done) break
      text += decoder.decode(value, { stream: true })
    }
  } finally {
    await reader.cancel().catch(() => undefined)
  }
  return text.slice(0, KEPT_RESPONSE_CHARS).trim()
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause
  if (cause?.code !== undefined) return `${cause.code}${cause.message !== undefined ? `: ${cause.message}` : ''}`.slice(0, 500)
  return (error instanceof Error ? error.message : String(error)).slice(0, 500)
}
