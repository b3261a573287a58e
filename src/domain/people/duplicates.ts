/**
 * Likely duplicate customers: pure, explainable scoring. Each reason has a code (translated in
 * the web app), the evidence, and a weight; a candidate's score is the sum of its reasons'
 * weights, capped at 100. Suggestions only — an agent decides and merges.
 */

/** What the scoring needs to know of a customer record. */
export interface DuplicateCandidate {
  readonly id: string
  readonly name: string
  readonly email: string | null
  readonly phone: string | null
  readonly organisationId: string | null
}

export type DuplicateReasonCode =
  | 'seen_together'
  | 'same_phone'
  | 'email_variant'
  | 'same_email_name'
  | 'same_name_same_organisation'
  | 'same_name'
  | 'similar_name'

export interface DuplicateReason {
  readonly code: DuplicateReasonCode
  /** The matching value, shown to the agent (an address, a number, a name). */
  readonly evidence: string
  readonly weight: number
}

export interface DuplicateSuggestion {
  readonly candidateId: string
  readonly score: number
  readonly reasons: readonly DuplicateReason[]
}

/** Weights: a clue both records were used with in one contact is near-certain; a shared name alone is weak. */
export const DUPLICATE_WEIGHTS: Readonly<Record<DuplicateReasonCode, number>> = {
  seen_together: 90,
  same_phone: 80,
  email_variant: 70,
  same_name_same_organisation: 60,
  same_name: 40,
  same_email_name: 30,
  similar_name: 30,
}

/** Below this score a candidate is not shown. */
export const DUPLICATE_THRESHOLD = 30

/** Mailbox names shared by many people; the same local part at two domains says nothing for these. */
const GENERIC_LOCAL_PARTS = new Set(['info', 'admin', 'support', 'service', 'contact', 'sales', 'hello', 'office', 'mail', 'kefu', 'noreply', 'no-reply', 'test'])

/** Providers that ignore dots in the local part. */
const DOTLESS_DOMAINS = new Set(['gmail.com', 'googlemail.com'])
/** Domains that deliver to the same mailboxes. */
const DOMAIN_ALIASES: Readonly<Record<string, string>> = { 'googlemail.com': 'gmail.com', 'foxmail.com': 'qq.com', 'vip.qq.com': 'qq.com' }

/** The mailbox an address delivers to: lower case, `+tag` dropped, dots dropped where the provider ignores them, alias domains unified. */
export function canonicalMailbox(email: string): { local: string; domain: string } | null {
  const at = email.lastIndexOf('@')
  if (at <= 0 || at === email.length - 1) return null
  let local = email.slice(0, at).trim().toLowerCase()
  let domain = email.slice(at + 1).trim().toLowerCase()
  domain = DOMAIN_ALIASES[domain] ?? domain
  const plus = local.indexOf('+')
  if (plus > 0) local = local.slice(0, plus)
  if (DOTLESS_DOMAINS.has(domain)) local = local.replaceAll('.', '')
  return { local, domain }
}

/** A name compared without case, spaces, dots, hyphens or full-width forms: "Zhang  Wei", "zhang wei", "张 伟" → one key each. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[\s.\-_·•,'’]/gu, '')
}

/** Name tokens in order-independent form: "Wei Zhang" and "Zhang Wei" agree. */
function tokenKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .split(/[\s.\-_·•,]+/u)
    .filter((token) => token !== '')
    .sort()
    .join(' ')
}

/** Levenshtein distance, stopping early once beyond `limit`. */
export function editDistance(a: string, b: string, limit = 2): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost)
      current.push(value)
      rowMin = Math.min(rowMin, value)
    }
    if (rowMin > limit) return limit + 1
    previous = current
  }
  return previous[b.length] ?? limit + 1
}

/** Names that are probably the same person's: one typo in a longer name, or the same words in another order. */
function similarNames(a: string, b: string): boolean {
  const ka = nameKey(a)
  const kb = nameKey(b)
  if (ka === '' || kb === '' || ka === kb) return false
  if (tokenKey(a) === tokenKey(b)) return true
  // Chinese names are 2–4 characters: one character off is a different person; Latin names tolerate one typo from 5 letters.
  const isLatin = /^[a-z]+$/u.test(ka) && /^[a-z]+$/u.test(kb)
  return isLatin && Math.min(ka.length, kb.length) >= 5 && editDistance(ka, kb, 1) <= 1
}

/** A digits-only phone tail, so an old unnormalised "138-0013-8000" still meets "+8613800138000". */
function phoneKey(phone: string): string {
  const digits = phone.replace(/\D/g, '')
  return digits.length > 11 ? digits.slice(-11) : digits
}

/**
 * Why `candidate` may be the same person as `customer`. `seenTogether` lists clues (e-mail,
 * phone, external id) that one contact carried for both records.
 */
export function duplicateReasons(customer: DuplicateCandidate, candidate: DuplicateCandidate, seenTogether: readonly string[] = []): DuplicateReason[] {
  const reasons: DuplicateReason[] = []
  const add = (code: DuplicateReasonCode, evidence: string) => reasons.push({ code, evidence, weight: DUPLICATE_WEIGHTS[code] })
  if (customer.id === candidate.id) return reasons
  for (const clue of new Set(seenTogether)) add('seen_together', clue)
  if (customer.phone !== null && candidate.phone !== null && phoneKey(customer.phone).length >= 7 && phoneKey(customer.phone) === phoneKey(candidate.phone)) {
    add('same_phone', candidate.phone)
  }
  const mine = customer.email === null ? null : canonicalMailbox(customer.email)
  const theirs = candidate.email === null ? null : canonicalMailbox(candidate.email)
  if (mine !== null && theirs !== null && candidate.email !== null) {
    // Across domains dots are compared loosely: Gmail drops them, so "zhang.wei" there is "zhangwei".
    const looseMine = mine.local.replaceAll('.', '')
    if (mine.domain === theirs.domain && mine.local === theirs.local) add('email_variant', candidate.email)
    else if (mine.domain !== theirs.domain && looseMine === theirs.local.replaceAll('.', '') && looseMine.length >= 5 && !GENERIC_LOCAL_PARTS.has(looseMine)) {
      add('same_email_name', candidate.email)
    }
  }
  const sameName = nameKey(customer.name) !== '' && nameKey(customer.name) === nameKey(candidate.name)
  const sameOrganisation = customer.organisationId !== null && customer.organisationId === candidate.organisationId
  if (sameName && sameOrganisation) add('same_name_same_organisation', candidate.name)
  else if (sameName) add('same_name', candidate.name)
  else if (similarNames(customer.name, candidate.name)) add('similar_name', candidate.name)
  return reasons
}

/** Scores candidates and keeps those at or above the threshold, most likely first. */
export function rankDuplicates(
  customer: DuplicateCandidate,
  candidates: readonly DuplicateCandidate[],
  seenTogether: ReadonlyMap<string, readonly string[]> = new Map(),
): DuplicateSuggestion[] {
  return candidates
    .map((candidate) => {
      const reasons = duplicateReasons(customer, candidate, seenTogether.get(candidate.id) ?? [])
      const score = Math.min(100, reasons.reduce((sum, reason) => sum + reason.weight, 0))
      return { candidateId: candidate.id, score, reasons }
    })
    .filter((suggestion) => suggestion.score >= DUPLICATE_THRESHOLD)
    .sort((a, b) => b.score - a.score || a.candidateId.localeCompare(b.candidateId))
}
