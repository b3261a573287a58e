import { describe, expect, it } from 'vitest'
import { type Actor, SYSTEM_ACTOR, hasRole, isCustomer, isStaff, seesAllTickets } from '../../src/domain/policy/actor.ts'
import {
  AGENT_ONLY_TICKET_FIELDS,
  CUSTOMER_CREATE_FIELDS,
  CUSTOMER_UPDATE_FIELDS,
  type DirectoryResource,
  type TicketFacts,
  assertMayCreateTicket,
  assertMayManageTokens,
  assertMayPostMessage,
  assertMayRead,
  assertMaySetTicketFields,
  assertMayTakeAction,
  assertMayWrite,
  canSeeInternal,
  canSeeTicket,
  maySetReceivedAt,
  ticketAbilities,
  ticketActionsFor,
  ticketScope,
} from '../../src/domain/policy/policy.ts'
import { AppError } from '../../src/domain/shared/app-error.ts'
import { TICKET_STATUSES, type TicketStatus } from '../../src/domain/tickets/ticket.ts'
import { TICKET_ACTIONS, allowedActions } from '../../src/domain/tickets/ticket-state-machine.ts'

const ORG_A = 'aaaaaaaa-0000-4000-8000-000000000001'
const ORG_B = 'bbbbbbbb-0000-4000-8000-000000000002'
const GROUP_1 = '11111111-0000-4000-8000-000000000001'
const GROUP_2 = '22222222-0000-4000-8000-000000000002'
const ME = '99999999-0000-4000-8000-000000000009'
const SOMEONE = '88888888-0000-4000-8000-000000000008'
const OTHER_CUSTOMER = '77777777-0000-4000-8000-000000000007'

function actor(overrides: Partial<Actor> = {}): Actor {
  return { id: ME, roles: ['customer'], tier: null, organisationId: null, isOrgAdmin: false, groupIds: [], via: 'session', ...overrides }
}

const customer = (overrides: Partial<Actor> = {}) => actor({ roles: ['customer'], organisationId: ORG_A, ...overrides })
const agent = (overrides: Partial<Actor> = {}) => actor({ roles: ['agent'], tier: 'L1', groupIds: [GROUP_1], ...overrides })

function ticket(overrides: Partial<TicketFacts> = {}): TicketFacts {
  return {
    status: 'new',
    requesterId: OTHER_CUSTOMER,
    organisationId: ORG_B,
    groupId: GROUP_2,
    assigneeId: null,
    ownerId: null,
    watcherIds: [],
    ...overrides,
  }
}

function appErrorOf(fn: () => unknown): AppError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    return error as AppError
  }
  throw new Error('expected an AppError, but nothing was thrown')
}

describe('actor predicates', () => {
  it('a customer is an actor whose only role is customer', () => {
    expect(isCustomer(customer())).toBe(true)
    expect(isStaff(customer())).toBe(false)
    expect(isCustomer(actor({ roles: ['customer', 'agent'] }))).toBe(false)
    expect(isStaff(actor({ roles: ['customer', 'agent'] }))).toBe(true)
    expect(isCustomer(actor({ roles: [] }))).toBe(false)
    expect(isStaff(actor({ roles: [] }))).toBe(false)
  })

  it('supervisors, managers and admins see every queue; agents and customers do not', () => {
    expect(seesAllTickets(agent({ roles: ['supervisor'] }))).toBe(true)
    expect(seesAllTickets(agent({ roles: ['manager'] }))).toBe(true)
    expect(seesAllTickets(agent({ roles: ['admin'] }))).toBe(true)
    expect(seesAllTickets(agent())).toBe(false)
    expect(seesAllTickets(customer())).toBe(false)
    expect(hasRole(SYSTEM_ACTOR, 'admin')).toBe(true)
  })
})

