/**
 * Which delivery failures no retry can mend. Everything else (a relay that is down, a 4xx
 * "try again later", a timeout, a wrong password or sender that an admin will fix) is retried
 * with backoff, so an outage delays mail but never loses it.
 */

/** What an SMTP client reports about a failure (nodemailer's error fields). */
export interface SmtpFailure {
  /** nodemailer's error code: ECONNECTION, ESOCKET, ETIMEDOUT, EAUTH, EENVELOPE, EMESSAGE … */
  readonly code?: string | undefined
  /** The server's reply code, when it answered. */
  readonly responseCode?: number | undefined
  /** The step that failed: CONN, EHLO, AUTH, MAIL FROM, RCPT TO, DATA, API (checked before sending). */
  readonly command?: string | undefined
}

/**
 * Permanent: the server refused this recipient or this message with a 5xx (550 mailbox
 * unavailable, 553 bad address, 552/554 message refused), or the message could not even be
 * formed (an invalid recipient address). A 5xx to MAIL FROM or AUTH is a configuration
 * problem of the desk, not of the message: retried, so mail waits until an admin fixes it.
 */
export function isPermanentSmtpFailure(failure: SmtpFailure): boolean {
  const { code, responseCode, command } = failure
  if (command === 'API' && (code === 'EENVELOPE' || code === 'EMESSAGE')) return true
  // Larger than the server's advertised SIZE: checked by the client before sending, so no reply code.
  if (code === 'EMESSAGE' && responseCode === undefined) return true
  if (responseCode === undefined || responseCode < 500 || responseCode > 599) return false
  return command === 'RCPT TO' || command === 'DATA'
}

/** Permanent for an HTTP SMS gateway: a 4xx other than 408 (timeout) and 429 (slow down). */
export function isPermanentHttpStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429
}
