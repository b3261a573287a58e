import type { ServiceDeps } from '../services/deps.ts'
import { outboxHandlers } from '../channels/registry.ts'
import { runHousekeepingPass } from './housekeeping.ts'
import { runOutboxPass } from './outbox-dispatcher.ts'
import { runSlaPass } from './sla-scheduler.ts'

export interface JobRunner {
  /** Stops the loops and waits for a pass in progress to end. */
  stop(): Promise<void>
}

interface Loop {
  readonly name: string
  readonly intervalMs: number
  readonly run: () => Promise<number>
}

/**
 * Runs the durable jobs of this process: the SLA scheduler, the outbox dispatcher and the
 * housekeeping of expired sessions and idempotency records. The
 * work itself lives in the database (due instants, outbox rows), so any number of processes
 * can run these loops; a process that starts after a crash simply finds what fell due.
 * A pass that did a full batch runs again at once; an idle one waits its interval.
 */
export function startJobs(deps: ServiceDeps, log: (message: string, error?: unknown) => void, options: { slaIntervalMs?: number; outboxIntervalMs?: number; housekeepingIntervalMs?: number } = {}): JobRunner {
  const handlers = outboxHandlers(deps)
  const loops: Loop[] = [
    { name: 'sla', intervalMs: options.slaIntervalMs ?? 1000, run: () => runSlaPass(deps, 100, (error) => log('SLA evaluation failed', error)) },
    { name: 'outbox', intervalMs: options.outboxIntervalMs ?? 500, run: () => runOutboxPass(deps, handlers) },
    {
      name: 'housekeeping',
      intervalMs: options.housekeepingIntervalMs ?? 10 * 60_000,
      run: async () => {
        const removed = await runHousekeepingPass(deps)
        return removed.sessions + removed.idempotencyKeys + removed.inboundDeliveries
      },
    },
  ]
  let stopped = false
  const running = new Set<Promise<void>>()
  const timers = new Set<NodeJS.Timeout>()

  const schedule = (loop: Loop, delay: number) => {
    if (stopped) return
    const timer = setTimeout(() => {
      timers.delete(timer)
      const pass = loop
        .run()
        .then((count) => schedule(loop, count >= 100 ? 0 : loop.intervalMs))
        .catch((error: unknown) => {
          log(`${loop.name} pass failed`, error)
          schedule(loop, loop.intervalMs * 5)
        })
        .finally(() => running.delete(pass))
      running.add(pass)
    }, delay)
    timers.add(timer)
  }
  for (const loop of loops) schedule(loop, 0)

  return {
    stop: async () => {
      stopped = true
      for (const timer of timers) clearTimeout(timer)
      await Promise.all([...running])
    },
  }
}
