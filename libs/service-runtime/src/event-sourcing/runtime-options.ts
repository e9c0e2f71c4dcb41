import { Context, EventCatalog } from '@cbme/contracts';
import { Projection, Publication } from '@cbme/event-sourcing';
import { Type } from '@nestjs/common';
import { ResolvedConfig } from '../config/service-config';

export interface ProjectionRegistration {
  /** `events`: this service's own store; `inbox`: events received from other services */
  source: 'events' | 'inbox';
  use: Type<Projection>;
  /** the service's own module provides it (a reaction that needs the service's ports); otherwise the runtime does */
  providedByService?: boolean;
  /**
   * false for a reader of the own store that no query reads (a scheduler): `X-Read-After` does not wait for it.
   * Default true.
   */
  servesQueries?: boolean;
}

export interface ServiceRuntimeOptions {
  config: ResolvedConfig;
  /** every event type this service stores or receives, for validation and upcasting */
  catalog: EventCatalog;
  /** what of the own store is published (default: what the public contract declares, `publishByContract`); `none` for a service that publishes nothing */
  publication?: Publication | 'none';
  consumes?: { contexts: Context[]; accepts?: (type: string) => boolean };
  projections?: ProjectionRegistration[];
}

export const RUNTIME_OPTIONS = Symbol('RUNTIME_OPTIONS');
