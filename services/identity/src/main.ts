import 'reflect-metadata';
import { runServiceFromEnv } from '@cbme/service-runtime';
import { IdentityModule } from './app/identity.module';

void runServiceFromEnv({ service: 'identity', defaultPort: 3001, title: 'Identity service' }, (config) => IdentityModule.register(config));
