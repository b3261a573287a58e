import { useTranslation } from 'react-i18next'
import { NavLink, Navigate, Route, Routes } from 'react-router'
import './admin.css'
import { CategoriesPage } from './categories-page.tsx'
import { ChatSettingsPage } from './chat-settings-page.tsx'
import { GroupsPage } from './groups-page.tsx'
import { IntegrationsPage } from './integrations-page.tsx'
import { OrganisationsPage } from './organisations-page.tsx'
import { OutboxPage } from './outbox-page.tsx'
import { SlaAdminPage } from './sla/sla-admin-page.tsx'
import { UsersPage } from './users-page.tsx'

const TABS = ['users', 'groups', 'organisations', 'categories', 'sla', 'integrations', 'chat', 'outbox'] as const

/** Administration under `/admin`: people, teams, customer companies, the category tree, the SLA engine, integrations, web chat and the outbox. */
export function AdminArea() {
  const { t } = useTranslation('admin')
  return (
    <div className="ad-area stack">
      <h1>{t('title')}</h1>
      <nav aria-label={t('tabsLabel')}>
        <ul className="ad-tabs">
          {TABS.map((tab) => (
            <li key={tab}>
              <NavLink to={`/admin/${tab}`} className={({ isActive }) => `ad-tab ${isActive ? 'ad-tab-current' : ''}`} data-testid={`admin-tab-${tab}`}>
                {t(`tabs.${tab}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to="/admin/users" replace />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="groups" element={<GroupsPage />} />
        <Route path="organisations" element={<OrganisationsPage />} />
        <Route path="categories" element={<CategoriesPage />} />
        <Route path="sla/*" element={<SlaAdminPage />} />
        <Route path="integrations" element={<IntegrationsPage />} />
        <Route path="chat" element={<ChatSettingsPage />} />
        <Route path="outbox" element={<OutboxPage />} />
        <Route path="*" element={<Navigate to="/admin/users" replace />} />
      </Routes>
    </div>
  )
}
