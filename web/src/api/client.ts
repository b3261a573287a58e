/**
 * The web app talks only to the public `/api/v1`, as any integration would. The client
 * keeps the CSRF token of the session and sends it on every change; a 401 sends the person
 * to the sign-in page and back where they were afterwards.
 */
export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly fields?: readonly { field: string; message: string }[] }
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly { field: string; message: string }[] = [],
  ) {
    super(message)
  }
}

let csrfToken: string | null = null
let onUnauthenticated: () => void = () => undefined

export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler
}

async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit = { method, headers: { ...headers }, credentials: 'same-origin' }
  const allHeaders = init.headers as Record<string, string>
  if (body instanceof FormData) init.body = body
  else if (body !== undefined) {
    init.body = JSON.stringify(body)
    allHeaders['content-type'] = 'application/json'
  }
  if (method !== 'GET' && csrfToken !== null) allHeaders['x-csrf-token'] = csrfToken
  const response = await fetch(`/api/v1${path}`, init)
  if (response.status === 204) return undefined as T
  const data = (await response.json().catch(() => null)) as unknown
  if (!response.ok) {
    const error = (data as ApiErrorBody | null)?.error
    if (response.status === 401 && !path.startsWith('/auth/')) onUnauthenticated()
    throw new ApiError(response.status, error?.code ?? 'INTERNAL', error?.message ?? response.statusText, error?.fields ?? [])
  }
  return data as T
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) => request<T>('POST', path, body, headers),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
}
