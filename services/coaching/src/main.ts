// first: OpenTelemetry instruments http, express, kafkajs and mongoose only if it starts before they load
import './tracing';
import 'reflect-metadata';
import { runServiceFromEnv } from '@cbme/service-runtime';
import { CoachingModule } from './app/coaching.module';

void runServiceFromEnv({ service: 'coaching', defaultPort: 3002, title: 'Coaching service' }, (config) => CoachingModule.register(config));
