/** Who a test request acts as (the header form of the caller, until signed tokens arrive). */
export interface Actor {
  userId: string;
  role: string;
  institutionId: string;
  schoolId: string;
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
        ...(actor ? { 'x-user-id': actor.userId, 'x-user-role': actor.role, 'x-institution-id': actor.institutionId, 'x-school-id': actor.schoolId } : {}),
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
  };
}
