import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import { api, setCsrfToken } from '../api/client.ts'
import { startLive, stopLive } from '../api/live.ts'
import type { Me, User } from '../api/types.ts'

interface SessionValue {
  readonly user: User | null
  readonly loading: boolean
  signedIn(me: Me): void
  signOut(): Promise<void>
}

const SessionContext = createContext<SessionValue | null>(null)

/** Who is signed in, loaded once from `/me`; the live socket runs while someone is. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null)
  const [loading, setLoading] = useState(true)

  const signedIn = useCallback((me: Me) => {
    setCsrfToken(me.csrfToken)
    setUser(me.user)
    startLive()
  }, [])

  const signOut = useCallback(async () => {
    await api.post('/auth/logout').catch(() => undefined)
    stopLive()
    setCsrfToken(null)
    setUser(null)
  }, [])

  useEffect(() => {
    api
      .get<Me>('/me')
      .then(signedIn)
      .catch(() => setUser(null))
      .finally(() => setLoading(false))
  }, [signedIn])

  const value = useMemo(() => ({ user, loading, signedIn, signOut }), [user, loading, signedIn, signOut])
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext)
  if (value === null) throw new Error('useSession outside SessionProvider')
  return value
}

/** The signed-in user, for screens that are only reachable signed in. */
export function useUser(): User {
  const { user } = useSession()
  if (user === null) throw new Error('useUser without a signed-in user')
  return user
}
