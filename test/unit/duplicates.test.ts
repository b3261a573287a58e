import { describe, expect, it } from 'vitest'
import { type DuplicateCandidate, DUPLICATE_THRESHOLD, canonicalMailbox, duplicateReasons, editDistance, nameKey, rankDuplicates } from '../../src/domain/people/duplicates.ts'

const base: DuplicateCandidate = { id: 'a', name: 'Zhang Wei', email: 'zhang.wei@example.com', phone: '+8613800138000', organisationId: 'org-1' }
const other = (overrides: Partial<DuplicateCandidate>): DuplicateCandidate => ({ id: 'b', name: 'Someone Else', email: null, phone: null, organisationId: null, ...overrides })
const codes = (candidate: DuplicateCandidate, seen: string[] = []) => duplicateReasons(base, candidate, seen).map((reason) => reason.code)

describe('canonicalMailbox', () => {
  it.each([
    ['Zhang.Wei+orders@Example.com', { local: 'zhang.wei', domain: 'example.com' }],
    ['z.h.a.n.g@gmail.com', { local: 'zhang', domain: 'gmail.com' }],
    ['zhang@googlemail.com', { local: 'zhang', domain: 'gmail.com' }],
    ['12345@foxmail.com', { local: '12345', domain: 'qq.com' }],
  ])('%s → %o', (email, expected) => expect(canonicalMailbox(email)).toEqual(expected))
  it('refuses what is not an address', () => {
    expect(canonicalMailbox('no-at-sign')).toBeNull()
    expect(canonicalMailbox('@example.com')).toBeNull()
    expect(canonicalMailbox('someone@')).toBeNull()
  })
})

describe('names', () => {
  it('compares names without case, spaces and full-width forms', () => {
    expect(nameKey('Zhang  Wei')).toBe(nameKey('zhang wei'))
    expect(nameKey('张 伟')).toBe(nameKey('张伟'))
    expect(nameKey('ＺＨＡＮＧ　Ｗｅｉ')).toBe(nameKey('zhang wei'))
  })
  it('measures edit distance and stops beyond the limit', () => {
    expect(editDistance('kitten', 'sitten')).toBe(1)
    expect(editDistance('flaw', 'lawn')).toBe(2)
    expect(editDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3)
  })
})

describe('duplicateReasons', () => {
  it('finds nothing in a stranger, or in the record itself', () => {
    expect(codes(other({}))).toEqual([])
    expect(duplicateReasons(base, base)).toEqual([])
  })
  it('a clue one contact carried for both records is the strongest reason', () => {
    const reasons = duplicateReasons(base, other({}), ['+8613900139000'])
    expect(reasons).toEqual([{ code: 'seen_together', evidence: '+8613900139000', weight: 90 }])
  })
  it('the same phone in another notation (an old unnormalised row)', () => {
    expect(codes(other({ phone: '138-0013-8000' }))).toEqual(['same_phone'])
    expect(codes(other({ phone: '+8613800138001' }))).toEqual([])
  })
  it('the same mailbox written differently: +tags, dots at Gmail', () => {
    expect(codes(other({ email: 'zhang.wei+shop@example.com' }))).toEqual(['email_variant'])
    const gmail = { ...base, email: 'zhangwei@gmail.com' }
    expect(duplicateReasons(gmail, other({ email: 'zhang.wei@googlemail.com' })).map((r) => r.code)).toEqual(['email_variant'])
    // At an ordinary domain dots matter: zhangwei@ and zhang.wei@ are different mailboxes.
    expect(codes(other({ email: 'zhangwei@example.com' }))).toEqual([])
  })
  it('the same distinctive mailbox name at another domain is weak; generic names say nothing', () => {
    expect(codes(other({ email: 'zhang.wei@gmail.com' }))).toEqual(['same_email_name'])
    const info = { ...base, email: 'info@acme.cn' }
    expect(duplicateReasons(info, other({ email: 'info@other.cn' }))).toEqual([])
  })
  it('the same name counts more inside the same organisation', () => {
    expect(codes(other({ name: 'zhang  wei', organisationId: 'org-1' }))).toEqual(['same_name_same_organisation'])
    expect(codes(other({ name: 'Zhang Wei', organisationId: 'org-2' }))).toEqual(['same_name'])
  })
  it('similar names: reordered words, one typo in a longer Latin name; not one character off in a Chinese name', () => {
    expect(codes(other({ name: 'Wei Zhang' }))).toEqual(['similar_name'])
    expect(codes(other({ name: 'Zhang Wel' }))).toEqual(['similar_name'])
    const chinese = { ...base, name: '张伟' }
    expect(duplicateReasons(chinese, other({ name: '张伟' })).map((r) => r.code)).toEqual(['same_name'])
    expect(duplicateReasons(chinese, other({ name: '张玮' }))).toEqual([])
  })
})

describe('rankDuplicates', () => {
  it('sums reasons (capped at 100), drops weak candidates, and puts the likeliest first', () => {
    const candidates = [
      other({ id: 'name-only', name: 'Wei Zhang' }),
      other({ id: 'phone-and-name', name: 'Zhang Wei', phone: '+86 138 0013 8000' }),
      other({ id: 'stranger', name: 'Li Na' }),
      other({ id: 'seen', name: 'Li Na' }),
    ]
    const ranked = rankDuplicates(base, candidates, new Map([['seen', ['wechat:o-123']]]))
    expect(ranked.map((s) => [s.candidateId, s.score])).toEqual([
      ['phone-and-name', 100],
      ['seen', 90],
      ['name-only', 30],
    ])
    expect(ranked.every((s) => s.score >= DUPLICATE_THRESHOLD)).toBe(true)
    expect(ranked[0]?.reasons.map((r) => r.code)).toEqual(['same_phone', 'same_name'])
  })
})
