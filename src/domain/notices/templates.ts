import type { NoticeEventType } from './customer-updates.ts'

/**
 * The words customers receive: agents' replies and progress notices by e-mail (subject,
 * plain text and HTML) and by SMS, in Chinese and English. Everything that came from a
 * person (subject, reply, names) is escaped in the HTML.
 */

export type NoticeLocale = 'zh-CN' | 'en'

/** The customer's language: English when their locale says so, Chinese otherwise (the desk's default). */
export function noticeLocale(locale: string | null | undefined): NoticeLocale {
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN'
}

export interface RenderedEmail {
  readonly subject: string
  readonly text: string
  readonly html: string
}

export interface TemplateTicket {
  readonly number: string
  readonly subject: string
}

interface Words {
  readonly replyPrefix: string
  readonly colon: string
  readonly greeting: (name: string | null) => string
  readonly titles: Record<NoticeEventType, string>
  readonly notices: Record<NoticeEventType, (number: string) => string>
  readonly statusAfterReply: Partial<Record<NoticeEventType, string>>
  readonly view: string
  readonly replyHint: (number: string) => string
  readonly signature: (agent: string | null) => string
  readonly reason: string
  readonly sms: Record<NoticeEventType, (number: string) => string>
}

const WORDS: Record<NoticeLocale, Words> = {
  en: {
    replyPrefix: 'Re: ',
    colon: ': ',
    greeting: (name) => (name ? `Dear ${name},` : 'Hello,'),
    titles: {
      'ticket.created': 'Request received',
      'ticket.accepted': 'Request accepted',
      'ticket.waiting_on_customer': 'Waiting for your reply',
      'ticket.resolved': 'Request resolved',
      'ticket.closed': 'Request closed',
      'ticket.reopened': 'Request reopened',
    },
    notices: {
      'ticket.created': (n) => `We have received your request. Its number is #${n}; please quote it whenever you contact us about it.`,
      'ticket.accepted': (n) => `Your request #${n} has been accepted and an agent is working on it.`,
      'ticket.waiting_on_customer': (n) => `We need some more information from you on request #${n}. Please reply to this e-mail or in the portal.`,
      'ticket.resolved': (n) => `Your request #${n} has been resolved. If the problem is not fixed, please reply and tell us.`,
      'ticket.closed': (n) => `Your request #${n} is now closed. Thank you for contacting us.`,
      'ticket.reopened': (n) => `Your request #${n} has been reopened and we are working on it again.`,
    },
    statusAfterReply: {
      'ticket.accepted': 'Your request has been accepted.',
      'ticket.waiting_on_customer': 'We are waiting for your reply.',
      'ticket.resolved': 'We consider your request resolved. If the problem is not fixed, please reply and tell us.',
      'ticket.closed': 'Your request is now closed.',
      'ticket.reopened': 'Your request has been reopened.',
    },
    view: 'View your request:',
    replyHint: (n) => `Reply to this e-mail to add to your request; please keep [#${n}] in the subject.`,
    signature: (agent) => (agent ? `${agent}, Customer Service` : 'Customer Service'),
    reason: 'Note:',
    sms: {
      'ticket.created': (n) => `We have received your request, number ${n}.`,
      'ticket.accepted': (n) => `Your request ${n} has been accepted and is being handled.`,
      'ticket.waiting_on_customer': (n) => `We need more information on your request ${n}; please reply in the portal.`,
      'ticket.resolved': (n) => `Your request ${n} has been resolved.`,
      'ticket.closed': (n) => `Your request ${n} is closed. Thank you.`,
      'ticket.reopened': (n) => `Your request ${n} has been reopened.`,
    },
  },
  'zh-CN': {
    replyPrefix: '回复：',
    colon: '：',
    greeting: (name) => (name ? `${name}，您好：` : '您好：'),
    titles: {
      'ticket.created': '已收到您的请求',
      'ticket.accepted': '工单已受理',
      'ticket.waiting_on_customer': '等待您的回复',
      'ticket.resolved': '工单已解决',
      'ticket.closed': '工单已关闭',
      'ticket.reopened': '工单已重新打开',
    },
    notices: {
      'ticket.created': (n) => `我们已收到您的请求，工单号为 #${n}。再次联系我们时请提供此工单号。`,
      'ticket.accepted': (n) => `您的工单 #${n} 已受理，客服人员正在处理。`,
      'ticket.waiting_on_customer': (n) => `工单 #${n} 需要您补充信息，请直接回复本邮件或在服务门户中回复。`,
      'ticket.resolved': (n) => `您的工单 #${n} 已解决。如问题仍未解决，请回复告诉我们。`,
      'ticket.closed': (n) => `您的工单 #${n} 已关闭，感谢您的联系。`,
      'ticket.reopened': (n) => `您的工单 #${n} 已重新打开，我们将继续处理。`,
    },
    statusAfterReply: {
      'ticket.accepted': '您的工单已受理。',
      'ticket.waiting_on_customer': '我们正在等待您的回复。',
      'ticket.resolved': '我们认为您的问题已解决。如问题仍未解决，请回复告诉我们。',
      'ticket.closed': '您的工单已关闭。',
      'ticket.reopened': '您的工单已重新打开。',
    },
    view: '查看工单：',
    replyHint: (n) => `直接回复本邮件即可补充信息，请保留主题中的 [#${n}]。`,
    signature: (agent) => (agent ? `客服中心 ${agent}` : '客服中心'),
    reason: '说明：',
    sms: {
      'ticket.created': (n) => `我们已收到您的请求，工单号 ${n}。`,
      'ticket.accepted': (n) => `您的工单 ${n} 已受理，正在处理中。`,
      'ticket.waiting_on_customer': (n) => `您的工单 ${n} 需要补充信息，请登录服务门户回复。`,
      'ticket.resolved': (n) => `您的工单 ${n} 已解决。`,
      'ticket.closed': (n) => `您的工单 ${n} 已关闭，感谢您的联系。`,
      'ticket.reopened': (n) => `您的工单 ${n} 已重新打开。`,
    },
  },
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char)
}

