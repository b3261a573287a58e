import { sql } from 'kysely'
import type { Db } from '../../db/connection.ts'
import { type ChatHistoryItem, historyItem } from './chat-conversation.ts'

/** NOTIFY channel of ephemeral chat signals (typing, presence, a request for contact details); never stored. */
export const CHAT_SIGNAL_CHANNEL = 'loopdesk_chat'

/** A signal between the processes serving one conversation's visitor and its agents. */
export type ChatSignal =
  | { readonly kind: 'typing'; readonly ticketId: string; readonly from: 'visitor' | 'agent'; readonly on: boolean; readonly name?: string }
  | { readonly kind: 'presence'; readonly ticketId: string; readonly online: boolean }
  | { readonly kind: 'presence_query'; readonly ticketId: string }
  | { readonly kind: 'ask_identity'; readonly ticketId: string }

/** A connected socket: the hub only sends it frames. */
export interface ChatPeer {
  readonly send: (frame: object) => void
}

type Listen = (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>

/**
 * Connects visitors' and agents' sockets across app processes. Stored messages travel as
 * committed events (the `loopdesk_events` NOTIFY): an agent's public reply reaches the
 * visitor's socket wherever it is connected. Typing and presence are NOTIFY signals only.
 */
export class ChatHub {
  private readonly visitors = new Map<string, Set<ChatPeer>>()
  private readonly agents = new Map<string, Set<ChatPeer>>()
  private readonly stops: (() => Promise<void>)[] = []
  private pending: string[] = []
  private flushing: Promise<void> | null = null

  constructor(
    private readonly db: Db,
    private readonly listen: Listen | undefined,
    private readonly onError: (error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    if (this.listen === undefined) return
    this.stops.push(await this.listen('loopdesk_events', (id) => this.enqueue(id)))
    this.stops.push(
      await this.listen(CHAT_SIGNAL_CHANNEL, (payload) => {
        try {
          this.receive(JSON.parse(payload) as ChatSignal)
        } catch (error) {
          this.onError(error)
        }
      }),
    )
  }

  async stop(): Promise<void> {
    for (const stop of this.stops.splice(0)) await stop()
    await this.flushing
  }

  /** Whether a visitor of this ticket is connected to this process. */
  hasVisitor(ticketId: string): boolean {
    return (this.visitors.get(ticketId)?.size ?? 0) > 0
  }

  addVisitor(ticketId: string, peer: ChatPeer): void {
    add(this.visitors, ticketId, peer)
  }

  removeVisitor(ticketId: string, peer: ChatPeer): void {
    remove(this.visitors, ticketId, peer)
  }

  addAgent(ticketId: string, peer: ChatPeer): void {
    add(this.agents, ticketId, peer)
  }

  removeAgent(ticketId: string, peer: ChatPeer): void {
    remove(this.agents, ticketId, peer)
  }

  /** Sends a signal to every process (itself included); without NOTIFY, to this process only. */
  async publish(signal: ChatSignal): Promise<void> {
    if (this.listen === undefined) {
      this.receive(signal)
      return
    }
    await sql`SELECT pg_notify(${CHAT_SIGNAL_CHANNEL}, ${JSON.stringify(signal)})`.execute(this.db)
  }

  private receive(signal: ChatSignal): void {
    switch (signal.kind) {
      case 'typing': {
        const targets = signal.from === 'visitor' ? this.agents : this.visitors
        const frame = { type: 'typing', from: signal.from, on: signal.on, ...(signal.name !== undefined ? { name: signal.name } : {}) }
        for (const peer of targets.get(signal.ticketId) ?? []) peer.send(frame)
        return
      }
      case 'presence':
        for (const peer of this.agents.get(signal.ticketId) ?? []) peer.send({ type: 'presence', online: signal.online })
        return
      case 'presence_query':
        if (this.hasVisitor(signal.ticketId)) void this.publish({ kind: 'presence', ticketId: signal.ticketId, online: true }).catch(this.onError)
        return
      case 'ask_identity':
        for (const peer of this.visitors.get(signal.ticketId) ?? []) peer.send({ type: 'ask_identity' })
        return
    }
  }

  private enqueue(id: string): void {
    if (!/^\d+$/.test(id) || this.visitors.size === 0) return
    this.pending.push(id)
    this.flushing ??= this.drain()
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        // Let a transaction's burst of notifications arrive before reading them together.
        await new Promise((resolve) => setTimeout(resolve, 2))
        await this.deliver(this.pending.splice(0)).catch(this.onError)
      }
    } finally {
      this.flushing = null
    }
  }

  /** Public messages added to tickets whose visitors are connected here go to those visitors. */
  private async deliver(ids: readonly string[]): Promise<void> {
    const events = await this.db
      .selectFrom('events')
      .select(['ticket_id', 'data'])
      .where('id', 'in', [...ids])
      .where('type', '=', 'ticket.message_added')
      .execute()
    const wanted = events.filter((event) => event.ticket_id !== null && this.hasVisitor(event.ticket_id) && (event.data as { visibility?: string }).visibility === 'public')
    const messageIds = wanted.map((event) => (event.data as { messageId?: string }).messageId).filter((id): id is string => typeof id === 'string')
    if (messageIds.length === 0) return
    const messages = await this.db
      .selectFrom('messages')
      .leftJoin('users', 'users.id', 'messages.author_id')
      .select(['messages.id', 'messages.ticket_id', 'messages.body', 'messages.created_at', 'messages.external_ref', 'users.name', 'users.roles'])
      .where('messages.id', 'in', messageIds)
      .where('messages.visibility', '=', 'public')
      .orderBy('messages.created_at')
      .orderBy('messages.id')
      .execute()
    for (const message of messages) {
      const item: ChatHistoryItem = historyItem(message)
      for (const peer of this.visitors.get(message.ticket_id) ?? []) peer.send({ type: 'message', ...item })
    }
  }
}

function add(map: Map<string, Set<ChatPeer>>, key: string, peer: ChatPeer): void {
  const peers = map.get(key) ?? new Set()
  peers.add(peer)
  map.set(key, peers)
}

function remove(map: Map<string, Set<ChatPeer>>, key: string, peer: ChatPeer): void {
  const peers = map.get(key)
  if (peers === undefined) return
  peers.delete(peer)
  if (peers.size === 0) map.delete(key)
}