describe('ticketScope and canSeeTicket: customers', () => {
  it('a customer sees their own ticket', () => {
    const me = customer()
    expect(ticketScope(me)).toEqual({ kind: 'requester', userId: ME, organisationId: null })
    expect(canSeeTicket(me, ticket({ requesterId: ME, organisationId: ORG_A }))).toBe(true)
    // Their own ticket filed before they joined an organisation, or under another one.
    expect(canSeeTicket(me, ticket({ requesterId: ME, organisationId: null }))).toBe(true)
    expect(canSeeTicket(me, ticket({ requesterId: ME, organisationId: ORG_B }))).toBe(true)
  })

  it("a customer does not see another customer's ticket, even in the same organisation", () => {
    const me = customer()
    expect(canSeeTicket(me, ticket({ requesterId: OTHER_CUSTOMER, organisationId: ORG_A }))).toBe(false)
    expect(canSeeTicket(me, ticket({ requesterId: OTHER_CUSTOMER, organisationId: ORG_B }))).toBe(false)
    expect(canSeeTicket(me, ticket({ requesterId: OTHER_CUSTOMER, organisationId: null }))).toBe(false)
  })

  it('a customer is not widened by group, assignee, owner or watcher facts', () => {
    const me = customer({ groupIds: [GROUP_2] })
    const facts = ticket({ requesterId: OTHER_CUSTOMER, groupId: GROUP_2, assigneeId: ME, ownerId: ME, watcherIds: [ME] })
    expect(canSeeTicket(me, facts)).toBe(false)
  })

  it("an org-admin contact sees the organisation's tickets, not other organisations'", () => {
    const admin = customer({ isOrgAdmin: true })
    expect(ticketScope(admin)).toEqual({ kind: 'requester', userId: ME, organisationId: ORG_A })
    expect(canSeeTicket(admin, ticket({ requesterId: OTHER_CUSTOMER, organisationId: ORG_A }))).toBe(true)
    expect(canSeeTicket(admin, ticket({ requesterId: ME, organisationId: null }))).toBe(true)
    expect(canSeeTicket(admin, ticket({ requesterId: OTHER_CUSTOMER, organisationId: ORG_B }))).toBe(false)
    expect(canSeeTicket(admin, ticket({ requesterId: OTHER_CUSTOMER, organisationId: null }))).toBe(false)
  })

  it('a non-admin contact of the organisation does not see its tickets', () => {
    const contact = customer({ isOrgAdmin: false })
    expect(canSeeTicket(contact, ticket({ requesterId: OTHER_CUSTOMER, organisationId: ORG_A }))).toBe(false)
  })

  it('an org-admin flag without an organisation does not match tickets without one', () => {
    const orphan = customer({ isOrgAdmin: true, organisationId: null })
    expect(ticketScope(orphan)).toEqual({ kind: 'requester', userId: ME, organisationId: null })
    expect(canSeeTicket(orphan, ticket({ requesterId: OTHER_CUSTOMER, organisationId: null }))).toBe(false)
  })
})

describe('ticketScope and canSeeTicket: agents', () => {
  const me = agent({ groupIds: [GROUP_1] })

  it('has the agent scope with its groups', () => {
    expect(ticketScope(me)).toEqual({ kind: 'agent', userId: ME, groupIds: [GROUP_1] })
  })

  it("sees the tickets of its own groups and tickets in no group", () => {
    expect(canSeeTicket(me, ticket({ groupId: GROUP_1 }))).toBe(true)
    expect(canSeeTicket(me, ticket({ groupId: null }))).toBe(true)
  })

  it("does not see another group's ticket", () => {
    expect(canSeeTicket(me, ticket({ groupId: GROUP_2 }))).toBe(false)
    expect(canSeeTicket(agent({ groupIds: [] }), ticket({ groupId: GROUP_2 }))).toBe(false)
  })

  it("sees another group's ticket it is assigned to, owns or watches", () => {
    expect(canSeeTicket(me, ticket({ groupId: GROUP_2, assigneeId: ME }))).toBe(true)
    expect(canSeeTicket(me, ticket({ groupId: GROUP_2, ownerId: ME }))).toBe(true)
    expect(canSeeTicket(me, ticket({ groupId: GROUP_2, watcherIds: [SOMEONE, ME] }))).toBe(true)
  })

  it("does not see another group's ticket assigned to, owned or watched by someone else", () => {
    expect(canSeeTicket(me, ticket({ groupId: GROUP_2, assigneeId: SOMEONE, ownerId: SOMEONE, watcherIds: [SOMEONE] }))).toBe(false)
  })

  it('is not widened by being the requester or by organisation facts', () => {
    expect(canSeeTicket(agent({ organisationId: ORG_B }), ticket({ groupId: GROUP_2, organisationId: ORG_B }))).toBe(false)
  })

  it('an agent with several groups sees each of them', () => {
    const both = agent({ groupIds: [GROUP_1, GROUP_2] })
    expect(canSeeTicket(both, ticket({ groupId: GROUP_1 }))).toBe(true)
    expect(canSeeTicket(both, ticket({ groupId: GROUP_2 }))).toBe(true)
  })
})

