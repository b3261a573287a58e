import { useEffect, useState } from 'react'
import { api } from '../../api/client.ts'
import type { Category, Group, User } from '../../api/types.ts'

/**
 * Groups, agents and categories change rarely and many screens need them, so each list is
 * read once per page load and shared (a failed read is retried by the next screen that asks).
 */
const cache = new Map<string, Promise<unknown>>()

function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  let promise = cache.get(key) as Promise<T> | undefined
  if (promise === undefined) {
    promise = load()
    cache.set(key, promise)
    promise.catch(() => cache.delete(key))
  }
  return promise
}

function useCached<T>(key: string, load: () => Promise<T>): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined)
  useEffect(() => {
    let live = true
    cached(key, load)
      .then((result) => live && setValue(result))
      .catch(() => undefined)
    return () => {
      live = false
    }
    // The key names the list, so `load` need not be a dependency.
  }, [key])
  return value
}

export function useGroups(): readonly Group[] | undefined {
  return useCached('groups', async () => (await api.get<{ items: Group[] }>('/groups')).items)
}

/** Active agents: whom a ticket may be assigned or transferred to. */
export function useAgents(): readonly User[] | undefined {
  return useCached('agents', async () => (await api.get<{ items: User[] }>('/users?role=agent&limit=200')).items.filter((user) => user.isActive))
}

/** All staff (supervisors and managers take tickets too), for showing who has a ticket. */
export function useStaff(): readonly User[] | undefined {
  return useCached('staff', async () => (await api.get<{ items: User[] }>('/users?limit=200')).items)
}

export function useCategories(): readonly Category[] | undefined {
  return useCached('categories', async () => (await api.get<{ items: Category[] }>('/categories')).items)
}

/** A category's name in the viewer's language, with its parents: "硬件 / 打印机". */
export function categoryPath(categories: readonly Category[], id: string, language: string): string {
  const byId = new Map(categories.map((category) => [category.id, category]))
  const names: string[] = []
  let current = byId.get(id)
  while (current !== undefined && names.length < 10) {
    names.unshift(language.startsWith('zh') ? current.nameZh : current.nameEn)
    current = current.parentId === null ? undefined : byId.get(current.parentId)
  }
  return names.join(' / ')
}

/** Names by id, for showing who a ticket is with without asking the server per row. */
export function namesById(items: readonly { id: string; name: string }[] | undefined): ReadonlyMap<string, string> {
  return new Map((items ?? []).map((item) => [item.id, item.name]))
}
