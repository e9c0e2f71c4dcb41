import { EventMetadata } from '@cbme/contracts';
import { EventStore } from '@cbme/event-sourcing';
import { CurrentCoaches } from '../ports/read-model-ports';

/**
 * Who did it: the caller, or for a history import the person its record names. Only a backdated command (set by
 * trusted internal callers through `backdated()`, never from an HTTP request) may name someone other than its actor.
 */
export const actingUser = (metadata: EventMetadata, recordedBy?: string): string => (metadata.backdated && recordedBy ? recordedBy : metadata.actor.userId);

/** Who coaches the learner now; for a backdated command, who coached them at its date (where the read model keeps that). */
export function coachOf(coaches: CurrentCoaches, metadata: EventMetadata, learnerId: string): Promise<string | null> {
  const { schoolId } = metadata.tenant;
  return metadata.backdated && coaches.coachAt ? coaches.coachAt(schoolId, learnerId, metadata.occurredAt) : coaches.currentCoachOf(schoolId, learnerId);
}

/**
 * Who coaches the learner of a dialogue or goal stream (null: nobody, or no such stream in this school), now or at a
 * backdated command's date: the fact its decider needs to tell who may see it. Read before deciding; a change that
 * lands in between is seen next time.
 */
export async function currentCoachOfStream(store: EventStore, coaches: CurrentCoaches, metadata: EventMetadata, streamId: string): Promise<string | null> {
  const [first] = await store.readStream(streamId);
  if (!first || first.tenant.schoolId !== metadata.tenant.schoolId) return null;
  return coachOf(coaches, metadata, (first.data as { learnerId: string }).learnerId);
}
