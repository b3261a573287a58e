import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import './channel-label.css'

/** Line drawings of the channels (16×16, in the text colour); they need no emoji font. */
const CHANNEL_ICONS: Readonly<Record<string, ReactNode>> = {
  email: (
    <>
      <rect x="1.5" y="3.5" width="13" height="9" rx="1" />
      <path d="M2 4.5l6 4.5 6-4.5" />
    </>
  ),
  chat: <path d="M2 2.5h12v8.5H7.5L4 14v-3H2z" />,
  phone: <path d="M4.5 1.5h2l1 3.5-1.75 1.25a8 8 0 0 0 4 4L11 8.5l3.5 1v2a2.5 2.5 0 0 1-2.5 2.5A10.5 10.5 0 0 1 2 4a2.5 2.5 0 0 1 2.5-2.5z" />,
  portal: (
    <>
      <circle cx="8" cy="8" r="6.5" />
      <ellipse cx="8" cy="8" rx="2.75" ry="6.5" />
      <path d="M1.5 8h13" />
    </>
  ),
  app: (
    <>
      <rect x="4" y="1.5" width="8" height="13" rx="1.5" />
      <path d="M7 12h2" />
    </>
  ),
  wechat: (
    <>
      <ellipse cx="6" cy="6.5" rx="4.75" ry="3.75" />
      <path d="M8.5 12.25a4.25 3.25 0 1 0 1.5-5.9" />
    </>
  ),
  api: <path d="M5 3.5L1.5 8 5 12.5M11 3.5L14.5 8 11 12.5M9.25 2.5l-2.5 11" />,
  walk_in: (
    <>
      <circle cx="8" cy="3" r="1.75" />
      <path d="M8 5.5v4.5M8 10l-2.5 4.5M8 10l2.5 4.5M4.5 7.5h7" />
    </>
  ),
}

/** A channel's mark alone, hidden from screen readers (the word beside it is read). */
export function ChannelIcon({ channel }: { channel: string }) {
  return (
    <svg className="channel-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      {CHANNEL_ICONS[channel] ?? <circle cx="8" cy="8" r="2" />}
    </svg>
  )
}

/** The channel a ticket or message came in by: its mark and its name, never the mark alone. */
export function ChannelLabel({ channel, className, testId }: { channel: string; className?: string; testId?: string }) {
  const { t } = useTranslation()
  return (
    <span className={`channel-label ${className ?? ''}`} data-channel={channel} data-testid={testId}>
      <ChannelIcon channel={channel} />
      {t(`channel.${channel}`, { defaultValue: channel })}
    </span>
  )
}
