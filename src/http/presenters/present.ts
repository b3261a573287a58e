import type { Static } from '@sinclair/typebox'
import type { Actor } from '../../domain/policy/actor.ts'
import type { SlaTargetKind } from '../../domain/sla/sla-policy.ts'
import { isStaff } from '../../domain/policy/actor.ts'
import type { EventWithActor } from '../../db/events.ts'
import type { AttachmentRow, CategoryRow, OrganisationRow } from '../../db/schema.ts'
import type { GroupView } from '../../services/directory/groups.ts'
import type { UserView } from '../../services/people/users.ts'
import type { MessageWithAttachments } from '../../services/tickets/list-ticket-history.ts'
import type { TicketView } from '../../services/tickets/ticket-view.ts'
import type * as S from '../schemas.ts'

/**
 * Presenters: one function per resource listing exactly which fields leave the server, and
 * for whom. A customer's ticket has no internal routing; a customer's event has no data.
 */
const iso = (date: Date) => date.toISOString()
const isoOrNull = (date: Date | null) => (date === null ? null : date.toISOString())

export function presentTicket(view: TicketView, viewer: Actor): Static<typeof S.Ticket> {
  const { ticket } = view
  const common = {
    id: ticket.id,
    number: ticket.number,
    subject: ticket.subject,
    description: ticket.description,
    type: ticket.type as Static<typeof S.TicketType>,
    severity: ticket.severity as Static<typeof S.Severity>,
    status: ticket.status as Static<typeof S.TicketStatus>,
    channel: ticket.channel as Static<typeof S.Channel>,
    categoryId: ticket.category_id,
    organisationId: ticket.organisation_id,
    requesterId: ticket.requester_id,
    receivedAt: iso(ticket.received_at),
    acceptedAt: isoOrNull(ticket.accepted_at),
    firstResponseAt: isoOrNull(ticket.first_response_at),
    resolvedAt: isoOrNull(ticket.resolved_at),
    closedAt: isoOrNull(ticket.closed_at),
    reopenCount: ticket.reopen_count,
    createdAt: iso(ticket.created_at),
    updatedAt: iso(ticket.updated_at),
    abilities: { ...view.abilities, updatableFields: [...view.abilities.updatableFields], actions: [...view.abilities.actions] },
  }
  if (!isStaff(viewer)) return common
  return {
    ...common,
    ownerId: ticket.owner_id,
    assigneeId: ticket.assignee_id,
    groupId: ticket.group_id,
    tags: ticket.tags,
    watcherIds: ticket.watcher_ids,
    transferCount: ticket.transfer_count,
    priorityScore: ticket.priority_score,
    priorityFactors: ticket.priority_factors as { input: string; value: string; points: number }[],
    slaState: ticket.sla_state as 'ok' | 'at_risk' | 'breached' | null,
    slaDueAt: isoOrNull(ticket.sla_due_at),
    ...(view.sla !== undefined
      ? {
          sla: view.sla.map((row) => ({
            target: row.target as SlaTargetKind,
            status: row.status as 'pending' | 'running' | 'paused' | 'met' | 'breached',
            dueAt: isoOrNull(row.due_at),
            businessSecondsLeft: Math.trunc(Number(row.remaining_ms) / 1000),
            warnedAt: isoOrNull(row.warned_at),
            breachedAt: isoOrNull(row.breached_at),
            escalationLevel: row.escalation_level,
          })),
        }
      : {}),
  }
}

export function presentAttachment(row: AttachmentRow): Static<typeof S.Attachment> {
  return {
    id: row.id,
    filename: row.filename,
    contentType: row.content_type,
    size: Number(row.size_bytes),
    sha256: row.sha256,
    url: `/api/v1/attachments/${row.id}`,
    createdAt: iso(row.created_at),
  }
}

export function presentMessage(message: MessageWithAttachments): Static<typeof S.Message> {
  return {
    id: message.id,
    ticketId: message.ticket_id,
    authorId: message.author_id,
    visibility: message.visibility as Static<typeof S.Visibility>,
    body: message.body,
    channel: message.channel as Static<typeof S.Channel>,
    createdAt: iso(message.created_at),
    author: { id: message.author_id, name: message.author_name, isStaff: message.author_is_staff },
    attachments: message.attachments.map(presentAttachment),
  }
}

export function presentEvent(event: EventWithActor, viewer: Actor): Static<typeof S.Event> {
  const base = {
    id: String(event.id),
    type: event.type,
    actorId: event.actor_id,
    actorName: event.actor_name,
    reason: event.reason,
    occurredAt: iso(event.occurred_at),
  }
  return isStaff(viewer) ? { ...base, data: event.data } : base
}

/** A customer's record (contacts have the one role customer); staff have any other roles. */
function isCustomerRecord(user: UserView): boolean {
  return user.roles.length === 1 && user.roles[0] === 'customer'
}

export function presentUser(user: UserView): Static<typeof S.User> {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    phone: user.phone,
    ...(isCustomerRecord(user) ? {} : { phoneExtension: user.phone_extension }),
    wechatOpenId: user.wechat_open_id,
    appUserId: user.app_user_id,
    roles: user.roles as Static<typeof S.Role>[],
    tier: user.tier as Static<typeof S.Tier> | null,
    organisationId: user.organisation_id,
    isOrgAdmin: user.is_org_admin,
    locale: user.locale,
    timeZone: user.time_zone,
    isActive: user.is_active,
    hasPassword: user.has_password,
    groupIds: user.group_ids,
    createdAt: iso(user.created_at),
    updatedAt: iso(user.updated_at),
  }
}

export function presentOrganisation(row: OrganisationRow): Static<typeof S.Organisation> {
  return {
    id: row.id,
    name: row.name,
    vipLevel: row.vip_level as Static<typeof S.VipLevel>,
    servicePackage: row.service_package as Static<typeof S.ServicePackage>,
    region: row.region,
    notes: row.notes,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  }
}

export function presentGroup(group: GroupView): Static<typeof S.Group> {
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    memberIds: group.member_ids,
    createdAt: iso(group.created_at),
    updatedAt: iso(group.updated_at),
  }
}

export function presentCategory(row: CategoryRow): Static<typeof S.Category> {
  return { id: row.id, parentId: row.parent_id, nameZh: row.name_zh, nameEn: row.name_en, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) }
}
