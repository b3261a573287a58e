import type { WebSocket } from 'ws'
import type { Actor } from '../../domain/policy/actor.ts'
import { assertMayUseChannels } from '../../domain/policy/policy.ts'
import { AppError } from '../../domain/shared/app-error.ts'
import type { ServiceDeps } from '../../services/deps.ts'
import { loadVisibleTicket } from '../../services/tickets/ticket-view.ts'
import type { ChatHub, ChatPeer } from './chat-hub.ts'

/** What the agent's chat panel is told when it connects. */
export interface AgentChatState {
  readonly type: 'state'
  readonly hasSession: boolean
  readonly identified: boolean
  readonly pageUrl: string | null
  readonly lastSeenAt: string | null
}

/** Checks that the agent may see the chat ticket, and reads its conversation's state. */
export async function openAgentChat(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<AgentChatState> {
  assertMayUseChannels(actor)
  const ticket = await loadVisibleTicket(deps.db, actor, ticketId)
  if (ticket.channel !== 'chat') throw new AppError('CONFLICT', 'not a chat ticket', [{ field: 'ticketId', message: 'not a chat ticket' }])
  const session = await deps.db.selectFrom('chat_sessions').selectAll().where('ticket_id', '=', ticketId).orderBy('last_seen_at', 'desc').executeTakeFirst()
  return {
    type: 'state',
    hasSession: session !== undefined,
    identified: session?.identified ?? false,
    pageUrl: session?.page_url ?? null,
    lastSeenAt: session?.last_seen_at.toISOString() ?? null,
  }
}

/**
 * An agent's side of a chat, beside the ticket page: told when the visitor is online and
 * typing; sends `typing {on}` and `ask_identity`. Replies go through the ticket API as usual.
 */
export function handleAgentSocket(hub: ChatHub, socket: WebSocket, actor: Actor & { name: string }, ticketId: string, state: AgentChatState, onError: (error: unknown) => void): void {
  const peer: ChatPeer = {
    send: (frame) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame))
    },
  }
  hub.addAgent(ticketId, peer)
  peer.send(state)
  void hub.publish({ kind: 'presence_query', ticketId }).catch(onError)
  let lastTyping = 0
  socket.on('close', () => hub.removeAgent(ticketId, peer))
  socket.on('message', (data: Buffer) => {
    let frame: { type?: unknown; on?: unknown }
    try {
      frame = JSON.parse(data.toString('utf8')) as { type?: unknown; on?: unknown }
    } catch {
      return peer.send({ type: 'error', code: 'bad_frame' })
    }
    if (frame.type === 'typing' && typeof frame.on === 'boolean') {
      const now = Date.now()
      // One "typing" per second is plenty for an indicator.
      if (frame.on && now - lastTyping < 1000) return
      lastTyping = frame.on ? now : 0
      void hub.publish({ kind: 'typing', ticketId, from: 'agent', on: frame.on, name: actor.name }).catch(onError)
    } else if (frame.type === 'ask_identity') {
      void hub.publish({ kind: 'ask_identity', ticketId }).catch(onError)
    } else {
      peer.send({ type: 'error', code: 'unknown_type', field: 'type' })
    }
  })
}
