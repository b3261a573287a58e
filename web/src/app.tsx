import { Suspense, lazy, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router'
import { setUnauthenticatedHandler } from './api/client.ts'
import { isStaffUser, seesAllQueues } from './api/types.ts'
import { AppShell } from './components/app-shell.tsx'
import { useSession } from './components/session.tsx'
import { LoginPage } from './features/auth/login-page.tsx'

// Each area is its own chunk: a customer on the portal never downloads the agent workspace.
const AgentArea = lazy(() => import('./features/agent/agent-area.tsx').then((m) => ({ default: m.AgentArea })))
const SupervisorArea = lazy(() => import('./features/supervisor/supervisor-area.tsx').then((m) => ({ default: m.SupervisorArea })))
const PortalArea = lazy(() => import('./features/portal/portal-area.tsx').then((m) => ({ default: m.PortalArea })))
const AdminArea = lazy(() => import('./features/admin/admin-area.tsx').then((m) => ({ default: m.AdminArea })))

function Loading() {
  const { t } = useTranslation()
  return (
    <p className="loading" role="status">
      {t('loading')}
    </p>
  )
}

/**
 * Where `/login?next=…` asks to go afterwards, if it is a path of this site. The sign-in page
 * navigates there itself; a render with the new user that still sees `/login` must agree.
 */
function safeNext(search: string): string | null {
  const next = new URLSearchParams(search).get('next')
  return next !== null && next.startsWith('/') && !next.startsWith('//') ? next : null
}

/** Routes by role; a session that ends mid-work goes to sign-in and comes back here afterwards. */
export function App() {
  const { user, loading } = useSession()
  const navigate = useNavigate()
  const location = useLocation()

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      const here = `${window.location.pathname}${window.location.search}`
      if (!window.location.pathname.startsWith('/login')) navigate(`/login?expired=1&next=${encodeURIComponent(here)}`)
    })
  }, [navigate])

  if (loading) return <Loading />
  if (user === null) {
    if (location.pathname === '/login') return <LoginPage />
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />
  }
  const staff = isStaffUser(user)
  return (
    <Routes>
      <Route path="/login" element={<Navigate to={safeNext(location.search) ?? (staff ? '/desk' : '/portal')} replace />} />
      <Route
        path="*"
        element={
          <AppShell>
            <Suspense fallback={<Loading />}>
              <Routes>
                <Route path="/" element={<Navigate to={staff ? '/desk' : '/portal'} replace />} />
                {staff && <Route path="/desk/*" element={<AgentArea />} />}
                {staff && seesAllQueues(user) && <Route path="/supervisor/*" element={<SupervisorArea />} />}
                {staff && user.roles.includes('admin') && <Route path="/admin/*" element={<AdminArea />} />}
                {!staff && <Route path="/portal/*" element={<PortalArea />} />}
                <Route path="*" element={<Navigate to={staff ? '/desk' : '/portal'} replace />} />
              </Routes>
            </Suspense>
          </AppShell>
        }
      />
    </Routes>
  )
}
