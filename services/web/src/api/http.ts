/** The four services, each behind nginx at /api/<service>/ (one origin, no CORS). */
export type Service = 'identity' | 'coaching' | 'feedback' | 'analytics';

/** The services' one JSON error shape: { statusCode, error, message, details? } (service-runtime's ErrorFilter). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: string[] = [],
    /** the details as sent, e.g. a roster's bad rows { line, reasons } */
    readonly rawDetails: unknown[] = [],
  ) {
    super(message);
  }

  /**
   * class-validator's messages start with the property's name: the ones about `field`. A domain rule's refusal
   * names its field as `field: message`; the field shows the message alone.
   */
  about(field: string): string[] {
    return this.details.flatMap((detail) =>
      detail.startsWith(`${field}: `) ? [detail.slice(field.length + 2)]
      : detail === field || detail.startsWith(`${field} `) || detail.startsWith(`${field}.`) ? [detail]
      : []);
  }
}

/** The request could not reach the server (offline, nginx or the service down): worth a retry. */
export class NetworkError extends Error {}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  /** a raw body (CSV upload; a File is streamed, never read into memory) instead of JSON */
  text?: string | Blob;
  contentType?: string;
  /** the response is text (CSV export), not JSON */
  asText?: boolean;
}

/**
 * Read-your-writes: the highest position each service said a command of this page wrote to its event store
 * (`X-Written-Position`); every later GET to that service sends it back as `X-Read-After`, and the service answers
 * once its own read models have applied it. Positions of one service's store say nothing about another's.
 */
export class WrittenPositions {
  private readonly highest = new Map<Service, number>();

  remember(service: Service, header: string | null): void {
    if (header === null || !/^[0-9]{1,15}$/.test(header)) return;
    this.highest.set(service, Math.max(this.highest.get(service) ?? 0, Number(header)));
  }

  /** the X-Read-After header for a GET to `service`, if this page wrote there */
  readAfter(service: Service): Record<string, string> {
    const position = this.highest.get(service);
    return position === undefined ? {} : { 'x-read-after': String(position) };
  }
}

/** one per page: positions outlive a sign-out harmlessly (waiting for a write that is done costs nothing) */
export const writtenPositions = new WrittenPositions();

export function apiUrl(service: Service, path: string, query?: CallOptions['query']): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') search.set(key, String(value));
  const suffix = search.size ? `?${search}` : '';
  return `/api/${service}${path}${suffix}`;
}

/** One call to a service: JSON in and out, a 4xx or 5xx becomes an ApiError with the server's message. */
export async function call<T>(service: Service, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: options.asText ? 'text/csv' : 'application/json', ...options.headers };
  let body: string | Blob | undefined;
  if (options.text !== undefined) {
    body = options.text;
    headers['content-type'] = options.contentType ?? 'text/csv';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const method = options.method ?? (body === undefined ? 'GET' : 'POST');
  if (method === 'GET') Object.assign(headers, { ...writtenPositions.readAfter(service), ...options.headers });
  let response: Response;
  try {
    response = await fetch(apiUrl(service, path, options.query), { method, headers, body });
  } catch {
    throw new NetworkError(`The ${service} service could not be reached. Check your connection and try again.`);
  }
  writtenPositions.remember(service, response.headers.get('x-written-position'));
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    throw new NetworkError(`The ${service} service is not answering right now (${response.status}). Try again in a moment.`);
  }
  if (options.asText && response.ok) return (await response.text()) as T;
  const text = await response.text();
  const parsed = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = (parsed ?? {}) as { message?: unknown; details?: unknown };
    const message = typeof error.message === 'string' ? error.message : `${service} answered ${response.status}`;
    const details = Array.isArray(error.details) ? error.details.filter((d): d is string => typeof d === 'string') : [];
    throw new ApiError(response.status, message, details, Array.isArray(error.details) ? error.details : []);
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
