import type { AgentState } from '../../domain/phone/agent-state.ts'
import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayReportCalls, assertMayUseChannels } from '../../domain/policy/policy.ts'
import { invalidField } from '../../domain/shared/app-error.ts'
import { insertEvents } from '../../db/events.ts'
import type { Db } from '../../db/connection.ts'
import { type ServiceDeps, inTransaction } from '../deps.ts'
import { findAgentByRefs } from './phone-lookups.ts'

/** A telephony system telling the desk an agent's state; unknown agents are refused (field `agent`). */
export async function reportAgentState(deps: ServiceDeps, actor: Actor, input: { agent: string; state: AgentState; at?: Date }): Promise<{ userId: string; changed: boolean }> {
  assertMayReportCalls(actor)
  return inTransaction(deps, async (trx) => {
    const userId = await findAgentByRefs(trx, [input.agent])
    if (userId === undefined) throw invalidField('agent', 'no active staff member with this extension, id, e-mail, phone or name')
    return setPresence(trx, actor.id, userId, input.state, input.at ?? deps.clock(), deps.clock())
  })
}

/** An agent setting their own state in the workspace. */
export async function setMyPresence(deps: ServiceDeps, actor: Actor, state: AgentState): Promise<{ userId: string; changed: boolean }> {
  assertMayUseChannels(actor)
  return inTransaction(deps, (trx) => setPresence(trx, actor.id, actor.id, state, deps.clock(), deps.clock()))
}

async function setPresence(trx: Db, actorId: string, userId: string, state: AgentState, since: Date, now: Date) {
  const current = await trx.selectFrom('agent_presence').select('state').where('user_id', '=', userId).forUpdate().executeTakeFirst()
  if (current?.state === state) return { userId, changed: false }
  await trx
    .insertInto('agent_presence')
    .values({ user_id: userId, state, since })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ state, since }))
    .execute()
  await insertEvents(trx, [
    { type: 'agent.presence_changed', entityType: 'user', entityId: userId, actorId, at: now, data: { state, previous: current?.state ?? null } },
  ])
  return { userId, changed: true }
}

/** Every staff member's telephony state (those never reported are absent). */
export async function listPresence(deps: ServiceDeps, actor: Actor) {
  assertMayUseChannels(actor)
  const rows = await deps.db
    .selectFrom('agent_presence')
    .innerJoin('users', 'users.id', 'agent_presence.user_id')
    .select(['agent_presence.user_id', 'agent_presence.state', 'agent_presence.since', 'users.name'])
    .orderBy('users.name')
    .execute()
  return rows.map((row) => ({ userId: row.user_id, name: row.name, state: row.state, since: row.since.toISOString() }))
}
