import { dropServiceDatabases, httpClient, RunningPrometheus, RunningService, startPrometheus, startServiceProcess, uniqueName, waitFor } from '@cbme/testing';

/**
 * Metrics as an operator reads them: a real identity service and Debian's Prometheus scraping its /metrics every
 * second; the projections' lag is read back through Prometheus's HTTP API, before and after a command.
 */
const namespace = uniqueName('metrics');
const INSTITUTION = 'inst-metrics';
const PASSWORD = 'correct horse battery staple';

let identity: RunningService;
let prometheus: RunningPrometheus;
let admin: { token: string };
let api: ReturnType<typeof httpClient>;

beforeAll(async () => {
  identity = await startServiceProcess('identity', {
    CBME_NAMESPACE: namespace, INSTITUTION_ID: INSTITUTION, BOOTSTRAP_ADMIN_EMAIL: 'admin@inst-metrics.edu', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD,
  });
  prometheus = await startPrometheus([`127.0.0.1:${identity.port}`]);
  api = httpClient(identity.url);
  admin = { token: (await api.post('/auth/login', undefined, { email: 'admin@inst-metrics.edu', password: PASSWORD })).body.accessToken };
  expect((await api.post('/schools', admin, { schoolId: 'medicine', name: 'Medicine' })).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await prometheus?.stop();
  await identity?.stop();
  await dropServiceDatabases(namespace, ['identity']);
});

const eventually = { timeoutMs: 60_000, intervalMs: 500 };

describe('metrics through Prometheus', () => {
  it("reads each projection's lag from Prometheus's HTTP API, and sees it at 0 in a scrape after a command was projected", async () => {
    const statuses = (await api.get<{ name: string }[]>('/admin/projections', admin)).body;
    const projections = statuses.map((s) => s.name).filter((name) => name !== 'outbox-relay').sort();
    expect(projections.length).toBeGreaterThan(0);
    await waitFor(async () => {
      const lags = await prometheus.query('cbme_projection_lag_commits{service="identity"}');
      expect(lags.map((l) => l.labels['projection']).sort()).toEqual(projections);
    }, eventually);

    const registered = await api.post('/schools/medicine/users', admin, { userId: 'ada', email: 'ada@inst-metrics.edu', displayName: 'Ada', role: 'learner' });
    expect(registered.status).toBe(201);

    // one instant of one scrape: the lags only where that scrape had counted the command
    const afterTheCommand = (metric: string) =>
      `${metric}{service="identity"} and on(service) (cbme_commands_total{service="identity",command="RegisterUser",outcome="accepted"} == 1)`;
    await waitFor(async () => {
      const lags = await prometheus.query(afterTheCommand('cbme_projection_lag_commits'));
      expect(lags.map(({ labels, value }) => ({ projection: labels['projection'], value })).sort((a, b) => a.projection.localeCompare(b.projection)))
        .toEqual(projections.map((projection) => ({ projection, value: 0 })));
      expect((await prometheus.query(afterTheCommand('cbme_relay_lag_commits'))).map((l) => l.value)).toEqual([0]);
    }, eventually);
    // and the projection did apply it (the lag is against the head the process last saw, which a scrape may take
    // before the new commit's position is known: so the read model is asked until it shows it)
    await waitFor(async () => expect((await api.get('/schools/medicine/users', admin)).body.members.map((m: { userId: string }) => m.userId)).toContain('ada'), eventually);
  });

  it('counts the request under its route template, and the append in the own store', async () => {
    await waitFor(async () => {
      const requests = await prometheus.query('cbme_http_request_duration_seconds_count{service="identity",method="POST",route="/schools/:schoolId/users"}');
      expect(requests.map((r) => [r.labels['status'], r.value])).toEqual([['201', 1]]);
      const [appends] = await prometheus.query('sum(cbme_event_store_append_duration_seconds_count{service="identity",store="events",operation="append"})');
      // the institution, the admin, the school and ada at least
      expect(appends.value).toBeGreaterThanOrEqual(4);
    }, eventually);
  });
});
