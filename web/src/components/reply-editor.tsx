import { type FormEvent, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError, api } from '../api/client.ts'
import type { Attachment } from '../api/types.ts'

/** Uploads files one by one and returns their ids, for a message's `attachmentIds`. */
export async function uploadFiles(files: readonly File[]): Promise<string[]> {
  const ids: string[] = []
  for (const file of files) {
    const form = new FormData()
    form.append('file', file, file.name)
    ids.push((await api.post<Attachment>('/attachments', form)).id)
  }
  return ids
}

/**
 * The reply box of a ticket: text, files, and — for agents — public reply or internal note,
 * which look different so nobody sends a note to the customer by mistake.
 */
export function ReplyEditor({
  ticketId,
  allowInternal,
  canWait = false,
  onSent,
}: {
  ticketId: string
  allowInternal: boolean
  /** Offer "send and wait on the customer": the reply and the pause in one action. */
  canWait?: boolean
  onSent: () => void
}) {
  const { t } = useTranslation()
  const id = useId()
  const [body, setBody] = useState('')
  const [visibility, setVisibility] = useState<'public' | 'internal'>('public')
  const [files, setFiles] = useState<File[]>([])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // Which button sent the form; a ref, because the click and the submit come in one event.
  const then = useRef<'wait' | undefined>(undefined)

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (body.trim() === '') return
    setBusy(true)
    setError(null)
    try {
      const attachmentIds = await uploadFiles(files)
      const step = visibility === 'public' ? then.current : undefined
      await api.post(`/tickets/${ticketId}/messages`, { body, visibility, ...(attachmentIds.length > 0 ? { attachmentIds } : {}), ...(step !== undefined ? { then: step } : {}) })
      setBody('')
      setFiles([])
      ;(event.target as HTMLFormElement).reset()
      onSent()
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('error.generic'))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className={`reply-editor card stack ${visibility === 'internal' ? 'message-internal' : ''}`} onSubmit={submit}>
      {allowInternal && (
        <fieldset className="row">
          <legend className="visually-hidden">{t('reply.visibility')}</legend>
          <label>
            <input type="radio" name={`${id}-visibility`} checked={visibility === 'public'} onChange={() => setVisibility('public')} data-testid="visibility-public" />{' '}
            {t('reply.public')}
          </label>
          <label>
            <input type="radio" name={`${id}-visibility`} checked={visibility === 'internal'} onChange={() => setVisibility('internal')} data-testid="visibility-internal" />{' '}
            {t('reply.internal')}
          </label>
        </fieldset>
      )}
      <label htmlFor={`${id}-body`}>{visibility === 'internal' ? t('reply.noteLabel') : allowInternal ? t('reply.label') : t('reply.customerLabel')}</label>
      <textarea id={`${id}-body`} value={body} onChange={(event) => setBody(event.target.value)} data-testid="reply-body" required />
      <label htmlFor={`${id}-files`}>{t('reply.files')}</label>
      <input id={`${id}-files`} type="file" multiple onChange={(event) => setFiles([...(event.target.files ?? [])])} data-testid="reply-files" />
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button-primary" disabled={busy || body.trim() === ''} data-testid="reply-send" onClick={() => (then.current = undefined)}>
          {visibility === 'internal' ? t('reply.sendNote') : t('reply.send')}
        </button>
        {canWait && visibility === 'public' && (
          <button type="submit" className="button-quiet" disabled={busy || body.trim() === ''} data-testid="reply-send-wait" onClick={() => (then.current = 'wait')}>
            {t('reply.sendAndWait')}
          </button>
        )}
      </div>
    </form>
  )
}
