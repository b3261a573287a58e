import { useTranslation } from 'react-i18next'
import { NavLink, Navigate, Route, Routes } from 'react-router'
import { CalendarsSection } from './calendars-section.tsx'
import { EscalationChainsSection } from './escalation-chains-section.tsx'
import { PoliciesSection } from './policies-section.tsx'
import { SpecialPeriodsSection } from './special-periods-section.tsx'
import './sla-admin.css'

const SECTIONS = ['policies', 'calendars', 'periods', 'chains'] as const

/** The SLA engine's settings under `/admin/sla`: policies, business calendars, special periods and escalation chains. */
export function SlaAdminPage() {
  const { t } = useTranslation('admin')
  return (
    <section className="stack" aria-labelledby="admin-sla-title">
      <h2 id="admin-sla-title">{t('sla.title')}</h2>
      <p className="ad-intro muted">{t('sla.intro')}</p>
      <nav aria-label={t('sla.sectionsLabel')}>
        <ul className="ad-subtabs">
          {SECTIONS.map((section) => (
            <li key={section}>
              <NavLink to={`/admin/sla/${section}`} data-testid={`sla-section-${section}`}>
                {t(`sla.sections.${section}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to="/admin/sla/policies" replace />} />
        <Route path="policies" element={<PoliciesSection />} />
        <Route path="calendars" element={<CalendarsSection />} />
        <Route path="periods" element={<SpecialPeriodsSection />} />
        <Route path="chains" element={<EscalationChainsSection />} />
        <Route path="*" element={<Navigate to="/admin/sla/policies" replace />} />
      </Routes>
    </section>
  )
}
