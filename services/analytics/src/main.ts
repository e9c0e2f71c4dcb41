import 'reflect-metadata';
import { runServiceFromEnv } from '@cbme/service-runtime';
import { AnalyticsModule } from './app/analytics.module';

void runServiceFromEnv({ service: 'analytics', defaultPort: 3004, title: 'Analytics service' }, (config) => AnalyticsModule.register(config));
