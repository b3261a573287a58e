import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate, useSearchParams } from 'react-router'
import { ApiError, api } from '../../api/client.ts'
import { type Me, isStaffUser } from '../../api/types.ts'
import { LanguageSwitch } from '../../components/language-switch.tsx'
import { useSession } from '../../components/session.tsx'

/** One sign-in page for agents and customers; afterwards back where they were, or to their home. */
export function LoginPage() {
  const { t } = useTranslation()
  const { signedIn } = useSession()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const expired = params.get('expired') === '1'

  async function submit(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const me = await api.post<Me>('/auth/login', { email, password })
      signedIn(me)
      const next = params.get('next')
      navigate(next !== null && next.startsWith('/') && !next.startsWith('//') ? next : isStaffUser(me.user) ? '/desk' : '/portal', { replace: true })
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 401 ? t('login.wrong') : t('error.generic'))
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="login" id="main">
      <div className="login-card">
        <div className="login-head">
          <h1>Loopdesk</h1>
          <LanguageSwitch />
        </div>
        <p className="muted">{t('login.tagline')}</p>
        {expired && (
          <p className="notice" role="status">
            {t('login.expired')}
          </p>
        )}
        <form onSubmit={submit} noValidate>
          <label htmlFor="login-email">{t('login.email')}</label>
          <input id="login-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <label htmlFor="login-password">{t('login.password')}</label>
          <input id="login-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          {error !== null && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button-primary" disabled={busy}>
            {t('login.submit')}
          </button>
        </form>
      </div>
    </main>
  )
}
