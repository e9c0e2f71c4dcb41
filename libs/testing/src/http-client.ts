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

/** A tiny JSON client over fetch, returning status and body instead of throwing on 4xx. */
export function httpClient(baseUrl: string) {
  const call = async <T = any>(method: string, path: string, actor?: Actor, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(actor ? { authorization: `Bearer ${actor.token}` } : {}),
        ...(actor?.schoolId ? { 'x-school-id': actor.schoolId } : {}),
        ...(actor?.role ? { 'x-acting-role': actor.role } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
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
