import { Controller, Get, Header } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { prometheusContentType } from 'prom-client';
import { Public } from '../auth/auth.guard';
import { ApiResult, schema as s } from '../http/openapi';
import { ServiceMetrics } from './service-metrics';

/** For Prometheus on the service's own port, without a token like /health; nginx does not pass it to the browser's origin. */
@ApiTags('metrics')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ServiceMetrics) {}

  @Get()
  @Header('Content-Type', prometheusContentType)
  @ApiProduces('text/plain')
  @ApiResult(s.string('cbme_projection_lag_commits{projection="goals-by-status",source="events",service="feedback"} 0'), 'the Prometheus text format (README, "Metrics")')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
