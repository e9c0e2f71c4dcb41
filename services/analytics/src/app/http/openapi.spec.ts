import { buildOpenApiDocument, RUNTIME_CONTROLLERS } from '@cbme/service-runtime';
import { openApiProblemsOf } from '@cbme/testing';
import { ANALYTICS_CONTROLLERS } from '../analytics.module';

it('the analytics OpenAPI document is valid OpenAPI 3.0 and documents every DTO property, query parameter and success response', async () => {
  expect(await openApiProblemsOf([...ANALYTICS_CONTROLLERS, ...RUNTIME_CONTROLLERS], (app) => buildOpenApiDocument(app, 'analytics'))).toEqual([]);
});
