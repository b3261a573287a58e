import { AppError } from '../domain/shared/app-error.ts'

/**
 * PostgreSQL refuses NUL characters in text and lone UTF-16 surrogates in JSON, and would
 * fail the transaction with a 500; such input is refused up front as a validation error
 * naming the field (`subject`, `tags/2`).
 */
export function findMalformedText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') {
    return value.includes('\u0000') || !value.isWellFormed() ? path : null
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = findMalformedText(value[index], path === '' ? String(index) : `${path}/${index}`)
      if (found !== null) return found
    }
    return null
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const field = path === '' ? key : `${path}/${key}`
      if (findMalformedText(key, field) !== null) return field
      const found = findMalformedText(item, field)
      if (found !== null) return found
    }
  }
  return null
}

export function assertWellFormedText(value: unknown): void {
  const field = findMalformedText(value)
  if (field !== null) {
    throw new AppError('VALIDATION', `${field || 'the request'} contains a NUL character or malformed Unicode`, [
      { field: field || '(body)', message: 'contains a NUL character or malformed Unicode' },
    ])
  }
}