describe('ticketScope and canSeeTicket: supervisors, managers, admins', () => {
  const anyTickets = [
    ticket(),
    ticket({ groupId: null, organisationId: null }),
    ticket({ groupId: GROUP_2, assigneeId: SOMEONE, ownerId: SOMEONE, watcherIds: [SOMEONE] }),
    ticket({ status: 'closed' }),
  ]

  it.each(['supervisor', 'manager', 'admin'] as const)('%s sees every ticket', (role) => {
    const viewer = agent({ roles: [role], groupIds: [] })
    expect(ticketScope(viewer)).toEqual({ kind: 'all' })
    for (const facts of anyTickets) expect(canSeeTicket(viewer, facts)).toBe(true)
  })

  it('an agent who is also a supervisor sees every ticket', () => {
    expect(ticketScope(agent({ roles: ['agent', 'supervisor'] }))).toEqual({ kind: 'all' })
  })

  it('the system actor sees every ticket', () => {
    expect(ticketScope(SYSTEM_ACTOR)).toEqual({ kind: 'all' })
  })

  it('an actor with no role sees nothing', () => {
    const nobody = actor({ roles: [] })
    expect(ticketScope(nobody)).toEqual({ kind: 'none' })
    for (const facts of anyTickets) expect(canSeeTicket(nobody, facts)).toBe(false)
    expect(canSeeTicket(nobody, ticket({ requesterId: ME }))).toBe(false)
  })
})

describe('ticketActionsFor', () => {
  const customerActions: Readonly<Record<TicketStatus, readonly string[]>> = {
    new: [],
    accepted: [],
    in_progress: [],
    waiting: [],
    resolved: ['close', 'reopen'],
    closed: [],
  }

  it.each(TICKET_STATUSES)('a customer may only close or reopen, and only when the state allows (%s)', (status) => {
    const actions = ticketActionsFor(customer(), ticket({ status, requesterId: ME }))
    expect(actions).toEqual(customerActions[status])
    for (const action of actions) expect(['close', 'reopen']).toContain(action)
  })

  it.each(TICKET_STATUSES)('staff may take every action the state allows (%s)', (status) => {
    for (const role of ['agent', 'supervisor', 'manager', 'admin'] as const) {
      expect(ticketActionsFor(agent({ roles: [role] }), ticket({ status }))).toEqual(allowedActions(status))
    }
  })

  it('an actor with no role may take no action', () => {
    for (const status of TICKET_STATUSES) expect(ticketActionsFor(actor({ roles: [] }), ticket({ status }))).toEqual([])
  })

  it('assertMayTakeAction refuses customers every action but close and reopen', () => {
    for (const action of TICKET_ACTIONS) {
      if (action === 'close' || action === 'reopen') {
        expect(() => assertMayTakeAction(customer(), action)).not.toThrow()
      } else {
        const error = appErrorOf(() => assertMayTakeAction(customer(), action))
        expect(error.code).toBe('FORBIDDEN')
        expect(error.fields?.map((f) => f.field)).toEqual(['action'])
      }
      expect(() => assertMayTakeAction(agent(), action)).not.toThrow()
    }
  })
})

