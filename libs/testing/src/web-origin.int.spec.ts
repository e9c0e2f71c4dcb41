import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, IncomingHttpHeaders, request, Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { renderWebOriginConfig, RunningWebOrigin, startWebOrigin, WebOriginUpstreams } from './web-origin';

// The unit under test is infra/nginx's config in a real nginx: the upstreams are tiny echo servers.
type Upstream = { name: keyof WebOriginUpstreams; server: Server; url: string };

async function startEcho(name: keyof WebOriginUpstreams): Promise<Upstream> {
  const server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'private, max-age=5');
      res.end(JSON.stringify({ upstream: name, port: req.socket.localPort, method: req.method, url: req.url, headers: req.headers, bytes }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { name, server, url: `http://127.0.0.1:${port}` };
}

/** A raw GET (no automatic decompression), so the test sees exactly what nginx sent. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject).end();
  });
}

function post(url: string, body: Buffer): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', 'content-length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    // nginx may answer (413) before the body is sent and close: the answer is what counts
    req.on('error', (error) => (error as NodeJS.ErrnoException).code === 'EPIPE' || (error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error));
    req.end(body);
  });
}

const INDEX_HTML = '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>\n';
const SCRIPT = `export const greeting = ${JSON.stringify('hello '.repeat(500))};\n`;

describe('the web origin (nginx with infra/nginx/cbme.conf.template)', () => {
  let upstreams: Upstream[];
  let webRoot: string;
  let origin: RunningWebOrigin;

  beforeAll(async () => {
    upstreams = await Promise.all((['identity', 'coaching', 'feedback', 'analytics'] as const).map(startEcho));
    webRoot = await mkdtemp(path.join(tmpdir(), 'cbme-web-root-'));
    await mkdir(path.join(webRoot, 'assets'));
    await writeFile(path.join(webRoot, 'index.html'), INDEX_HTML);
    await writeFile(path.join(webRoot, 'assets/index-abc123.js'), SCRIPT);
    await writeFile(path.join(webRoot, 'assets/logo-def456.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const [identity, coaching, feedback, analytics] = upstreams.map((u) => u.url);
    origin = await startWebOrigin({ identity, coaching, feedback, analytics }, { webRoot: webRoot });
  });

  afterAll(async () => {
    await origin?.stop();
    await Promise.all(upstreams.map((u) => new Promise((resolve) => u.server.close(resolve))));
    await rm(webRoot, { recursive: true, force: true });
  });

  it('passes /api/identity/... to identity without the prefix, query kept, with X-Forwarded-* headers', async () => {
    const response = await get(`${origin.url}api/identity/x?y=1`, { 'x-forwarded-for': '203.0.113.7' });
    expect(response.status).toBe(200);
    const echoed = JSON.parse(response.body.toString());
    expect(echoed).toMatchObject({ upstream: 'identity', method: 'GET', url: '/x?y=1' });
    const port = new URL(origin.url).port;
    expect(echoed.headers).toMatchObject({
      host: '127.0.0.1',
      'x-forwarded-for': '127.0.0.1', // the client's address, not what it claimed
      'x-real-ip': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': '127.0.0.1',
      'x-forwarded-port': port,
    });
  });

  it.each(['identity', 'coaching', 'feedback', 'analytics'])('sends /api/%s/ to its own service', async (name) => {
    const response = await get(`${origin.url}api/${name}/schools/medicine/activity`);
    expect(JSON.parse(response.body.toString())).toMatchObject({ upstream: name, url: '/schools/medicine/activity' });
  });

  it("reaches identity's single sign-on callback at /api/identity/auth/sso/callback", async () => {
    const response = await get(`${origin.url}api/identity/auth/sso/callback?code=abc&state=xyz`);
    expect(JSON.parse(response.body.toString())).toMatchObject({ upstream: 'identity', url: '/auth/sso/callback?code=abc&state=xyz' });
  });

  it('answers an unknown /api/ path itself with a JSON 404, not the app', async () => {
    const response = await get(`${origin.url}api/reports/x`);
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(response.body.toString())).toMatchObject({ statusCode: 404 });
  });

  it("keeps every service's /metrics from the browser's origin (Prometheus scrapes the services' own ports)", async () => {
    for (const route of ['api/identity/metrics', 'api/coaching/METRICS', 'api/feedback/metrics/', 'api/analytics//metrics?x=1']) {
      const response = await get(`${origin.url}${route}`);
      expect({ route, status: response.status }).toEqual({ route, status: 404 });
      expect(JSON.parse(response.body.toString())).toMatchObject({ statusCode: 404 });
    }
    // only the route itself: a path that merely starts with it still reaches the service
    expect(JSON.parse((await get(`${origin.url}api/analytics/metrics-of-cohorts`)).body.toString())).toMatchObject({ upstream: 'analytics' });
  });

  it('passes a history import to its service beyond the 20 MiB other bodies may have, query kept; over a limit, a JSON 413', async () => {
    const body = Buffer.alloc(21 * 1024 * 1024, 'x');
    for (const name of ['coaching', 'feedback']) {
      const response = await post(`${origin.url}api/${name}/history-imports?validOnly=true`, body);
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body.toString())).toMatchObject({ upstream: name, method: 'POST', url: '/history-imports?validOnly=true', bytes: body.length });
    }
    const refused = await post(`${origin.url}api/identity/schools/medicine/roster`, body);
    expect(refused.status).toBe(413);
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(refused.body.toString())).toEqual({ statusCode: 413, error: 'payload-too-large', message: 'the upload is larger than 20971520 bytes' });
  });

  it('serves static files with their content type', async () => {
    const script = await get(`${origin.url}assets/index-abc123.js`);
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/^application\/javascript/);
    expect(script.body.toString()).toBe(SCRIPT);
    const svg = await get(`${origin.url}assets/logo-def456.svg`);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  it('answers an app route with index.html (SPA fallback), not to be cached', async () => {
    for (const route of ['', 'learner/goals/123']) {
      const response = await get(`${origin.url}${route}`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body.toString()).toBe(INDEX_HTML);
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('answers a missing hashed asset with 404, not index.html', async () => {
    const response = await get(`${origin.url}assets/gone-000000.js`);
    expect(response.status).toBe(404);
    expect(response.body.toString()).not.toContain('<div id="root">');
  });

  it('caches /assets/ for a year and gzips them when asked', async () => {
    const response = await get(`${origin.url}assets/index-abc123.js`, { 'accept-encoding': 'gzip' });
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(response.body).toString()).toBe(SCRIPT);
    const plain = await get(`${origin.url}assets/index-abc123.js`);
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('sends the security headers on pages and API answers, and no version', async () => {
    for (const target of ['', 'api/coaching/x']) {
      const response = await get(`${origin.url}${target}`);
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("img-src 'self' data:");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('same-origin');
      expect(response.headers.server).toBe('nginx');
    }
  });

  it("keeps the services' own cache headers on API answers", async () => {
    const response = await get(`${origin.url}api/feedback/goals`);
    expect(response.headers['cache-control']).toBe('private, max-age=5');
  });

  it('answers with a JSON 503 while a service is down', async () => {
    const analytics = upstreams.find((u) => u.name === 'analytics') as Upstream;
    await new Promise((resolve) => analytics.server.close(resolve));
    const response = await get(`${origin.url}api/analytics/schools/medicine/analytics`);
    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(response.body.toString())).toMatchObject({ statusCode: 503 });
  });
});

describe('startWebOrigin', () => {
  it('says so while the app is not built, and stops nginx and frees its port on stop()', async () => {
    const nowhere = 'http://127.0.0.1:1';
    const emptyRoot = await mkdtemp(path.join(tmpdir(), 'cbme-web-root-'));
    const origin = await startWebOrigin({ identity: nowhere, coaching: nowhere, feedback: nowhere, analytics: nowhere }, { webRoot: emptyRoot });
    const page = await get(`${origin.url}learner/goals`);
    expect(page.status).toBe(404);
    expect(page.body.toString()).toContain('The web app is not built');
    expect((await get(`${origin.url}api/identity/health`)).status).toBe(503);
    await origin.stop();
    await expect(get(origin.url)).rejects.toThrow(/ECONNREFUSED/);
    await rm(emptyRoot, { recursive: true, force: true });
  });

  it('spreads a service\'s requests over its instances, and leaves out one that is down', async () => {
    const instances = await Promise.all([startEcho('coaching'), startEcho('coaching')]);
    const nowhere = 'http://127.0.0.1:1';
    const emptyRoot = await mkdtemp(path.join(tmpdir(), 'cbme-web-root-'));
    const spread = await startWebOrigin({ identity: nowhere, coaching: instances.map((i) => i.url), feedback: nowhere, analytics: nowhere }, { webRoot: emptyRoot });
    try {
      const portsAnswering = async (requests: number) => {
        const ports = new Set<number>();
        for (let i = 0; i < requests; i++) {
          const response = await get(`${spread.url}api/coaching/roster`);
          expect(response.status).toBe(200);
          ports.add(JSON.parse(response.body.toString()).port);
        }
        return [...ports].sort();
      };
      const [first, second] = instances.map((i) => Number(new URL(i.url).port));
      expect(await portsAnswering(6)).toEqual([first, second].sort());
      instances[0].server.closeAllConnections();
      await new Promise((resolve) => instances[0].server.close(resolve));
      expect(await portsAnswering(4)).toEqual([second]);
    } finally {
      await spread.stop();
      await new Promise((resolve) => instances[1].server.close(resolve));
      await rm(emptyRoot, { recursive: true, force: true });
    }
  });

  it('refuses a template variable it has no value for', () => {
    expect(() => renderWebOriginConfig('listen ${CBME_LISTEN}; root ${CBME_NOPE};', new Map([['CBME_LISTEN', '8080']]))).toThrow(/CBME_NOPE/);
    expect(renderWebOriginConfig('listen ${CBME_LISTEN}; try_files $uri /index.html;', new Map([['CBME_LISTEN', '8080']]))).toBe('listen 8080; try_files $uri /index.html;');
  });
});
