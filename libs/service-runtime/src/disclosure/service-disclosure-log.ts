import { EventStore } from '@cbme/event-sourcing';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ResolvedConfig, SERVICE_CONFIG } from '../config/service-config';
import { EVENT_STORE } from '../event-sourcing/tokens';
import { DisclosureLog } from './disclosure-log';

/** The service's disclosure log, appending to its own store; what is buffered is stored before the store closes. */
@Injectable()
export class ServiceDisclosureLog extends DisclosureLog implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(SERVICE_CONFIG) config: ResolvedConfig) {
    const logger = new Logger('DisclosureLog');
    super(store, { flushMs: config.audit.disclosureFlushMs, onError: (message) => logger.error(message) });
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }
}