describe('ticketAbilities', () => {
  it('a customer may change the subject of an open ticket only, and sees no internal notes', () => {
    const abilities = ticketAbilities(customer(), ticket({ status: 'resolved', requesterId: ME }))
    expect(abilities).toEqual({
      update: true,
      updatableFields: [...CUSTOMER_UPDATE_FIELDS],
      transfer: false,
      reply: true,
      addInternalNote: false,
      seeInternal: false,
      actions: ['close', 'reopen'],
    })
  })

  it('staff may change every field of an open ticket and transfer it', () => {
    const abilities = ticketAbilities(agent(), ticket({ status: 'in_progress' }))
    expect(abilities.update).toBe(true)
    expect(abilities.transfer).toBe(true)
    expect(abilities.updatableFields).toEqual(expect.arrayContaining(['subject', 'description', ...AGENT_ONLY_TICKET_FIELDS]))
    expect(abilities.seeInternal).toBe(true)
    expect(abilities.addInternalNote).toBe(true)
  })

  it('a closed ticket is read-only; only staff may still reply', () => {
    expect(ticketAbilities(customer(), ticket({ status: 'closed', requesterId: ME }))).toMatchObject({
      update: false,
      updatableFields: [],
      transfer: false,
      reply: false,
      actions: [],
    })
    expect(ticketAbilities(agent(), ticket({ status: 'closed' }))).toMatchObject({ update: false, updatableFields: [], transfer: false, reply: true })
  })
})

describe('assertMaySetTicketFields', () => {
  it.each(AGENT_ONLY_TICKET_FIELDS)('refuses a customer setting the agent-only field %s after creation, naming it', (field) => {
    const error = appErrorOf(() => assertMaySetTicketFields(customer(), ['subject', field], CUSTOMER_UPDATE_FIELDS))
    expect(error.code).toBe('FORBIDDEN')
    expect(error.fields?.map((f) => f.field)).toEqual([field])
    expect(error.message).toContain(field)
  })

  it('names every refused field, in the order given, and none of the allowed ones', () => {
    const fields = ['subject', 'groupId', 'description', 'assigneeId', 'tags']
    const error = appErrorOf(() => assertMaySetTicketFields(customer(), fields, CUSTOMER_CREATE_FIELDS))
    expect(error.code).toBe('FORBIDDEN')
    expect(error.fields?.map((f) => f.field)).toEqual(['groupId', 'assigneeId', 'tags'])
  })

  it('on creation, a customer may set subject, description, type, severity and category, and nothing else agent-only', () => {
    expect(() => assertMaySetTicketFields(customer(), [...CUSTOMER_CREATE_FIELDS], CUSTOMER_CREATE_FIELDS)).not.toThrow()
    const refused = AGENT_ONLY_TICKET_FIELDS.filter((field) => !(CUSTOMER_CREATE_FIELDS as readonly string[]).includes(field))
    expect(refused).toEqual(['groupId', 'assigneeId', 'tags', 'watcherIds', 'organisationId', 'requesterId', 'channel'])
    const error = appErrorOf(() => assertMaySetTicketFields(customer(), [...AGENT_ONLY_TICKET_FIELDS], CUSTOMER_CREATE_FIELDS))
    expect(error.fields?.map((f) => f.field)).toEqual(refused)
  })

  it('lets a customer set nothing, or only allowed fields', () => {
    expect(() => assertMaySetTicketFields(customer(), [], CUSTOMER_UPDATE_FIELDS)).not.toThrow()
    expect(() => assertMaySetTicketFields(customer(), ['subject'], CUSTOMER_UPDATE_FIELDS)).not.toThrow()
  })

  it('lets staff set any field', () => {
    for (const role of ['agent', 'supervisor', 'manager', 'admin'] as const) {
      expect(() => assertMaySetTicketFields(agent({ roles: [role] }), [...AGENT_ONLY_TICKET_FIELDS, 'receivedAt'], [])).not.toThrow()
    }
  })

  it('refuses an actor with no role like a customer', () => {
    expect(appErrorOf(() => assertMaySetTicketFields(actor({ roles: [] }), ['groupId'], CUSTOMER_CREATE_FIELDS)).code).toBe('FORBIDDEN')
  })
})

describe('maySetReceivedAt', () => {
  it('admins may (session, token or system)', () => {
    expect(maySetReceivedAt(agent({ roles: ['admin'], via: 'session' }))).toBe(true)
    expect(maySetReceivedAt(agent({ roles: ['admin'], via: 'token' }))).toBe(true)
    expect(maySetReceivedAt(SYSTEM_ACTOR)).toBe(true)
  })

  it('an agent signed in with a session may not; the same agent with an API token may', () => {
    expect(maySetReceivedAt(agent({ via: 'session' }))).toBe(false)
    expect(maySetReceivedAt(agent({ via: 'token' }))).toBe(true)
    expect(maySetReceivedAt(agent({ roles: ['supervisor'], via: 'session' }))).toBe(false)
    expect(maySetReceivedAt(agent({ roles: ['manager'], via: 'token' }))).toBe(true)
  })

  it('a customer may not, by session or by token', () => {
    expect(maySetReceivedAt(customer({ via: 'session' }))).toBe(false)
    expect(maySetReceivedAt(customer({ via: 'token' }))).toBe(false)
  })
})

