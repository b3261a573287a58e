import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { NavLink, useNavigate } from 'react-router'
import { isStaffUser, seesAllQueues } from '../api/types.ts'
import { ScreenPop } from '../features/agent/screen-pop.tsx'
import { LanguageSwitch } from './language-switch.tsx'
import { NotificationsBell } from './notifications-bell.tsx'
import { useSession } from './session.tsx'

/** The frame of every signed-in screen: skip link, navigation for the person's role, notifications (staff), language, sign-out. */
export function AppShell({ children }: { children: ReactNode }) {
  const { t } = useTranslation()
  const { user, signOut } = useSession()
  const navigate = useNavigate()
  const staff = user !== null && isStaffUser(user)
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <span className="brand">Loopdesk</span>
        <nav aria-label={t('nav.label')}>
          <ul>
            {staff ? (
              <>
                <li>
                  <NavLink to="/desk">{t('nav.workspace')}</NavLink>
                </li>
                <li>
                  <NavLink to="/desk/calls">{t('phone:nav.calls')}</NavLink>
                </li>
                {user !== null && seesAllQueues(user) && (
                  <li>
                    <NavLink to="/supervisor">{t('nav.supervisor')}</NavLink>
                  </li>
                )}
                {user?.roles.includes('admin') === true && (
                  <li>
                    <NavLink to="/admin">{t('nav.admin')}</NavLink>
                  </li>
                )}
              </>
            ) : (
              <>
                <li>
                  <NavLink to="/portal" end>
                    {t('nav.myRequests')}
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/portal/new">{t('nav.newRequest')}</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
        <div className="topbar-end">
          {staff && <NotificationsBell />}
          <LanguageSwitch />
          {user !== null && <span className="who">{user.name}</span>}
          <button
            type="button"
            className="button-quiet"
            onClick={async () => {
              await signOut()
              navigate('/login')
            }}
          >
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      {staff && <ScreenPop />}
    </div>
  )
}
