/** Who a test request acts as: an access token, and optionally the school and role to act in. */
export interface Actor {
  token: string;
  schoolId?: string;
  role?: string;
}

export interface HttpResult<T = any> {
  status: number;
  body: T;
}

/** A request without an answer by then fails and says which (a hung server must not hold a test until its timeout). */
const REQUEST_TIMEOUT_MS = 120_000;

/** A tiny JSON client over fetch, returning status and body instead of throwing on 4xx. */
export function httpClient(baseUrl: string) {
  const call = async <T = any>(method: string, path: string, actor?: Actor, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> => {
    const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const timedOut = (error: unknown) => {
      throw signal.aborted ? new Error(`${method} ${baseUrl}${path}: no answer in ${REQUEST_TIMEOUT_MS / 1000} s`) : error;
    };
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      signal,
      headers: {
        'content-type': 'application/json',
        ...(actor ? { authorization: `Bearer ${actor.token}` } : {}),
        ...(actor?.schoolId ? { 'x-school-id': actor.schoolId } : {}),
        ...(actor?.role ? { 'x-acting-role': actor.role } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }).catch(timedOut);
    const text = await response.text().catch(timedOut);
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T };
  };
  return {
    get: <T = any>(path: string, actor?: Actor) => call<T>('GET', path, actor),
    post: <T = any>(path: string, actor?: Actor, body?: unknown, headers?: Record<string, string>) => call<T>('POST', path, actor, body ?? {}, headers),
    put: <T = any>(path: string, actor?: Actor, body?: unknown) => call<T>('PUT', path, actor, body ?? {}),
    delete: <T = any>(path: string, actor?: Actor) => call<T>('DELETE', path, actor),
  };
}
