/** A minimal HTTP client that keeps a session cookie and its CSRF token, as a browser would. */
export interface ApiResponse<T = any> {
  readonly status: number
  readonly body: T
  readonly headers: Headers
}

export class ApiClient {
  private cookie: string | undefined
  private csrfToken: string | undefined
  private bearer: string | undefined

  constructor(readonly baseUrl: string) {}

  static withToken(baseUrl: string, token: string): ApiClient {
    const client = new ApiClient(baseUrl)
    client.bearer = token
    return client
  }

  async login(email: string, password: string): Promise<ApiResponse> {
    const response = await this.request('POST', '/api/v1/auth/login', { email, password })
    if (response.status === 200) this.csrfToken = response.body.csrfToken
    return response
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path)
  }
  post<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request<T>('POST', path, body, headers)
  }
  patch<T = any>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body)
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path)
  }

  /** Sends a request; a string body is sent as-is (for malformed-input tests). */
  async request<T = any>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...extraHeaders }
    if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json'
    if (this.cookie !== undefined) headers.cookie = this.cookie
    if (this.csrfToken !== undefined && headers['x-csrf-token'] === undefined) headers['x-csrf-token'] = this.csrfToken
    if (this.bearer !== undefined) headers.authorization = `Bearer ${this.bearer}`
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' || body instanceof FormData ? (body as string) : JSON.stringify(body),
    })
    const setCookie = response.headers.get('set-cookie')
    if (setCookie !== null) this.cookie = setCookie.split(';')[0]
    const text = await response.text()
    let parsed: unknown = text
    if ((response.headers.get('content-type') ?? '').includes('application/json') && text !== '') parsed = JSON.parse(text)
    return { status: response.status, body: parsed as T, headers: response.headers }
  }

  /** Headers carrying the client's credentials (for a WebSocket handshake, say). */
  credentials(): Record<string, string> {
    const headers: Record<string, string> = {}
    if (this.cookie !== undefined) headers.cookie = this.cookie
    if (this.bearer !== undefined) headers.authorization = `Bearer ${this.bearer}`
    return headers
  }

  /** A plain GET with the client's credentials, for binary downloads. */
  async fetchRaw(path: string): Promise<Response> {
    const headers: Record<string, string> = {}
    if (this.cookie !== undefined) headers.cookie = this.cookie
    if (this.bearer !== undefined) headers.authorization = `Bearer ${this.bearer}`
    return fetch(`${this.baseUrl}${path}`, { headers })
  }

  /** Uploads a file as multipart/form-data. */
  async upload(filename: string, content: Uint8Array, type = 'application/octet-stream'): Promise<ApiResponse> {
    const form = new FormData()
    form.append('file', new Blob([content], { type }), filename)
    const headers: Record<string, string> = {}
    if (this.cookie !== undefined) headers.cookie = this.cookie
    if (this.csrfToken !== undefined) headers['x-csrf-token'] = this.csrfToken
    if (this.bearer !== undefined) headers.authorization = `Bearer ${this.bearer}`
    const response = await fetch(`${this.baseUrl}/api/v1/attachments`, { method: 'POST', headers, body: form })
    const text = await response.text()
    return { status: response.status, body: text === '' ? null : JSON.parse(text), headers: response.headers }
  }
}
