import { describe, expect, it } from 'vitest'
import { trimReply } from '../../src/domain/email/trim-reply.ts'

const cases: Array<[name: string, input: string, body: string]> = [
  ['Gmail English', 'Works now.\n\nOn Mon, Nov 23, 2026 at 5:00 PM Desk <s@d.test> wrote:\n> old', 'Works now.'],
  ['Gmail English, attribution wrapped', 'Works now.\n\nOn Mon, Nov 23, 2026 at 5:00 PM Support Desk <support@desk.test>\nwrote:\n> old', 'Works now.'],
  ['Gmail Chinese', '好了。\n\n在 2026年11月24日周二 10:00，客服 <s@d.test> 写道：\n> 旧', '好了。'],
  ['Traditional Chinese', '好了。\n\n於 2026年11月24日 上午10:00，客服 寫道：\n> 舊', '好了。'],
  ['Gmail Chinese wrapped', '好了。\n\n在 2026年11月24日周二 10:00，客服中心 <support@desk.test>\n写道：\n> 旧', '好了。'],
  ['Outlook English', 'See below.\n\n-----Original Message-----\nFrom: Desk\nSent: Monday\nTo: me\n\nold', 'See below.'],
  ['Outlook Chinese block', '依旧。\n\n________________________________\n发件人: 客服中心 <s@d.test>\n发送时间: 2026年11月23日 17:00\n收件人: 孙丽\n主题: 网络\n\n旧', '依旧。'],
  ['Outlook header block without a rule', 'Done.\n\nFrom: Desk <s@d.test>\nSent: Monday, November 23, 2026\nTo: me\nSubject: x\n\nold', 'Done.'],
  ['Outlook bold headers', 'Done.\n\n*From:* Desk <s@d.test>\n*Sent:* Monday\n*To:* me\n\nold', 'Done.'],
  ['原始邮件 separator', '收到。\n\n-----原始邮件-----\n发件人: 客服\n发送时间: 昨天\n\n旧', '收到。'],
  ['Foxmail', '收到。\n\n------------------ Original ------------------\nFrom:  "客服"<s@d.test>;\nDate:  Mon\n\n旧', '收到。'],
  ['QQ mail', '收到。\n\n------------------ 原始邮件 ------------------\n发件人: "客服"<s@d.test>;\n发送时间: 昨天\n\n旧', '收到。'],
  ['trailing > quote without attribution', 'Yes.\n\n> Do you agree?\n> Really?', 'Yes.'],
  ['signature delimiter', 'Broken.\n\n-- \nGrace\nFacilities', 'Broken.'],
  ['signature delimiter without the space', 'Broken.\n\n--\nGrace', 'Broken.'],
  ['发自我的iPhone', '坏了。\n\n发自我的iPhone', '坏了。'],
  ['发自我的华为手机', '坏了。\n发自我的华为手机', '坏了。'],
  ['Sent from my iPhone', 'Broken.\n\nSent from my iPhone', 'Broken.'],
  ['Get Outlook for iOS', 'Broken.\n\nGet Outlook for iOS', 'Broken.'],
  ['footer then quote', '坏了。\n\n发自我的iPhone\n\n------------------ 原始邮件 ------------------\n发件人: 客服\n发送时间: 昨天', '坏了。'],
]

describe('trimReply', () => {
  it.each(cases)('%s', (_name, input, body) => {
    const result = trimReply(input)
    expect(result.body).toBe(body)
    expect(result.trimmed).toBe(true)
  })

  it('keeps inline answers between quoted lines', () => {
    const text = '> Which model?\nHP M479\n> Which floor?\nThe second.'
    expect(trimReply(text)).toEqual({ body: text, trimmed: false })
  })

  it('keeps a message that is all quote rather than storing nothing', () => {
    const text = 'On Mon, Nov 23, 2026 Desk <s@d.test> wrote:\n> old'
    expect(trimReply(text)).toEqual({ body: text, trimmed: false })
  })

  it('leaves ordinary text alone, including From: in prose and a dash rule far above the end', () => {
    const prose = 'From: the logs I see a timeout.\nNothing else.'
    expect(trimReply(prose)).toEqual({ body: prose, trimmed: false })
    const rule = ['Steps:', '--', ...Array.from({ length: 20 }, (_, i) => `step ${i}`)].join('\n')
    expect(trimReply(rule)).toEqual({ body: rule, trimmed: false })
    expect(trimReply('Sent from my iPhone is not a problem here, the bug is.').trimmed).toBe(false)
  })

  it('normalises CRLF and trailing blank lines', () => {
    expect(trimReply('Hi\r\n\r\n-- \r\nSig\r\n')).toEqual({ body: 'Hi', trimmed: true })
    expect(trimReply('Hi\r\n\r\n')).toEqual({ body: 'Hi', trimmed: false })
  })
})
