import { AuditKeyRing, DataKeys, MongoDataKeys, MongoEventStore, PersonalDataCipher, readMasterKey } from '@cbme/event-sourcing';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Logger as NestLogger, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import { TerminusModule } from '@nestjs/terminus';
import Redis from 'ioredis';
import { Kafka, logLevel as KafkaLogLevel } from 'kafkajs';
import { Connection } from 'mongoose';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { AuthGuard } from './auth/auth.guard';
import { SERVICE_CONFIG } from './config/service-config';
import { EventSourcingRuntime } from './event-sourcing/event-sourcing-runtime';
import { ProjectionRegistration, RUNTIME_OPTIONS, ServiceRuntimeOptions } from './event-sourcing/runtime-options';
import { AUDIT_KEYS, DATA_KEYS, EVENT_CATALOG, EVENT_STORE, INBOX_STORE, KAFKA, REBUILD_QUEUE, REDIS } from './event-sourcing/tokens';
import { AuditExportController } from './audit/audit-export.controller';
import { AuditExporter } from './audit/audit-exporter';
import { AuditKeysController } from './audit/audit-keys.controller';
import { DISCLOSURE_LOG, DisclosureInterceptor } from './disclosure/discloses';
import { DisclosureLogProjection } from './disclosure/disclosure-log.projection';
import { SubjectErasureProjection } from './erasure/subject-erasure.projection';
import { DisclosuresController } from './disclosure/disclosures.controller';
import { ServiceDisclosureLog } from './disclosure/service-disclosure-log';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { ALL_ROUTES, ServiceMetrics } from './metrics/service-metrics';
import { ReadYourWritesInterceptor } from './http/read-your-writes';
import { DeadLetterAdminController } from './rebuild/dead-letter-admin.controller';
import { DeadLetterOperations } from './rebuild/dead-letter-operations';
import { ProjectionAdminController } from './rebuild/projection-admin.controller';
import { ProjectionRebuildProcessor } from './rebuild/projection-rebuild.processor';
import { TracingShutdown } from './tracing-shutdown';

/** the routes every service has (health, metrics, projection admin, dead letters, disclosures); its OpenAPI test checks them too */
export const RUNTIME_CONTROLLERS = [HealthController, MetricsController, ProjectionAdminController, DeadLetterAdminController, AuditKeysController, AuditExportController, DisclosuresController];

/**
 * Everything a service needs besides its own domain: config, JSON logs with correlation ids,
 * MongoDB, Kafka, Redis/BullMQ, the event stores, the event-moving runtime, health and projection admin.
 */
@Global()
@Module({})
export class ServiceRuntimeModule implements NestModule {
  constructor(private readonly metrics: ServiceMetrics) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.metrics.timeRequests).forRoutes(ALL_ROUTES);
  }

  static forRoot(serviceOptions: ServiceRuntimeOptions): DynamicModule {
    // every service keeps the log of who read its learners' records (README, "Disclosure log")
    const disclosureLog: ProjectionRegistration = { source: 'events', use: DisclosureLogProjection };
    // every service destroys its key for a person identity erased (in identity's own store; received by the others)
    const erasure: ProjectionRegistration = { source: serviceOptions.config.service === 'identity' ? 'events' : 'inbox', use: SubjectErasureProjection, servesQueries: false };
    const options: ServiceRuntimeOptions = { ...serviceOptions, projections: [...(serviceOptions.projections ?? []), disclosureLog, erasure] };
    const { config } = options;
    const kafkaLogger = new NestLogger('kafkajs');
    const upcast = options.catalog.upcast.bind(options.catalog);
    const projections = (options.projections ?? []).filter((p) => !p.providedByService).map((p) => p.use);
    return {
      module: ServiceRuntimeModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            base: { service: config.service },
            genReqId: (req, res) => {
              const given = req.headers['x-correlation-id'];
              const id = typeof given === 'string' && given ? given : randomUUID();
              res.setHeader('x-correlation-id', id);
              return id;
            },
            customProps: (req) => ({ correlationId: req.id }),
            autoLogging: { ignore: (req) => req.url?.startsWith('/health') ?? false },
          },
        }),
        MongooseModule.forRoot(config.mongoUrl, { dbName: config.mongoDb, serverSelectionTimeoutMS: 5_000 }),
        BullModule.forRoot({ connection: { url: config.redisUrl, maxRetriesPerRequest: null }, prefix: `${config.namespace}:${config.service}` }),
        BullModule.registerQueue({ name: REBUILD_QUEUE }),
        CqrsModule.forRoot(),
        TerminusModule,
      ],
      controllers: RUNTIME_CONTROLLERS,
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: RUNTIME_OPTIONS, useValue: options },
        { provide: EVENT_CATALOG, useValue: options.catalog },
        {
          provide: DATA_KEYS,
          inject: [getConnectionToken()],
          useFactory: (connection: Connection) => new MongoDataKeys(connection, readMasterKey(config.personalData.masterKey, config.personalData.masterKeyFile)),
        },
        {
          provide: EVENT_STORE,
          inject: [getConnectionToken(), DATA_KEYS],
          useFactory: (connection: Connection, keys: DataKeys) =>
            new MongoEventStore(connection, { collection: 'events', upcast, personalData: new PersonalDataCipher(options.catalog, keys) }),
        },
        {
          provide: INBOX_STORE,
          inject: [getConnectionToken(), DATA_KEYS],
          useFactory: (connection: Connection, keys: DataKeys) =>
            new MongoEventStore(connection, { collection: 'inbox', upcast, personalData: new PersonalDataCipher(options.catalog, keys) }),
        },
        {
          provide: KAFKA,
          useFactory: () =>
            new Kafka({
              clientId: `${config.namespace}-${config.service}`,
              brokers: config.kafkaBrokers,
              logLevel: KafkaLogLevel.WARN,
              logCreator: () => ({ level, log }) => {
                const { message, ...extra } = log;
                if (level <= KafkaLogLevel.ERROR) kafkaLogger.error({ msg: message, ...extra });
                else kafkaLogger.warn({ msg: message, ...extra });
              },
            }),
        },
        { provide: AUDIT_KEYS, useFactory: () => AuditKeyRing.fromFile(config.audit.keysFile) },
        {
          provide: REDIS,
          useFactory: () => new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false }),
        },
        ...projections,
        EventSourcingRuntime,
        ServiceMetrics,
        AuditExporter,
        DeadLetterOperations,
        ServiceDisclosureLog,
        { provide: DISCLOSURE_LOG, useExisting: ServiceDisclosureLog },
        ProjectionRebuildProcessor,
        TracingShutdown,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: ReadYourWritesInterceptor },
        { provide: APP_INTERCEPTOR, useClass: DisclosureInterceptor },
      ],
      exports: [SERVICE_CONFIG, EVENT_STORE, INBOX_STORE, DATA_KEYS, EVENT_CATALOG, KAFKA, REDIS, EventSourcingRuntime, ServiceMetrics, CqrsModule, ...projections],
    };
  }
}
