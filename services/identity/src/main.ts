// first: OpenTelemetry instruments http, express, kafkajs and mongoose only if it starts before they load
import './tracing';
import 'reflect-metadata';
import { runServiceFromEnv } from '@cbme/service-runtime';
import { IdentityModule } from './app/identity.module';

// identity verifies the tokens it issued with its own published keys, wherever it listens
process.env['AUTH_JWKS_URL'] ??= `http://127.0.0.1:${process.env['PORT'] ?? 3001}/.well-known/jwks.json`;

void runServiceFromEnv({ service: 'identity', defaultPort: 3001, title: 'Identity service' }, (config) => IdentityModule.register(config));
