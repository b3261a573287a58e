import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { PHONE_EXTENSION_PATTERN } from '../../domain/people/contact-points.ts'
import type { ServiceDeps } from '../../services/deps.ts'
import { type UserKind, createUser, getUser, listUsers, updateUser } from '../../services/people/users.ts'
import { actorOf } from '../auth.ts'
import { presentUser } from '../presenters/present.ts'
import { Email, IdParams, Name, Nullable, PageQuery, Role, StringEnum, Tier, User, Uuid, errorResponses } from '../schemas.ts'

const Phone = Type.String({ minLength: 3, maxLength: 40, pattern: '^[+0-9 ()-]+$' })
const PhoneExtension = Type.String({
  minLength: 1,
  maxLength: 20,
  pattern: PHONE_EXTENSION_PATTERN,
  description: 'the PBX extension (分机号) telephony events name this agent by: digits, * and #; one person per extension',
})
const ExternalId = Type.String({ minLength: 1, maxLength: 128 })
const Password = Type.String({ minLength: 10, maxLength: 1024, description: 'at least 10 characters' })

/** Fields common to staff and customers. */
const contactFields = {
  email: Type.Optional(Nullable(Email)),
  phone: Type.Optional(Nullable(Phone)),
  wechatOpenId: Type.Optional(Nullable(ExternalId)),
  appUserId: Type.Optional(Nullable(ExternalId)),
  organisationId: Type.Optional(Nullable(Uuid)),
  locale: Type.Optional(StringEnum(['zh-CN', 'en'] as const)),
  timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  password: Type.Optional(Password),
  isActive: Type.Optional(Type.Boolean()),
}
const staffFields = {
  roles: Type.Optional(Type.Array(Role, { minItems: 1, maxItems: 5 })),
  phoneExtension: Type.Optional(Nullable(PhoneExtension)),
  tier: Type.Optional(Nullable(Tier)),
  groupIds: Type.Optional(Type.Array(Uuid, { maxItems: 100 })),
}
const customerFields = { isOrgAdmin: Type.Optional(Type.Boolean()) }

/**
 * `/users` are the staff (admins manage them); `/customers` are the contacts (any agent may
 * add and edit them, as they do when taking a call). Same record, same service.
 */
function peopleRoutes(deps: ServiceDeps, kind: UserKind, path: '/users' | '/customers'): FastifyPluginAsyncTypebox {
  const extra = kind === 'staff' ? staffFields : customerFields
  const CreateBody = Type.Object({ name: Name(), ...contactFields, ...extra }, { additionalProperties: false })
  const UpdateBody = Type.Object({ name: Type.Optional(Name()), ...contactFields, ...extra }, { additionalProperties: false, minProperties: 1 })
  const tag = kind === 'staff' ? 'users' : 'customers'
  return async (app) => {
    app.get(
      path,
      {
        schema: {
          tags: [tag],
          summary: `List ${tag}`,
          querystring: Type.Object(
            {
              q: Type.Optional(Type.String({ maxLength: 100, description: kind === 'staff' ? 'part of the name, e-mail or phone, or a whole extension' : 'part of the name, e-mail or phone' })),
              organisationId: Type.Optional(Uuid),
              ...(kind === 'staff' ? { role: Type.Optional(Role) } : {}),
              ...PageQuery,
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(User), total: Type.Integer() }), ...errorResponses },
        },
      },
      async (request) => {
        const result = await listUsers(deps, actorOf(request), kind, request.query)
        return { items: result.items.map(presentUser), total: result.total }
      },
    )
    app.post(path, { schema: { tags: [tag], summary: `Add a ${kind === 'staff' ? 'user' : 'customer'}`, body: CreateBody, response: { 201: User, ...errorResponses } } }, async (request, reply) => {
      const user = await createUser(deps, actorOf(request), kind, request.body)
      return reply.status(201).send(presentUser(user))
    })
    app.get(`${path}/:id`, { schema: { tags: [tag], params: IdParams, response: { 200: User, ...errorResponses } } }, async (request) =>
      presentUser(await getUser(deps, actorOf(request), kind, request.params.id)),
    )
    app.patch(`${path}/:id`, { schema: { tags: [tag], params: IdParams, body: UpdateBody, response: { 200: User, ...errorResponses } } }, async (request) =>
      presentUser(await updateUser(deps, actorOf(request), kind, request.params.id, request.body)),
    )
    app.delete(
      `${path}/:id`,
      { schema: { tags: [tag], summary: 'Deactivate (records that tickets refer to are kept)', params: IdParams, response: { 200: User, ...errorResponses } } },
      async (request) => presentUser(await updateUser(deps, actorOf(request), kind, request.params.id, { isActive: false })),
    )
  }
}

export const userRoutes = (deps: ServiceDeps) => peopleRoutes(deps, 'staff', '/users')
export const customerRoutes = (deps: ServiceDeps) => peopleRoutes(deps, 'customer', '/customers')
