import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { InjectConnection } from '@nestjs/mongoose';
import Redis from 'ioredis';
import { Admin, Kafka } from 'kafkajs';
import { Connection } from 'mongoose';
import { Public } from '../auth/auth.guard';
import { ApiResult, schema as s } from '../http/openapi';
import { KAFKA, REDIS } from '../event-sourcing/tokens';

const within = <T>(ms: number, work: Promise<T>) =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))]);

/** Liveness says the process runs; readiness says MongoDB, Kafka and Redis answer. */
const indicators = s.map(s.object({ status: s.enum(['up', 'down']), message: s.string('no answer in 2000 ms') }, ['message']), 'by dependency: mongodb, kafka, redis');
const READY = s.object({ status: s.enum(['ok', 'error']), info: indicators, error: indicators, details: indicators });

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  private admin?: Admin;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @InjectConnection() private readonly connection: Connection,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Get('live')
  @ApiResult(s.object({ status: s.enum(['ok']) }), 'the process runs')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiResult(READY, 'MongoDB, Kafka and Redis answer (503 with the same body when one does not)')
  ready() {
    return this.health.check([
      () => this.probe('mongodb', () => this.connection.db!.admin().ping()),
      () => this.probe('kafka', async () => {
        this.admin ??= this.kafka.admin();
        await this.admin.connect();
        await this.admin.describeCluster();
      }),
      () => this.probe('redis', () => this.redis.ping()),
    ]);
  }

  private async probe(key: string, check: () => Promise<unknown>) {
    const indicator = this.indicator.check(key);
    try {
      await within(2_000, check());
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
