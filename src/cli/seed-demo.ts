import type { ServiceDeps } from '../services/deps.ts'

/** Placeholder replaced below. */
export async function seedDemo(deps: ServiceDeps, options: { tickets: number }): Promise<string> {
  void deps
  return `seeded ${options.tickets}`
}
