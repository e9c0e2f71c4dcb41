import { Actor, dropServiceDatabases, freePort, httpClient, RunningService, startServiceProcess, uniqueName, waitFor } from '@cbme/testing';
import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';

/**
 * One command in feedback is one trace that ends in analytics' projection of its event. The services run from the
 * production build with the SDK's OTLP/HTTP exporter (JSON), set by the standard OTEL_* variables, pointed at a tiny
 * receiver here that keeps every span: an in-memory exporter cannot be read across processes.
 */
const namespace = uniqueName('trace');
const INSTITUTION = 'inst-trace';
const PASSWORD = 'correct horse battery staple';
const ADMIN_EMAIL = 'admin@inst-trace.edu';

interface ReceivedSpan { service: string; traceId: string; spanId: string; parentSpanId?: string; name: string }
const received: ReceivedSpan[] = [];

interface OtlpJson {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans?: Array<{ spans?: Array<{ traceId: string; spanId: string; parentSpanId?: string; name: string }> }>;
  }>;
}

/** The receiving end of OTLP/HTTP with the JSON encoding: POST /v1/traces. */
function otlpReceiver(): Server {
  return createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpJson;
        for (const { resource, scopeSpans } of body.resourceSpans ?? []) {
          const service = resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
          for (const { spans } of scopeSpans ?? []) for (const span of spans ?? []) received.push({ service, ...span });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
}

let receiver: Server;
const services: Record<string, RunningService> = {};
const http = (name: string) => httpClient(services[name].url);

beforeAll(async () => {
  const port = await freePort();
  receiver = otlpReceiver();
  await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
  const env: Record<string, string> = { CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION };
  const tracing = {
    OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_BSP_SCHEDULE_DELAY: '200',
  };
  services.identity = await startServiceProcess('identity', { ...env, BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD: PASSWORD }, undefined, 'build');
  env.AUTH_JWKS_URL = `${services.identity.url}/.well-known/jwks.json`;
  const [feedback, analytics] = await Promise.all(['feedback', 'analytics'].map((name) => startServiceProcess(name, { ...env, ...tracing }, undefined, 'build')));
  Object.assign(services, { feedback, analytics });
}, 240_000);

afterAll(async () => {
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await new Promise((resolve) => receiver?.close(resolve));
  await dropServiceDatabases(namespace, Object.keys(services));
});

async function signIn(email: string): Promise<Actor> {
  const response = await http('identity').post('/auth/login', undefined, { email, password: PASSWORD });
  expect(response.status).toBe(200);
  return { token: response.body.accessToken };
}

/** From a span up through its parents, as far as the received spans go (the last is the root or an orphan). */
function ancestry(span: ReceivedSpan, spans: ReceivedSpan[]): ReceivedSpan[] {
  const chain = [span];
  for (let at = span; at.parentSpanId;) {
    const parent = spans.find((s) => s.spanId === at.parentSpanId);
    if (!parent) break;
    chain.unshift(parent);
    at = parent;
  }
  return chain;
}

describe('traces', () => {
  it('follows one command in feedback through its append, the relay, Kafka and analytics\' inbox to its projection', async () => {
    const admin = await signIn(ADMIN_EMAIL);
    expect((await http('identity').post('/schools', admin, { schoolId: 'medicine', name: 'Medicine' })).status).toBe(201);
    const registered = await http('identity').post('/schools/medicine/users', admin, { userId: 'lea-1', email: 'lea-1@inst-trace.edu', displayName: 'Lea', role: 'learner', password: PASSWORD });
    expect(registered.status).toBe(201);
    const learner = await signIn('lea-1@inst-trace.edu');

    // the caller starts the trace (W3C traceparent), so the test knows its id
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const target = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    const set = await http('feedback').post('/goals', learner, { description: 'Lead a structured handover', competencies: ['ICS'], targetDate: target },
      { traceparent: `00-${traceId}-${callerSpanId}-01` });
    expect(set.status).toBe(201);

    const chain = await waitFor(() => {
      const trace = received.filter((s) => s.traceId === traceId);
      const projected = trace.find((s) => s.service === 'analytics' && s.name.startsWith('project '));
      if (!projected) throw new Error('analytics has not projected the event yet');
      const path = ancestry(projected, trace);
      expect(path[0].parentSpanId).toBe(callerSpanId); // connected all the way up to the caller
      return path;
    }, { timeoutMs: 60_000, intervalMs: 250 });

    const steps = chain.map((s) => `${s.service}: ${s.name}`);
    const expected = [
      /^feedback: POST/, /^feedback: command SetGoal$/, /^feedback: append$/, /^feedback: relay publish$/,
      /^feedback: send .*\.feedback\.events$/, /^analytics: inbox store$/, /^analytics: project /,
    ];
    // each step in this order, any further instrumented spans (express middleware, mongoose) between them
    let from = 0;
    for (const step of expected) {
      const found = steps.findIndex((s, i) => i >= from && step.test(s));
      expect({ step: String(step), found: found >= 0, steps }).toMatchObject({ found: true });
      from = found + 1;
    }
    expect(new Set(chain.map((s) => s.traceId))).toEqual(new Set([traceId]));
  }, 120_000);
});
