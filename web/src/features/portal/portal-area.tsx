import { Navigate, Route, Routes } from 'react-router'
import { NewRequestPage } from './new-request-page.tsx'
import './portal.css'
import { RequestListPage } from './request-list-page.tsx'
import { RequestPage } from './request-page.tsx'

/** The customer portal under `/portal`: my requests, a new request, one request. */
export function PortalArea() {
  return (
    <Routes>
      <Route index element={<RequestListPage />} />
      <Route path="new" element={<NewRequestPage />} />
      <Route path="requests/:id" element={<RequestPage />} />
      <Route path="*" element={<Navigate to="/portal" replace />} />
    </Routes>
  )
}
