import { useCallback, useEffect, useRef, useState } from 'react'

export interface Loaded<T> {
  readonly data: T | undefined
  readonly error: unknown
  readonly loading: boolean
  reload(): void
}

/**
 * Loads data with `load` and reloads on demand (a live event, a change the user made).
 * Overlapping reloads are harmless: only the latest answer is kept.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(true)
  const generation = useRef(0)
  const stableLoad = useCallback(load, deps)
  const reload = useCallback(() => {
    const mine = ++generation.current
    setLoading(true)
    stableLoad()
      .then((value) => {
        if (mine === generation.current) {
          setData(value)
          setError(null)
        }
      })
      .catch((caught: unknown) => {
        if (mine === generation.current) setError(caught)
      })
      .finally(() => {
        if (mine === generation.current) setLoading(false)
      })
  }, [stableLoad])
  useEffect(reload, [reload])
  return { data, error, loading, reload }
}
