import { dropServiceDatabases, httpClient, RunningService, startServiceProcess, uniqueName } from '@cbme/testing';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The event catalog as a service serves it, without a token (like /docs-json): the committed docs/asyncapi.json. */
const namespace = uniqueName('catalog');
let identity: RunningService;

beforeAll(async () => {
  identity = await startServiceProcess('identity', { CBME_NAMESPACE: namespace, INSTITUTION_ID: 'inst-catalog' });
}, 120_000);

afterAll(async () => {
  await identity?.stop();
  await dropServiceDatabases(namespace, ['identity']);
});

it('serves at /asyncapi.json, to anyone, the committed event catalog', async () => {
  const committed = JSON.parse(readFileSync(path.resolve(__dirname, '../../../docs/asyncapi.json'), 'utf8'));
  const served = await httpClient(identity.url).get('/asyncapi.json');
  expect(served.status).toBe(200);
  expect(served.body).toEqual(committed);
});
