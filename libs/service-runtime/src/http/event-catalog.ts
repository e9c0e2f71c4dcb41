import { INestApplication } from '@nestjs/common';
import { buildAsyncApiDocument } from '@cbme/contracts';
import type { Response } from 'express';

/** The event catalog's address on every service: public, like /docs-json. */
export const EVENT_CATALOG_PATH = '/asyncapi.json';

/** Serves the AsyncAPI document of the public events (the contracts this build carries; docs/asyncapi.json in the repo). */
export function serveEventCatalog(app: INestApplication): void {
  const document = buildAsyncApiDocument();
  app.getHttpAdapter().get(EVENT_CATALOG_PATH, (_request: unknown, response: Response) => response.json(document));
}
