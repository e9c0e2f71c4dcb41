import 'reflect-metadata';
import { runServiceFromEnv } from '@cbme/service-runtime';
import { FeedbackModule } from './app/feedback.module';

void runServiceFromEnv({ service: 'feedback', defaultPort: 3003, title: 'Feedback service' }, (config) => FeedbackModule.register(config));
