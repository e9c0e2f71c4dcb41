import { appendTimings, commandOutcomes, deadLettersParked } from '@cbme/event-sourcing';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ResolvedConfig, SERVICE_CONFIG } from '../config/service-config';
import { EventSourcingRuntime } from '../event-sourcing/event-sourcing-runtime';

/** the path the HTTP timing applies to: every route (Nest's wildcard syntax) */
export const ALL_ROUTES = '{*path}';

/**
 * One service's Prometheus metrics (README, "Metrics"), served at GET /metrics. Counters and histograms are fed as
 * things happen (HTTP middleware, the kernel's signals); the lags are computed at scrape time from what the runtime
 * holds in memory, so scraping an idle service asks the database nothing.
 */
@Injectable()
export class ServiceMetrics implements OnModuleDestroy {
  readonly registry = new Registry();
  private readonly unsubscribe: (() => void)[] = [];

  readonly httpRequests = new Histogram({
    name: 'cbme_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status: latency, and with _count their rate',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly commands = new Counter({
    name: 'cbme_commands_total',
    help: 'commands run through executeCommand, by type and outcome (accepted, or rejected with the reason: a domain error kind, conflict or error)',
    labelNames: ['command', 'outcome', 'reason'] as const,
    registers: [this.registry],
  });

  readonly appends = new Histogram({
    name: 'cbme_event_store_append_duration_seconds',
    help: 'successful writes to an event store (events: own store, inbox: received), by operation',
    labelNames: ['store', 'operation'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly deadLetters = new Counter({
    name: 'cbme_dead_letters_total',
    help: 'dead letters recorded by this process since it started: events a projection parked, messages the inbox consumer sent to its dead-letter topic',
    labelNames: ['kind', 'name'] as const,
    registers: [this.registry],
  });

  constructor(
    @Inject(SERVICE_CONFIG) config: ResolvedConfig,
    private readonly runtime: EventSourcingRuntime,
  ) {
    this.registry.setDefaultLabels({ service: config.service });
    collectDefaultMetrics({ register: this.registry });
    const lags = () => this.runtime.knownLags();
    new Gauge({
      name: 'cbme_relay_lag_commits',
      help: "commits in the own store not yet published to Kafka: the store's head minus the outbox relay's position",
      labelNames: ['relay'] as const,
      registers: [this.registry],
      collect() {
        const { relay } = lags();
        this.reset();
        if (relay) this.set({ relay: relay.name }, relay.lag);
      },
    });
    new Gauge({
      name: 'cbme_projection_lag_commits',
      help: "commits of a projection's store (events or inbox) it has not applied yet: the store's head minus its position",
      labelNames: ['projection', 'source'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { name, source, lag } of lags().projections) this.set({ projection: name, source }, lag);
      },
    });
    new Gauge({
      name: 'cbme_kafka_consumer_lag_messages',
      help: "messages of a partition the inbox consumer has not handled yet, as of its latest batch from it",
      labelNames: ['topic', 'partition'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { topic, partition, lag } of lags().consumer) this.set({ topic, partition: String(partition) }, lag);
      },
    });
    const leases = () => this.runtime.leaseHolders();
    new Gauge({
      name: 'cbme_lease_holder',
      help: 'per runner (and other once-per-service work): 1 on the instance that holds its lease, 0 on the others',
      labelNames: ['runner'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { name, held } of leases()) this.set({ runner: name }, held ? 1 : 0);
      },
    });
    new Counter({
      name: 'cbme_lease_acquisitions_total',
      help: 'how often this instance took a lease since it started (a rise on a follower is a failover)',
      labelNames: ['runner'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { name, acquisitions } of leases()) this.inc({ runner: name }, acquisitions);
      },
    });
    this.unsubscribe.push(
      commandOutcomes.subscribe(({ command, outcome, reason }) => this.commands.inc({ command, outcome, reason: reason ?? '' })),
      appendTimings.subscribe(({ store, operation, seconds }) => this.appends.observe({ store, operation }, seconds)),
      deadLettersParked.subscribe(({ kind, name }) => this.deadLetters.inc({ kind, name })),
    );
  }

  /**
   * Express middleware: times every request and labels it with the template of the route that answered it (never the
   * raw URL, whose ids would make a series per record), or `unmatched` when none did.
   */
  readonly timeRequests = (request: Request, response: Response, next: NextFunction): void => {
    const end = this.httpRequests.startTimer();
    // the middleware's own catch-all route, which is still the request's route when no controller took it
    const catchAll: unknown = request.route;
    response.once('finish', () => {
      const route: unknown = request.route;
      const path = route !== catchAll ? (route as { path?: unknown } | undefined)?.path : undefined;
      end({ method: request.method, route: typeof path === 'string' ? path : 'unmatched', status: String(response.statusCode) });
    });
    next();
  };

  onModuleDestroy(): void {
    this.unsubscribe.forEach((stop) => stop());
  }
}
