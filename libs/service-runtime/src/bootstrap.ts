import type { Server } from 'node:http';
import { INestApplication, Type, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { InvalidConfigError, loadServiceConfig, ResolvedConfig } from './config/service-config';
import { ErrorFilter } from './http/error-filter';
import { serveEventCatalog } from './http/event-catalog';
import { buildOpenApiDocument } from './http/openapi';

/** Input rules for every endpoint: strip nothing silently, refuse unknown fields, convert types. */
export const validationPipe = () =>
  new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, transform: true });

/** Creates a service with the shared edge (validation, error shape, logs, OpenAPI at /docs, the event catalog at /asyncapi.json) and listens. */
export async function startService(module: unknown, config: ResolvedConfig, title: string): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module as Type, { bufferLogs: true });
  // behind the web origin (nginx), the client's address comes from X-Forwarded-For, which nginx sets
  if (config.trustProxy) app.set('trust proxy', config.trustProxy);
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ErrorFilter());
  app.enableShutdownHooks();
  // no CORS: browsers reach the services only through the web origin (nginx, infra/nginx), on the page's own origin
  const document = buildOpenApiDocument(app, title);
  SwaggerModule.setup('docs', app, document);
  serveEventCatalog(app);
  await app.listen(config.port, '0.0.0.0');
  // an idle keep-alive connection is closed by its client (fetch's after 4 s), never by the service while a request is on
  // its way over it ("other side closed" under load, with Node's default of 5 s)
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 75_000;
  server.headersTimeout = 76_000;
  return app;
}

/** Entry point of every service: read the environment (refusing bad settings with a clear message), then start. */
export async function runServiceFromEnv(
  service: { service: string; defaultPort: number; title: string },
  module: (config: ResolvedConfig) => unknown,
): Promise<void> {
  let config: ResolvedConfig;
  let root: unknown;
  try {
    config = loadServiceConfig(service.service, service.defaultPort);
    root = module(config); // a service reads and checks its own settings here
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  await startService(root, config, service.title);
}
