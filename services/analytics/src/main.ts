// first: OpenTelemetry instruments http, express, kafkajs and mongoose only if it starts before they load
import './tracing';
import 'reflect-metadata';
import { runServiceFromEnv } from '@cbme/service-runtime';
import { AnalyticsModule } from './app/analytics.module';

void runServiceFromEnv({ service: 'analytics', defaultPort: 3004, title: 'Analytics service' }, (config) => AnalyticsModule.register(config));
