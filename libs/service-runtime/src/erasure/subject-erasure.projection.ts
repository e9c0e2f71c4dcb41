import { IdentityEvents, SubjectErased } from '@cbme/contracts';
import { DataKeys, KEY_CACHE_MS, Projection, StoredEvent } from '@cbme/event-sourcing';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Queue } from 'bullmq';
import { EventSourcingRuntime } from '../event-sourcing/event-sourcing-runtime';
import { DATA_KEYS, REBUILD_QUEUE } from '../event-sourcing/tokens';

export const SUBJECT_ERASED = IdentityEvents.SubjectErased.type;
/** how long erasures are gathered into one rebuild of each read model */
export const ERASURE_WINDOW_MS = 30_000;
/** the job (on the rebuild queue) that writes an erased person's transport-key tombstone a second time */
export const TRANSPORT_TOMBSTONE_JOB = 'transport-tombstone';

/**
 * Every service's reaction to `identity.subject-erased` (README, "Erasure"): destroys its data key for the person, so
 * their personal fields read as "[erased]" in its store and inbox, ends its transport key on its key topic, then rebuilds its read models from them (as
 * BullMQ jobs, like an operator's rebuild, once every instance's cached key has expired: KEY_CACHE_MS), so no read
 * model keeps a copy of the text. Idempotent: erasing twice changes nothing, and the erasures of one
 * ERASURE_WINDOW_MS share one rebuild of each read model.
 */
@Injectable()
export class SubjectErasureProjection implements Projection {
  readonly name = 'subject-erasure';
  readonly keepsPersonalText = false;
  private readonly logger = new Logger('Erasure');

  constructor(
    @Inject(DATA_KEYS) private readonly keys: DataKeys,
    @InjectQueue(REBUILD_QUEUE) private readonly rebuilds: Queue,
    private readonly moduleRef: ModuleRef,
  ) {}

  async apply(events: StoredEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type !== SUBJECT_ERASED) continue;
      const { userId } = event.data as unknown as SubjectErased;
      await this.keys.erase(userId);
      const runtime = this.moduleRef.get(EventSourcingRuntime, { strict: false });
      // consumers forget the transport key now; written again once no instance can still hold the data key in its
      // cache (KEY_CACHE_MS), so a relay that announced the key in that moment cannot bring it back
      await runtime.tombstoneTransportKey(userId);
      await this.rebuilds.add(TRANSPORT_TOMBSTONE_JOB, { subject: userId }, { jobId: `erasure-${event.eventId}-transport-key`, delay: KEY_CACHE_MS + 1_000, removeOnComplete: 100, removeOnFail: 100 });
      // reactions (no generations) are never rebuilt; they keep no copy of personal text
      const affected = runtime.projectionNames().filter((name) => runtime.isRebuildable(name) && runtime.keepsPersonalText(name));
      for (const { projection, jobId, delay } of erasureRebuilds(affected, Date.now())) {
        await this.rebuilds.add('rebuild', { projection, requestedBy: `erasure:${event.eventId}`, erasure: true }, { jobId, delay, removeOnComplete: 100, removeOnFail: 100 });
      }
      this.logger.log(`erased the data key of ${userId}; rebuilding ${affected.join(', ') || 'no read models'}`);
    }
  }
}

/**
 * The rebuild jobs of an erasure whose key was destroyed at `now`: erasures of one window share them (the job of a
 * window starts after it ends, so after every key destroyed in it, and after every instance's cached key expired):
 * confirming a sweep's proposals one after the other costs a rebuild per window, not per person.
 */
export function erasureRebuilds(projections: string[], now: number): { projection: string; jobId: string; delay: number }[] {
  const windowEnd = Math.floor(now / ERASURE_WINDOW_MS + 1) * ERASURE_WINDOW_MS;
  return projections.map((projection) => ({ projection, jobId: `erasure-window-${windowEnd}-${projection}`, delay: windowEnd - now + KEY_CACHE_MS + 1_000 }));
}
