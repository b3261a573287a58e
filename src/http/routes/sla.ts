import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ESCALATION_AUDIENCES } from '../../domain/sla/escalation.ts'
import { SLA_START_EVENTS, SLA_STOP_EVENTS, SLA_TARGETS } from '../../domain/sla/sla-policy.ts'
import { CHANNELS, SERVICE_PACKAGES, SEVERITIES, TICKET_STATUSES, TICKET_TYPES, VIP_LEVELS } from '../../domain/tickets/ticket.ts'
import type { ServiceDeps } from '../../services/deps.ts'
import {
  createCalendar,
  createPolicy,
  deleteCalendar,
  deletePolicy,
  deleteSpecialPeriod,
  importCalendarHolidays,
  listCalendars,
  listEscalationChains,
  listNotifications,
  listPolicies,
  listSpecialPeriods,
  markNotificationRead,
  saveEscalationChain,
  saveSpecialPeriod,
  updateCalendar,
  updatePolicy,
} from '../../services/sla/manage-sla.ts'
import { actorOf } from '../auth.ts'
import { DateTime, IdParams, Name, Nullable, StringEnum, Uuid, errorResponses } from '../schemas.ts'

const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })
const Interval = Type.Tuple([Type.Integer({ minimum: 0, maximum: 1440 }), Type.Integer({ minimum: 0, maximum: 1440 })], { description: '[start, end) in minutes from local midnight' })
const DayHours = Type.Array(Interval, { maxItems: 12 })
const WeeklyHours = Type.Object(
  Object.fromEntries(['0', '1', '2', '3', '4', '5', '6'].map((day) => [day, Type.Optional(DayHours)])),
  { additionalProperties: false, description: 'working intervals per weekday, 0 = Sunday' },
)
const CalendarFields = {
  timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  is24x7: Type.Optional(Type.Boolean()),
  weeklyHours: Type.Optional(WeeklyHours),
  makeUpDayHours: Type.Optional(Nullable(DayHours)),
  holidays: Type.Optional(Type.Array(LocalDate, { maxItems: 2000 })),
  workdays: Type.Optional(Type.Array(LocalDate, { maxItems: 2000 })),
}
const Calendar = Type.Object({
  id: Uuid,
  name: Type.String(),
  timeZone: Type.String(),
  is24x7: Type.Boolean(),
  weeklyHours: Type.Unknown(),
  makeUpDayHours: Type.Unknown(),
  holidays: Type.Array(Type.String()),
  workdays: Type.Array(Type.String()),
  updatedAt: DateTime,
})
const Target = Type.Object(
  {
    target: StringEnum(SLA_TARGETS),
    startOn: StringEnum(SLA_START_EVENTS),
    stopOn: StringEnum(SLA_STOP_EVENTS),
    minutes: Type.Number({ exclusiveMinimum: 0, maximum: 525_600 }),
    calendarId: Uuid,
    pauseStatuses: Type.Array(StringEnum(TICKET_STATUSES), { maxItems: 6 }),
    warnAtRatio: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
    restartOnReopen: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
const Conditions = Type.Object(
  {
    severities: Type.Optional(Type.Array(StringEnum(SEVERITIES))),
    types: Type.Optional(Type.Array(StringEnum(TICKET_TYPES))),
    channels: Type.Optional(Type.Array(StringEnum(CHANNELS))),
    categoryIds: Type.Optional(Type.Array(Uuid, { maxItems: 200 })),
    vipLevels: Type.Optional(Type.Array(StringEnum(VIP_LEVELS))),
    servicePackages: Type.Optional(Type.Array(StringEnum(SERVICE_PACKAGES))),
  },
  { additionalProperties: false },
)
const PolicyFields = {
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  isActive: Type.Optional(Type.Boolean()),
  conditions: Type.Optional(Conditions),
  escalationChainId: Type.Optional(Nullable(Uuid)),
}
const Policy = Type.Object({
  id: Uuid,
  name: Type.String(),
  position: Type.Integer(),
  isActive: Type.Boolean(),
  conditions: Type.Unknown(),
  targets: Type.Unknown(),
  escalationChainId: Nullable(Uuid),
  updatedAt: DateTime,
})
const SpecialPeriod = Type.Object({ id: Uuid, name: Type.String(), startsAt: DateTime, endsAt: DateTime, priorityBoost: Type.Integer(), targetFactor: Type.Number() })
const SpecialPeriodFields = {
  startsAt: Type.Optional(DateTime),
  endsAt: Type.Optional(DateTime),
  priorityBoost: Type.Optional(Type.Integer({ minimum: -100, maximum: 100 })),
  targetFactor: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
}
const Level = Type.Object(
  { afterMinutes: Type.Number({ minimum: 0, maximum: 100_000 }), notify: Type.Array(StringEnum(ESCALATION_AUDIENCES), { minItems: 1 }), reassignToSupervisor: Type.Boolean() },
  { additionalProperties: false },
)
const Chain = Type.Object({ id: Uuid, name: Type.String(), levels: Type.Unknown() })
const Notification = Type.Object({ id: Uuid, kind: Type.String(), ticketId: Nullable(Uuid), payload: Type.Unknown(), createdAt: DateTime, readAt: Nullable(DateTime) })

type CalendarRow = Awaited<ReturnType<typeof listCalendars>>[number]
type PolicyRow = Awaited<ReturnType<typeof listPolicies>>[number]
type PeriodRow = Awaited<ReturnType<typeof listSpecialPeriods>>[number]

const presentCalendar = (row: CalendarRow) => ({
  id: row.id,
  name: row.name,
  timeZone: row.time_zone,
  is24x7: row.is_24x7,
  weeklyHours: row.weekly_hours,
  makeUpDayHours: row.make_up_day_hours,
  holidays: row.holidays,
  workdays: row.workdays,
  updatedAt: row.updated_at.toISOString(),
})
const presentPolicy = (row: PolicyRow) => ({
  id: row.id,
  name: row.name,
  position: row.position,
  isActive: row.is_active,
  conditions: row.conditions,
  targets: row.targets,
  escalationChainId: row.escalation_chain_id,
  updatedAt: row.updated_at.toISOString(),
})
const presentPeriod = (row: PeriodRow) => ({
  id: row.id,
  name: row.name,
  startsAt: row.starts_at.toISOString(),
  endsAt: row.ends_at.toISOString(),
  priorityBoost: row.priority_boost,
  targetFactor: row.target_factor,
})

/** SLA administration (admins; supervisors and agents may read) and in-app notifications. */
export function slaRoutes(deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['sla']
    app.get('/sla/calendars', { schema: { tags, response: { 200: Type.Object({ items: Type.Array(Calendar) }), ...errorResponses } } }, async (request) => ({
      items: (await listCalendars(deps, actorOf(request))).map(presentCalendar),
    }))
    app.post('/sla/calendars', { schema: { tags, body: Type.Object({ name: Name(100), ...CalendarFields }, { additionalProperties: false }), response: { 201: Calendar, ...errorResponses } } }, async (request, reply) =>
      reply.status(201).send(presentCalendar(await createCalendar(deps, actorOf(request), request.body))),
    )
    app.patch(
      '/sla/calendars/:id',
      { schema: { tags, params: IdParams, body: Type.Object({ name: Type.Optional(Name(100)), ...CalendarFields }, { additionalProperties: false, minProperties: 1 }), response: { 200: Calendar, ...errorResponses } } },
      async (request) => presentCalendar(await updateCalendar(deps, actorOf(request), request.params.id, request.body)),
    )
    app.post(
      '/sla/calendars/:id/import',
      {
        schema: {
          tags,
          summary: 'Import holidays and make-up working days (上班 events) from an iCalendar feed',
          params: IdParams,
          body: Type.Object({ ics: Type.String({ minLength: 1, maxLength: 900_000 }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ calendar: Calendar, importedHolidays: Type.Integer(), importedWorkdays: Type.Integer() }), ...errorResponses },
        },
      },
      async (request) => {
        const result = await importCalendarHolidays(deps, actorOf(request), request.params.id, request.body.ics)
        return { ...result, calendar: presentCalendar(result.calendar) }
      },
    )
    app.delete('/sla/calendars/:id', { schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
      await deleteCalendar(deps, actorOf(request), request.params.id)
      return reply.status(204).send(null)
    })

    app.get('/sla/policies', { schema: { tags, response: { 200: Type.Object({ items: Type.Array(Policy) }), ...errorResponses } } }, async (request) => ({
      items: (await listPolicies(deps, actorOf(request))).map(presentPolicy),
    }))
    app.post(
      '/sla/policies',
      { schema: { tags, body: Type.Object({ name: Name(200), targets: Type.Array(Target, { minItems: 1, maxItems: 5 }), ...PolicyFields }, { additionalProperties: false }), response: { 201: Policy, ...errorResponses } } },
      async (request, reply) => reply.status(201).send(presentPolicy(await createPolicy(deps, actorOf(request), request.body))),
    )
    app.patch(
      '/sla/policies/:id',
      {
        schema: {
          tags,
          params: IdParams,
          body: Type.Object({ name: Type.Optional(Name(200)), targets: Type.Optional(Type.Array(Target, { minItems: 1, maxItems: 5 })), ...PolicyFields }, { additionalProperties: false, minProperties: 1 }),
          response: { 200: Policy, ...errorResponses },
        },
      },
      async (request) => presentPolicy(await updatePolicy(deps, actorOf(request), request.params.id, request.body)),
    )
    app.delete('/sla/policies/:id', { schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
      await deletePolicy(deps, actorOf(request), request.params.id)
      return reply.status(204).send(null)
    })

    app.get('/sla/special-periods', { schema: { tags, response: { 200: Type.Object({ items: Type.Array(SpecialPeriod) }), ...errorResponses } } }, async (request) => ({
      items: (await listSpecialPeriods(deps, actorOf(request))).map(presentPeriod),
    }))
    app.post(
      '/sla/special-periods',
      { schema: { tags, body: Type.Object({ name: Name(100), ...SpecialPeriodFields }, { additionalProperties: false }), response: { 201: SpecialPeriod, ...errorResponses } } },
      async (request, reply) => reply.status(201).send(presentPeriod(await saveSpecialPeriod(deps, actorOf(request), null, request.body))),
    )
    app.patch(
      '/sla/special-periods/:id',
      { schema: { tags, params: IdParams, body: Type.Object({ name: Type.Optional(Name(100)), ...SpecialPeriodFields }, { additionalProperties: false, minProperties: 1 }), response: { 200: SpecialPeriod, ...errorResponses } } },
      async (request) => presentPeriod(await saveSpecialPeriod(deps, actorOf(request), request.params.id, request.body)),
    )
    app.delete('/sla/special-periods/:id', { schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
      await deleteSpecialPeriod(deps, actorOf(request), request.params.id)
      return reply.status(204).send(null)
    })

    app.get('/sla/escalation-chains', { schema: { tags, response: { 200: Type.Object({ items: Type.Array(Chain) }), ...errorResponses } } }, async (request) => ({
      items: (await listEscalationChains(deps, actorOf(request))).map((row) => ({ id: row.id, name: row.name, levels: row.levels })),
    }))
    app.post(
      '/sla/escalation-chains',
      { schema: { tags, body: Type.Object({ name: Name(200), levels: Type.Array(Level, { minItems: 1, maxItems: 10 }) }, { additionalProperties: false }), response: { 201: Chain, ...errorResponses } } },
      async (request, reply) => {
        const row = await saveEscalationChain(deps, actorOf(request), null, request.body)
        return reply.status(201).send({ id: row.id, name: row.name, levels: row.levels })
      },
    )
    app.patch(
      '/sla/escalation-chains/:id',
      {
        schema: {
          tags,
          params: IdParams,
          body: Type.Object({ name: Type.Optional(Name(200)), levels: Type.Optional(Type.Array(Level, { minItems: 1, maxItems: 10 })) }, { additionalProperties: false, minProperties: 1 }),
          response: { 200: Chain, ...errorResponses },
        },
      },
      async (request) => {
        const row = await saveEscalationChain(deps, actorOf(request), request.params.id, request.body)
        return { id: row.id, name: row.name, levels: row.levels }
      },
    )

    app.get(
      '/notifications',
      {
        schema: {
          tags: ['notifications'],
          querystring: Type.Object({ unread: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          response: { 200: Type.Object({ items: Type.Array(Notification) }), ...errorResponses },
        },
      },
      async (request) => ({
        items: (await listNotifications(deps, actorOf(request), request.query.unread === true)).map((row) => ({
          id: row.id,
          kind: row.kind,
          ticketId: row.ticket_id,
          payload: row.payload,
          createdAt: row.created_at.toISOString(),
          readAt: row.read_at === null ? null : row.read_at.toISOString(),
        })),
      }),
    )
    app.post('/notifications/:id/read', { schema: { tags: ['notifications'], params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
      await markNotificationRead(deps, actorOf(request), request.params.id)
      return reply.status(204).send(null)
    })
  }
}