/** One line, no control characters: a subject or name safe in a header. */
function oneLine(text: string, max = 200): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max)
}

/** The subject of every e-mail about a ticket carries `[#number]`, which the inbound side threads by. */
function subjectOf(ticket: TemplateTicket): string {
  return `[#${ticket.number}] ${oneLine(ticket.subject)}`
}

/** Link to the request in the customer portal, or null when the desk's public address is not configured. */
export function portalLink(publicUrl: string | undefined, ticketId: string): string | null {
  if (publicUrl === undefined || publicUrl === '') return null
  return `${publicUrl.replace(/\/+$/, '')}/portal/requests/${encodeURIComponent(ticketId)}`
}

function htmlDocument(locale: NoticeLocale, paragraphs: readonly string[]): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${locale}"><head><meta charset="utf-8"></head>`,
    '<body style="font-family: sans-serif; font-size: 14px; line-height: 1.5; color: #1f2328;">',
    ...paragraphs.map((paragraph) => `<p>${paragraph}</p>`),
    '</body></html>',
  ].join('\n')
}

/** Plain text as HTML: escaped, paragraphs kept, line breaks as `<br>`. */
function textAsHtml(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .filter((block) => block.trim() !== '')
    .map((block) => escapeHtml(block).replace(/\n/g, '<br>'))
}

function linkHtml(url: string): string {
  return `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`
}

/** An agent's public reply, with the status change taken in the same action when there was one. */
export function renderReplyEmail(input: {
  readonly locale: NoticeLocale
  readonly ticket: TemplateTicket
  readonly body: string
  readonly agentName: string | null
  readonly statusEvent: NoticeEventType | null
  readonly portalUrl: string | null
}): RenderedEmail {
  const words = WORDS[input.locale]
  const status = input.statusEvent === null ? undefined : words.statusAfterReply[input.statusEvent]
  const body = input.body.replace(/\r\n?/g, '\n').trim()
  const signature = words.signature(input.agentName === null ? null : oneLine(input.agentName, 100))
  const text = [
    body,
    '',
    `-- `,
    signature,
    ...(status !== undefined ? ['', status] : []),
    ...(input.portalUrl !== null ? ['', `${words.view} ${input.portalUrl}`] : []),
    words.replyHint(input.ticket.number),
  ].join('\n')
  const html = htmlDocument(input.locale, [
    ...textAsHtml(body),
    `<span style="color: #57606a;">${escapeHtml(signature)}</span>`,
    ...(status !== undefined ? [`<strong>${escapeHtml(status)}</strong>`] : []),
    ...(input.portalUrl !== null ? [`${escapeHtml(words.view)} ${linkHtml(input.portalUrl)}`] : []),
    `<small style="color: #57606a;">${escapeHtml(words.replyHint(input.ticket.number))}</small>`,
  ])
  return { subject: `${words.replyPrefix}${subjectOf(input.ticket)}`, text, html }
}

/** A progress notice: the request's new state in one sentence, with the reason the agent gave. */
export function renderNoticeEmail(input: {
  readonly locale: NoticeLocale
  readonly ticket: TemplateTicket
  readonly statusEvent: NoticeEventType
  readonly customerName: string | null
  readonly reason: string | null
  readonly portalUrl: string | null
}): RenderedEmail {
  const words = WORDS[input.locale]
  const greeting = words.greeting(input.customerName === null ? null : oneLine(input.customerName, 100))
  const sentence = words.notices[input.statusEvent](input.ticket.number)
  const reason = input.reason?.trim() ? input.reason.trim().slice(0, 2000) : null
  const text = [
    greeting,
    '',
    sentence,
    ...(reason !== null ? ['', `${words.reason} ${reason}`] : []),
    ...(input.portalUrl !== null ? ['', `${words.view} ${input.portalUrl}`] : []),
    '',
    words.signature(null),
    words.replyHint(input.ticket.number),
  ].join('\n')
  const html = htmlDocument(input.locale, [
    escapeHtml(greeting),
    escapeHtml(sentence),
    ...(reason !== null ? [`${escapeHtml(words.reason)} ${textAsHtml(reason).join('<br>')}`] : []),
    ...(input.portalUrl !== null ? [`${escapeHtml(words.view)} ${linkHtml(input.portalUrl)}`] : []),
    escapeHtml(words.signature(null)),
    `<small style="color: #57606a;">${escapeHtml(words.replyHint(input.ticket.number))}</small>`,
  ])
  return { subject: `[#${input.ticket.number}] ${words.titles[input.statusEvent]}${words.colon}${oneLine(input.ticket.subject)}`, text, html }
}

/** A progress notice by SMS: one short sentence and the portal link (the gateway adds the sender signature). */
export function renderNoticeSms(input: { readonly locale: NoticeLocale; readonly ticketNumber: string; readonly statusEvent: NoticeEventType; readonly portalUrl: string | null }): string {
  const sentence = WORDS[input.locale].sms[input.statusEvent](input.ticketNumber)
  return input.portalUrl === null ? sentence : `${sentence} ${input.portalUrl}`
}
