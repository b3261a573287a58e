import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../api/client.ts'

interface MessageOriginal {
  bodyOriginal: string
  bodyHtml: string | null
}

/**
 * An e-mail message's text as received (before quoted history and signatures were trimmed)
 * and its HTML, loaded when the agent opens it. The HTML was sanitised by the server (an
 * allow-list of formatting tags, no scripts, handlers or remote images) before it was stored.
 */
export function EmailOriginal({ messageId }: { messageId: string }) {
  const { t } = useTranslation('integrations')
  const [state, setState] = useState<{ kind: 'idle' | 'loading' | 'failed' } | { kind: 'loaded'; value: MessageOriginal }>({ kind: 'idle' })
  const load = () => {
    if (state.kind !== 'idle' && state.kind !== 'failed') return
    setState({ kind: 'loading' })
    api.get<MessageOriginal>(`/messages/${messageId}/original`).then(
      (value) => setState({ kind: 'loaded', value }),
      () => setState({ kind: 'failed' }),
    )
  }
  return (
    <details className="email-original" data-testid="email-original" onToggle={(event) => (event.currentTarget.open ? load() : undefined)}>
      <summary>{t('emailOriginal.show')}</summary>
      {state.kind === 'loading' && <p role="status">{t('emailOriginal.loading')}</p>}
      {state.kind === 'failed' && <p role="alert">{t('emailOriginal.failed')}</p>}
      {state.kind === 'loaded' && (
        <>
          <h4>{t('emailOriginal.original')}</h4>
          <pre className="message-body">{state.value.bodyOriginal}</pre>
          <h4>{t('emailOriginal.html')}</h4>
          {state.value.bodyHtml === null ? (
            <p>{t('emailOriginal.noHtml')}</p>
          ) : (
            <div className="message-body email-html" dangerouslySetInnerHTML={{ __html: state.value.bodyHtml }} />
          )}
        </>
      )}
    </details>
  )
}
