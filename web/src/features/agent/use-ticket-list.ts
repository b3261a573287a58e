import { useCallback, useEffect, useRef, useState } from 'react'
import { api } from '../../api/client.ts'
import type { Ticket, TicketPage } from '../../api/types.ts'
import { PAGE_SIZE } from './queue-query.ts'

export interface TicketList {
  /** The loaded pages of the current query ([] while its first page loads). */
  readonly items: readonly Ticket[]
  readonly hasMore: boolean
  readonly loading: boolean
  readonly loadingMore: boolean
  readonly error: unknown
  loadMore(): void
  /** Reads the pages already shown again (after a live event or a change made here). */
  refresh(): void
}

interface Loaded {
  readonly query: string
  readonly items: readonly Ticket[]
  readonly nextCursor: string | null
  readonly pages: number
}

function withPaging(query: string, cursor: string | null): string {
  const params = new URLSearchParams(query)
  params.set('limit', String(PAGE_SIZE))
  if (cursor !== null) params.set('cursor', cursor)
  return `/tickets?${params.toString()}`
}

function unique(items: readonly Ticket[]): Ticket[] {
  const seen = new Set<string>()
  return items.filter((item) => !seen.has(item.id) && seen.add(item.id))
}

/**
 * One list of tickets with server-side cursor paging: only the pages the person asked for are
 * ever loaded, so a queue of thousands stays fast. `query` is a `GET /tickets` query string.
 */
export function useTicketList(query: string): TicketList {
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const generation = useRef(0)
  const current = useRef<Loaded | null>(null)
  current.current = loaded
  const refreshing = useRef(false)
  const refreshAgain = useRef(false)

  const refresh = useCallback(() => {
    const mine = ++generation.current
    const before = current.current
    const pages = before !== null && before.query === query ? before.pages : 1
    refreshing.current = true
    void (async () => {
      try {
        let items: Ticket[] = []
        let cursor: string | null = null
        let read = 0
        do {
          const page: TicketPage = await api.get<TicketPage>(withPaging(query, cursor))
          items = items.concat(page.items)
          cursor = page.nextCursor
          read += 1
        } while (read < pages && cursor !== null)
        if (mine !== generation.current) return
        setLoaded({ query, items: unique(items), nextCursor: cursor, pages: read })
        setError(null)
      } catch (caught) {
        if (mine === generation.current) setError(caught)
      } finally {
        if (mine === generation.current) refreshing.current = false
      }
    })()
  }, [query])

  useEffect(refresh, [refresh])

  const loadMore = useCallback(() => {
    const before = current.current
    if (before === null || before.query !== query || before.nextCursor === null) return
    // A refresh still running would overwrite the new page; it is run again afterwards instead.
    if (refreshing.current) refreshAgain.current = true
    refreshing.current = false
    const mine = ++generation.current
    setLoadingMore(true)
    api
      .get<TicketPage>(withPaging(query, before.nextCursor))
      .then((page) => {
        if (mine !== generation.current) return
        setLoaded({ query, items: unique([...before.items, ...page.items]), nextCursor: page.nextCursor, pages: before.pages + 1 })
        setError(null)
      })
      .catch((caught: unknown) => {
        if (mine === generation.current) setError(caught)
      })
      .finally(() => {
        setLoadingMore(false)
        if (mine === generation.current && refreshAgain.current) {
          refreshAgain.current = false
          refresh()
        }
      })
  }, [query, refresh])

  const fresh = loaded !== null && loaded.query === query
  return {
    items: fresh ? loaded.items : [],
    hasMore: fresh && loaded.nextCursor !== null,
    loading: !fresh && error === null,
    loadingMore,
    error,
    loadMore,
    refresh,
  }
}
