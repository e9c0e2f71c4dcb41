import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { InjectConnection } from '@nestjs/mongoose';
import Redis from 'ioredis';
import { Admin, Kafka } from 'kafkajs';
import { Connection } from 'mongoose';
import { Public } from '../auth/auth.guard';
import { KAFKA, REDIS } from '../event-sourcing/tokens';

const within = <T>(ms: number, work: Promise<T>) =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))]);

/** Liveness says the process runs; readiness says MongoDB, Kafka and Redis answer. */
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
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
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