describe('directory: assertMayRead and assertMayWrite per resource', () => {
  const RESOURCES: readonly DirectoryResource[] = ['users', 'groups', 'categories', 'organisations', 'customers', 'settings']
  type Who = 'customer' | 'agent' | 'supervisor' | 'manager' | 'admin'
  const who: Readonly<Record<Who, Actor>> = {
    customer: customer(),
    agent: agent(),
    supervisor: agent({ roles: ['supervisor'] }),
    manager: agent({ roles: ['manager'] }),
    admin: agent({ roles: ['admin'] }),
  }
  const READ: Readonly<Record<Who, readonly DirectoryResource[]>> = {
    customer: ['categories'],
    agent: RESOURCES,
    supervisor: RESOURCES,
    manager: RESOURCES,
    admin: RESOURCES,
  }
  const WRITE: Readonly<Record<Who, readonly DirectoryResource[]>> = {
    customer: [],
    agent: ['organisations', 'customers'],
    supervisor: ['organisations', 'customers'],
    manager: ['organisations', 'customers'],
    admin: RESOURCES,
  }
  const table = (Object.keys(who) as Who[]).flatMap((role) => RESOURCES.map((resource) => ({ role, resource })))

  it.each(table)('$role reading $resource', ({ role, resource }) => {
    if (READ[role].includes(resource)) {
      expect(() => assertMayRead(who[role], resource)).not.toThrow()
    } else {
      const error = appErrorOf(() => assertMayRead(who[role], resource))
      expect(error.code).toBe('FORBIDDEN')
      expect(error.message).toContain(resource)
    }
  })

  it.each(table)('$role writing $resource', ({ role, resource }) => {
    if (WRITE[role].includes(resource)) {
      expect(() => assertMayWrite(who[role], resource)).not.toThrow()
    } else {
      const error = appErrorOf(() => assertMayWrite(who[role], resource))
      expect(error.code).toBe('FORBIDDEN')
      expect(error.message).toContain(resource)
    }
  })

  it('the system actor may write everything', () => {
    for (const resource of RESOURCES) expect(() => assertMayWrite(SYSTEM_ACTOR, resource)).not.toThrow()
  })
})

describe('other rules', () => {
  it('only staff may post internal notes or see them', () => {
    expect(() => assertMayPostMessage(customer(), 'public')).not.toThrow()
    const error = appErrorOf(() => assertMayPostMessage(customer(), 'internal'))
    expect(error.code).toBe('FORBIDDEN')
    expect(error.fields?.map((f) => f.field)).toEqual(['visibility'])
    expect(() => assertMayPostMessage(agent(), 'internal')).not.toThrow()
    expect(canSeeInternal(customer())).toBe(false)
    expect(canSeeInternal(agent())).toBe(true)
  })

  it('customers and staff may create tickets; an actor with no role may not', () => {
    expect(() => assertMayCreateTicket(customer())).not.toThrow()
    expect(() => assertMayCreateTicket(agent())).not.toThrow()
    expect(appErrorOf(() => assertMayCreateTicket(actor({ roles: [] }))).code).toBe('FORBIDDEN')
  })

  it('anyone manages their own tokens; only admins manage those of others', () => {
    expect(() => assertMayManageTokens(customer(), ME)).not.toThrow()
    expect(appErrorOf(() => assertMayManageTokens(customer(), SOMEONE)).code).toBe('FORBIDDEN')
    expect(appErrorOf(() => assertMayManageTokens(agent({ roles: ['supervisor'] }), SOMEONE)).code).toBe('FORBIDDEN')
    expect(() => assertMayManageTokens(agent({ roles: ['admin'] }), SOMEONE)).not.toThrow()
  })
})
