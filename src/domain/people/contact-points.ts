import { parsePhoneNumberFromString } from 'libphonenumber-js'

/** Normalises a phone number to E.164, assuming China (+86) for national numbers; null when it is not a phone number. */
export function normalisePhone(raw: string, defaultCountry: 'CN' = 'CN'): string | null {
  const parsed = parsePhoneNumberFromString(raw, defaultCountry)
  if (parsed === undefined || !parsed.isPossible()) return null
  return parsed.number
}

/** E-mail addresses compare case-insensitively; they are stored lower-cased and trimmed. */
export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase()
}
