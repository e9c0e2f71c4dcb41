import { buildOpenApiDocument, RUNTIME_CONTROLLERS } from '@cbme/service-runtime';
import { openApiProblemsOf } from '@cbme/testing';
import { COACHING_CONTROLLERS } from '../coaching.module';

it('the coaching OpenAPI document is valid OpenAPI 3.0 and documents every DTO property, query parameter and success response', async () => {
  expect(await openApiProblemsOf([...COACHING_CONTROLLERS, ...RUNTIME_CONTROLLERS], (app) => buildOpenApiDocument(app, 'coaching'))).toEqual([]);
});
