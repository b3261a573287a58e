import path from 'node:path'

/** Runtime configuration, read once from the environment. */
export interface Config {
  readonly port: number
  readonly host: string
  readonly dataDir: string
  /** When set, PostgreSQL at this URL replaces the embedded PGlite database. */
  readonly databaseUrl: string | undefined
  /** Time zone used for ticket numbers and other desk-local dates. */
  readonly timeZone: string
  /** Largest accepted JSON request body, in bytes. */
  readonly bodyLimitBytes: number
  /** Largest accepted attachment, in bytes. */
  readonly attachmentLimitBytes: number
  readonly attachmentsDir: string
  /** Session lifetime without activity, in seconds. */
  readonly sessionTtlSeconds: number
  /** Send cookies with the Secure flag (behind HTTPS). */
  readonly secureCookies: boolean
  readonly adminEmail: string | undefined
  readonly adminPassword: string | undefined
  readonly logLevel: string
  /** Address of this desk as customers reach it (links in e-mails, the chat widget's server). */
  readonly publicUrl: string | undefined
  /** Outbound mail relay, e.g. `smtp://user:pass@host:587`; unset: e-mail stays in the outbox. */
  readonly smtpUrl: string | undefined
  /** Sender of outbound mail, e.g. `客服中心 <support@example.com>`. */
  readonly mailFrom: string
  /** Port of the built-in inbound SMTP listener; unset: off. */
  readonly inboundSmtpPort: number | undefined
  readonly inboundSmtpHost: string
  /** Recipient domains the listener accepts mail for; empty: every recipient (it never relays). */
  readonly inboundEmailDomains: readonly string[]
  /** Largest inbound e-mail accepted, in bytes (the whole message, attachments included). */
  readonly inboundEmailLimitBytes: number
  /** Mailbox to poll instead of (or beside) the listener, e.g. `imaps://user:pass@host:993/INBOX`. */
  readonly imapUrl: string | undefined
  readonly imapPollSeconds: number
  /** HTTP SMS gateway for customer notices (see docs/channels.md); unset: no SMS. */
  readonly smsUrl: string | undefined
  readonly smsToken: string | undefined
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`)
  }
  return value
}

/** Reads the configuration; `overrides` win over the environment (used by the CLI flags and tests). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = path.resolve(overrides.dataDir ?? env.DATA_DIR ?? './data')
  const config: Config = {
    port: intFromEnv(env, 'PORT', 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    timeZone: env.LOOPDESK_TIME_ZONE ?? 'Asia/Shanghai',
    bodyLimitBytes: intFromEnv(env, 'BODY_LIMIT_BYTES', 1024 * 1024),
    attachmentLimitBytes: intFromEnv(env, 'ATTACHMENT_LIMIT_BYTES', 10 * 1024 * 1024),
    attachmentsDir: path.resolve(env.ATTACHMENTS_DIR ?? path.join(dataDir, 'attachments')),
    sessionTtlSeconds: intFromEnv(env, 'SESSION_TTL_SECONDS', 12 * 3600),
    secureCookies: env.SECURE_COOKIES === 'true',
    adminEmail: env.LOOPDESK_ADMIN_EMAIL || undefined,
    adminPassword: env.LOOPDESK_ADMIN_PASSWORD || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    publicUrl: env.PUBLIC_URL || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'Loopdesk <support@localhost>',
    inboundSmtpPort: env.INBOUND_SMTP_PORT ? intFromEnv(env, 'INBOUND_SMTP_PORT', 0) : undefined,
    inboundSmtpHost: env.INBOUND_SMTP_HOST ?? '0.0.0.0',
    inboundEmailDomains: (env.INBOUND_EMAIL_DOMAINS ?? '').split(',').map((domain) => domain.trim().toLowerCase()).filter((domain) => domain !== ''),
    inboundEmailLimitBytes: intFromEnv(env, 'INBOUND_EMAIL_LIMIT_BYTES', 15 * 1024 * 1024),
    imapUrl: env.IMAP_URL || undefined,
    imapPollSeconds: intFromEnv(env, 'IMAP_POLL_SECONDS', 60),
    smsUrl: env.SMS_URL || undefined,
    smsToken: env.SMS_TOKEN || undefined,
  }
  return { ...config, ...overrides, dataDir, attachmentsDir: overrides.attachmentsDir ?? config.attachmentsDir }
}
