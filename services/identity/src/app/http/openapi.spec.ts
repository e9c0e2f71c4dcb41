import { buildOpenApiDocument, RUNTIME_CONTROLLERS } from '@cbme/service-runtime';
import { openApiProblemsOf } from '@cbme/testing';
import { IDENTITY_CONTROLLERS } from '../identity.module';

it('the identity OpenAPI document is valid OpenAPI 3.0 and documents every DTO property, query parameter and success response', async () => {
  expect(await openApiProblemsOf([...IDENTITY_CONTROLLERS, ...RUNTIME_CONTROLLERS], (app) => buildOpenApiDocument(app, 'identity'))).toEqual([]);
});
