/** An agent's telephony state, as PBXs report it and the workspace shows it. */
export const AGENT_STATES = ['available', 'busy', 'wrap_up', 'away', 'offline'] as const
export type AgentState = (typeof AGENT_STATES)[number]

/** Reads an agent state as PBXs spell it (`wrap-up`, `wrapup`, `Wrap Up`); undefined when unknown. */
export function parseAgentState(raw: string): AgentState | undefined {
  const key = raw.trim().toLowerCase().replace(/[-\s]/g, '_')
  const normal = key === 'wrapup' ? 'wrap_up' : key
  return AGENT_STATES.find((state) => state === normal)
}
