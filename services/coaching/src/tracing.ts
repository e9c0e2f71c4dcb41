import { startTracing } from '@cbme/service-runtime/tracing';

startTracing('coaching');
