import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, type ErrorCode } from '../domain/shared/app-error.ts'
import { fieldErrors } from './validation.ts'

const STATUS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  MALFORMED_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAUTHENTICATED: 401,
  CSRF: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  REOPEN_WINDOW_EXPIRED: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  WEBHOOK_SIGNATURE_INVALID: 401,
  WEBHOOK_TIMESTAMP_OUT_OF_RANGE: 401,
  WEBHOOK_REPLAYED: 409,
  INTERNAL: 500,
}

/** Fastify's own errors (parsing, limits) and the application's, mapped to one error shape. */
export function toAppError(error: FastifyError | AppError | Error): AppError {
  if (error instanceof AppError) return error
  const fastifyError = error as FastifyError
  if (fastifyError.validation !== undefined) {
    const fields = fieldErrors(fastifyError.validation)
    const context = fastifyError.validationContext
    const prefixed = context === 'body' ? fields : fields.map((f) => ({ ...f, field: f.field === '(body)' ? context ?? 'request' : f.field }))
    return new AppError('VALIDATION', `invalid ${context ?? 'request'}: ${prefixed.map((f) => `${f.field} ${f.message}`).join('; ')}`, prefixed)
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('MALFORMED_JSON', 'the request body is not valid JSON', [{ field: '(body)', message: fastifyError.message }])
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large', [{ field: '(body)', message: fastifyError.message }])
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'unsupported content type', [{ field: 'Content-Type', message: fastifyError.message }])
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('VALIDATION', 'the Content-Length does not match the body', [{ field: 'Content-Length', message: 'mismatch' }])
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return new AppError('MALFORMED_JSON', 'the request body is not valid JSON', [{ field: '(body)', message: error.message }])
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new AppError('VALIDATION', fastifyError.message, [{ field: '(request)', message: fastifyError.message }])
  }
  return new AppError('INTERNAL', 'internal error')
}

export function statusOf(code: ErrorCode): number {
  return STATUS[code]
}

export async function handleError(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const appError = toAppError(error)
  const status = STATUS[appError.code]
  if (status >= 500) request.log.error({ err: error }, 'request failed')
  await reply
    .status(status)
    .send({ error: { code: appError.code, message: appError.message, ...(appError.fields !== undefined ? { fields: appError.fields } : {}) } })
}
