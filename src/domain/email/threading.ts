/** Where an inbound e-mail goes: onto an existing ticket, a new ticket, or a follow-up of a closed one. */

export type ThreadDecision =
  | { readonly action: 'thread' }
  | { readonly action: 'new_ticket'; readonly reason: 'no_match' | 'not_a_party' }
  | { readonly action: 'follow_up' }

export interface SenderFacts {
  readonly userId: string
  readonly organisationId: string | null
  readonly isStaff: boolean
  /** For staff: whether the ticket is in their view (the policy decides, the caller asks it). */
  readonly staffSeesTicket: boolean
}

export interface MatchedTicketFacts {
  readonly requesterId: string
  readonly organisationId: string | null
  readonly status: string
}

/** Whether the sender has a part in the ticket: its requester, a colleague of the same organisation, or staff who see it. */
export function isPartyOfTicket(sender: SenderFacts, ticket: MatchedTicketFacts): boolean {
  if (sender.isStaff) return sender.staffSeesTicket
  if (sender.userId === ticket.requesterId) return true
  return sender.organisationId !== null && sender.organisationId === ticket.organisationId
}

/**
 * Threads only a party's mail: a ticket number in a subject is easy to guess, and a stranger
 * who guesses one must not write into someone else's ticket, so their mail opens a ticket of
 * their own. The same rule holds for In-Reply-To, whose ids travel with every forwarded copy.
 * A closed ticket is archived: a reply to it opens a follow-up ticket.
 */
export function decideThreading(ticket: MatchedTicketFacts | null, sender: SenderFacts): ThreadDecision {
  if (ticket === null) return { action: 'new_ticket', reason: 'no_match' }
  if (!isPartyOfTicket(sender, ticket)) return { action: 'new_ticket', reason: 'not_a_party' }
  if (ticket.status === 'closed') return { action: 'follow_up' }
  return { action: 'thread' }
}
