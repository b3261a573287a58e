import { AppError } from '../domain/shared/app-error.ts'

/** Unique constraints and the input field each protects. */
const UNIQUE_FIELDS: Readonly<Record<string, string>> = {
  organisations_name_key: 'name',
  users_email_key: 'email',
  users_phone_key: 'phone',
  users_wechat_key: 'wechatOpenId',
  users_app_user_key: 'appUserId',
  users_phone_extension_key: 'phoneExtension',
  groups_name_key: 'name',
  categories_sibling_name_key: 'nameEn',
  saved_views_name_key: 'name',
}

interface PgError {
  readonly code?: string
  readonly constraint?: string
  readonly detail?: string
  readonly message?: string
}

/**
 * Turns a unique or foreign-key violation from either driver into a CONFLICT / VALIDATION
 * error naming the field; other errors pass through unchanged.
 */
export function translateDbError(error: unknown): unknown {
  const pgError = error as PgError
  if (pgError?.code === '23505') {
    const constraint = pgError.constraint ?? Object.keys(UNIQUE_FIELDS).find((name) => pgError.message?.includes(name))
    const field = constraint !== undefined ? UNIQUE_FIELDS[constraint] : undefined
    return new AppError('CONFLICT', field !== undefined ? `${field} is already taken` : 'a record with these values exists', [
      { field: field ?? 'id', message: 'already taken' },
    ])
  }
  if (pgError?.code === '23503') {
    return new AppError('CONFLICT', 'the record is still referenced by others', [{ field: 'id', message: 'in use' }])
  }
  return error
}
