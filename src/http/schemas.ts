import { type TSchema, Type } from '@sinclair/typebox'
import { SLA_TARGETS } from '../domain/sla/sla-policy.ts'
import { TICKET_ACTIONS } from '../domain/tickets/ticket-state-machine.ts'
import {
  CHANNELS,
  MESSAGE_VISIBILITIES,
  ROLES,
  SERVICE_PACKAGES,
  SEVERITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
  TIERS,
  VIP_LEVELS,
} from '../domain/tickets/ticket.ts'

/**
 * Schemas of the public API. The same objects validate input (Ajv), serialise output and
 * generate the OpenAPI document, so the three cannot drift apart.
 */
export const StringEnum = <T extends readonly string[]>(values: T, options: object = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

export const Uuid = Type.String({ format: 'uuid', maxLength: 36 })
export const DateTime = Type.String({ format: 'date-time', maxLength: 40 })
export const Email = Type.String({ format: 'email', maxLength: 254 })
export const Tag = Type.String({ minLength: 1, maxLength: 50, pattern: '^[^\\s,]+$' })
/** A person's or record's name: not blank. */
export const Name = (maxLength = 200) => Type.String({ minLength: 1, maxLength, pattern: '\\S' })

export const TicketStatus = StringEnum(TICKET_STATUSES)
export const TicketType = StringEnum(TICKET_TYPES)
export const Severity = StringEnum(SEVERITIES)
export const Channel = StringEnum(CHANNELS)
export const VipLevel = StringEnum(VIP_LEVELS)
export const ServicePackage = StringEnum(SERVICE_PACKAGES)
export const Tier = StringEnum(TIERS)
export const Role = StringEnum(ROLES)
export const Visibility = StringEnum(MESSAGE_VISIBILITIES)
export const TicketAction = StringEnum(TICKET_ACTIONS)

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      fields: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    }),
  },
  { $id: 'Error', description: 'Every error: a stable code, a message, and the fields at fault.' },
)

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false })

/** Standard error responses for the OpenAPI document. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
  415: ErrorBody,
  422: ErrorBody,
} as const

export const Abilities = Type.Object({
  update: Type.Boolean(),
  updatableFields: Type.Array(Type.String()),
  transfer: Type.Boolean(),
  reply: Type.Boolean(),
  addInternalNote: Type.Boolean(),
  seeInternal: Type.Boolean(),
  actions: Type.Array(TicketAction),
})

export const Ticket = Type.Object(
  {
    id: Uuid,
    number: Type.String(),
    subject: Type.String(),
    description: Type.String(),
    type: TicketType,
    severity: Severity,
    status: TicketStatus,
    channel: Channel,
    categoryId: Nullable(Uuid),
    organisationId: Nullable(Uuid),
    requesterId: Uuid,
    ownerId: Type.Optional(Nullable(Uuid)),
    assigneeId: Type.Optional(Nullable(Uuid)),
    groupId: Type.Optional(Nullable(Uuid)),
    tags: Type.Optional(Type.Array(Type.String())),
    watcherIds: Type.Optional(Type.Array(Uuid)),
    receivedAt: DateTime,
    acceptedAt: Nullable(DateTime),
    firstResponseAt: Nullable(DateTime),
    resolvedAt: Nullable(DateTime),
    closedAt: Nullable(DateTime),
    reopenCount: Type.Integer(),
    transferCount: Type.Optional(Type.Integer()),
    priorityScore: Type.Optional(Type.Integer()),
    priorityFactors: Type.Optional(Type.Array(Type.Object({ input: Type.String(), value: Type.String(), points: Type.Integer() }))),
    slaState: Type.Optional(Nullable(StringEnum(['ok', 'at_risk', 'breached'] as const))),
    slaDueAt: Type.Optional(Nullable(DateTime)),
    sla: Type.Optional(
      Type.Array(
        Type.Object({
          target: StringEnum(SLA_TARGETS),
          status: StringEnum(['pending', 'running', 'paused', 'met', 'breached'] as const),
          dueAt: Nullable(DateTime),
          businessSecondsLeft: Type.Integer({ description: 'negative when overdue' }),
          warnedAt: Nullable(DateTime),
          breachedAt: Nullable(DateTime),
          escalationLevel: Type.Integer(),
        }),
        { description: 'the SLA targets of the ticket (single reads only)' },
      ),
    ),
    createdAt: DateTime,
    updatedAt: DateTime,
    abilities: Abilities,
  },
  { description: 'A ticket. Customers receive it without the internal routing fields (owner, assignee, group, tags, watchers, transfers).' },
)

export const Attachment = Type.Object({
  id: Uuid,
  filename: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  url: Type.String(),
  createdAt: DateTime,
})

export const Message = Type.Object({
  id: Uuid,
  ticketId: Uuid,
  authorId: Uuid,
  visibility: Visibility,
  body: Type.String(),
  channel: Channel,
  createdAt: DateTime,
  author: Type.Object({ id: Uuid, name: Type.String(), isStaff: Type.Boolean() }),
  attachments: Type.Array(Attachment),
})

export const Event = Type.Object({
  id: Type.String(),
  type: Type.String(),
  actorId: Uuid,
  actorName: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  occurredAt: DateTime,
  data: Type.Optional(Type.Unknown()),
})

export const User = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  phoneExtension: Type.Optional(Nullable(Type.String({ description: 'staff only (absent on customers): the PBX extension (分机号) telephony events name the agent by' }))),
  wechatOpenId: Nullable(Type.String()),
  appUserId: Nullable(Type.String()),
  roles: Type.Array(Role),
  tier: Nullable(Tier),
  organisationId: Nullable(Uuid),
  isOrgAdmin: Type.Boolean(),
  locale: Type.String(),
  timeZone: Type.String(),
  isActive: Type.Boolean(),
  hasPassword: Type.Boolean(),
  groupIds: Type.Array(Uuid),
  createdAt: DateTime,
  updatedAt: DateTime,
})

export const Organisation = Type.Object({
  id: Uuid,
  name: Type.String(),
  vipLevel: VipLevel,
  servicePackage: ServicePackage,
  region: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  createdAt: DateTime,
  updatedAt: DateTime,
})

export const Group = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Nullable(Type.String()),
  memberIds: Type.Array(Uuid),
  createdAt: DateTime,
  updatedAt: DateTime,
})

export const Category = Type.Object({
  id: Uuid,
  parentId: Nullable(Uuid),
  nameZh: Type.String(),
  nameEn: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
})

/** Offset paging for the directory lists. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
}
