/**
 * The widget's own status lines, used when the chat settings give none: while agents answer
 * (`greeting`) and above the message form outside the hours (`offlineText`). The admin screen
 * shows them as what an empty field means.
 */
export const WIDGET_STATUS_TEXTS = {
  'zh-CN': {
    online: '客服在线，通常几分钟内回复',
    offline: '现在是非服务时间，请留言，我们会尽快联系您',
  },
  en: {
    online: 'We are online and usually reply within minutes',
    offline: 'We are away right now. Leave a message and we will get back to you.',
  },
} as const
