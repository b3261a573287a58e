import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { decideOnKnownKey, isValidIdempotencyKey, isValidSourceKey, channelOfSource, requestHash } from '../../src/domain/webhooks/inbound.ts'
import { checkTimestamp, formatSecret, hasValidSignature, secretKey, signWebhook, signatureBase, signatureHeader } from '../../src/domain/webhooks/signature.ts'

// The test vector of the Standard Webhooks reference libraries ("sign function works").
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
}

describe('Standard Webhooks signatures', () => {
  it('matches the specification test vector', () => {
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature)
    expect(hasValidSignature([VECTOR.secret], VECTOR.signature, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(true)
  })

  it('signs id, timestamp and the exact body bytes', () => {
    expect(signatureBase('msg_1', 1700000000, '{"a":1}').toString()).toBe('msg_1.1700000000.{"a":1}')
    const base = [VECTOR.secret], id = VECTOR.id, ts = VECTOR.timestamp
    expect(hasValidSignature(base, VECTOR.signature, id, ts, '{"test":2432232314}')).toBe(false)
    expect(hasValidSignature(base, VECTOR.signature, 'msg_other', ts, VECTOR.body)).toBe(false)
    expect(hasValidSignature(base, VECTOR.signature, id, ts + 1, VECTOR.body)).toBe(false)
    expect(hasValidSignature([formatSecret(Buffer.alloc(24, 7))], VECTOR.signature, id, ts, VECTOR.body)).toBe(false)
  })

  it('refuses malformed, truncated, empty and foreign-version signatures', () => {
    for (const header of ['', 'v1,', 'v1,dawfeoifkpqwoekfpqoekf', VECTOR.signature.slice(0, 8), VECTOR.signature.replace('v1,', 'v2,'), 'garbage']) {
      expect(hasValidSignature([VECTOR.secret], header, VECTOR.id, VECTOR.timestamp, VECTOR.body), header).toBe(false)
    }
  })

  it('accepts any one matching signature among several, and any secret in force (rotation)', () => {
    const header = `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,xyz ${VECTOR.signature}`
    expect(hasValidSignature([VECTOR.secret], header, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(true)
    const fresh = formatSecret(Buffer.alloc(24, 1))
    expect(hasValidSignature([fresh, VECTOR.secret], VECTOR.signature, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(true)
    const both = signatureHeader([fresh, VECTOR.secret], VECTOR.id, VECTOR.timestamp, VECTOR.body)
    expect(both.split(' ')).toHaveLength(2)
    expect(hasValidSignature([VECTOR.secret], both, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(true)
  })

  it('agrees with the standardwebhooks library both ways', () => {
    const secret = formatSecret(Buffer.from('0123456789abcdef0123456789abcdef'))
    const at = new Date()
    const seconds = Math.floor(at.getTime() / 1000)
    const body = JSON.stringify({ type: 'ticket.created', text: '打印机卡纸' })
    const ours = signWebhook(secret, 'msg_x', seconds, body)
    expect(new Webhook(secret).sign('msg_x', at, body)).toBe(ours)
    expect(() => new Webhook(secret).verify(body, { 'webhook-id': 'msg_x', 'webhook-timestamp': String(seconds), 'webhook-signature': ours })).not.toThrow()
    expect(secretKey(secret)).toEqual(secretKey(secret.slice('whsec_'.length)))
  })
})

describe('timestamp window', () => {
  const now = new Date(1_700_000_000_000)
  it('accepts the window edges and refuses beyond them, either way', () => {
    expect(checkTimestamp('1700000000', now, 300).result).toBe('ok')
    expect(checkTimestamp('1699999700', now, 300).result).toBe('ok')
    expect(checkTimestamp('1699999699', now, 300).result).toBe('stale')
    expect(checkTimestamp('1700000300', now, 300).result).toBe('ok')
    expect(checkTimestamp('1700000301', now, 300).result).toBe('future')
  })
  it('refuses what is not whole seconds', () => {
    for (const header of ['', 'abc', '1700000000.5', '-5', '1e9', '1700000000000000']) expect(checkTimestamp(header, now, 300).result, header).toBe('invalid')
  })
})

describe('inbound rules', () => {
  it('replays a known key with the same body, refuses it with another', () => {
    const a = requestHash(Buffer.from('{"a":1}'))
    expect(decideOnKnownKey(a, requestHash(Buffer.from('{"a":1}')))).toBe('replay')
    expect(decideOnKnownKey(a, requestHash(Buffer.from('{"a":2}')))).toBe('key_reused')
  })
  it('checks keys and maps source kinds to channels', () => {
    expect(isValidIdempotencyKey('order-42')).toBe(true)
    expect(isValidIdempotencyKey('')).toBe(false)
    expect(isValidIdempotencyKey('has space')).toBe(false)
    expect(isValidIdempotencyKey('x'.repeat(201))).toBe(false)
    expect(isValidSourceKey('my-app')).toBe(true)
    expect(isValidSourceKey('My-App')).toBe(false)
    expect(isValidSourceKey('-app')).toBe(false)
    expect(channelOfSource('wechat')).toBe('wechat')
    expect(channelOfSource('app')).toBe('app')
    expect(channelOfSource('other')).toBe('api')
  })
})
