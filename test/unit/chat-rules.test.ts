import { describe, expect, it } from 'vitest'
import { DEFAULT_CHAT_SETTINGS, type ChatSettings, frameBudget, isChatOnline, isOriginAllowed, parseVisitorFrame, subjectFromFirstMessage } from '../../src/domain/chat/chat-rules.ts'

describe('chat hours', () => {
  const at = (iso: string) => new Date(iso)
  it.each([
    ['Monday 10:00 Shanghai', '2026-03-02T02:00:00Z', true],
    ['Monday 08:59 Shanghai', '2026-03-02T00:59:00Z', false],
    ['Monday 09:00 Shanghai', '2026-03-02T01:00:00Z', true],
    ['Monday 12:30 lunch', '2026-03-02T04:30:00Z', false],
    ['Monday 17:59', '2026-03-02T09:59:00Z', true],
    ['Monday 18:00 closing instant', '2026-03-02T10:00:00Z', false],
    ['Saturday 10:00', '2026-03-07T02:00:00Z', false],
    ['Sunday 23:00 UTC = Monday 07:00 Shanghai', '2026-03-01T23:00:00Z', false],
  ])('default hours: %s', (_label, iso, online) => {
    expect(isChatOnline(DEFAULT_CHAT_SETTINGS, at(iso))).toBe(online)
  })

  it('is always online when set so, and never when switched off', () => {
    const always: ChatSettings = { ...DEFAULT_CHAT_SETTINGS, hours: { ...DEFAULT_CHAT_SETTINGS.hours, always: true } }
    expect(isChatOnline(always, at('2026-03-07T20:00:00Z'))).toBe(true)
    expect(isChatOnline({ ...always, enabled: false }, at('2026-03-02T02:00:00Z'))).toBe(false)
  })

  it('closes on holidays in the local time zone', () => {
    const settings: ChatSettings = { ...DEFAULT_CHAT_SETTINGS, hours: { ...DEFAULT_CHAT_SETTINGS.hours, holidays: ['2026-03-02'] } }
    expect(isChatOnline(settings, at('2026-03-02T02:00:00Z'))).toBe(false)
    expect(isChatOnline(settings, at('2026-03-03T02:00:00Z'))).toBe(true)
  })

  it('follows another time zone', () => {
    const london: ChatSettings = { ...DEFAULT_CHAT_SETTINGS, hours: { ...DEFAULT_CHAT_SETTINGS.hours, timeZone: 'Europe/London' } }
    // 10:00 in London (GMT in March before the clocks change) is 18:00 in Shanghai.
    expect(isChatOnline(london, at('2026-03-02T10:00:00Z'))).toBe(true)
    expect(isChatOnline(DEFAULT_CHAT_SETTINGS, at('2026-03-02T10:00:00Z'))).toBe(false)
  })
})

describe('subject from the first message', () => {
  it.each([
    ['short text stays', 'Printer offline', 'Printer offline'],
    ['first non-empty line', '\n\n  Invoice missing  \nfor March', 'Invoice missing'],
    ['white space folded', 'a\t\tb   c', 'a b c'],
    ['blank', '   ', 'Web chat'],
    ['cut at a word', 'The quick brown fox jumps over the lazy dog and keeps running far away', 'The quick brown fox jumps over the lazy dog and keeps…'],
    ['Chinese cut by characters', '我的打印机无法连接到无线网络'.repeat(6), `${[...'我的打印机无法连接到无线网络'.repeat(6)].slice(0, 59).join('')}…`],
  ])('%s', (_label, text, subject) => {
    expect(subjectFromFirstMessage(text)).toBe(subject)
    expect([...subjectFromFirstMessage(text)].length).toBeLessThanOrEqual(60)
  })

  it('never splits a surrogate pair', () => {
    const subject = subjectFromFirstMessage('😀'.repeat(100))
    expect(subject.isWellFormed()).toBe(true)
    expect([...subject]).toHaveLength(60)
  })
})

describe('visitor frames', () => {
  it.each([
    [{ type: 'hello', token: null, locale: 'en-GB' }, { frame: { type: 'hello', token: null, pageUrl: null, locale: 'en' } }],
    [{ type: 'hello' }, { frame: { type: 'hello', token: null, pageUrl: null, locale: 'zh-CN' } }],
    [{ type: 'hello', token: 'short' }, { error: { code: 'invalid', field: 'token' } }],
    [{ type: 'message', clientId: 'a-1', text: '  hi  ' }, { frame: { type: 'message', clientId: 'a-1', text: 'hi' } }],
    [{ type: 'message', clientId: 'a'.repeat(65), text: 'hi' }, { error: { code: 'invalid', field: 'clientId' } }],
    [{ type: 'message', clientId: 'a', text: 5 }, { error: { code: 'required', field: 'text' } }],
    [{ type: 'message', clientId: 'a', text: '\ud800' }, { error: { code: 'invalid', field: 'text' } }],
    [{ type: 'message', clientId: 'a', text: '字'.repeat(4000) }, { frame: { type: 'message', clientId: 'a', text: '字'.repeat(4000) } }],
    [{ type: 'message', clientId: 'a', text: '字'.repeat(4001) }, { error: { code: 'too_long', field: 'text' } }],
    [{ type: 'identify', email: 'a@b.cn', name: ' Li ' }, { frame: { type: 'identify', email: 'a@b.cn', phone: null, name: 'Li' } }],
    [{ type: 'identify', phone: '+86 138 0013 8000' }, { frame: { type: 'identify', email: null, phone: '+86 138 0013 8000', name: null } }],
    [{ type: 'identify', name: 'Li' }, { error: { code: 'required', field: 'email' } }],
    [{ type: 'typing', on: false }, { frame: { type: 'typing', on: false } }],
    [{ type: 42 }, { error: { code: 'bad_frame', field: 'type' } }],
    [null, { error: { code: 'bad_frame' } }],
  ])('%j', (input, expected) => {
    expect(parseVisitorFrame(input)).toEqual(expected)
  })
})

describe('origins and budgets', () => {
  it('allows any origin with an empty list, only listed ones otherwise', () => {
    expect(isOriginAllowed(undefined, [])).toBe(true)
    expect(isOriginAllowed('https://shop.example.com', ['https://SHOP.example.com/'])).toBe(true)
    expect(isOriginAllowed('https://shop.example.com:8443', ['https://shop.example.com'])).toBe(false)
    expect(isOriginAllowed('http://shop.example.com', ['https://shop.example.com'])).toBe(false)
    expect(isOriginAllowed(undefined, ['https://shop.example.com'])).toBe(false)
    expect(isOriginAllowed('null', ['https://shop.example.com'])).toBe(false)
  })

  it('counts frames per fixed window', () => {
    const within = frameBudget(3, 1000)
    expect([within(0), within(10), within(20), within(30)]).toEqual([true, true, true, false])
    expect(within(1000)).toBe(true)
  })
})
