import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { ServiceDeps } from '../../services/deps.ts'
import { createCategory, deleteCategory, getCategory, listCategories, updateCategory } from '../../services/directory/categories.ts'
import { createGroup, deleteGroup, getGroup, listGroups, updateGroup } from '../../services/directory/groups.ts'
import {
  createOrganisation,
  deleteOrganisation,
  getOrganisation,
  listOrganisations,
  updateOrganisation,
} from '../../services/directory/organisations.ts'
import { actorOf } from '../auth.ts'
import { presentCategory, presentGroup, presentOrganisation } from '../presenters/present.ts'
import { Category, Group, IdParams, Name, Nullable, Organisation, PageQuery, ServicePackage, Uuid, VipLevel, errorResponses } from '../schemas.ts'

const orgFields = {
  vipLevel: Type.Optional(VipLevel),
  servicePackage: Type.Optional(ServicePackage),
  region: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
}
const groupFields = {
  description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  memberIds: Type.Optional(Type.Array(Uuid, { maxItems: 1000 })),
}

/** Organisations (customer companies), groups (teams) and categories (a tree). */
export function directoryRoutes(deps: ServiceDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/organisations',
      {
        schema: {
          tags: ['organisations'],
          querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), ...PageQuery }, { additionalProperties: false }),
          response: { 200: Type.Object({ items: Type.Array(Organisation), total: Type.Integer() }), ...errorResponses },
        },
      },
      async (request) => {
        const result = await listOrganisations(deps, actorOf(request), request.query)
        return { items: result.items.map(presentOrganisation), total: result.total }
      },
    )
    app.post(
      '/organisations',
      { schema: { tags: ['organisations'], body: Type.Object({ name: Name(), ...orgFields }, { additionalProperties: false }), response: { 201: Organisation, ...errorResponses } } },
      async (request, reply) => reply.status(201).send(presentOrganisation(await createOrganisation(deps, actorOf(request), request.body))),
    )
    app.get('/organisations/:id', { schema: { tags: ['organisations'], params: IdParams, response: { 200: Organisation, ...errorResponses } } }, async (request) =>
      presentOrganisation(await getOrganisation(deps, actorOf(request), request.params.id)),
    )
    app.patch(
      '/organisations/:id',
      {
        schema: {
          tags: ['organisations'],
          params: IdParams,
          body: Type.Object({ name: Type.Optional(Name()), ...orgFields }, { additionalProperties: false, minProperties: 1 }),
          response: { 200: Organisation, ...errorResponses },
        },
      },
      async (request) => presentOrganisation(await updateOrganisation(deps, actorOf(request), request.params.id, request.body)),
    )
    app.delete('/organisations/:id', { schema: { tags: ['organisations'], params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
      await deleteOrganisation(deps, actorOf(request), request.params.id)
      return reply.status(204).send(null)
    })

    app.get('/groups', { schema: { tags: ['groups'], response: { 200: Type.Object({ items: Type.Array(Group) }), ...errorResponses } } }, async (request) => ({
      items: (await listGroups(deps, actorOf(request))).map(presentGroup),
    }))
    app.post(
      '/groups',
      { schema: { tags: ['groups'], body: Type.Object({ name: Name(100), ...groupFields }, { additionalProperties: false }), response: { 201: Group, ...errorResponses } } },
      async (request, reply) => reply.status(201).send(presentGroup(await createGroup(deps, actorOf(request), request.body))),
    )
    app.get('/groups/:id', { schema: { tags: ['groups'], params: IdParams, response: { 200: Group, ...errorResponses } } }, async (request) =>
      presentGroup(await getGroup(deps, actorOf(request), request.params.id)),
    )
    app.patch(
      '/groups/:id',
      {
        schema: {
          tags: ['groups'],
          params: IdParams,
          body: Type.Object({ name: Type.Optional(Name(100)), ...groupFields }, { additionalProperties: false, minProperties: 1 }),
          response: { 200: Group, ...errorResponses },
        },
      },
      async (request) => presentGroup(await updateGroup(deps, actorOf(request), request.params.id, request.body)),
    )
    app.delete('/groups/:id', { schema: { tags: ['groups'], params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
      await deleteGroup(deps, actorOf(request), request.params.id)
      return reply.status(204).send(null)
    })

    app.get('/categories', { schema: { tags: ['categories'], response: { 200: Type.Object({ items: Type.Array(Category) }), ...errorResponses } } }, async (request) => ({
      items: (await listCategories(deps, actorOf(request))).map(presentCategory),
    }))
    app.post(
      '/categories',
      {
        schema: {
          tags: ['categories'],
          body: Type.Object({ nameZh: Name(100), nameEn: Name(100), parentId: Type.Optional(Nullable(Uuid)) }, { additionalProperties: false }),
          response: { 201: Category, ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(presentCategory(await createCategory(deps, actorOf(request), request.body))),
    )
    app.get('/categories/:id', { schema: { tags: ['categories'], params: IdParams, response: { 200: Category, ...errorResponses } } }, async (request) =>
      presentCategory(await getCategory(deps, actorOf(request), request.params.id)),
    )
    app.patch(
      '/categories/:id',
      {
        schema: {
          tags: ['categories'],
          params: IdParams,
          body: Type.Object(
            { nameZh: Type.Optional(Name(100)), nameEn: Type.Optional(Name(100)), parentId: Type.Optional(Nullable(Uuid)) },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: Category, ...errorResponses },
        },
      },
      async (request) => presentCategory(await updateCategory(deps, actorOf(request), request.params.id, request.body)),
    )
    app.delete('/categories/:id', { schema: { tags: ['categories'], params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
      await deleteCategory(deps, actorOf(request), request.params.id)
      return reply.status(204).send(null)
    })
  }
}
