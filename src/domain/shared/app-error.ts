/** Stable error codes; the HTTP layer maps each to one status. */
export type ErrorCode =
  | 'VALIDATION'
  | 'MALFORMED_JSON'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAUTHENTICATED'
  | 'CSRF'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID_TRANSITION'
  | 'REOPEN_WINDOW_EXPIRED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'RATE_LIMITED'
  | 'WEBHOOK_SIGNATURE_INVALID'
  | 'WEBHOOK_TIMESTAMP_OUT_OF_RANGE'
  | 'WEBHOOK_REPLAYED'
  | 'INTERNAL'

/** One field at fault, named by its path in the input (`subject`, `tags/2`). */
export interface FieldError {
  readonly field: string
  readonly message: string
}

/** The one application error type: a stable code, a message for people, and the fields at fault. */
export class AppError extends Error {
  override readonly name = 'AppError'
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: readonly FieldError[],
  ) {
    super(message)
  }
}

/** Shorthand for a validation error on one field. */
export function invalidField(field: string, message: string): AppError {
  return new AppError('VALIDATION', `${field}: ${message}`, [{ field, message }])
}
