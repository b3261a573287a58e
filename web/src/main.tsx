import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { BrowserRouter } from 'react-router'
import { App } from './app.tsx'
import { SessionProvider } from './components/session.tsx'
import { initI18n } from './i18n.ts'
import './styles.css'

await initI18n()
const root = document.getElementById('root')
if (root === null) throw new Error('no #root element')
createRoot(root).render(
  <StrictMode>
    <BrowserRouter>
      <SessionProvider>
        <App />
      </SessionProvider>
    </BrowserRouter>
  </StrictMode>,
)
