import type { ServiceDeps } from '../services/deps.ts'
import { startImapPoller } from './email/imap-poller.ts'
import { startSmtpListener } from './email/smtp-listener.ts'

/** Listeners and pollers of the inbound channels that run beside the HTTP server. */
export interface RunningChannels {
  stop(): Promise<void>
}

/**
 * Starts what the configuration turns on: the inbound SMTP listener (`INBOUND_SMTP_PORT`)
 * and IMAP polling (`IMAP_URL`). Off by default; nothing listens unless asked to.
 */
export async function startChannels(deps: ServiceDeps, log: (message: string, error?: unknown) => void): Promise<RunningChannels> {
  const stops: Array<() => Promise<void>> = []
  const { config } = deps
  if (config.inboundSmtpPort !== undefined) {
    const listener = await startSmtpListener(deps, {
      port: config.inboundSmtpPort,
      host: config.inboundSmtpHost,
      domains: config.inboundEmailDomains,
      limitBytes: config.inboundEmailLimitBytes,
      log,
    })
    log(`inbound SMTP listening on ${config.inboundSmtpHost}:${listener.port}`)
    stops.push(listener.stop)
  }
  if (config.imapUrl !== undefined) {
    const poller = startImapPoller(deps, { url: config.imapUrl, pollSeconds: config.imapPollSeconds, limitBytes: config.inboundEmailLimitBytes, log })
    stops.push(poller.stop)
  }
  return {
    stop: async () => {
      await Promise.all(stops.map((stop) => stop()))
    },
  }
}
