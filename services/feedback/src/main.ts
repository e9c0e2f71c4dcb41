// first: OpenTelemetry instruments http, express, kafkajs and mongoose only if it starts before they load
import './tracing';
import 'reflect-metadata';
import { runServiceFromEnv } from '@cbme/service-runtime';
import { FeedbackModule } from './app/feedback.module';

void runServiceFromEnv({ service: 'feedback', defaultPort: 3003, title: 'Feedback service' }, (config) => FeedbackModule.register(config));
