import { Navigate, Route, Routes } from 'react-router'
import './agent.css'
import { CallsPage } from './calls-page.tsx'
import { CustomerPage } from './customer-page.tsx'
import { QueuePage } from './queue-page.tsx'
import { TicketPage } from './ticket-page.tsx'

/** The agent workspace under `/desk`: the queues and the ticket screen. */
export function AgentArea() {
  return (
    <Routes>
      <Route index element={<QueuePage />} />
      <Route path="tickets/:id" element={<TicketPage />} />
      <Route path="customers/:id" element={<CustomerPage />} />
      <Route path="calls" element={<CallsPage />} />
      <Route path="*" element={<Navigate to="/desk" replace />} />
    </Routes>
  )
}
