import { buildOpenApiDocument, RUNTIME_CONTROLLERS } from '@cbme/service-runtime';
import { openApiProblemsOf } from '@cbme/testing';
import { FEEDBACK_CONTROLLERS } from '../feedback.module';

it('the feedback OpenAPI document is valid OpenAPI 3.0 and documents every DTO property, query parameter and success response', async () => {
  expect(await openApiProblemsOf([...FEEDBACK_CONTROLLERS, ...RUNTIME_CONTROLLERS], (app) => buildOpenApiDocument(app, 'feedback'))).toEqual([]);
});
