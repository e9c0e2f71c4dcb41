import 'reflect-metadata';
import { runServiceFromEnv } from '@cbme/service-runtime';
import { CoachingModule } from './app/coaching.module';

void runServiceFromEnv({ service: 'coaching', defaultPort: 3002, title: 'Coaching service' }, (config) => CoachingModule.register(config));
