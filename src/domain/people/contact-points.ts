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

/** A PBX extension (分机号): digits, `*` and `#`, 1 to 20 characters, as the PBX dials it. */
export const PHONE_EXTENSION_PATTERN = '^[0-9*#]{1,20}$'
const PHONE_EXTENSION = new RegExp(PHONE_EXTENSION_PATTERN)

/** Whether a value (already trimmed) is written as an extension; real numbers such as `13800138000` are too, so a match is tried first and the value kept for the other rules. */
export function isPhoneExtension(value: string): boolean {
  return PHONE_EXTENSION.test(value)
}
