/**
 * The typed API client of the web UI: same-origin `fetch` with the session cookie, the
 * `X-Requested-With` header the server requires of cookie-authenticated writes (CSRF guard),
 * JSON error bodies turned into `ApiError`, and a 401 anywhere sending the user to the login page.
 */

export type Role = 'admin' | 'operator' | 'analyst' | 'api';

export interface Session {
  name: string;
  role: Role;
  permissions: string[];
}

/** An error answer of the API (`{ error: { code, message, details } }`) or a network failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called on every 401 except from the session routes themselves; returns an unsubscribe function. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
  code?: string;
  message?: string;
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-requested-with': 'nextoffer-web' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', e instanceof Error ? e.message : String(e));
  }
  const text = await response.text();
  let parsed: unknown = null;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) {
    const err = (parsed ?? {}) as ErrorBody;
    const code = err.error?.code ?? err.code ?? `HTTP_${response.status}`;
    const message = err.error?.message ?? err.message ?? (text.slice(0, 300) || response.statusText);
    if (response.status === 401 && !path.startsWith('/v1/session')) {
      for (const listener of unauthorizedListeners) listener();
    }
    throw new ApiError(response.status, code, message, err.error?.details);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    request<T>('GET', withQuery(path, query), undefined, signal),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** The signed-in user, or null when there is no valid session. */
export async function currentSession(): Promise<Session | null> {
  try {
    return await api.get<Session>('/v1/session');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function login(name: string, password: string): Promise<Session> {
  return api.post<Session>('/v1/session', { name, password });
}

export function logout(): Promise<void> {
  return api.delete<void>('/v1/session');
}
